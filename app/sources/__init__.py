"""Where a wall's posts come from: one package per network, the replay, and what they share.

- `x/`, `mastodon/`, `bluesky/`: one source per network, each exporting its source class;
  importing one is what imports its SDK (tweepy, httpx, websockets), importing this package
  imports none.
- `base.py`: what every source is (`Source`, `SourceContext`, `SourceStatus`, cursors).
- `replay.py`: a recorded meeting replayed as if live. `crosspost.py`: one post shown once.
- `plumbing.py`: the backoff and bounded "seen" map the networks share.
"""

__all__: list[str] = []
