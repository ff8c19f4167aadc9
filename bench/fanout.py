"""Fan-out under a stuck client: FastAPI's documented broadcast loop vs tweetwall's hub.

    .venv/bin/python bench/fanout.py [--viewers 1000] [--posts 600] [--rate 20] ...

For each row it starts a server (bench/fanout_server.py, `naive` or `hub`) in its own process,
then the load generator (bench/fanout_load.py) in another: 1,000 viewer WebSockets plus, in the
"stuck" rows, one client that completes the handshake and never reads. The server publishes
`--posts` posts at `--rate` per second; each viewer counts what it gets and when. At the end the
script prints one table (see docs/benchmarks.md). Everything runs on 127.0.0.1; every wait is
bounded, and a row that overruns is killed and reported as such.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM (uvicorn's graceful shutdown, 3 s), then SIGKILL; bounded either way."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=8)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def run_row(variant: str, stuck: bool, args: argparse.Namespace, logdir: Path) -> dict[str, Any]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    name = f"{variant}-{'stuck' if stuck else 'control'}"
    log = (logdir / f"{name}-server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, str(HERE / "fanout_server.py"), variant, "--port", str(port),
         "--posts", str(args.posts), "--rate", str(args.rate),
         "--post-bytes", str(args.post_bytes), "--cpu", "0" if args.pin else "-1"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    row: dict[str, Any] = {"variant": variant, "stuck": stuck}
    try:
        with httpx.Client(base_url=base, timeout=5) as http:
            for _ in range(150):  # up to ~15 s to start
                if server.poll() is not None:
                    raise RuntimeError(f"{name}: server exited, see {log.name}")
                with contextlib.suppress(httpx.HTTPError):
                    if http.get("/bench/stats").status_code == 200:
                        break
                time.sleep(0.1)
            else:
                raise RuntimeError(f"{name}: server did not start")
            cmd = [sys.executable, str(HERE / "fanout_load.py"), "--base", base,
                   "--kind", variant, "--viewers", str(args.viewers), "--posts", str(args.posts),
                   "--rate", str(args.rate), "--grace", str(args.grace),
                   "--cpu", "1" if args.pin else "-1", "--server-pid", str(server.pid),
                   "--stuck-mss", str(args.stuck_mss)]
            cmd += ["--stuck"] if stuck else []
            budget = 60 + args.posts / args.rate + args.grace
            try:
                out = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=budget,
                                     check=False)
            except subprocess.TimeoutExpired:
                row["error"] = f"load generator overran {budget:.0f} s"
                return row
            if out.returncode != 0 or not out.stdout.strip():
                tail = out.stderr.decode(errors="replace").strip().splitlines()[-3:]
                row["error"] = f"load generator failed ({out.returncode}): {' / '.join(tail)}"
                return row
            row |= json.loads(out.stdout.decode().strip().splitlines()[-1])
    finally:
        stop(server)
        log.close()
    return row


def fmt(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


COLUMNS = ["variant", "viewers", "stuck client", "published", "delivered", "viewers with all",
           "last post at", "p50 ms", "p99 ms", "max ms", "stuck client dropped", "server RSS"]
CPU_COLUMNS = ["variant", "stuck client", "window", "server CPU", "load generator CPU",
               "other processes' CPU", "CPU pressure"]


def _stuck_cell(r: dict[str, Any]) -> str:
    if not r["stuck"]:
        return "-"
    if not r["stuck_gone"]:
        return "no"
    at = r.get("stuck_gone_after_s")
    cell = f"yes, at {at:.0f} s" if at is not None else "yes"
    if r["variant"] == "hub":  # the hub counts the drops for a full queue only
        cell += " (queue full)" if r["server"]["dropped"] else " (send timeout)"
    return cell


def table_rows(rows: list[dict[str, Any]]) -> tuple[list[list[str]], list[list[str]]]:
    """The results table and the CPU table (who used the machine during each window)."""
    main, cpu = [], []
    for r in rows:
        stuck = "yes" if r["stuck"] else "no"
        if "error" in r:
            main.append([r["variant"], "-", stuck, r["error"]] + [""] * (len(COLUMNS) - 4))
            continue
        srv = r["server"]
        if "error" in srv:
            main.append([r["variant"], str(r["viewers"]), stuck, srv["error"]]
                        + [""] * (len(COLUMNS) - 4))
            continue
        share = 100 * r["delivered"] / r["expected"] if r["expected"] else 0.0
        main.append([
            r["variant"], str(r["viewers"]), stuck, f"{srv['published']}/{srv['planned']}",
            f"{share:.1f}%", f"{r['complete']}/{r['viewers']}",
            f"{fmt(r['last_post_after_s'], 1)} s", fmt(r["p50_ms"]), fmt(r["p99_ms"]),
            fmt(r["max_ms"]), _stuck_cell(r), f"{fmt(r['rss_mib'])} MiB",
        ])
        cpu.append([
            r["variant"], stuck, f"{fmt(r['elapsed_s'], 1)} s", f"{fmt(r['cpu_s'], 1)} s",
            f"{fmt(r['client_cpu_s'], 1)} s", f"{fmt(r['others_cpu_s'], 1)} s",
            f"{fmt(r['cpu_pressure_pct'])}%",
        ])
    return main, cpu


def render(columns: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viewers", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=600, help="posts published per row")
    parser.add_argument("--rate", type=float, default=20.0, help="posts per second")
    parser.add_argument("--post-bytes", type=int, default=1500, help="JSON size of one post")
    parser.add_argument("--grace", type=float, default=10.0,
                        help="seconds to wait after the publish window")
    parser.add_argument("--stuck-mss", type=int, default=1460,
                        help="TCP MSS the stuck client advertises: 1460 as on Ethernet "
                        "(0: loopback's 65483, whose kernel buffers hold ~45x more)")
    parser.add_argument("--rows", default="naive-stuck,hub-stuck,naive-control,hub-control",
                        help="comma-separated rows to run")
    parser.add_argument("--pin", action="store_true",
                        help="pin the server to CPU 0 and the load generator to CPU 1 (best on an "
                        "otherwise idle machine; worse when other processes compete)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    if (os.cpu_count() or 1) < 2:
        args.pin = False
    started = time.time()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tweetwall-fanout-") as tmp:
        for spec in args.rows.split(","):
            variant, _, kind = spec.strip().partition("-")
            if variant not in ("naive", "hub") or kind not in ("stuck", "control"):
                parser.error(f"unknown row {spec!r}")
            print(f"[{time.time() - started:5.1f}s] {spec} ...", file=sys.stderr, flush=True)
            rows.append(run_row(variant, kind == "stuck", args, Path(tmp)))
            print(f"[{time.time() - started:5.1f}s]   {json.dumps(rows[-1])}", file=sys.stderr,
                  flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    print(f"{args.viewers} viewers, {args.posts} posts at {args.rate:g}/s of "
          f"{args.post_bytes} B, grace {args.grace:g} s, "
          f"{'server on CPU 0, clients on CPU 1' if args.pin else 'no CPU pinning'}; "
          f"{time.time() - started:.0f} s in all")
    main_rows, cpu_rows = table_rows(rows)
    print(render(COLUMNS, main_rows, args.markdown))
    print()
    print("CPU-seconds used during each measured window (2 cores give 2 s per second):")
    print(render(CPU_COLUMNS, cpu_rows, args.markdown))


if __name__ == "__main__":
    main()
