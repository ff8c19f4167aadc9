"""A real recorded X search page through the stand-in server, tweepy, the X source, Ingest and
the store: no card on the socket ever gets poorer, whichever comes first, repost or original.

The page (tests/fixtures/x/real_search_recent_brexit.json, see the README there) has 67 reposts;
eight of them come before their originals in the page's order, among them three reposts of a
tweet that quotes another and one of a tweet with three photos that quotes another. X's includes
hold those originals without their media or quote. Stream mode publishes the tweets one by one,
in the page's order (reposts first) and reversed (originals first); search mode reads the page.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from app.events import PostEvent
from app.ingest import Ingest
from app.settings import Settings, WallConfig, WallRules, XSettings
from app.store import Store
from app.store.store import Commit
from tests.fakes.x_api import TOKEN, FakeXApi
from tests.helpers import until

PAGE = json.loads((Path(__file__).parent.parent / "fixtures" / "x" /
                   "real_search_recent_brexit.json").read_text(encoding="utf-8"))
THREE_PHOTOS_AND_QUOTE = "1440713966649417731"  # reposted by 1440715272805969924, earlier
QUOTES_AND_REPOSTED_THRICE = "1440714027773030407"


def expected() -> dict[str, tuple[int, bool]]:
    """Return, for each original tweet of the page, (its media count, whether it quotes a tweet
    the page includes): what its card must show in the end."""
    media = {m["media_key"] for m in PAGE["includes"]["media"]}
    included = {t["id"] for t in PAGE["includes"]["tweets"]}
    out = {}
    for tweet in PAGE["data"]:
        if any(r["type"] == "retweeted" for r in tweet.get("referenced_tweets", [])):
            continue
        keys = tweet.get("attachments", {}).get("media_keys", [])
        quoted = [r["id"] for r in tweet.get("referenced_tweets", []) if r["type"] == "quoted"]
        out[tweet["id"]] = (sum(k in media for k in keys), bool(quoted and quoted[0] in included))
    return out


async def run_wall(fake: FakeXApi, tmp_path: Path, mode: str, order: list[dict[str, Any]]
                   ) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """Run one wall on the page; return every post event per card id and the X status."""
    store = Store(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    await store.open()
    rules = WallRules(wordlist=False, queue_sensitive=False, max_per_author_per_hour=None,
                      collapse_duplicates=False)
    wall = WallConfig(slug="brexit", hashtags=["Brexit"], sources=["x"], rules=rules)
    await store.create_wall("brexit", "t", wall.model_dump(mode="json", exclude={"slug", "title"}))
    seen: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def listen(commit: Commit) -> None:
        for event in commit.events.get("brexit", []):
            if isinstance(event, PostEvent):
                seen[event.post["id"]].append(event.post)

    store.listen(listen)
    settings = Settings(x_bearer_token=TOKEN, x_api_base_url=fake.base_url,
                        x=XSettings(mode=mode, daily_read_budget=100_000))
    ingest = Ingest(store, settings, max_backoff_s=0.05)
    ingest.start([wall])
    try:
        async with asyncio.timeout(60):
            if mode == "stream":
                await until(lambda: len(fake.streams) == 1 and bool(fake.rules))
                for tweet in order:
                    fake.publish(tweet, tags=["tweetwall:brexit"])
            await until(lambda: ingest.statuses("brexit")[0].posts >= len(order))
            # The last post yielded is admitted a moment later: wait for every original's card.
            await until(lambda: all(f"x:{i}" in seen and not seen[f"x:{i}"][-1]["is_repost"]
                                    for i in expected()))
    finally:
        status = ingest.statuses("brexit")[0].as_dict()
        await ingest.stop()
        await store.close()
    return seen, status


@pytest.mark.parametrize("how", ["stream, reposts first", "stream, originals first", "search"])
async def test_no_card_on_the_socket_gets_poorer(fake: FakeXApi, tmp_path: Path, how: str) -> None:
    """Every original keeps all its media and its quote on every event the socket carries, is
    never flagged a repost, and what X did not include is fetched or counted."""
    searchable = how == "search"
    order = fake.load_page(PAGE, searchable=searchable)
    if how == "stream, originals first":
        order.reverse()
    fake.match_all, fake.page_size = True, 30
    seen, status = await run_wall(fake, tmp_path, "search" if searchable else "stream", order)

    for post_id, events in seen.items():
        for before, after in itertools.pairwise(events):
            assert {m["url"] for m in before["media"]} <= {m["url"] for m in after["media"]}
            assert before["quoted"] is None or after["quoted"] is not None, post_id
    for tweet_id, (media, quoted) in expected().items():
        last = seen[f"x:{tweet_id}"][-1]
        assert len(last["media"]) == media, tweet_id
        assert (last["quoted"] is not None) == quoted, tweet_id
        assert last["is_repost"] is False, tweet_id
    card = seen[f"x:{THREE_PHOTOS_AND_QUOTE}"][-1]
    assert [m["kind"] for m in card["media"]] == ["image"] * 3
    assert card["quoted"]["id"] == "x:1440670794103754762"
    assert seen[f"x:{QUOTES_AND_REPOSTED_THRICE}"][-1]["quoted"] is not None
    for events in seen.values():  # no broken handle or URL, even for an unresolved author
        assert events[-1]["author"]["handle"] != "@" and "x.com//" not in events[-1]["url"]
    if not searchable:
        # Reposts met before their originals: the originals were fetched in full.
        assert status["originals_fetched"] > 0
    assert status["unresolved"]["media"] > 0  # originals outside the page keep unknown media
