"""The filtered stream and its rules as the X stand-in serves them, and its small pieces.

A mixin of `FakeXApi` (tests/fakes/x_api.py): the stream is chunked newline-delimited JSON with
`\\r\\n` keep-alives, each published post carries `matching_rules`, and with `max_streams` set a
connection beyond the limit is refused with 429 `TooManyConnections`, as X refuses a second
connection of one app. Also the fake clock, tweets made from text, and programmed faults.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

Json = dict[str, Any]
TOKEN = "test-token"
MIDNIGHT = (1_800_000_000 // 86_400 + 1) * 86_400.0


class FakeClock:
    """Epoch seconds that move only when the source sleeps; every sleep is recorded."""

    def __init__(self, now: float = MIDNIGHT) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


def make_tweet(tweet_id: int | str, text: str, author_id: str = "1001", **extra: Any) -> Json:
    """Return a minimal v2 tweet whose hashtags are found in `text` (entities computed)."""
    found = re.finditer(r"#(\w+)", text)
    tags = [{"start": m.start(), "end": m.end(), "tag": m.group(1)} for m in found]
    return {
        "id": str(tweet_id),
        "text": text,
        "author_id": author_id,
        "created_at": "2014-05-17T14:00:00.000Z",
        "edit_history_tweet_ids": [str(tweet_id)],
        "entities": {"hashtags": tags},
        **extra,
    }


@dataclass
class Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    malformed: bool = False
    content_type: str = "application/json"


class StreamEndpoints:
    """Stream rules and the filtered stream; the state lives on `FakeXApi`."""

    rules: dict[str, Json]
    streams: list[asyncio.Queue[Json | str]]
    stream_connects: int
    stream_refusals: int
    max_streams: int | None
    keepalive_s: float
    _next_rule: int

    def _gate(self, request: web.Request, endpoint: str) -> web.Response | None:
        raise NotImplementedError

    def _envelope(self, tweets: list[Json]) -> Json:
        raise NotImplementedError

    def add(self, *tweets: Json) -> None:
        raise NotImplementedError

    def publish(self, tweet: Json, tags: list[str] | None = None) -> None:
        """Make a tweet searchable and send it to every connected stream, as matched by every
        rule (or by rules with these `tags`)."""
        self.add(tweet)
        matching = [r for r in self._matching() if tags is None or r["tag"] in tags]
        if tags is not None and not matching:
            matching = [{"id": "999", "tag": tag} for tag in tags]
        for queue in self.streams:
            queue.put_nowait(self._envelope([tweet]) | {"matching_rules": matching})

    def drop_streams(self) -> None:
        """Cut every open stream connection abruptly."""
        for queue in self.streams:
            queue.put_nowait("drop")

    def _matching(self) -> list[Json]:
        return [{"id": r["id"], "tag": r.get("tag", "")} for r in self.rules.values()]

    async def _get_rules(self, request: web.Request) -> web.Response:
        if (refused := self._gate(request, "rules")) is not None:
            return refused
        rules = list(self.rules.values())
        body: Json = {"meta": {"sent": "2014-05-17T14:00:00.000Z", "result_count": len(rules)}}
        if rules:
            body["data"] = rules
        return web.json_response(body)

    async def _post_rules(self, request: web.Request) -> web.Response:
        if (refused := self._gate(request, "rules")) is not None:
            return refused
        payload = await request.json()
        created = []
        for rule in payload.get("add", []):
            rule_id = str(self._next_rule)
            self._next_rule += 1
            self.rules[rule_id] = {"id": rule_id, **rule}
            created.append(self.rules[rule_id])
        for rule_id in payload.get("delete", {}).get("ids", []):
            self.rules.pop(rule_id, None)
        body: Json = {"meta": {"sent": "2014-05-17T14:00:00.000Z"}}
        if created:
            body["data"] = created
        return web.json_response(body)

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        if (refused := self._gate(request, "stream")) is not None:
            return refused
        if self.max_streams is not None and len(self.streams) >= self.max_streams:
            self.stream_refusals += 1
            return web.json_response({
                "title": "ConnectionException",
                "detail": "This stream is currently at the maximum allowed connection limit.",
                "connection_issue": "TooManyConnections",
                "type": "https://api.twitter.com/2/problems/streaming-connection",
            }, status=429)
        self.stream_connects += 1
        queue: asyncio.Queue[Json | str] = asyncio.Queue()
        self.streams.append(queue)  # before the first await: a racing second connect is refused
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        try:
            await response.prepare(request)
            while True:
                try:
                    item = await asyncio.wait_for(queue.get(), self.keepalive_s)
                except TimeoutError:
                    await response.write(b"\r\n")
                    continue
                if item == "drop":
                    assert request.transport is not None
                    request.transport.close()
                    return response
                if item == "malformed":
                    await response.write(b'{"data": {"id": \r\n')
                    continue
                await response.write(json.dumps(item).encode() + b"\r\n")
        except (ConnectionResetError, asyncio.CancelledError):
            return response
        finally:
            self.streams.remove(queue)

    def send_raw(self, item: str) -> None:
        """Send a raw marker ("malformed") to every connected stream."""
        for queue in self.streams:
            queue.put_nowait(item)
