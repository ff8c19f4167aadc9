"""Moderation, pure: the policy for a new post, evasion-resistant matching, action transitions.

Persistence of decisions lives in the store (app/store/decisions.py); nothing here does I/O.
"""

from app.moderation.matching import text_key, warm
from app.moderation.policy import Block, Decision, PostContext, RuleSet, decide, matches_block
from app.moderation.transitions import (
    ACTIONS,
    Action,
    Conflict,
    InvalidAction,
    State,
    Transition,
    transition,
)

__all__ = [
    "ACTIONS",
    "Action",
    "Block",
    "Conflict",
    "Decision",
    "InvalidAction",
    "PostContext",
    "RuleSet",
    "State",
    "Transition",
    "decide",
    "matches_block",
    "text_key",
    "transition",
    "warm",
]
