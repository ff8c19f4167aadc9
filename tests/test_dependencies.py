"""Dependencies are declared at or above the releases that fixed known vulnerabilities."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version

import pytest

from tests.conftest import ROOT

# package -> (first fixed release, what it fixed)
FIXED = {
    "starlette": ("0.49.1", "CVE-2025-62727: Range header DoS in FileResponse/StaticFiles"),
    "jinja2": ("3.1.6", "CVE-2025-27516: sandbox escape through the |attr filter"),
    "aiohttp": ("3.13.3", "the January 2026 batch of request-parsing and DoS fixes"),
}


def _tuple(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


def _declared() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    floors = {}
    for spec in project["dependencies"]:
        m = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?>=([0-9.]+)", spec)
        if m:
            floors[m.group(1).lower()] = m.group(2)
    return floors


@pytest.mark.parametrize("package", sorted(FIXED))
def test_declared_floor_excludes_vulnerable_releases(package: str) -> None:
    """pyproject.toml never allows a release older than the one that fixed a known hole."""
    fixed, why = FIXED[package]
    floor = _declared().get(package)
    assert floor is not None, f"{package} has no >= floor in pyproject.toml ({why})"
    assert _tuple(floor) >= _tuple(fixed), f"{package}>={floor} allows releases before {fixed}: {why}"
    assert _tuple(version(package)) >= _tuple(fixed), f"installed {package} predates {fixed}"
