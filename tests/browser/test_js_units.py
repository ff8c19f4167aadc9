"""The pure front-end modules' unit tests (state, formatting, transport, masonry) under node."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

JS_TESTS = Path(__file__).resolve().parent / "js"


def test_pure_modules_pass_their_node_tests() -> None:
    """`node --test tests/browser/js/` passes: feed ordering and cap, resume, backoff, staleness,
    URL and text safety, relative times, masonry placement."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the pure modules' unit tests need node >= 20")
    files = sorted(str(p) for p in JS_TESTS.glob("*.test.mjs"))
    result = subprocess.run([node, "--test", *files], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
