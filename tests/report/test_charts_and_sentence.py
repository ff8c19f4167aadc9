"""The report's charts are inert SVG; its sentence reads like the societies' own."""

from __future__ import annotations

import base64
import re
from datetime import date
from typing import Any

from app.report.charts import bar_chart, data_url, inert_svg
from app.report.sentence import date_range, sentence

HANDLER = re.compile(rb"\son[a-z]+\s*=", re.IGNORECASE)


def test_pygal_charts_carry_no_script_and_no_event_handler() -> None:
    """A chart as served has no <script>, no on* attribute and no outside reference, though
    pygal writes a script into every chart; the same figures give the same bytes."""
    svg = bar_chart(["15/05", "16/05"], [("All posts", [3, 5]), ("Original", [2, 4])],
                    title="Posts per day")
    assert svg.startswith(b"<svg") and b"<rect" in svg
    assert b"<script" not in svg.lower() and not HANDLER.search(svg)
    assert b"http://" not in svg.replace(b"http://www.w3.org/", b"")
    assert svg == bar_chart(["15/05", "16/05"], [("All posts", [3, 5]), ("Original", [2, 4])],
                            title="Posts per day")
    url = data_url(svg)
    assert base64.b64decode(url.removeprefix("data:image/svg+xml;base64,")) == svg


def test_inert_svg_strips_scripts_handlers_and_foreign_links() -> None:
    """Scripts, foreignObject, on* handlers and non-fragment hrefs are removed; the drawing
    and same-document references stay."""
    hostile = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/'
               b'xlink" onload="alert(1)"><script>alert(2)</script><g><script href="//e/x.js"/>'
               b'<rect onclick="alert(3)" OnMouseOver="x()" width="5"/></g>'
               b'<foreignObject><div/></foreignObject><a xlink:href="javascript:alert(4)">'
               b'<use href="#r"/></a></svg>')
    clean = inert_svg(hostile)
    assert b"script" not in clean.lower() and b"alert" not in clean
    assert not HANDLER.search(clean) and b"foreignObject" not in clean
    assert b'width="5"' in clean and b'href="#r"' in clean


def _report(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"wall": {"hashtags": ["ASNR14"]}, "posts": 420, "participants": 51,
                            "first_day": "2014-05-15", "last_day": "2014-05-23",
                            "categories": []}
    return {**base, **kw}


def test_the_sentence_follows_counts_dates_tags_and_categories() -> None:
    """Singular and plural, one day or a range across months and years, several tags, no
    tag, the wall's own plurals, categories with nobody left out, no posts at all."""
    assert sentence(_report()) == ("420 posts using #ASNR14 were logged from May 15 to May 23, "
                                   "2014 from 51 accounts.")
    cats = [{"category": "radiologist in attendance", "label": "radiologists in attendance",
             "accounts": 20}, {"category": "industry", "label": "industry accounts",
                               "accounts": 0},
            {"category": "institution", "label": "institutions", "accounts": 1}]
    assert sentence(_report(posts=1, participants=1, last_day="2014-05-15", categories=cats,
                            wall={"hashtags": ["A", "B", "C"]})) == (
        "1 post using #A, #B or #C was logged on May 15, 2014 from 1 account, including 20 "
        "radiologists in attendance and 1 institution.")
    assert sentence(_report(posts=12345, wall={"hashtags": []})).startswith(
        "12,345 posts were logged")
    assert sentence(_report(posts=0)) == "No posts using #ASNR14 have been logged yet."
    assert date_range(date(2014, 4, 30), date(2014, 5, 2)) == "from April 30 to May 2, 2014"
    assert date_range(date(2014, 12, 30), date(2015, 1, 2)) == (
        "from December 30, 2014 to January 2, 2015")
