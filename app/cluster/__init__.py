"""Several tweetwall processes sharing one database (docs/scale.md).

`Relay` (relay.py) carries every process's commits to this process's hub and consoles, over the
Redis bus (bus.py: pub/sub, imported only when `redis_url` is set) and a sweep of the database;
the hub's `Sequencer` (app/hub/order.py) keeps them in seq order and fills gaps from the log.
The ingest's leader election is app/ingest/leader.py.
"""

from app.cluster.relay import Relay, SyncWalls

__all__ = ["Relay", "SyncWalls"]
