"""The report in its three forms: JSON, CSV (one figure a row) and an HTML page for print.

The HTML is `frontend/templates/report.html` (autoescaped: names, hashtags, mentions and
links are strangers' words) with the two activity charts as `data:` images. Served, it links
`/static/css/report.css`; written to a file (`standalone`), it carries that stylesheet inside
so it opens anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from app.report.charts import bar_chart, data_url, room_timeline
from app.report.export import csv_text

__all__ = ["FRONTEND", "LANGUAGES", "NETWORKS", "charts", "report_csv", "report_html",
           "report_json", "standalone_html"]

# The same folder app.main serves: frontend/ ships beside app/.
FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
NETWORKS = {"x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky"}
LANGUAGES = {
    "ar": "Arabic", "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "id": "Indonesian",
    "it": "Italian", "ja": "Japanese", "ko": "Korean", "nl": "Dutch", "no": "Norwegian",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sv": "Swedish",
    "th": "Thai", "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese", "zh": "Chinese",
    "und": "Unknown",
}
_SUMMARY = ("posts", "original_posts", "reposts", "replies", "participants", "first_day",
            "last_day", "days", "with_media", "media_share", "pending", "moderated_away")


def report_json(report: dict[str, Any]) -> bytes:
    """Return the report as indented UTF-8 JSON."""
    return orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n"


def _rows(r: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    """Yield (section, key, figure, value) rows: one figure a row, for pivot tables."""
    for name in _SUMMARY:
        yield "summary", "", name, r[name]
    yield "summary", "", "impressions_estimate", r["impressions"]["estimate"]
    for d in r["per_day"]:
        yield "day", d["day"], "posts", d["posts"]
        yield "day", d["day"], "original_posts", d["original_posts"]
    for h in r["per_hour"]:
        yield "hour", h["hour"], "posts", h["posts"]
    for c in [*r["categories"], {"category": "(none)", **r["uncategorised"]}]:
        yield "category", c["category"], "accounts", c["accounts"]
        yield "category", c["category"], "posts", c["posts"]
    for section, key in (("top_contributors", "posts"), ("top_by_reach", "impressions")):
        for a in r[section]:
            yield section, a["handle"], key, a[key]
    for tag in r["hashtags"]:
        yield "hashtag", tag["tag"], "posts", tag["posts"]
    for m in r["mentions"]:
        yield "mention", m["mention"], "posts", m["posts"]
    for link in r["links"]:
        yield "link", link["url"], "posts", link["posts"]
    for lang in r["languages"]:
        yield "language", lang["lang"], "posts", lang["posts"]
    for s in r["sources"]:
        yield "network", s["source"], "posts", s["posts"]
    for s in r.get("sessions", []):
        key = f"{s['title']} ({s['room']}, {s['start']})"
        yield "session", key, "posts", s["posts"]
        yield "session", key, "participants", s["participants"]
    yield "sentence", "", "text", r["sentence"]


def report_csv(report: dict[str, Any]) -> str:
    """Return the report as CSV text with a header, one figure a row (no byte order mark)."""
    return csv_text([("section", "key", "figure", "value"), *_rows(report)])


def charts(report: dict[str, Any]) -> dict[str, str]:
    """Return the report's charts as `data:` URLs: `days` (posts and original posts per day),
    `hours` (posts by hour of the day, in the report's time zone) and, with a programme,
    `rooms` (each room's sessions on a timeline, by their posts)."""
    days = report["per_day"]
    labels = [f"{d['day'][8:10]}/{d['day'][5:7]}" for d in days]
    every = max(1, len(days) // 16)
    per_day = bar_chart(labels, [("All posts", [d["posts"] for d in days]),
                                 ("Original posts", [d["original_posts"] for d in days])],
                        title="", every=every)
    hours = report["per_hour"]
    per_hour = bar_chart([f"{h['hour']:02d}" for h in hours],
                         [("All posts", [h["posts"] for h in hours]),
                          ("Original posts", [h["original_posts"] for h in hours])],
                         title="", every=2)
    out = {"days": data_url(per_day), "hours": data_url(per_hour)}
    if report.get("sessions"):
        out["rooms"] = data_url(room_timeline(_rooms(report)))
    return out


def _rooms(report: dict[str, Any]) -> list[tuple[str, list[tuple[datetime, int]]]]:
    """Return per room (in the order they first appear by time) each session's start, in the
    report's time zone and without it (pygal draws naive times), and its posts."""
    tz = ZoneInfo(report["period"]["timezone"])
    rooms: dict[str, list[tuple[datetime, int]]] = {}
    for s in sorted(report["sessions"], key=lambda s: s["start"]):
        start = datetime.fromisoformat(s["start"]).astimezone(tz).replace(tzinfo=None)
        rooms.setdefault(s["room"], []).append((start, s["posts"]))
    return list(rooms.items())


def report_html(env: Environment, report: dict[str, Any], *, css: str | None = None,
                downloads: dict[str, str] | None = None) -> str:
    """Return the report page. With `css` (the text of report.css) the page is standalone:
    the stylesheet is inside it; `downloads` are the links to its other forms and the
    transcript. Raises jinja2's TemplateError when the template is broken."""
    template = env.get_template("report.html")
    return template.render(
        report=report, charts=charts(report), downloads=downloads or {},
        # Our own stylesheet from the package, not data: marked safe so `>` stays `>`.
        css=Markup(css) if css is not None else None,  # noqa: S704
        networks=NETWORKS, languages=LANGUAGES, when=_when(report["period"]["timezone"]),
    )


def _when(zone: str) -> Callable[[dict[str, Any]], str]:
    """Return a function writing a session's time in the report's zone: `Sat 17 May 08:00-12:00`."""
    tz = ZoneInfo(zone)

    def when(session: dict[str, Any]) -> str:
        start = datetime.fromisoformat(session["start"]).astimezone(tz)
        end = datetime.fromisoformat(session["end"]).astimezone(tz)
        return f"{start:%a %d %b %H:%M}\u2013{end:%H:%M}"

    return when


def standalone_html(report: dict[str, Any]) -> str:
    """Return the report page as one file: its stylesheet inside, its charts as `data:`
    images (`tweetwall report --format html`). Raises OSError when the frontend is missing."""
    env = Environment(loader=FileSystemLoader(FRONTEND / "templates"),
                      autoescape=select_autoescape(["html"]))
    css = (FRONTEND / "static" / "css" / "report.css").read_text(encoding="utf-8")
    return report_html(env, report, css=css)
