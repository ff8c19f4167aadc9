"""A stand-in Bluesky AppView and PDS for `httpx.MockTransport`: profiles, posts, sessions, search.

`did(n)` makes a well-formed test DID; `AppView()` answers getProfiles, getPosts, createSession,
refreshSession and searchPosts, records what it was asked, and can fail or expire on demand.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.fakes.jetstream import post_record

__all__ = ["AppView", "did"]


def did(n: int) -> str:
    """Return the test DID number `n`."""
    return f"did:plc:user{n:020d}"


class AppView:
    """httpx.MockTransport handler: getProfiles, getPosts, sessions and searchPosts."""

    def __init__(self) -> None:
        self.profile_calls: list[list[str]] = []
        self.fail_profiles = False
        self.sessions = 0
        self.refreshes = 0
        self.access = ""
        self.expire_once = False
        self.search_calls: list[dict[str, str]] = []
        self.search_pages: list[list[dict[str, Any]]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("app.bsky.actor.getProfiles"):
            actors = request.url.params.get_list("actors")
            self.profile_calls.append(actors)
            if self.fail_profiles:
                return httpx.Response(502, json={"error": "UpstreamFailure"})
            return httpx.Response(200, json={"profiles": [self.profile(a) for a in actors]})
        if path.endswith("app.bsky.feed.getPosts"):
            views = [
                {
                    "uri": u,
                    "cid": "bafyq",
                    "author": self.profile(u.split("/")[2]),
                    "record": post_record("the quoted words"),
                }
                for u in request.url.params.get_list("uris")
            ]
            return httpx.Response(200, json={"posts": views})
        if path.endswith("com.atproto.server.createSession"):
            body = json.loads(request.content)
            assert body == {"identifier": "wall.bsky.social", "password": "app-pass"}
            self.sessions += 1
            self.access = f"access-{self.sessions}"
            return httpx.Response(
                200,
                json={
                    "accessJwt": self.access,
                    "refreshJwt": "refresh",
                    "did": did(0),
                    "handle": "wall.bsky.social",
                },
            )
        if path.endswith("com.atproto.server.refreshSession"):
            assert request.headers["Authorization"] == "Bearer refresh"
            self.refreshes += 1
            self.access = f"refreshed-{self.refreshes}"
            return httpx.Response(200, json={"accessJwt": self.access, "refreshJwt": "refresh"})
        if path.endswith("app.bsky.feed.searchPosts"):
            if self.expire_once:
                self.expire_once = False
                return httpx.Response(400, json={"error": "ExpiredToken", "message": "expired"})
            assert request.headers["Authorization"] == f"Bearer {self.access}"
            params = dict(request.url.params)
            self.search_calls.append(params)
            page = int(params.get("cursor", "0"))
            posts = self.search_pages[page] if page < len(self.search_pages) else []
            body: dict[str, Any] = {"posts": posts}
            if page + 1 < len(self.search_pages):
                body["cursor"] = str(page + 1)
            return httpx.Response(200, json=body)
        return httpx.Response(404, json={"error": "NotFound"})

    @staticmethod
    def profile(actor: str) -> dict[str, Any]:
        return {
            "did": actor,
            "handle": f"{actor.rsplit(':', 1)[1]}.bsky.social",
            "displayName": f"Name {actor[-4:]}",
            "followersCount": 7,
            "avatar": f"https://cdn.bsky.app/img/avatar/plain/{actor}/bafkreiav@jpeg",
        }
