"""The meeting report in Debian's Chromium: the bundled meeting imported, the page drawn
under the strict CSP with its charts, a screenshot at 1280x1800 and a printed PDF of at most
three A4 pages (test-artifacts/, for people to look at)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import ROOT, SCREENSHOTS
from tests.conftest import ServerProcess

pytestmark = pytest.mark.browser

TOML = """
[[walls]]
slug = "asnr14"
title = "ASNR 2014 Annual Meeting"
hashtags = ["ASNR14"]
sources = []

[walls.rules]
max_per_author_per_hour = 0
collapse_duplicates = false
"""
SENTENCE = ("420 posts using #ASNR14 were logged from May 15 to May 23, 2014 from 51 accounts, "
            "including 20 attendees, 8 remote attendees, 12 non-specialists and 8 institutions.")


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server on a database the bundled meeting was imported into (`tweetwall import`)."""
    server = ServerProcess(tmp_path_factory.mktemp("report"), TOML)
    done = subprocess.run([sys.executable, "-m", "app.cli", "import", "asnr14", "--config",
                           str(server.config)], cwd=server.workdir, env=server.env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    yield server.start()
    server.stop()


def test_the_report_draws_its_charts_under_the_csp_and_prints_on_a_few_pages(
        meeting: ServerProcess, open_page: Any) -> None:
    """The report page shows the meeting's sentence and figures, both charts load as images
    (no CSP violation, no script error), and printed to PDF it fills at most three A4 pages;
    the screenshot and the PDF are kept in test-artifacts/."""
    page, _watch = open_page(f"{meeting.url}/walls/asnr14/report",
                             viewport={"width": 1280, "height": 1800}, wait_live=False)
    assert page.inner_text("#sentence") == SENTENCE
    assert page.inner_text("[data-figure=posts]") == "420"
    assert page.inner_text("[data-figure=participants]") == "51"
    widths = page.eval_on_selector_all(
        "img.chart", "els => els.map(e => e.complete ? e.naturalWidth : 0)")
    assert len(widths) == 2 and all(w > 0 for w in widths)
    assert page.eval_on_selector_all("script", "els => els.length") == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "report.png"), full_page=True)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    (ROOT / "test-artifacts" / "report.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 3, pages
