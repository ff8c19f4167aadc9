"""Streaming mode of the Mastodon source: one SSE hashtag stream per tag, per instance.

Streaming needs a token. After every (re)connect the source's REST catch-up runs from the
cursor, so a dropped stream loses nothing; `delete` events take a post off the wall by the
local id the instance served it under, and an edit that made a status private removes it too.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from app.models import Deletion
from app.sources.mastodon_http import Instance, Item
from app.sources.mastodon_normalize import status_to_post

if TYPE_CHECKING:
    from app.sources.mastodon import MastodonSource

__all__ = ["StreamMode"]


class StreamMode:
    """The streaming loop of one `MastodonSource`, for one instance at a time."""

    def __init__(self, source: MastodonSource) -> None:
        self.source = source

    async def _streaming_base(self, client: httpx.AsyncClient, inst: Instance) -> str:
        resp = await self.source.get(client, inst, f"{inst.base}/api/v2/instance")
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

    async def run(
        self, client: httpx.AsyncClient, inst: Instance, queue: asyncio.Queue[Item]
    ) -> None:
        """Follow every hashtag stream of `inst` until one fails; raises what ended it."""
        base = await self._streaming_base(client, inst)
        inst.info["streaming_host"] = urlsplit(base).netloc
        tasks = [
            asyncio.create_task(self._stream_tag(client, inst, base, tag, queue))
            for tag in self.source.ctx.hashtags
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
        self,
        client: httpx.AsyncClient,
        inst: Instance,
        base: str,
        tag: str,
        queue: asyncio.Queue[Item],
    ) -> None:
        """Follow one hashtag stream; returns (to be reconnected) when the server ends it."""
        url = f"{base}/api/v1/streaming/hashtag"
        headers = {"Authorization": f"Bearer {inst.token}", "Accept": "text/event-stream"}
        async with client.stream("GET", url, params={"tag": tag}, headers=headers) as resp:
            resp.raise_for_status()
            inst.info["reconnects"] = inst.info.get("reconnects", -1) + 1
            # Connected: whatever is published from now on is in this stream, so the REST
            # catch-up from the cursor closes the gap since the last connection.
            await self.source.catch_up(client, inst, tag, queue)
            self.source.ok(inst)
            event, data = "", []
            async for line in resp.aiter_lines():
                if line.startswith(":"):
                    inst.info["heartbeat"] = self.source.now().isoformat()
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].removeprefix(" "))
                elif line == "":
                    if event and data:
                        await self._dispatch(inst, tag, event, "\n".join(data), queue)
                    event, data = "", []
        raise httpx.RemoteProtocolError("stream ended")

    async def _dispatch(
        self, inst: Instance, tag: str, event: str, data: str, queue: asyncio.Queue[Item]
    ) -> None:
        if event == "delete":
            uri = inst.local_uris.pop(data.strip().strip('"'), None)
            if uri is not None:
                self.source.versions.pop(f"mastodon:{uri}", None)
                await queue.put(Deletion(post_id=f"mastodon:{uri}"))
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
                self.source.versions.pop(f"mastodon:{uri}", None)
                await queue.put(Deletion(post_id=f"mastodon:{uri}"))
            return
        await self.source.offer(inst, status, queue)
        if event == "update" and "id" in status:
            await self.source.advance(inst, tag, str(status["id"]), queue)
