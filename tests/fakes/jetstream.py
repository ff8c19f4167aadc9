"""A stand-in Jetstream on 127.0.0.1: a real `websockets` server speaking Jetstream's JSON.

Every published event gets a strictly increasing `time_us` and goes into a log. A client that
connects with `?cursor=<us>` first gets every logged event with `time_us >= cursor` (as Jetstream
replays), then live ones; without a cursor it gets live events only. `wantedCollections` filters
commits; identity and account events always pass. `disconnect()` drops every client and
`accepting = False` refuses new ones (closes at once) to simulate an outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

__all__ = ["FakeJetstream", "post_record"]


def post_record(text: str, **extra: Any) -> dict[str, Any]:
    """Return an `app.bsky.feed.post` record."""
    return {
        "$type": "app.bsky.feed.post",
        "createdAt": "2026-11-28T09:00:00.000Z",
        "langs": ["en"],
        "text": text,
        **extra,
    }


class FakeJetstream:
    def __init__(self, start_us: int | None = None) -> None:
        self.log: list[dict[str, Any]] = []
        # Jetstream's time_us is the server's wall clock: start from ours.
        self.time_us = start_us if start_us is not None else int(time.time() * 1_000_000)
        self.accepting = True
        self.connects: list[dict[str, list[str]]] = []
        self._clients: set[ServerConnection] = set()
        self._queues: dict[ServerConnection, asyncio.Queue[str | None]] = {}
        self._server: Server | None = None
        self.url = ""

    async def start(self) -> str:
        self._server = await serve(self._handler, "127.0.0.1", 0)
        port = next(iter(self._server.sockets)).getsockname()[1]
        self.url = f"ws://127.0.0.1:{port}/subscribe"
        return self.url

    async def stop(self) -> None:
        await self.disconnect()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    # -- what the network does ---------------------------------------------------------------

    def publish(self, event: dict[str, Any]) -> dict[str, Any]:
        self.time_us += 1000
        event = {**event, "time_us": self.time_us}
        self.log.append(event)
        for queue in self._queues.values():
            queue.put_nowait(json.dumps(event))
        return event

    def publish_raw(self, text: str) -> None:
        """Send `text` as is to connected clients (not logged): garbage tests."""
        for queue in self._queues.values():
            queue.put_nowait(text)

    def post(self, did: str, rkey: str, record: dict[str, Any], cid: str = "") -> dict[str, Any]:
        """Publish a commit creating a post."""
        return self.publish(
            {
                "did": did,
                "kind": "commit",
                "commit": {
                    "rev": f"rev{rkey}",
                    "operation": "create",
                    "collection": "app.bsky.feed.post",
                    "rkey": rkey,
                    "record": record,
                    "cid": cid or f"bafyrei{rkey.lower()}0000000000",
                },
            }
        )

    def delete(self, did: str, rkey: str) -> dict[str, Any]:
        return self.publish(
            {
                "did": did,
                "kind": "commit",
                "commit": {
                    "rev": f"del{rkey}",
                    "operation": "delete",
                    "collection": "app.bsky.feed.post",
                    "rkey": rkey,
                },
            }
        )

    def like(self, did: str, rkey: str) -> dict[str, Any]:
        return self.publish(
            {
                "did": did,
                "kind": "commit",
                "commit": {
                    "operation": "create",
                    "collection": "app.bsky.feed.like",
                    "rkey": rkey,
                    "record": {"subject": {}},
                },
            }
        )

    def identity(self, did: str, handle: str) -> dict[str, Any]:
        return self.publish(
            {"did": did, "kind": "identity", "identity": {"did": did, "handle": handle, "seq": 1}}
        )

    def account(self, did: str, *, active: bool, status: str | None = None) -> dict[str, Any]:
        account: dict[str, Any] = {"did": did, "active": active, "seq": 2}
        if status:
            account["status"] = status
        return self.publish({"did": did, "kind": "account", "account": account})

    async def disconnect(self) -> None:
        """Drop every connected client."""
        for queue in self._queues.values():
            queue.put_nowait(None)
        for client in list(self._clients):
            with contextlib.suppress(Exception):
                await client.close(1011, "going away")

    # -- the server --------------------------------------------------------------------------

    async def _handler(self, ws: ServerConnection) -> None:
        if not self.accepting:
            await ws.close(1013, "try again later")
            return
        query = parse_qs(urlsplit(ws.request.path if ws.request else "").query)
        self.connects.append(query)
        wanted = set(query.get("wantedCollections", []))
        cursor = int(query["cursor"][0]) if "cursor" in query else None
        # Replay and registration happen with no await between them: nothing falls in a gap.
        backlog = [e for e in self.log if cursor is not None and e["time_us"] >= cursor]
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        for event in backlog:
            queue.put_nowait(json.dumps(event))
        self._clients.add(ws)
        self._queues[ws] = queue
        closed = asyncio.ensure_future(ws.wait_closed())
        try:
            while True:
                getter = asyncio.ensure_future(queue.get())
                await asyncio.wait({getter, closed}, return_when=asyncio.FIRST_COMPLETED)
                if not getter.done():
                    getter.cancel()
                    break
                raw = getter.result()
                if raw is None:
                    break
                try:
                    event = json.loads(raw)
                    collection = (event.get("commit") or {}).get("collection")
                except (ValueError, AttributeError):
                    collection = None
                if wanted and collection is not None and collection not in wanted:
                    continue
                await ws.send(raw)
        except ConnectionClosed:
            pass
        finally:
            self._clients.discard(ws)
            self._queues.pop(ws, None)
