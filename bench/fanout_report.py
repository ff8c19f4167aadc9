"""The tables of bench/fanout.py: rows' raw numbers in, text or Markdown tables out.

`tables()` groups the results: the hub and the naive loop side by side for each (viewers,
posts/s); the stuck, hide and storm scenarios; uvicorn's WebSocket implementations; ingest; and
the issue's targets with whether each holds. Latencies are receive time minus the time a post
was due (`sent_at`), over every delivered post; CPU is a share of one core over the window.
"""

from __future__ import annotations

from typing import Any

Table = tuple[str, list[str], list[list[str]]]


def _f(value: float | None, digits: int = 0) -> str:
    return "-" if value is None or value < 0 else f"{value:,.{digits}f}"


def share_of(r: dict[str, Any]) -> float | None:
    rep = r.get("report") or {}
    return 100 * rep["delivered"] / rep["expected"] if rep.get("expected") else None


def p99_of(r: dict[str, Any] | None) -> float | None:
    rep = (r or {}).get("report") or {}
    value = rep.get("p99_ms")
    return None if value is None or value < 0 else float(value)


def _cpu(r: dict[str, Any]) -> tuple[float | None, float | None]:
    """(server, client) CPU over the window, in % of one core."""
    rep = r.get("report") or {}
    if not rep or not r.get("window_s"):
        return None, None
    server = 100 * r["server_cpu_s"] / r["window_s"]
    client = 100 * (rep["client_cpu_s"] - r["client_cpu_ready_s"]) / max(rep["window_s"], 0.1)
    return server, client


def one_line(r: dict[str, Any]) -> str:
    """A progress line for one row."""
    if "error" in r:
        return f"error: {r['error']}"
    rep = r.get("report") or {}
    server, client = _cpu(r)
    return (f"delivered {_f(share_of(r), 1)}%, p50 {_f(rep.get('p50_ms'))} ms, p99 "
            f"{_f(rep.get('p99_ms'))} ms, server CPU {_f(server)}%, client CPU {_f(client)}%, "
            f"idle {_f(r.get('idle_kb'), 1)} KB/viewer")


def find_row(results: list[dict[str, Any]], kind: str, variant: str, viewers: int | None = None,
          rate: float | None = None) -> dict[str, Any] | None:
    for r in results:
        row = r["row"]
        if (row.kind, row.variant) == (kind, variant) and viewers in (None, row.viewers) \
                and rate in (None, row.rate) and "error" not in r:
            return r
    return None


def fanout_table(results: list[dict[str, Any]]) -> Table:
    cols = ["viewers", "posts/s", "hub p50 ms", "hub p99 ms", "hub delivered",
            "hub viewers dropped", "naive p50 ms", "naive p99 ms", "naive delivered",
            "naive p99 / hub p99", "server CPU hub / naive", "client CPU (max)",
            "hub KB per idle viewer"]
    cells = sorted({(r["row"].viewers, r["row"].rate) for r in results
                    if r["row"].kind == "fanout"})
    rows = []
    for viewers, rate in cells:
        hub, naive = (find_row(results, "fanout", v, viewers, rate) for v in ("hub", "naive"))
        h, n = (hub or {}).get("report") or {}, (naive or {}).get("report") or {}
        hp, np_ = p99_of(hub), p99_of(naive)
        hc, hcl = _cpu(hub) if hub else (None, None)
        nc, ncl = _cpu(naive) if naive else (None, None)
        clients = [c for c in (hcl, ncl) if c is not None]
        rows.append([f"{viewers:,}", f"{rate:g}", _f(h.get("p50_ms")), _f(hp),
                     f"{_f(share_of(hub), 1)}%" if hub else "-",
                     str(h["viewers"] - h["open"]) if h else "-",
                     _f(n.get("p50_ms")), _f(np_),
                     f"{_f(share_of(naive), 1)}%" if naive else "not run",
                     f"{np_ / hp:.1f}x" if hp and np_ else "-",
                     f"{_f(hc)}% / {_f(nc)}%", f"{_f(max(clients) if clients else None)}%",
                     _f((hub or {}).get("idle_kb"), 1)])
    return "Fan-out: the hub and the naive loop, same viewers, same posts", cols, rows


def scenario_table(results: list[dict[str, Any]]) -> Table:
    cols = ["scenario", "variant", "viewers", "result", "p50 ms", "p99 ms", "max ms", "notes"]
    rows = []
    for r in results:
        row, rep = r["row"], r.get("report") or {}
        if row.kind not in ("stuck", "hide", "storm") or "error" in r:
            if "error" in r and row.kind in ("stuck", "hide", "storm"):
                rows.append([row.kind, row.variant, f"{row.viewers:,}", r["error"], "", "", "",
                             ""])
            continue
        srv = r.get("server") or {}
        if row.kind == "stuck":
            rows.append([f"{row.stuck} stuck among them, {row.rate:g} posts/s", row.variant,
                         f"{row.viewers:,}", f"{_f(share_of(r), 1)}% delivered to the others",
                         _f(rep.get("p50_ms")), _f(rep.get("p99_ms")), _f(rep.get("max_ms")),
                         f"stuck dropped: {srv.get('dropped', 0)} of {row.stuck}; published "
                         f"{srv.get('published')}/{srv.get('planned')}"])
        elif row.kind == "hide":
            commit = (srv.get("hide_committed_at") or 0) - (srv.get("hide_asked_at") or 0)
            rows.append([f"hide during a burst of {row.rate:g} posts/s (whole ingest)",
                         row.variant, f"{row.viewers:,}",
                         f"{rep.get('removed', 0)}/{row.viewers} got the remove",
                         _f(rep.get("remove_p50_ms")), _f(rep.get("remove_p99_ms")),
                         _f(rep.get("remove_max_ms")),
                         f"from the moderator's request; commit took {commit * 1000:.0f} ms"])
        else:
            st = r.get("storm") or {}
            per = st.get("db_queries", 0) / max(st.get("live", 0) or 1, 1)
            rows.append([f"reconnect storm during {row.rate:g} posts/s", row.variant,
                         f"{row.viewers:,}",
                         f"all live in {_f(st.get('all_live_s'), 2)} s "
                         f"({st.get('resumed', 0)} resumed, {st.get('snapshots', 0)} snapshots, "
                         f"{st.get('failed', 0)} failed)",
                         _f(rep.get("p50_ms")), _f(rep.get("p99_ms")), _f(rep.get("max_ms")),
                         f"{per:.2f} database queries per resume; {rep.get('complete', 0)}/"
                         f"{row.viewers} viewers got every post"])
    return "Scenarios", cols, rows


def ws_table(results: list[dict[str, Any]]) -> Table:
    cols = ["uvicorn WebSocket implementation", "viewers", "KB per idle viewer",
            "p99 ms at 20 posts/s", "server CPU"]
    rows = []
    for r in results:
        row = r["row"]
        if row.kind != "idle":
            continue
        if "error" in r:
            rows.append([row.ws, f"{row.viewers:,}", r["error"], "", ""])
            continue
        rows.append([row.ws, f"{row.viewers:,}", _f(r.get("idle_kb"), 1), _f(p99_of(r)),
                     f"{_f(_cpu(r)[0])}%"])
    return "Memory per idle viewer, by uvicorn WebSocket implementation (hub)", cols, rows


def ingest_table(ingest_rows: list[dict[str, Any]]) -> Table:
    cols = ["database", "sources", "posts/s", "posts", "reached the hub"]
    rows = [[r["db"], str(r["sources"]), r.get("error") or f"{r['per_s']:,}",
             str(r.get("posts", "")), str(r.get("published", ""))] for r in ingest_rows]
    return "Ingest: normalise, moderate, store, publish (Admission)", cols, rows


def tables(results: list[dict[str, Any]], ingest_rows: list[dict[str, Any]]) -> list[Table]:
    """Every table, the targets last."""
    from fanout_targets import targets_table  # bench/fanout_targets.py, beside this file

    out = [fanout_table(results), scenario_table(results)]
    if any(r["row"].kind == "idle" for r in results):
        out.append(ws_table(results))
    if ingest_rows:
        out.append(ingest_table(ingest_rows))
    out.append(targets_table(results, ingest_rows))
    return out


def render(tabs: list[Table], markdown: bool) -> str:
    """The tables as aligned text, or as Markdown."""
    parts = []
    for title, cols, rows in tabs:
        if not rows:
            continue
        if markdown:
            lines = [f"**{title}**", "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
            lines += ["| " + " | ".join(r) + " |" for r in rows]
        else:
            widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]
            lines = [title, "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
            lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)
