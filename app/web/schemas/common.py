"""What the response models share: the time and choice types, and the error answers
(`{"detail": ...}`) with `errors(...)`, which builds a route's `responses=`."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from app.settings import WallConfig

__all__ = [
    "ErrorOut", "FieldError", "InvalidOut", "Layout", "Mode", "StatusOut", "Theme", "Time",
    "errors",
]


Time = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


def _choices(field: str) -> WithJsonSchema:
    """Document a wall setting as the enum `WallConfig` accepts (checked there, not here)."""
    return WithJsonSchema({"type": "string", "enum": list(get_args(
        WallConfig.model_fields[field].annotation))})


Layout = Annotated[str, _choices("layout")]
Theme = Annotated[str, _choices("theme")]
Mode = Annotated[str, _choices("moderation")]

class StatusOut(BaseModel):
    status: str


class ReadyOut(StatusOut):
    """`/readyz`: the fields past `status` once the process has started (docs/scale.md)."""

    database: Literal["ok", "down"] | None = None
    redis: Literal["ok", "down", "off"] | None = None
    ingest: dict[str, Literal["leader", "standby"]] | None = Field(
        None, description="per wall: whether this process runs its sources")


# -- errors --------------------------------------------------------------------------------

class ErrorOut(BaseModel):
    """Every error the API raises: a human-readable `detail`."""

    detail: str


class FieldError(BaseModel):
    """One problem with the request, as FastAPI reports it."""

    model_config = ConfigDict(extra="allow")

    loc: list[str | int]
    msg: str
    type: str


class InvalidOut(BaseModel):
    """422: a message from the route, or FastAPI's list of what is wrong with the request."""

    detail: str | list[FieldError]


_WHY = {
    401: "Not logged in: no valid session cookie or bearer token.",
    403: "Not allowed: the admin role is required, or a browser request came from another "
         "site.",
    404: "No such wall (or no such item on it).",
    409: "Not possible in the current state.",
    413: "The upload is too large.",
    415: "The upload is not a supported image type.",
    422: "The request or the change it asks for is invalid.",
    429: "Too many failed logins; see `Retry-After`.",
}


def errors(*codes: int | tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """Return `responses=` documenting the status `codes` as JSON errors, each with the usual
    description or, given as `(code, description)`, with the route's own."""
    described = [c if isinstance(c, tuple) else (c, _WHY[c]) for c in codes]
    return {code: {"model": InvalidOut if code == 422 else ErrorOut, "description": why}
            for code, why in described}
