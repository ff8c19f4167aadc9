"""Response models of moderation (decisions, audit, blocks, announcements) and accounts."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from app.store.accounts import Role
from app.web.schemas.common import Time

__all__ = [
    "AnnouncementOut", "AuditEntryOut", "BlockAddedOut", "BlockOut", "DecisionOut", "LoginOut",
    "MeOut", "TokenCreatedOut", "TokenOut", "UserCreatedOut", "UserOut",
]


# -- moderation ----------------------------------------------------------------------------

class DecisionOut(BaseModel):
    """An audit entry as recorded: the state before and after (their keys depend on the
    action: a post's `state`/`pinned`, a block's `kind`/`value`...)."""

    id: int
    post_id: str = Field(description="empty for a decision that is not about one post")
    action: str
    actor: str
    reason: str | None
    at: Time
    before: dict[str, Any]
    after: dict[str, Any]


class AuditEntryOut(BaseModel):
    id: int
    post_id: str | None
    action: str
    actor: str
    reason: str | None
    at: Time
    undone_at: Time | None


class BlockOut(BaseModel):
    kind: Literal["author", "keyword"]
    value: str
    created_by: str
    reason: str | None
    created_at: Time


class BlockAddedOut(BaseModel):
    kind: Literal["author", "keyword"]
    value: str
    hidden: list[str] = Field(description="ids of the posts the block hid")
    audit_id: int = Field(description="the decision to undo to lift the block")


class AnnouncementOut(BaseModel):
    id: int
    text: str
    starts_at: Time | None
    ends_at: Time | None
    published: bool = Field(True, description="false: scheduled, listed for moderators only")


# -- accounts ------------------------------------------------------------------------------

class UserOut(BaseModel):
    username: str
    role: Role
    created_at: Time
    walls: list[str] | None = Field(None, description="the walls it may act on; null: all")


class UserCreatedOut(BaseModel):
    username: str
    role: Role
    walls: list[str] | None = Field(None, description="null: every wall")


class TokenOut(BaseModel):
    name: str
    role: Role
    created_at: Time
    walls: list[str] | None = Field(None, description="the walls it may act on; null: all")


class TokenCreatedOut(BaseModel):
    name: str
    role: Role
    token: str = Field(description="the secret, shown only in this answer")
    walls: list[str] | None = Field(None, description="null: every wall")


class LoginOut(BaseModel):
    username: str
    role: Role


class MeOut(LoginOut):
    via: Literal["session", "token"]
