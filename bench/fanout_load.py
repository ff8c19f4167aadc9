"""The load generator of bench/fanout.py, run as its own process (its own core).

    python bench/fanout_load.py --base http://127.0.0.1:P --kind {naive|hub} --viewers N ...

Opens one stuck client first (optional: a raw socket with a tiny receive buffer that completes
the WebSocket handshake and never reads), then N viewers with the websockets library, waits until
the server lists them all, POSTs `/bench/start`, and records for each viewer the posts received
and their latency (receive time - the post's `sent_at`). It stops when every viewer has every
post or when the publish window plus `--grace` seconds is over, and prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import resource
import socket
import sys
import time
from pathlib import Path
from typing import cast

import httpx
import orjson
import websockets
from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.protocol import State
from websockets.uri import parse_uri


class Viewer(asyncio.Protocol):
    """One viewer: websockets' Sans-I/O client protocol on a plain asyncio connection.

    The websockets library does the handshake, frame parsing and pongs; skipping its per-message
    tasks and futures keeps 1,000 viewers x 20 messages/s within one core, so the latencies
    measured are the server's rather than the load generator's."""

    def __init__(self, url: str, kind: str, total: int, run: Run) -> None:
        self.proto = ClientProtocol(parse_uri(url), max_size=2**22)
        self.kind, self.total, self.run = kind, total, run
        self.transport: asyncio.Transport | None = None
        self.opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.count = 0
        self.latencies: list[float] = []
        self.last_at = 0.0
        self.closed = False
        self._parts: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        self.proto.send_request(self.proto.connect())
        self._flush()

    def data_received(self, data: bytes) -> None:
        now = time.time()
        self.proto.receive_data(data)
        for event in self.proto.events_received():
            if isinstance(event, Response):
                if self.proto.handshake_exc is not None:
                    self._fail(self.proto.handshake_exc)
                elif not self.opened.done():
                    self.opened.set_result(None)
            elif isinstance(event, Frame):
                if event.opcode in (Opcode.TEXT, Opcode.CONT):
                    self._parts.append(event.data)
                    if event.fin:
                        payload = b"".join(self._parts)
                        self._parts.clear()
                        self._message(payload, now)
        self._flush()
        if self.proto.state is State.CLOSED:
            self.closed = True

    def _message(self, payload: bytes, now: float) -> None:
        if not self.run.measuring:
            return
        frame = orjson.loads(payload)
        if self.kind == "naive":
            posts = [frame]
        elif frame.get("type") == "events":
            posts = [e["post"] for e in frame["events"] if e.get("type") == "post"]
        else:
            return  # the snapshot (empty: nothing published yet) and heartbeats
        if not posts:
            return
        before = self.count
        self.count += len(posts)
        self.latencies.extend(now - p["sent_at"] for p in posts)
        self.last_at = now
        if before < self.total <= self.count:
            self.run.complete += 1
            if self.run.complete >= self.run.viewers:
                self.run.all_done.set()

    def _flush(self) -> None:
        out = self.proto.data_to_send()
        if out and self.transport is not None and not self.transport.is_closing():
            self.transport.write(b"".join(out))

    def _fail(self, exc: BaseException) -> None:
        if not self.opened.done():
            self.opened.set_exception(exc)
        if self.transport is not None:
            self.transport.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.opened.done():
            self.opened.set_exception(exc or ConnectionError("closed during the handshake"))


class Run:
    def __init__(self, viewers: int) -> None:
        self.viewers = viewers
        self.complete = 0
        self.measuring = False
        self.all_done = asyncio.Event()


def stuck_client(host: str, port: int, path: str, mss: int) -> socket.socket:
    """Open a WebSocket by hand with a tiny receive buffer, and then never read.

    With `mss` > 0 the connection advertises that segment size, like a client on a real network
    (1460 over Ethernet) rather than loopback's 65483: the server's kernel sizes its send buffer
    from the MSS, so on loopback a stuck client would otherwise soak up ~45 times more."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    if mss > 0:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, mss)
    sock.settimeout(10)
    sock.connect((host, port))
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                 "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                 "Sec-WebSocket-Version: 13\r\n\r\n".encode())
    return sock


async def connect_all(host: str, port: int, url: str, n: int, parallel: int, kind: str,
                      total: int, run: Run) -> tuple[list[Viewer], int]:
    """Open `n` viewers, `parallel` handshakes at a time (3 tries each)."""
    loop = asyncio.get_running_loop()
    sem = asyncio.Semaphore(parallel)
    opened: list[Viewer] = []
    failed = 0

    async def one() -> None:
        nonlocal failed
        async with sem:
            for attempt in range(3):
                try:
                    _, viewer = await loop.create_connection(
                        lambda: Viewer(url, kind, total, run), host, port)
                    async with asyncio.timeout(20):
                        await viewer.opened
                    opened.append(viewer)
                    return
                except (OSError, TimeoutError, websockets.WebSocketException):
                    await asyncio.sleep(0.2 * (attempt + 1))
            failed += 1

    await asyncio.gather(*(one() for _ in range(n)))
    return opened, failed


async def watch_stuck(http: httpx.AsyncClient, viewers: int, start: float,
                      gone_at: list[float]) -> None:
    """Note when the server stops listing the stuck client (polls twice a second)."""
    for _ in range(100_000):  # cancelled at the end of the run
        await asyncio.sleep(0.5)
        try:
            listed = (await http.get("/bench/stats")).json()["subscribers"]
        except httpx.HTTPError:
            continue  # a busy server answers late; the next poll will tell
        if listed <= viewers:
            gone_at.append(time.time() - start)
            return


def percentile(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    k = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[k]


async def load(args: argparse.Namespace) -> None:
    host, port = args.base.removeprefix("http://").split(":")
    ws_base = args.base.replace("http://", "ws://")
    viewer_path = "/ws/walls/bench" if args.kind == "hub" else "/ws/viewer"
    stuck_path = "/ws/walls/bench" if args.kind == "hub" else "/ws/stuck"
    stuck = stuck_client(host, int(port), stuck_path, args.stuck_mss) if args.stuck else None
    if stuck is not None:
        await asyncio.sleep(0.2)  # the stuck client is the first subscriber / list entry
    t_connect = time.time()
    run = Run(args.viewers)
    connections, failed = await connect_all(host, int(port), ws_base + viewer_path, args.viewers,
                                            args.parallel, args.kind, args.posts, run)
    run.viewers = len(connections)
    connect_s = time.time() - t_connect
    expected = len(connections) + (1 if stuck is not None else 0)
    async with httpx.AsyncClient(base_url=args.base, timeout=30) as http:
        for _ in range(300):  # up to ~30 s for the server to list every connection
            if (await http.get("/bench/stats")).json()["subscribers"] >= expected:
                break
            await asyncio.sleep(0.1)
        else:
            raise SystemExit(f"the server never listed {expected} connections")
        await asyncio.sleep(0.5)  # let every viewer take its snapshot first
        run.measuring = True
        before = machine_sample(args.server_pid)
        start = time.time()
        resp = await http.post("/bench/start")
        resp.raise_for_status()
        deadline = args.posts / args.rate + args.grace
        gone_at: list[float] = []
        watch = asyncio.create_task(watch_stuck(http, len(connections), start, gone_at))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(deadline):
                await run.all_done.wait()
        run.measuring = False
        watch.cancel()
        elapsed = time.time() - start
        after = machine_sample(args.server_pid)
        try:  # while every socket is still open
            server = (await http.get("/bench/stats")).json()
        except httpx.HTTPError as err:
            server = {"error": f"/bench/stats: {err!r}"}
        rss = proc_rss(args.server_pid) if args.server_pid else None
    usage = {k: round(after[k] - before[k], 2) for k in before}
    lat = sorted(x for s in connections for x in s.latencies)
    delivered = sum(s.count for s in connections)
    last = max((s.last_at for s in connections), default=0.0)
    result = {
        "viewers": len(connections), "connect_failed": failed, "connect_s": round(connect_s, 2),
        "stuck": stuck is not None, "posts": args.posts, "rate": args.rate,
        "delivered": delivered, "expected": args.posts * len(connections),
        "complete": sum(1 for s in connections if s.count >= args.posts),
        "closed": sum(1 for s in connections if s.closed),
        "p50_ms": _ms(percentile(lat, 0.50)), "p99_ms": _ms(percentile(lat, 0.99)),
        "max_ms": _ms(lat[-1] if lat else None),
        "last_post_after_s": round(last - start, 2) if last else None,
        "elapsed_s": round(elapsed, 2), "start": start,
        "stuck_gone": stuck is not None and server.get("subscribers", 0) <= len(connections),
        "stuck_gone_after_s": round(gone_at[0], 1) if stuck is not None and gone_at else None,
        "server": server, "rss_mib": rss, "cpu_s": usage["server"],
        "client_cpu_s": usage["client"],
        # CPU-seconds every other process on the machine used meanwhile, and the share of the
        # time some runnable task waited for a CPU (Linux PSI): both should be near 0.
        "others_cpu_s": round(usage["busy"] - usage["server"] - usage["client"], 2),
        "cpu_pressure_pct": round(100 * usage["psi_s"] / elapsed, 1) if elapsed else None,
    }
    # Print here and leave at once: no closing handshakes for 1,000 sockets, the OS closes them.
    sys.stdout.write(orjson.dumps(result).decode() + "\n")
    sys.stdout.flush()
    os._exit(0)


def proc_rss(pid: int) -> float | None:
    """RSS in MiB of a process on this machine, from /proc."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def machine_sample(server_pid: int) -> dict[str, float]:
    """CPU seconds so far: the server's, this process's, all CPUs' busy time; PSI CPU stall."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {"server": 0.0, "client": 0.0, "busy": 0.0, "psi_s": 0.0}
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{server_pid}/stat").read_text().rsplit(")", 1)[1].split()
        out["server"] = (int(fields[11]) + int(fields[12])) / tick
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out["client"] = usage.ru_utime + usage.ru_stime
    with contextlib.suppress(OSError, ValueError, IndexError):
        cpu = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        out["busy"] = (sum(cpu[:8]) - cpu[3] - cpu[4]) / tick  # all but idle and iowait
    with contextlib.suppress(OSError, ValueError, IndexError):
        some = Path("/proc/pressure/cpu").read_text().splitlines()[0]
        out["psi_s"] = int(some.rsplit("total=", 1)[1]) / 1e6
    return out


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--kind", choices=["naive", "hub"], required=True)
    parser.add_argument("--viewers", type=int, default=1000)
    parser.add_argument("--stuck", action="store_true")
    parser.add_argument("--posts", type=int, default=600)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--grace", type=float, default=10.0)
    parser.add_argument("--parallel", type=int, default=50, help="handshakes in flight")
    parser.add_argument("--stuck-mss", type=int, default=1460,
                        help="TCP MSS the stuck client advertises (0: loopback's own)")
    parser.add_argument("--server-pid", type=int, default=0,
                        help="report this process's RSS and CPU time at the end")
    parser.add_argument("--cpu", type=int, default=-1, help="pin to this CPU (-1: no pinning)")
    args = parser.parse_args()
    if not args.base.startswith("http://127.0.0.1:"):
        parser.error("--base must be a loopback address")
    if args.cpu >= 0:
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {args.cpu})
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, args.viewers + 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    try:
        import uvloop
    except ImportError:
        asyncio.run(load(args))
    else:
        uvloop.run(load(args))


if __name__ == "__main__":
    main()
