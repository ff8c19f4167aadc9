"""The targets of issue 10, checked against one run of bench/fanout.py.

Each target names the rows it needs; one whose rows did not run (or failed) says so instead of
passing. "holds" compares the measured number with the target as the issue states it, on this
machine, load client beside the server, one run.
"""

from __future__ import annotations

from typing import Any

# bench/fanout_report.py, beside this file
from fanout_report import Table, find_row, p99_of, share_of


def _row(name: str, measured: str, ok: bool | None) -> list[str]:
    return [name, measured, "-" if ok is None else "yes" if ok else "NO"]


def targets_table(results: list[dict[str, Any]], ingest_rows: list[dict[str, Any]]) -> Table:
    """One line per target: what it asks, what was measured, whether it holds."""
    rows = []
    hub1, naive1 = (find_row(results, "fanout", v, 1000, 20) for v in ("hub", "naive"))
    h, n = p99_of(hub1), p99_of(naive1)
    rows.append(_row("1,000 x 20/s: hub p99 <= 2x naive p99",
                     f"hub {h} ms, naive {n} ms" if h and n else "not run",
                     h <= 2 * n if h and n else None))
    hub5, naive5 = (find_row(results, "fanout", v, 5000, 20) for v in ("hub", "naive"))
    h, n = p99_of(hub5), p99_of(naive5)
    rows.append(_row("5,000 x 20/s: hub p99 >= 15x lower than naive",
                     f"hub {h} ms, naive {n} ms ({n / h:.1f}x)" if h and n else "not run",
                     n >= 15 * h if h and n else None))
    hub10 = find_row(results, "fanout", "hub", 10000, 20)
    share, h = (share_of(hub10), p99_of(hub10)) if hub10 else (None, None)
    rows.append(_row("10,000 x 20/s: 100% delivered, p99 <= 1 s",
                     f"{share:.1f}% delivered, p99 {h} ms" if share is not None else "not run",
                     share == 100 and h is not None and h <= 1000 if share is not None else None))
    stuck = find_row(results, "stuck", "hub")
    s, h = (p99_of(stuck), p99_of(hub1)) if stuck else (None, None)
    share = share_of(stuck) if stuck else None
    rows.append(_row("10 stuck among 1,000: others 100% delivered, p99 within 20% of no-stuck",
                     f"{share:.1f}% delivered, p99 {s} ms vs {h} ms" if s and h and share
                     is not None else "not run",
                     share == 100 and s <= 1.2 * h if s and h and share is not None else None))
    hide = find_row(results, "hide", "hub")
    rep = (hide or {}).get("report") or {}
    got, p99 = rep.get("removed"), rep.get("remove_p99_ms")
    rows.append(_row("hide reaches all 1,000 viewers, p99 <= 300 ms",
                     f"{got}/1000, p99 {p99} ms" if hide else "not run",
                     got == 1000 and p99 is not None and 0 <= p99 <= 300 if hide else None))
    storm = (find_row(results, "storm", "hub") or {}).get("storm")
    live = storm.get("all_live_s") if storm else None
    rows.append(_row("reconnect storm of 10,000: all live in <= 15 s",
                     f"{live} s, {storm.get('failed')} failed" if live is not None else "not run",
                     live <= 15 and not storm.get("failed") if live is not None else None))
    idle = [r["idle_kb"] for r in results
            if r["row"].variant == "hub" and r["row"].viewers == 10000 and "idle_kb" in r
            and r["row"].ws == "websockets-sansio"]
    rows.append(_row("<= 24 KB server memory per idle viewer (10,000 viewers)",
                     f"{max(idle):.1f} KB (worst of {len(idle)} rows)" if idle else "not run",
                     max(idle) <= 24 if idle else None))
    sqlite = [r["per_s"] for r in ingest_rows if r["db"] == "sqlite" and "per_s" in r]
    rows.append(_row("ingest >= 2,000 posts/s on SQLite",
                     f"{max(sqlite):,} posts/s (best row)" if sqlite else "not run",
                     max(sqlite) >= 2000 if sqlite else None))
    return "Targets (issue 10)", ["target", "measured", "holds"], rows
