"""The Mastodon source (hashtag timelines of several instances, polled or streamed).

Importing this package imports httpx and nh3; `app.sources` alone imports neither.
"""

from app.sources.mastodon.source import MastodonSource

__all__ = ["MastodonSource"]
