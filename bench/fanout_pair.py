"""The fan-out bench's row with two processes (issue 11, docs/scale.md, docs/benchmarks.md).

    .venv/bin/python bench/fanout_pair.py [--viewers 10000] [--rate 20] [--seconds 20]
        [--postgres postgresql://postgres@127.0.0.1:5432/test] [--redis redis://127.0.0.1:6379/0]

Two `fanout_server.py hub` processes share a fresh PostgreSQL database and Redis, as
`tweetwall serve` does with `TWEETWALL_REDIS_URL`. The first commits every post to the wall's
event log (`Tx.emit`): its own hub gets it from its store listener, the second's over Redis
through the sequencer. Each process serves half of the viewers, through a load client of its
own. Both servers share CPU 0 and both clients CPU 1, so the servers have the one core the
single-process rows have, and pay for Redis, the commits and a second event loop out of it.
Latency is receive time minus the time a post was due, as in every other row.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from fanout_run import HERE, ROOT, Client, build_client, cpu_s, free_port, pinned, rss_mib, stop


async def _admin(url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _start(cmd: list[str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """Start one server; returns once its /bench/stats answers. Raises RuntimeError."""
    with log.open("wb") as out:
        server = subprocess.Popen(pinned(0, cmd), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    for _ in range(600):
        if server.poll() is not None:
            raise RuntimeError(f"server exited, see {log}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/bench/stats", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("server did not start")


def run_pair(viewers: int, rate: float, seconds: float, grace: float, postgres: str,
             redis: str, logdir: Path) -> dict[str, Any]:
    """Run the row; returns each process's numbers and the merged ones."""
    posts = max(1, round(rate * seconds))
    name = f"tw_bench_{secrets.token_hex(4)}"
    asyncio.run(_admin(postgres, f'CREATE DATABASE "{name}"'))
    database = f"{postgres.rsplit('/', 1)[0]}/{name}".replace("postgresql://",
                                                              "postgresql+asyncpg://")
    servers: list[subprocess.Popen[bytes]] = []
    clients: list[Client] = []
    ports = [free_port(), free_port()]
    try:
        for i, port in enumerate(ports):
            servers.append(_start([
                sys.executable, str(HERE / "fanout_server.py"), "hub", "--port", str(port),
                "--posts", str(posts), "--rate", str(rate), "--database-url", database,
                "--redis-url", redis], port, logdir / f"pair-{i}.log"))
        binary = str(build_client())
        for port in ports:
            clients.append(Client(pinned(1, [
                binary, "--port", str(port), "--viewers", str(viewers // 2), "--posts",
                str(posts), "--kind", "hub", "--stuck", "0", "--path", "/ws/walls/bench",
                "--parallel", "1000"])))
        for client in clients:
            if client.expect("ready", 60 + viewers / 100) is None:
                return {"error": "the viewers never all connected"}
        time.sleep(1.0)
        cpu = [cpu_s(s.pid) for s in servers]
        started = time.monotonic()
        for client in clients:
            client.send("start")
        httpx.post(f"http://127.0.0.1:{ports[0]}/bench/start", timeout=30).raise_for_status()
        for client in clients:
            left = seconds + grace - (time.monotonic() - started)
            client.expect("complete", max(left, 0.1))
        window = time.monotonic() - started
        reports = []
        for client in clients:
            client.send("stop 0")
            reports.append(client.expect("report", 30) or {})
        metrics = httpx.get(f"http://127.0.0.1:{ports[1]}/metrics", timeout=10).text
        return {
            "viewers": viewers, "rate": rate, "posts": posts, "window_s": round(window, 1),
            "reports": reports,
            "server_cpu_pct": [round(100 * (cpu_s(s.pid) - c) / window) for s, c in
                               zip(servers, cpu, strict=True)],
            "rss_mib": [round(rss_mib(s.pid)) for s in servers],
            "second_process": [ln for ln in metrics.splitlines() if ln.startswith(
                ("tweetwall_gap_events_filled", "tweetwall_redis_reconnects"))],
        }
    finally:
        for client in clients:
            client.close()
        for server in servers:
            stop(server)
        asyncio.run(_admin(postgres, f'DROP DATABASE "{name}" WITH (FORCE)'))


def markdown(r: dict[str, Any]) -> str:
    """One row of docs/benchmarks.md's two-process table."""
    reps = r["reports"]
    delivered = sum(x.get("delivered", 0) for x in reps)
    expected = sum(x.get("expected", 0) for x in reps) or 1
    p50 = " / ".join(f"{x.get('p50_ms', -1):,.0f}" for x in reps)
    p99 = " / ".join(f"{x.get('p99_ms', -1):,.0f}" for x in reps)
    dropped = sum(x.get("viewers", 0) - x.get("open", 0) for x in reps)
    cpu = " / ".join(f"{c}%" for c in r["server_cpu_pct"])
    return (f"| {r['viewers']:,} (2 x {r['viewers'] // 2:,}) | {r['rate']:g} | {p50} | {p99} | "
            f"{100 * delivered / expected:.1f}% | {dropped} | {cpu} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viewers", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--grace", type=float, default=10.0)
    parser.add_argument("--postgres", default=os.environ.get(
        "TWEETWALL_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--redis", default=os.environ.get(
        "TWEETWALL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()
    logdir = Path(tempfile.mkdtemp(prefix="tweetwall-pair-"))
    result = run_pair(args.viewers, args.rate, args.seconds, args.grace, args.postgres,
                      args.redis, logdir)
    print(json.dumps(result, indent=1))
    if "error" not in result:
        print("| viewers | posts/s | p50 ms (a / b) | p99 ms (a / b) | delivered | dropped | "
              "server CPU (a / b) |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        print(markdown(result))
    print(f"server logs: {logdir}", file=sys.stderr)


if __name__ == "__main__":
    main()
