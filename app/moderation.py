"""Pure moderation rules: the initial state of a post on a wall, and the effect of an action.

No I/O here: the store asks `initial_state()` when a post first reaches a wall and `transition()`
when a moderator acts, and records what they return. Tested as tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.models import Post

__all__ = [
    "ACTIONS", "Action", "InvalidAction", "State", "Transition", "initial_state", "transition",
]

State = Literal["pending", "visible", "hidden"]
Action = Literal["approve", "hide", "unhide", "pin", "unpin"]
ACTIONS: tuple[Action, ...] = ("approve", "hide", "unhide", "pin", "unpin")


class InvalidAction(ValueError):
    """The action does not apply to the post in its current state."""


@dataclass(frozen=True, slots=True)
class Transition:
    state: State
    pinned: bool


def initial_state(post: Post, mode: Literal["pre", "post"]) -> State:
    """Return where a new post starts: the queue under pre-moderation, else on the wall."""
    return "pending" if mode == "pre" else "visible"


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
