"""The settings of each network's source, the replay and the hub."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import (
    Field,
    SecretStr,
    field_validator,
)

from app.settings.walls import Section

__all__ = ["BlueskySettings", "HubSettings", "MastodonSettings", "ReplaySettings", "XSettings"]


class XSettings(Section):
    mode: Literal["search", "stream"] = "search"
    poll_interval_s: float = Field(60.0, ge=5)
    recheck_interval_s: float = Field(600.0, ge=30)
    daily_read_budget: int = Field(2000, ge=1)
    exclude_reposts: bool = False
    languages: list[str] = Field(default_factory=list)
    media_only: bool = False
    cost_per_read_usd: float = 0.005


class MastodonSettings(Section):
    poll_interval_s: float = Field(30.0, ge=2)
    streaming: bool = False


class BlueskySettings(Section):
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


class ReplaySettings(Section):
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


class HubSettings(Section):
    snapshot_size: int = Field(120, ge=1, le=2000)
    resume_log: int = Field(2000, ge=10)
    batch_ms: int = Field(100, ge=0, le=5000)
    queue_frames: int = Field(64, ge=2)
    heartbeat_s: float = Field(10.0, gt=0, le=15)
    send_timeout_s: float = Field(10.0, gt=0)
    # WebSockets one address may hold open (app/web/sockets.py); raise it for a venue whose
    # audience shares one NAT address; 0: no cap.
    ws_max_per_address: int = Field(200, ge=0)
    # With Redis (several processes, docs/scale.md): how often each re-reads the walls and
    # their last seq, so a message lost on the way costs at most this long, never a gap.
    sweep_s: float = Field(2.0, gt=0, le=60)
