"""One row of bench/fanout.py: a server process on one core, the compiled load client on the
other, and what they measured.

`build_client()` compiles bench/loadclient.c with gcc into a temporary folder (once per version
of the source; the binary is never committed). `run_row()` starts `fanout_server.py` pinned to
CPU 0 and the client pinned to CPU 1 (`taskset`), connects the viewers, notes the server's
memory before and after, publishes, optionally drops every viewer at once (the reconnect
storm), waits until every viewer has every post or the window plus grace is over, and returns
one dict of numbers. Every wait is bounded; a row that fails returns {"error": ...}.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass(frozen=True)
class Row:
    """What one row runs."""

    kind: str  # fanout, stuck, hide, storm, idle: what the row is for
    variant: str  # hub or naive
    viewers: int
    rate: float
    seconds: float  # the publishing window
    stuck: int = 0
    ws: str = "websockets-sansio"
    pipeline: bool = False  # hub: posts through the whole ingest (for the hide)
    hide_after: int = 0
    storm_at: float = 0.0  # seconds into the window; 0: no storm

    @property
    def posts(self) -> int:
        return max(1, round(self.rate * self.seconds))


def build_client() -> Path:
    """Compile bench/loadclient.c (gcc -O2) unless this version is built already; returns
    the binary's path. Raises RuntimeError without gcc or when it does not compile."""
    source = HERE / "loadclient.c"
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
    binary = Path(tempfile.gettempdir()) / "tweetwall-bench" / f"loadclient-{digest}"
    if binary.exists():
        return binary
    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        raise RuntimeError("the load client needs gcc (apt-get install gcc)")
    binary.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([gcc, "-O2", "-o", str(binary), str(source)], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"loadclient.c does not compile: {done.stderr.strip()[-500:]}")
    return binary


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pinned(cpu: int, cmd: list[str]) -> list[str]:
    """`cmd` pinned to `cpu` with taskset when the machine has two cores or more."""
    if (os.cpu_count() or 1) >= 2 and shutil.which("taskset"):
        return ["taskset", "-c", str(cpu), *cmd]
    return cmd


def rss_mib(pid: int) -> float:
    """Resident memory of a process, in MiB (0 when it is gone)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


class Client:
    """The running load client: commands in, JSON events out (read by a thread)."""

    def __init__(self, cmd: list[str]) -> None:
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True).start()

    def _read(self, out: IO[str] | None) -> None:
        for line in out or ():
            with contextlib.suppress(ValueError):
                self.events.put(json.loads(line))

    def send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def expect(self, kind: str, timeout: float) -> dict[str, Any] | None:
        """Return the next event of `kind` (others are dropped), or None after `timeout`."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                return None
            if event.get("event") == kind:
                return event
        return None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.send("quit")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM (uvicorn's graceful shutdown, 3 s), then SIGKILL; bounded either way."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def run_row(row: Row, client_bin: Path, grace: float, logdir: Path,
            post_bytes: int = 1500) -> dict[str, Any]:
    """Run `row`; returns its numbers (or {"error": ...})."""
    port = free_port()
    cmd = [sys.executable, str(HERE / "fanout_server.py"), row.variant, "--port", str(port),
           "--posts", str(row.posts), "--rate", str(row.rate), "--post-bytes", str(post_bytes),
           "--ws", row.ws]
    cmd += ["--pipeline"] if row.pipeline else []
    cmd += ["--hide-after", str(row.hide_after)] if row.hide_after else []
    log = (logdir / f"{row.kind}-{row.variant}-{row.viewers}-{row.rate:g}.log").open("wb")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [
        os.environ.get("PYTHONPATH"), os.environ.get("TWEETWALL_BENCH_EXTRA")])))
    server = subprocess.Popen(pinned(0, cmd), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                              env=env)
    out: dict[str, Any] = {"row": row}
    client: Client | None = None
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            for _ in range(300):  # up to ~30 s to start (the word list compiles on a busy box)
                if server.poll() is not None:
                    return out | {"error": f"server exited, see {log.name}"}
                with contextlib.suppress(httpx.HTTPError):
                    if http.get("/bench/stats").status_code == 200:
                        break
                time.sleep(0.1)
            else:
                return out | {"error": "server did not start"}
            out |= measure(row, http, server.pid, client := Client(pinned(1, [
                str(client_bin), "--port", str(port), "--viewers", str(row.viewers),
                "--posts", str(row.posts), "--kind", row.variant, "--stuck", str(row.stuck),
                "--path", "/ws/walls/bench" if row.variant == "hub" else "/ws/viewer",
                "--parallel", "1000"])), grace)
    except (httpx.HTTPError, OSError) as err:
        out["error"] = f"{type(err).__name__}: {err}"
    finally:
        if client is not None:
            client.close()
        stop(server)
        log.close()
    return out


def measure(row: Row, http: httpx.Client, pid: int, client: Client,
            grace: float) -> dict[str, Any]:
    """Connect, publish, storm, wait, report: the body of `run_row`."""
    rss_before = rss_mib(pid)
    ready = client.expect("ready", 60 + row.viewers / 100)
    if ready is None:
        return {"error": "the viewers never all connected"}
    time.sleep(1.0)  # let the last handshakes settle before weighing the server
    out: dict[str, Any] = {"connect_s": ready["connect_s"], "connected": ready["viewers"],
                           "client_cpu_ready_s": ready["client_cpu_s"],
                           "rss_before_mib": rss_before, "rss_idle_mib": rss_mib(pid)}
    out["idle_kb"] = (out["rss_idle_mib"] - rss_before) * 1024 / max(ready["viewers"], 1)
    server_cpu, started = cpu_s(pid), time.monotonic()
    client.send("start")
    http.post("/bench/start").raise_for_status()
    if row.storm_at:
        time.sleep(row.storm_at)
        queries = http.get("/bench/stats").json()["db_queries"]
        client.send("storm")
        storm = client.expect("storm", 60) or {"error": "not all back within 60 s"}
        storm["db_queries"] = http.get("/bench/stats").json()["db_queries"] - queries
        out["storm"] = storm
    left = row.seconds + grace - (time.monotonic() - started)
    out["complete_event"] = client.expect("complete", max(left, 0.1))
    stats = http.get("/bench/stats").json()
    client.send(f"stop {stats.get('hide_asked_at') or 0}")
    report = client.expect("report", 30) or {}
    out |= {"report": report, "server": stats, "window_s": time.monotonic() - started,
            "server_cpu_s": cpu_s(pid) - server_cpu, "rss_end_mib": rss_mib(pid)}
    return out
