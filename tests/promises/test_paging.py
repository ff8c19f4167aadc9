"""Paging a moderator's listing (`GET /api/v1/walls/{slug}/posts?state=pending&before=K`, K the
last post's `moderation.order`) must reach every post, found while listing the hostile
corpora's 20,000 queued posts."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from app.models import Post
from app.settings import Settings
from tests.promises.conftest import plain_wall
from tests.web.conftest import serve


async def test_paging_the_queue_reaches_every_pending_post(
    promise_settings: Callable[..., Settings], post_factory: Callable[..., Post]
) -> None:
    """30 posts queued on a pre-moderated wall, listed 10 at a time by following each page's
    last `moderation.order`: all 30, each once."""
    settings = promise_settings(walls=[plain_wall(moderation="pre")])
    async with serve(settings) as srv:
        for n in range(30):
            await srv.admit("w", post_factory(n))
        token = await srv.app.state.accounts.create_token("pager", "moderator")
        seen: list[str] = []
        async with httpx.AsyncClient(base_url=srv.url, timeout=10,
                                     headers={"Authorization": f"Bearer {token}"}) as http:
            params: dict[str, str | int] = {"state": "pending", "limit": 10}
            for _ in range(5):
                page = (await http.get("/api/v1/walls/w/posts", params=params)).json()
                if not page:
                    break
                seen += [p["id"] for p in page]
                params["before"] = page[-1]["moderation"]["order"]
    assert sorted(seen) == sorted({f"x:{100000 + n}" for n in range(30)}), seen
