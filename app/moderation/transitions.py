"""What a moderator's action does to a post on a wall: the state transitions, as a table.

Pure: the store applies `transition()` inside the transaction that reads the post's current
state and records the new one, so two moderators acting at once cannot both win (the second
gets `InvalidAction`). A new post's first state is the policy's (policy.py `decide`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["ACTIONS", "Action", "Conflict", "InvalidAction", "State", "Transition", "transition"]

State = Literal["pending", "visible", "hidden"]
Action = Literal["approve", "hide", "unhide", "pin", "unpin"]
ACTIONS: tuple[Action, ...] = ("approve", "hide", "unhide", "pin", "unpin")


class InvalidAction(ValueError):
    """The action does not apply to the post in its current state."""


class Conflict(InvalidAction):
    """The post changed since; the action or undo would overwrite somebody else's decision."""


@dataclass(frozen=True, slots=True)
class Transition:
    state: State
    pinned: bool


def transition(action: Action, state: State, pinned: bool, *, deleted: bool = False) -> Transition:
    """Return the post's state after `action`. Raises `InvalidAction` when it cannot apply.

    A post deleted at its source can be hidden but never shown again (P4).
    """
    if deleted and action in ("approve", "unhide", "pin"):
        raise InvalidAction("the post was deleted at its source")
    if action == "approve":
        if state == "visible":
            raise InvalidAction("already visible")
        return Transition("visible", pinned)
    if action == "hide":
        if state == "hidden":
            raise InvalidAction("already hidden")
        return Transition("hidden", False)
    if action == "unhide":
        if state != "hidden":
            raise InvalidAction("not hidden")
        return Transition("visible", pinned)
    if action == "pin":
        if state != "visible":
            raise InvalidAction("only a visible post can be pinned")
        return Transition(state, True)
    if action == "unpin":
        if not pinned:
            raise InvalidAction("not pinned")
        return Transition(state, False)
    raise InvalidAction(f"unknown action {action!r}")
