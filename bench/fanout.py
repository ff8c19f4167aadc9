"""Fan-out bench: tweetwall's hub against FastAPI's documented broadcast loop, and the targets
of issue 10 (docs/benchmarks.md, bench/README.md).

    .venv/bin/python bench/fanout.py [--quick] [--markdown] [--wait-quiet 20] [--json PATH]

Each row starts a server (bench/fanout_server.py: the real app and hub, or the naive loop) on
CPU 0 and the compiled load client (bench/loadclient.c, built here with gcc) on CPU 1. Rows:
1,000 / 5,000 / 10,000 viewers x 5 / 20 / 100 posts/s, hub and naive side by side; 10 stuck
viewers among 1,000; a hide during a burst through the whole pipeline; a reconnect storm of
10,000 viewers; memory per idle viewer for uvicorn's three WebSocket implementations; ingest
throughput on SQLite and PostgreSQL (bench/ingest.py). `--quick` runs the rows the targets
need, with shorter windows, in under three minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import fanout_report as report  # bench/fanout_report.py, beside this file
import ingest  # bench/ingest.py, beside this file
from fanout_run import Row, build_client, run_row  # bench/fanout_run.py, beside this file


def plan(quick: bool) -> list[Row]:
    """The rows to run, in order."""
    if quick:
        s = 6.0
        return [Row("fanout", v, n, 20, s) for n in (1000, 5000) for v in ("hub", "naive")] + [
            Row("fanout", "hub", 10000, 20, s),
            Row("stuck", "hub", 1000, 20, s, stuck=10),
            Row("hide", "hub", 1000, 100, 5, pipeline=True, hide_after=250),
            Row("storm", "hub", 10000, 20, 12, storm_at=3),
        ]
    rows = [Row("fanout", v, n, r, 30) for n in (1000, 5000, 10000) for r in (5, 20, 100)
            for v in ("hub", "naive")]
    rows += [Row("stuck", v, 1000, 20, 30, stuck=10) for v in ("hub", "naive")]
    rows += [Row("hide", "hub", 1000, 100, 10, pipeline=True, hide_after=500),
             Row("storm", "hub", 10000, 20, 30, storm_at=10)]
    rows += [Row("idle", "hub", 5000, 20, 10, ws=ws)
             for ws in ("websockets-sansio", "wsproto", "websockets")]
    return rows


def loadavg() -> float:
    """The machine's 1-minute load average."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def wait_quiet(minutes: float) -> None:
    """Wait (up to `minutes`) until the 1-minute load average is at most 1.0."""
    deadline = time.monotonic() + minutes * 60
    while loadavg() > 1.0 and time.monotonic() < deadline:
        print(f"load {loadavg():.2f} > 1.0: waiting a minute", file=sys.stderr, flush=True)
        time.sleep(60)


def machine() -> str:
    """One line on the machine and the versions that matter."""
    from importlib.metadata import version

    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.machine())
    libs = ", ".join(f"{p} {version(p)}" for p in ("uvicorn", "websockets", "uvloop",
                                                     "fastapi", "sqlalchemy"))
    return (f"{os.cpu_count()} x {cpu}, Linux {platform.release()}, Python "
            f"{platform.python_version()}, {libs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the target rows, under 3 min")
    parser.add_argument("--rows", help="only rows whose kind is in this comma-separated list")
    parser.add_argument("--grace", type=float, help="seconds to wait after a window "
                        "(default 10, quick 3)")
    parser.add_argument("--ingest-posts", type=int, help="posts per ingest row")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="MIN",
                        help="first wait up to MIN minutes for a load average under 1.0")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--json", type=Path, help="also write every raw number here")
    args = parser.parse_args()
    wait_quiet(args.wait_quiet)
    grace = args.grace if args.grace is not None else 3.0 if args.quick else 10.0
    client = build_client()
    load_start, started = loadavg(), time.time()
    results: list[dict[str, Any]] = []
    rows = [r for r in plan(args.quick) if not args.rows or r.kind in args.rows.split(",")]
    with tempfile.TemporaryDirectory(prefix="tweetwall-fanout-") as tmp:
        for row in rows:
            print(f"[{time.time() - started:5.0f}s] {row.kind} {row.variant} {row.viewers} "
                  f"x {row.rate:g}/s {row.ws} ...", file=sys.stderr, flush=True)
            results.append(run_row(row, client, grace, Path(tmp)))
            print(f"         {report.one_line(results[-1])}", file=sys.stderr, flush=True)
    ingest_rows: list[dict[str, Any]] = []
    if not args.rows or "ingest" in args.rows.split(","):
        posts = args.ingest_posts or (1000 if args.quick else 2000)
        ingest_args = argparse.Namespace(posts=posts, sources="1,16" if not args.quick else "16",
                                         db="sqlite" if args.quick else "sqlite,postgres",
                                         pg_url=ingest.PG_ADMIN)
        print(f"[{time.time() - started:5.0f}s] ingest ...", file=sys.stderr, flush=True)
        ingest_rows = asyncio.run(ingest.measure(ingest_args))
    took = time.time() - started
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}; {machine()}")
    print(f"command: bench/fanout.py{' --quick' if args.quick else ''}; {took:.0f} s in all; "
          f"load average {load_start:.2f} at the start, {loadavg():.2f} at the end; server "
          "on CPU 0, load client on CPU 1")
    print()
    print(report.render(report.tables(results, ingest_rows), args.markdown))
    if args.json:
        raw = [{**r, "row": r["row"].__dict__} for r in results]
        args.json.write_text(json.dumps({"rows": raw, "ingest": ingest_rows}, indent=1))


if __name__ == "__main__":
    main()
