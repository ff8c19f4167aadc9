"""Two `tweetwall serve` processes, one PostgreSQL, one Redis (issue 11, docs/scale.md): what
one process ingests or decides reaches the screens of both, a viewer may resume on either, the
ingester fails over under kill -9, and a Redis restart costs neither a gap nor a duplicate."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ServerProcess
from tests.scale.conftest import (
    Cluster,
    OwnRedis,
    Screen,
    bearer,
    leader_and_standby,
    leader_of,
    open_wall,
    ready,
    toml_for,
    until,
)


async def serving(servers: list[ServerProcess], slug: str = "w") -> None:
    """Wait until every server serves the wall (one created it; the others follow)."""
    async def all_serve() -> bool:
        bodies = [await ready(s) for s in servers]
        return all(slug in b.get("ingest", {}) for b in bodies)

    await until(all_serve, 10, f"every process serving {slug}")


async def leads(server: ServerProcess) -> bool:
    return (await ready(server)).get("ingest", {}).get("w") == "leader"


async def redis_is(server: ServerProcess, state: str) -> bool:
    return (await ready(server)).get("redis") == state


async def test_one_leader_and_a_post_reaches_viewers_of_both(cluster: Cluster,
                                                             tmp_path: Path) -> None:
    """Both processes say ready with database and Redis ok, exactly one leads the wall's
    ingest, and every post it ingests reaches a viewer of either process once, in seq order."""
    toml = toml_for(gap_s=0.1)
    a, b = cluster.start(toml), cluster.start(toml)
    ids = await open_wall(a, cluster.admin_token(), 20)
    await serving([a, b])
    first, second = Screen("").open(a), Screen("").open(b)
    await until(lambda: first.visible >= set(ids) and second.visible >= set(ids), 20,
                "every post on both screens")
    bodies = [await ready(a), await ready(b)]
    assert all(r["database"] == "ok" and r["redis"] == "ok" for r in bodies), bodies
    assert sorted(r["ingest"]["w"] for r in bodies) == ["leader", "standby"], bodies
    assert first.contiguous() and second.contiguous()
    assert first.client.seq == second.client.seq
    assert sorted(await cluster.wall_post_ids()) == sorted(ids)
    async with httpx.AsyncClient(timeout=5) as http:
        texts = [(await http.get(f"{s.url}/metrics")).text for s in (a, b)]
    for text, body in zip(texts, bodies, strict=True):
        assert "tweetwall_process_viewers 1.0" in text  # one screen on each
        assert "tweetwall_redis_connected 1.0" in text and "tweetwall_redis_lag_seconds" in text
        leads = body["ingest"]["w"] == "leader"
        assert f'tweetwall_ingest_leader{{wall="w"}} {1.0 if leads else 0.0}' in text
        if leads:
            assert "tweetwall_ingest_leader_changes_total 0.0" not in text
    # TWEETWALL_LOG_FORMAT=json: every log line (but the start-up banner) is one JSON object.
    lines = [ln for ln in a.log.read_text().splitlines() if not ln.startswith("tweetwall:")]
    assert lines and all(json.loads(ln)["level"] for ln in lines)
    await first.close()
    await second.close()


async def test_hide_sent_to_one_leaves_both_within_a_second(cluster: Cluster,
                                                           tmp_path: Path) -> None:
    """A moderator's hide answered by one process takes the post off the screens of both
    within a second; the standby answers moderation as well as the leader."""
    toml = toml_for(gap_s=0.05, backfill=6)
    a, b = cluster.start(toml), cluster.start(toml)
    token = cluster.admin_token()
    ids = await open_wall(a, token, 6)
    await serving([a, b])
    first, second = Screen("").open(a), Screen("").open(b)
    await until(lambda: first.visible >= set(ids) and second.visible >= set(ids), 20,
                "every post on both screens")
    async with httpx.AsyncClient(timeout=5, headers=bearer(token)) as http:
        for server, target in ((a, ids[1]), (b, ids[4])):
            res = await http.post(f"{server.url}/api/v1/walls/w/posts/{target}/hide")
            assert res.status_code == 200, res.text
            took = await until(lambda t=target: t not in first.visible
                               and t not in second.visible, 5, f"{target} off both screens")
            assert took < 1.0, f"hide on one process reached both after {took:.2f} s"
            print(f"hide sent to {server.port} off both screens after {took * 1000:.0f} ms")
    assert first.contiguous() and second.contiguous()
    await first.close()
    await second.close()


async def test_sigterm_closes_viewers_1012_and_they_resume_on_the_other(
        cluster: Cluster, tmp_path: Path) -> None:
    """SIGTERM: the process closes its viewers with 1012 (service restart); a viewer that
    dials the other process with its (epoch, since) resumes with events, not a snapshot, and
    misses nothing; the other process takes over the ingest."""
    toml = toml_for(gap_s=0.15)
    a, b = cluster.start(toml), cluster.start(toml)
    ids = await open_wall(a, cluster.admin_token(), 40)
    await serving([a, b])
    screen = Screen("").open(a)
    await until(lambda: len(screen.visible) >= 5, 20, "five posts on the screen")
    assert len(screen.visible) < len(ids), "the replay ended before the restart"
    assert a.proc is not None
    a.proc.send_signal(signal.SIGTERM)
    await until(lambda: screen.closed is not None, 10, "the socket closed")
    assert screen.closed == 1012
    screen.open(b, resume=True)
    await until(lambda: screen.visible >= set(ids), 20, "every post after the resume")
    assert screen.starts == ["snapshot", "events"], screen.starts
    assert screen.contiguous()
    assert (await ready(b))["ingest"]["w"] == "leader"
    assert sorted(await cluster.wall_post_ids()) == sorted(ids)
    await screen.close()


async def test_kill_9_of_the_ingester_standby_takes_over(cluster: Cluster,
                                                         tmp_path: Path) -> None:
    """kill -9 of the leader mid-replay: the standby leads within 10 s and resumes from the
    cursors in the database; every post is on the wall once, and its viewer saw each once."""
    toml = toml_for(gap_s=0.1)
    a, b = cluster.start(toml), cluster.start(toml)
    ids = await open_wall(a, cluster.admin_token(), 60)
    await serving([a, b])
    leader, standby = await leader_and_standby(a, b)
    screen = Screen("").open(standby)
    await until(lambda: len(screen.visible) >= 10, 20, "ten posts on the standby's screen")
    assert len(screen.visible) < len(ids), "the replay ended before the kill"
    leader.stop(kill=True)
    killed = time.monotonic()
    await until(lambda: leads(standby), 10, "the standby to take over")
    failover = time.monotonic() - killed
    await until(lambda: screen.visible >= set(ids), 30, "every post after the failover")
    stored = await cluster.wall_post_ids()
    assert sorted(stored) == sorted(ids), "a post lost or placed twice"
    assert screen.contiguous() and screen.visible == set(ids)
    print(f"failover after kill -9: {failover:.2f} s")


async def test_redis_restarted_both_catch_up(cluster: Cluster, own_redis: OwnRedis,
                                             tmp_path: Path) -> None:
    """Redis killed and restarted mid-stream: both processes reconnect and catch up from the
    log; their viewers see every post once, in seq order, and a hide made while Redis was
    away reaches the other process too."""
    toml = toml_for(gap_s=0.1)
    a = cluster.start(toml, redis_url=own_redis.url)
    b = cluster.start(toml, redis_url=own_redis.url)
    token = cluster.admin_token()
    ids = await open_wall(a, token, 60)
    await serving([a, b])
    first, second = Screen("").open(a), Screen("").open(b)
    await until(lambda: len(first.visible) >= 5 and len(second.visible) >= 5, 20,
                "five posts on both screens")
    own_redis.kill()
    await until(lambda: redis_is(a, "down"), 30, "process a to notice Redis is gone")
    async with httpx.AsyncClient(timeout=5, headers=bearer(token)) as http:
        res = await http.post(f"{a.url}/api/v1/walls/w/posts/{ids[2]}/hide")
        assert res.status_code == 200, res.text
    own_redis.start()
    await until(lambda: redis_is(a, "ok"), 30, "process a back on Redis")
    await until(lambda: redis_is(b, "ok"), 30, "process b back on Redis")
    want = set(ids) - {ids[2]}
    await until(lambda: first.visible == want and second.visible == want, 30,
                "both screens caught up, without the hidden post")
    assert first.contiguous() and second.contiguous()
    assert first.client.seq == second.client.seq
    await first.close()
    await second.close()


@pytest.mark.scale_full
async def test_sqlite_shared_through_redis_elects_by_redis_lease(cluster: Cluster,
                                                                 own_redis: OwnRedis,
                                                                 tmp_path: Path) -> None:
    """On one SQLite file the leader is chosen by a Redis key with an expiry: one leader, and
    every post reaches both processes' viewers once, in order."""
    sqlite = f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}"
    toml = toml_for(gap_s=0.1)
    a = cluster.start(toml, redis_url=own_redis.url, database_url=sqlite)
    b = cluster.start(toml, redis_url=own_redis.url, database_url=sqlite)
    token = cluster.admin_token()
    ids = await open_wall(a, token, 20)
    await serving([a, b])
    first, second = Screen("").open(a), Screen("").open(b)
    await until(lambda: first.visible >= set(ids) and second.visible >= set(ids), 20,
                "every post on both screens")
    assert len(await leader_of([a, b])) == 1
    assert first.contiguous() and second.contiguous()
    await first.close()
    await second.close()


def test_scale_tests_skip_with_a_reason_without_the_services(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the env URLs the fixture skips and says which variables to set."""
    import tests.scale.conftest as conf

    monkeypatch.setattr(conf, "PG_ADMIN", None)
    monkeypatch.setattr(conf, "REDIS_URL", None)
    reason = conf._skip_reason()
    assert reason is not None and "TWEETWALL_TEST_REDIS_URL" in reason
    assert "TWEETWALL_TEST_POSTGRES" in reason
