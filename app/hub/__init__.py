"""Fan-out of committed wall events to live subscribers (docs/architecture.md, "The hub").

`Hub` (fanout.py) keeps each wall's visible posts, last `seq` and resume log, batches events
adaptively and encodes each frame once; `Subscription` (subscription.py) writes it straight to
a connection through a `Writer`, queueing only while that connection's transport is paused.
The hub knows nothing of FastAPI or uvicorn: app/web/live.py supplies the writers.
"""

from app.hub.fanout import Hub, UnknownWall
from app.hub.subscription import CLOSE_NORMAL, CLOSE_TRY_AGAIN, Subscription, Writer

__all__ = ["CLOSE_NORMAL", "CLOSE_TRY_AGAIN", "Hub", "Subscription", "UnknownWall", "Writer"]
