"""Which source runs for a wall: built from the settings, SDKs imported only when enabled.

A source that cannot start (no credentials, no instance) is replaced by a stand-in whose status
says why, so the wall runs on its other sources and the operator sees the reason.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from app.settings import Settings, WallConfig
from app.sources.base import Source, SourceContext, SourceEvent, SourceStatus

__all__ = ["SourceFactory", "Unavailable", "build_source", "mastodon_tokens"]

SourceFactory = Callable[[str, SourceContext, WallConfig, Settings], Source]


class Unavailable:
    """Stands in for a source that cannot start (missing credentials); shows why."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.status = SourceStatus(name)
        self.status.failed(reason, state="stopped")

    async def events(self) -> AsyncIterator[SourceEvent]:
        return
        yield


def mastodon_tokens(settings: Settings) -> dict[str, str]:
    """Return each Mastodon token keyed by the one instance that issued it: the operator's
    `mastodon_tokens`, and `mastodon_token` for the first of the operator's own
    `mastodon_instances` (never an instance a wall lists: an admin could name any server)."""
    tokens = {k: v.get_secret_value() for k, v in settings.mastodon_tokens.items()}
    if settings.mastodon_token is not None and settings.mastodon_instances:
        first = settings.mastodon_instances[0]
        tokens.setdefault(first, settings.mastodon_token.get_secret_value())
    return tokens


def build_source(kind: str, ctx: SourceContext, wall: WallConfig, settings: Settings) -> Source:
    """Return the source `kind` for `wall`. SDKs are imported only for enabled sources."""
    if kind == "replay":
        from app.sources.replay import ReplaySource

        return ReplaySource(ctx, settings.replay, wall.replay_file)
    if kind == "x":
        if settings.x_bearer_token is None:
            return Unavailable("x", "TWEETWALL_X_BEARER_TOKEN is not set")
        from app.sources.x import XSource
        from app.sources.x.shared import SharedStream

        token, base = settings.x_bearer_token.get_secret_value(), settings.x_api_base_url
        # X allows one filtered-stream connection per app: every wall of this token shares it.
        stream = ctx.shared.get(("x-stream", token, base), lambda: SharedStream(token, base))
        return XSource(ctx, settings.x, token, base, stream=stream)
    if kind == "mastodon":
        instances = wall.mastodon_instances or settings.mastodon_instances
        if not instances:
            return Unavailable("mastodon", "no Mastodon instances configured")
        from app.sources.mastodon import MastodonSource

        return MastodonSource(ctx, settings.mastodon, instances, mastodon_tokens(settings))
    if kind == "bluesky":
        from app.sources.bluesky import BlueskySource

        return BlueskySource(ctx, settings.bluesky, settings.bluesky_jetstream_url)
    raise ValueError(f"unknown source {kind!r}")
