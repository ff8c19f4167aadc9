"""Streaming mode of the Mastodon source: one SSE hashtag stream per tag, per instance.

Streaming needs a token. After every (re)connect the REST catch-up runs from the cursor, so a
dropped stream loses nothing; `delete` events take a post off the wall by the local id the
instance served it under, and an edit that made a status private removes it too.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from app.clock import iso
from app.sources.mastodon.feed import Feed, catch_up
from app.sources.mastodon.http import Get, Instance
from app.sources.mastodon.normalize import status_to_post
from app.sources.plumbing import Now

__all__ = ["StreamMode"]


class StreamMode:
    """Follows the hashtag streams of one instance at a time, into a `Feed`."""

    def __init__(
        self,
        get: Get,
        feed: Feed,
        hashtags: tuple[str, ...],
        *,
        healthy: Callable[[Instance], None],
        now: Now,
    ) -> None:
        self._get = get
        self._feed = feed
        self._hashtags = hashtags
        self._healthy = healthy  # called once a stream is connected and caught up
        self._now = now

    async def _streaming_base(self, inst: Instance) -> str:
        """Return the origin of `inst`'s streaming API (often another host), https if `inst`
        is. Raises what `get` raises."""
        resp = await self._get(inst, f"{inst.base}/api/v2/instance")
        data = resp.json()
        streaming = ((data.get("configuration") or {}).get("urls") or {}).get("streaming")
        if not isinstance(streaming, str) or not streaming:
            return inst.base
        parts = urlsplit(streaming)
        scheme = {"wss": "https", "ws": "http"}.get(parts.scheme, parts.scheme)
        if scheme not in ("http", "https") or not parts.netloc:
            return inst.base
        if inst.base.startswith("https:"):
            scheme = "https"  # the token must never travel in clear text
        return f"{scheme}://{parts.netloc}"

    async def run(self, client: httpx.AsyncClient, inst: Instance) -> None:
        """Follow every hashtag stream of `inst` until one fails; raises what ended it."""
        base = await self._streaming_base(inst)
        inst.info["streaming_host"] = urlsplit(base).netloc
        tasks = [
            asyncio.create_task(self._stream_tag(client, inst, base, tag)) for tag in self._hashtags
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for task in done:
            if (error := task.exception()) is not None:
                raise error

    async def _stream_tag(
        self, client: httpx.AsyncClient, inst: Instance, base: str, tag: str
    ) -> None:
        """Follow one hashtag stream. Raises httpx.RemoteProtocolError when the server ends it
        (to be reconnected) and what httpx raises when it fails."""
        url = f"{base}/api/v1/streaming/hashtag"
        headers = {"Authorization": f"Bearer {inst.token}", "Accept": "text/event-stream"}
        async with client.stream("GET", url, params={"tag": tag}, headers=headers) as resp:
            resp.raise_for_status()
            inst.info["reconnects"] = inst.info.get("reconnects", -1) + 1
            # Connected: whatever is published from now on is in this stream, so the REST
            # catch-up from the cursor closes the gap since the last connection.
            await catch_up(self._get, self._feed, inst, tag)
            self._healthy(inst)
            event, data = "", []
            async for line in resp.aiter_lines():
                if line.startswith(":"):
                    inst.info["heartbeat"] = iso(self._now())
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].removeprefix(" "))
                elif line == "":
                    if event and data:
                        await self._dispatch(inst, tag, event, "\n".join(data))
                    event, data = "", []
        raise httpx.RemoteProtocolError("stream ended")

    async def _dispatch(self, inst: Instance, tag: str, event: str, data: str) -> None:
        """Apply one server-sent event: a new status, an edit or a delete.

        Raises ValueError when a status event's data is not JSON."""
        if event == "delete":
            uri = inst.local_uris.pop(data.strip().strip('"'))
            if uri is not None:
                await self._feed.remove(f"mastodon:{uri}")
            return
        if event not in ("update", "status.update"):
            return
        status = json.loads(data)
        if not isinstance(status, dict):
            return
        if event == "status.update" and status_to_post(status, inst.host) is None:
            # An edit that made the status private (or unreadable) takes it off the wall.
            uri = status.get("uri")
            if isinstance(uri, str):
                await self._feed.remove(f"mastodon:{uri}")
            return
        await self._feed.offer(inst, status)
        if event == "update" and "id" in status:
            await self._feed.advance(inst, tag, str(status["id"]))
