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

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = [
    "DEFAULT_CATEGORIES",
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

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
SourceKind = Literal["x", "mastodon", "bluesky", "replay"]
HASHTAG = re.compile(r"^\w{1,100}$")


class ConfigError(Exception):
    """A configuration problem, phrased as one line for the operator."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WallRules(_Section):
    """Automatic rules of a wall (app/rules.py). Block lists are managed live by moderators."""

    wordlist: bool = True
    extra_words: list[str] = Field(default_factory=list)
    queue_reposts: bool = False
    queue_replies: bool = False
    queue_sensitive: bool = True
    languages: list[str] = Field(default_factory=list)
    max_per_author_per_hour: int | None = Field(30, ge=0, description="0 or None: no cap")
    collapse_duplicates: bool = True


def contrast_ratio(a: str, b: str) -> float:
    """Return the WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


class Colours(_Section):
    """Brand colours; text and accent must read on the background at WCAG AA (4.5:1)."""

    background: str = "#0b1020"
    text: str = "#f5f7ff"
    accent: str = "#4cc9f0"

    @field_validator("background", "text", "accent")
    @classmethod
    def _hex(cls, v: str) -> str:
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", v):
            raise ValueError(f"a colour is #rrggbb, got {v!r}")
        return v.lower()

    @model_validator(mode="after")
    def _contrast(self) -> Colours:
        for name in ("text", "accent"):
            ratio = contrast_ratio(getattr(self, name), self.background)
            if ratio < 4.5:
                raise ValueError(f"{name} on background has contrast {ratio:.2f}:1; "
                                 "WCAG AA needs at least 4.5:1")
        return self


CATEGORY = re.compile(r"^[^\s|][^|]{0,39}$")


class Category(_Section):
    """A kind of account a moderator can assign (docs/report.md): its `name`, and the `plural`
    the report's sentence uses ("12 non-specialists"). Given as a plain string in the config
    file, the plural is the name with an "s"."""

    name: str = Field(min_length=1, max_length=40)
    plural: str | None = Field(None, min_length=1, max_length=80)

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, v: Any) -> Any:
        return {"name": v} if isinstance(v, str) else v

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        v = " ".join(v.split())
        if not CATEGORY.match(v):
            raise ValueError(f"a category is 1-40 characters without '|', got {v!r}")
        return v

    @property
    def label(self) -> str:
        """The plural, as the report's sentence says it."""
        return self.plural or f"{self.name}s"


DEFAULT_CATEGORIES = ("attendee", "remote attendee", "non-specialist", "institution")


class WallConfig(_Section):
    slug: str
    title: str = ""
    hashtags: list[str] = Field(default_factory=list)
    sources: list[SourceKind] = Field(default_factory=lambda: list[SourceKind](["replay"]))
    moderation: Literal["pre", "post"] = "post"
    replay_file: Path | None = None
    mastodon_instances: list[str] | None = None
    layout: Literal["grid", "spotlight", "ticker"] = "grid"
    theme: Literal["dark", "light", "contrast"] = "dark"
    rules: WallRules = Field(default_factory=WallRules)
    colours: Colours | None = None
    join_url: str | None = None
    logo: int | None = None
    slides: list[int] = Field(default_factory=list)
    slide_interval_s: int = Field(0, ge=0, description="0: no slides; else seconds between them")
    idle_after_s: int = Field(90, ge=10, description="quiet time before highlights rotate in")
    min_dwell_s: int = Field(10, ge=0, le=300,
                             description="least time a card keeps its place on a hall screen")
    reload: str | None = None
    # The programme (docs/programme.md): a post belongs to a session until its end plus this
    # margin; with `title_match` also by the words of the session's title. `programme_rev`
    # changes with each import or room assignment, so screens fetch the programme again.
    session_margin_min: int = Field(15, ge=0, le=240,
                                    description="minutes after a session's end its posts count")
    title_match: bool = Field(False, description="a post also belongs to a session by the "
                                                 "keywords of its title")
    programme_rev: str | None = None
    # The kinds of account moderators sort the wall's participants into, for the report.
    categories: list[Category] = Field(
        default_factory=lambda: [Category(name=n) for n in DEFAULT_CATEGORIES])

    @field_validator("categories")
    @classmethod
    def _distinct(cls, v: list[Category]) -> list[Category]:
        names = [c.name.casefold() for c in v]
        if dupes := sorted({n for n in names if names.count(n) > 1}):
            raise ValueError(f"category {dupes[0]!r} is listed twice")
        return v

    @field_validator("join_url")
    @classmethod
    def _join(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://[^\s]+$", v):
            raise ValueError("join_url must be an http(s) URL")
        return v
    @field_validator("slug")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG.match(v):
            raise ValueError("slug must be lowercase letters, digits and '-' (at most 63)")
        return v

    @field_validator("hashtags")
    @classmethod
    def _tags(cls, v: list[str]) -> list[str]:
        tags = [t.strip().lstrip("#") for t in v]
        for t in tags:
            if not HASHTAG.match(t):
                raise ValueError(f"not a hashtag: {t!r}")
        return tags


class XSettings(_Section):
    mode: Literal["search", "stream"] = "search"
    poll_interval_s: float = Field(60.0, ge=5)
    recheck_interval_s: float = Field(600.0, ge=30)
    daily_read_budget: int = Field(2000, ge=1)
    exclude_reposts: bool = False
    languages: list[str] = Field(default_factory=list)
    media_only: bool = False
    cost_per_read_usd: float = 0.005


class MastodonSettings(_Section):
    poll_interval_s: float = Field(30.0, ge=2)
    streaming: bool = False


class BlueskySettings(_Section):
    handle: str | None = None
    app_password: SecretStr | None = None
    appview_url: str = "https://public.api.bsky.app"
    # The PDS that hosts `handle`'s account: login and the search backfill go there
    # (TWEETWALL_BLUESKY__PDS_URL). bsky.social hosts Bluesky's own accounts.
    pds_url: str = "https://bsky.social"
    backfill_hours: float = 6.0

    @field_validator("pds_url")
    @classmethod
    def _pds(cls, v: str) -> str:
        if not re.match(r"^https?://[^/\s]+(/[^\s]*)?$", v):
            raise ValueError(f"pds_url is an http(s) URL, got {v!r}")
        return v.rstrip("/")


class ReplaySettings(_Section):
    file: Path | None = None
    # The meeting's own rhythm, compressed: bursts when a session ends (gaps down to 0.2 s),
    # quiet stretches of several seconds, a night at most 20 s; the bundled meeting loops in
    # about half an hour with a median gap of about 2 s (tests/test_replay.py).
    speed: float = Field(300.0, gt=0, description="how many times faster than the real meeting")
    min_gap_s: float = Field(0.2, ge=0)
    max_gap_s: float = Field(20.0, ge=0)
    backfill: int = Field(12, ge=0, description="posts shown at once when a replay first starts")
    loop: bool = True
    rebase_time: bool = True


class HubSettings(_Section):
    snapshot_size: int = Field(120, ge=1, le=2000)
    resume_log: int = Field(2000, ge=10)
    batch_ms: int = Field(100, ge=0, le=5000)
    queue_frames: int = Field(64, ge=2)
    heartbeat_s: float = Field(10.0, gt=0, le=15)
    send_timeout_s: float = Field(10.0, gt=0)
    # WebSockets one address may hold open (app/web/sockets.py); raise it for a venue whose
    # audience shares one NAT address; 0: no cap.
    ws_max_per_address: int = Field(200, ge=0)


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
