"""Moderation transitions as a table."""

from __future__ import annotations

import pytest

from app.moderation import InvalidAction, Transition, transition


@pytest.mark.parametrize(
    ("action", "state", "pinned", "deleted", "expected"),
    [
        ("approve", "pending", False, False, Transition("visible", False)),
        ("approve", "hidden", False, False, Transition("visible", False)),
        ("hide", "visible", True, False, Transition("hidden", False)),
        ("hide", "pending", False, False, Transition("hidden", False)),
        ("hide", "visible", False, True, Transition("hidden", False)),
        ("unhide", "hidden", False, False, Transition("visible", False)),
        ("pin", "visible", False, False, Transition("visible", True)),
        ("unpin", "visible", True, False, Transition("visible", False)),
        ("approve", "visible", False, False, None),
        ("hide", "hidden", False, False, None),
        ("unhide", "visible", False, False, None),
        ("pin", "pending", False, False, None),
        ("unpin", "visible", False, False, None),
        ("approve", "hidden", False, True, None),
        ("unhide", "hidden", False, True, None),
    ],
)
def test_transitions(action, state, pinned, deleted, expected) -> None:  # type: ignore[no-untyped-def]
    """Each action leads to the expected state, or is refused when it does not apply."""
    if expected is None:
        with pytest.raises(InvalidAction):
            transition(action, state, pinned, deleted=deleted)
    else:
        assert transition(action, state, pinned, deleted=deleted) == expected

