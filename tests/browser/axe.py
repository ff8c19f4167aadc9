"""axe-core in a page: the checker comes from npm (tests/browser/js/package.json, installed by
`make browser-deps`) and is evaluated over the DevTools protocol, which the pages' strict CSP
does not govern, so the page itself still runs under its own policy."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
GRAVE = ("serious", "critical")


@cache
def axe_source() -> str:
    if not AXE.exists():
        message = f"axe-core is not installed at {AXE} (npm ci --prefix tests/browser/js)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text("utf-8")


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Return axe-core's violations on `page` now: [{id, impact, help, nodes: [target…]}]."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source() + "\n;undefined")
    raw = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), impact: n.impact,
                                      summary: n.failureSummary}))}));
    }""")
    return list(raw)


def grave(violations: list[dict[str, Any]]) -> dict[str, int]:
    """Return {rule id: nodes} of the serious and critical violations."""
    out: dict[str, int] = {}
    for v in violations:
        nodes = [n for n in v["nodes"] if (n["impact"] or v["impact"]) in GRAVE]
        if nodes:
            out[v["id"]] = out.get(v["id"], 0) + len(nodes)
    return out


def record(path: Path, name: str, violations: list[dict[str, Any]]) -> None:
    """Add page `name`'s violations to the JSON report at `path` (test-artifacts/axe.json)."""
    report = json.loads(path.read_text("utf-8")) if path.exists() else {}
    report[name] = {"grave": grave(violations),
                    "all": {v["id"]: [v["impact"], len(v["nodes"])] for v in violations},
                    "details": violations}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
