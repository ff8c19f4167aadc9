"""One `Settings` class: environment (`TWEETWALL_*`, `.env`), an optional TOML file, defaults.

Precedence, highest first: explicit arguments, environment, `.env`, the TOML file given by
`--config` / `TWEETWALL_CONFIG`, defaults. Nothing here does I/O at import; `load_settings()` is
called by the composition root. A bad value raises `ConfigError` with one readable line.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.settings.sections import (
    BlueskySettings,
    HubSettings,
    MastodonSettings,
    ReplaySettings,
    XSettings,
)
from app.settings.walls import (
    DEFAULT_CATEGORIES,
    SLUG,
    Category,
    Colours,
    WallConfig,
    WallRules,
    contrast_ratio,
)

__all__ = [
    "DEFAULT_CATEGORIES",
    "SLUG",
    "BlueskySettings",
    "Category",
    "Colours",
    "ConfigError",
    "HubSettings",
    "MastodonSettings",
    "ReplaySettings",
    "Settings",
    "WallConfig",
    "WallRules",
    "XSettings",
    "contrast_ratio",
    "load_settings",
]



class ConfigError(Exception):
    """A configuration problem, phrased as one line for the operator."""

def _split(v: Any) -> Any:
    if isinstance(v, str):
        return [item.strip() for item in v.split(",") if item.strip()]
    return v


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TWEETWALL_", env_file=".env", extra="forbid", env_nested_delimiter="__"
    )

    environment: Literal["development", "production"] = "production"
    database_url: str = "sqlite+aiosqlite:///./tweetwall.db"
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    x_bearer_token: SecretStr | None = None
    x_api_base_url: str = "https://api.x.com"
    mastodon_instances: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # A Mastodon token is bound to the server that issued it and is sent nowhere else:
    # `mastodon_token` to the first of `mastodon_instances`, each of `mastodon_tokens`
    # (instance URL -> token) to its own instance; only ever over https.
    mastodon_token: SecretStr | None = None
    mastodon_tokens: dict[str, SecretStr] = Field(default_factory=dict)
    bluesky_jetstream_url: str = "wss://jetstream2.us-east.bsky.network/subscribe"
    redis_url: str | None = None
    public_url: str | None = Field(None, description="where people reach the wall (QR, links)")
    forwarded_allow_ips: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="proxies whose X-Forwarded-* headers are trusted")
    log_format: Literal["text", "json"] = "text"
    replay_dir: Path | None = Field(
        None, description="the only folder a wall created over the API may replay files from")
    allow_private_instances: bool = Field(
        False, description="let admins point walls at non-https or private Mastodon hosts")
    config: Path | None = None
    walls: list[WallConfig] = Field(default_factory=list)
    x: XSettings = Field(default_factory=XSettings)
    mastodon: MastodonSettings = Field(default_factory=MastodonSettings)
    bluesky: BlueskySettings = Field(default_factory=BlueskySettings)
    replay: ReplaySettings = Field(default_factory=ReplaySettings)
    hub: HubSettings = Field(default_factory=HubSettings)

    _split_origins = field_validator(
        "allowed_origins", "mastodon_instances", "forwarded_allow_ips", mode="before")(_split)

    @field_validator("public_url")
    @classmethod
    def _public(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://[^/\s]+(/[^\s]*)?$", v):
            raise ValueError(f"public_url is an http(s) URL, got {v!r}")
        return v.rstrip("/") if v else v

    @field_validator("mastodon_tokens")
    @classmethod
    def _token_hosts(cls, v: dict[str, SecretStr]) -> dict[str, SecretStr]:
        for instance in v:
            if not re.match(r"^https://[^/\s]+/?$", instance):
                raise ValueError(f"a Mastodon token is keyed by an https instance URL, "
                                 f"got {instance!r}")
        return {k.rstrip("/").lower(): t for k, t in v.items()}

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, v: list[str]) -> list[str]:
        for origin in v:
            if not re.match(r"^https?://[^/\s]+$", origin):
                raise ValueError(f"an origin is scheme://host[:port], got {origin!r}")
        return v

    @field_validator("walls")
    @classmethod
    def _unique(cls, v: list[WallConfig]) -> list[WallConfig]:
        slugs = [w.slug for w in v]
        dupes = sorted({s for s in slugs if slugs.count(s) > 1})
        if dupes:
            raise ValueError(f"duplicate wall slug {dupes[0]!r}")
        return v


def _one_line(err: ValidationError, origin: str) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "settings"
    more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
    return f"{origin}: {where}: {first['msg']}{more}"


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Return the settings from environment, `.env`, the TOML file and `overrides`.

    Raises `ConfigError` (one line) when the file is missing or unreadable or a value is bad.
    """
    try:
        env_only = Settings(config=config) if config else Settings()
    except ValidationError as err:
        raise ConfigError(_one_line(err, "environment")) from None
    path = config or env_only.config
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: no such config file") from None
        except (OSError, UnicodeDecodeError) as err:
            raise ConfigError(f"{path}: cannot read: {err}") from None
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(f"{path}: not valid TOML: {err}") from None
    # The environment wins over the file: only fill keys the environment left at their default.
    explicit = env_only.model_dump(exclude_unset=True)
    merged = {**data, **explicit, **overrides}
    if path is not None:
        merged["config"] = Path(path)
    try:
        return Settings.model_validate(merged)
    except ValidationError as err:
        raise ConfigError(_one_line(err, str(path) if path else "settings")) from None
