"""A stand-in for the parts of X API v2 the X source uses, served on 127.0.0.1.

It speaks the documented JSON: recent search with expansions, `includes`, `meta` and
`next_token` pagination (honouring `since_id`), tweet lookup with `errors` entries (and, when
asked for expansions, the tweets in full with their `includes`), stream rules, and the filtered
stream as chunked newline-delimited JSON with `\\r\\n` keep-alives; like X, it refuses a second
concurrent stream connection with 429 `TooManyConnections`. A real recorded page loads with
`load_page`: its tweets are served as recorded, its reposts' originals with only what the page
held for them. Faults are programmed per endpoint (`fail`, `fail_malformed`), so tests drive the
real tweepy client through the real network stack and nothing is mocked.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.fakes.x_stream import (
    MIDNIGHT,
    TOKEN,
    FakeClock,
    Fault,
    Json,
    StreamEndpoints,
    make_tweet,
)

__all__ = ["MIDNIGHT", "TOKEN", "FakeClock", "FakeXApi", "Fault", "make_tweet"]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "x"


class FakeXApi(StreamEndpoints):
    """The fake server's state; tests add tweets, program faults and read the request log."""

    def __init__(self) -> None:
        self.tweets: dict[str, Json] = {}
        self.users: dict[str, Json] = {}
        self.media: dict[str, Json] = {}
        self.extra_tweets: dict[str, Json] = {}
        self.deleted: set[str] = set()
        self.protected: set[str] = set()
        self.faults: dict[str, list[Fault]] = {}
        self.rules: dict[str, Json] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.page_size = 100
        self.rate_remaining: int | None = None
        self.rate_reset = 0
        self.keepalive_s = 0.05
        self.streams: list[asyncio.Queue[Json | str]] = []
        self.stream_connects = 0
        self.stream_refusals = 0
        # X allows one filtered-stream connection per app; tests that check it set this to 1
        # (a client gone silent stays counted here until the server writes to it).
        self.max_streams: int | None = None
        self.match_all = False  # search returns every stored tweet (a recorded page)
        self._next_rule = 1
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # -- test API -----------------------------------------------------------------------------

    def load_fixture(self, name: str = "search_recent.json") -> Json:
        """Load a recorded search response into the fake's store and return it."""
        body: Json = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
        for tweet in body.get("data", []):
            self.tweets[tweet["id"]] = tweet
        includes = body.get("includes", {})
        for user in includes.get("users", []):
            self.users[user["id"]] = user
        for item in includes.get("media", []):
            self.media[item["media_key"]] = item
        for tweet in includes.get("tweets", []):
            self.extra_tweets[tweet["id"]] = tweet
        return body

    def load_page(self, body: Json, *, searchable: bool = True) -> list[Json]:
        """Store a recorded page (data, includes) as served; return its tweets in page order.
        Not `searchable`: only what the page includes is stored, its tweets wait to be
        published."""
        data = body.get("data", [])
        for tweet in data if searchable else []:
            self.tweets[tweet["id"]] = tweet
        includes = body.get("includes", {})
        for user in includes.get("users", []):
            self.users[user["id"]] = user
        for item in includes.get("media", []):
            self.media[item["media_key"]] = item
        for tweet in includes.get("tweets", []):
            self.extra_tweets.setdefault(tweet["id"], tweet)
        return list(data)

    def add(self, *tweets: Json) -> None:
        """Make tweets searchable (not streamed)."""
        for tweet in tweets:
            self.tweets[tweet["id"]] = tweet

    def fail(self, endpoint: str, status: int, times: int = 1, **kw: Any) -> None:
        """Answer the next `times` calls to `endpoint` with HTTP `status`."""
        self.faults.setdefault(endpoint, []).extend(Fault(status, **kw) for _ in range(times))

    def fail_malformed(self, endpoint: str) -> None:
        """Answer the next call to `endpoint` with 200 and a body that is not JSON."""
        self.faults.setdefault(endpoint, []).append(Fault(200, malformed=True))

    def calls(self, endpoint_path: str) -> list[dict[str, str]]:
        return [q for method, path, q in self.requests if path == endpoint_path]

    # -- server -------------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/2/tweets/search/recent", self._search)
        app.router.add_get("/2/tweets", self._lookup)
        app.router.add_get("/2/tweets/search/stream/rules", self._get_rules)
        app.router.add_post("/2/tweets/search/stream/rules", self._post_rules)
        app.router.add_get("/2/tweets/search/stream", self._stream)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    async def stop(self) -> None:
        self.drop_streams()
        if self._runner is not None:
            await self._runner.cleanup()

    def _headers(self) -> dict[str, str]:
        if self.rate_remaining is None:
            return {}
        return {
            "x-rate-limit-limit": "450",
            "x-rate-limit-remaining": str(self.rate_remaining),
            "x-rate-limit-reset": str(self.rate_reset),
        }

    def _gate(self, request: web.Request, endpoint: str) -> web.Response | None:
        self.requests.append((request.method, request.path, dict(request.query)))
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response(
                {
                    "title": "Unauthorized",
                    "type": "about:blank",
                    "status": 401,
                    "detail": "Unauthorized",
                },
                status=401,
            )
        queue = self.faults.get(endpoint)
        if queue:
            fault = queue.pop(0)
            if fault.malformed:
                return web.Response(text='{"data": [{"id": ', content_type="application/json")
            body = fault.body or json.dumps(
                {"title": "Fault", "detail": f"programmed {fault.status}", "status": fault.status}
            )
            return web.Response(
                status=fault.status,
                text=body,
                headers=fault.headers,
                content_type=fault.content_type,
            )
        if self.rate_remaining is not None:
            self.rate_remaining = max(0, self.rate_remaining - 1)
        return None

    def _envelope(self, tweets: list[Json]) -> Json:
        users: dict[str, Json] = {}
        media: dict[str, Json] = {}
        refs: dict[str, Json] = {}
        for tweet in tweets:
            for ref in tweet.get("referenced_tweets", []):
                target = self.extra_tweets.get(ref["id"]) or self.tweets.get(ref["id"])
                if target is not None:
                    refs[target["id"]] = target
        for tweet in [*tweets, *refs.values()]:
            if tweet.get("author_id") in self.users:
                users[tweet["author_id"]] = self.users[tweet["author_id"]]
        # Like X: media are expanded for the answer's own tweets only, never for the tweets it
        # includes by reference (a repost's original, a quoted tweet).
        for tweet in tweets:
            for key in tweet.get("attachments", {}).get("media_keys", []):
                if key in self.media:
                    media[key] = self.media[key]
        includes = {
            k: list(v.values())
            for k, v in (("users", users), ("media", media), ("tweets", refs))
            if v
        }
        body: Json = {"data": tweets[0] if len(tweets) == 1 else tweets}
        if includes:
            body["includes"] = includes
        return body

    async def _search(self, request: web.Request) -> web.Response:
        if (refused := self._gate(request, "search")) is not None:
            return refused
        q = request.query
        tags = {t.casefold() for t in re.findall(r"#(\w+)", q.get("query", ""))}
        since = int(q.get("since_id", "0") or 0)
        hits = sorted(
            (
                t
                for t in self.tweets.values()
                if int(t["id"]) > since
                and t["id"] not in self.deleted
                and (self.match_all or tags & {
                    h["tag"].casefold() for h in t.get("entities", {}).get("hashtags", [])})
            ),
            key=lambda t: int(t["id"]),
            reverse=True,
        )
        offset = int(q.get("next_token", "p0")[1:])
        size = min(int(q.get("max_results", "10")), self.page_size)
        page = hits[offset : offset + size]
        if not page:
            return web.json_response({"meta": {"result_count": 0}}, headers=self._headers())
        body = self._envelope(page)
        if isinstance(body["data"], dict):
            body["data"] = [body["data"]]
        meta: Json = {
            "newest_id": page[0]["id"],
            "oldest_id": page[-1]["id"],
            "result_count": len(page),
        }
        if offset + size < len(hits):
            meta["next_token"] = f"p{offset + size}"
        body["meta"] = meta
        return web.json_response(body, headers=self._headers())

    async def _lookup(self, request: web.Request) -> web.Response:
        if (refused := self._gate(request, "lookup")) is not None:
            return refused
        if "expansions" in request.query:
            return self._lookup_full(request.query.get("ids", "").split(","))
        data, errors = [], []
        for tweet_id in request.query.get("ids", "").split(","):
            kind = (
                "not-authorized-for-resource"
                if tweet_id in self.protected
                else "resource-not-found"
                if tweet_id in self.deleted or tweet_id not in self.tweets
                else None
            )
            if kind is None:
                data.append(
                    {
                        "id": tweet_id,
                        "text": self.tweets[tweet_id]["text"],
                        "edit_history_tweet_ids": [tweet_id],
                    }
                )
            else:
                errors.append(
                    {
                        "value": tweet_id,
                        "resource_id": tweet_id,
                        "parameter": "ids",
                        "resource_type": "tweet",
                        "title": "Not Found Error",
                        "detail": f"Could not find tweet with ids: [{tweet_id}].",
                        "type": f"https://api.twitter.com/2/problems/{kind}",
                    }
                )
        body: Json = {}
        if data:
            body["data"] = data
        if errors:
            body["errors"] = errors
        return web.json_response(body, headers=self._headers())

    def _lookup_full(self, ids: list[str]) -> web.Response:
        """Answer GET /2/tweets with expansions: each known tweet as a top-level tweet (its media
        and quote expanded from what the server knows), unknown ones as errors."""
        found = [self.tweets.get(i) or self.extra_tweets.get(i) for i in ids]
        body = self._envelope([t for t in found if t is not None]) if any(found) else {}
        if isinstance(body.get("data"), dict):
            body["data"] = [body["data"]]
        errors = [{"value": i, "resource_id": i, "resource_type": "tweet",
                   "title": "Not Found Error", "detail": f"Could not find tweet with ids: [{i}].",
                   "type": "https://api.twitter.com/2/problems/resource-not-found"}
                  for i, t in zip(ids, found, strict=True) if t is None]
        if errors:
            body["errors"] = errors
        return web.json_response(body, headers=self._headers())
