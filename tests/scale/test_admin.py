"""Admin writes on either of two processes (issue 11): a wall changed on the standby is
changed on the leader's screens, and a wall deleted on the standby stops being served and
ingested on the leader too."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import ServerProcess
from tests.scale.conftest import (
    Cluster,
    Screen,
    bearer,
    leader_and_standby,
    leader_of,
    open_wall,
    ready,
    toml_for,
    until,
)
from tests.scale.test_two_processes import serving


async def test_change_and_delete_on_the_standby_reach_the_leader(cluster: Cluster) -> None:
    toml = toml_for(gap_s=0.05, backfill=4)
    a, b = cluster.start(toml), cluster.start(toml)
    token = cluster.admin_token()
    ids = await open_wall(a, token, 4)
    await serving([a, b])
    leader, standby = await leader_and_standby(a, b)
    screen = Screen("").open(leader)
    await until(lambda: screen.visible >= set(ids), 20, "every post on the leader's screen")
    async with httpx.AsyncClient(timeout=5, headers=bearer(token)) as http:
        res = await http.patch(f"{standby.url}/api/v1/walls/w", json={"title": "Renamed"})
        assert res.status_code == 200, res.text

        async def renamed() -> bool:
            got = await http.get(f"{leader.url}/api/v1/walls/w")
            return got.status_code == 200 and got.json()["title"] == "Renamed"

        await until(renamed, 5, "the leader to serve the new title")
        res = await http.delete(f"{standby.url}/api/v1/walls/w")
        assert res.status_code == 200, res.text

        async def gone() -> bool:
            body = await ready(leader)
            got = await http.get(f"{leader.url}/api/v1/walls/w")
            return "w" not in body.get("ingest", {"w": None}) and got.status_code == 404

        await until(gone, 5, "the leader to stop serving and ingesting the deleted wall")
    await until(lambda: screen.closed is not None, 5, "the leader's screen to be closed")
    assert screen.contiguous()


@pytest.mark.scale_full
async def test_a_process_started_after_a_wall_was_created_takes_over_its_ingest(
        cluster: Cluster) -> None:
    """A wall created over the API before a process started is in that process's election
    too: kill -9 of the creator (its only ingester) hands the wall to it."""
    toml = toml_for(gap_s=0.25)
    a = cluster.start(toml)
    ids = await open_wall(a, cluster.admin_token(), 60)
    b = cluster.start(toml)
    await serving([a, b])
    assert [s.port for s in await leader_of([a, b])] == [a.port]
    screen = Screen("").open(b)
    await until(lambda: len(screen.visible) >= 5, 20, "posts on b's screen")
    assert len(screen.visible) < len(ids), "the replay ended before the kill"
    a.stop(kill=True)
    await until(lambda: leads_w(b), 10, "b to take over the wall's ingest")
    await until(lambda: screen.visible >= set(ids), 30, "every post after the takeover")
    assert sorted(await cluster.wall_post_ids()) == sorted(ids)
    assert screen.contiguous()
    await screen.close()


async def leads_w(server: ServerProcess) -> bool:
    return bool((await ready(server)).get("ingest", {}).get("w") == "leader")
