"""The sentence a society publishes after its meeting, written from the report's figures:

    420 posts using #ASNR14 were logged from May 15 to May 23, 2014 from 51 accounts,
    including 20 attendees, 8 remote attendees, 12 non-specialists and 8 institutions.

English, as the societies' newsletters we model it on; the categories' plurals are the wall's
own (app/settings/walls.py `Category.plural`), so a society can make it say "radiologists in
attendance".
"""

from __future__ import annotations

from datetime import date
from typing import Any

__all__ = ["date_range", "sentence", "series"]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def series(items: list[str], last: str = "and") -> str:
    """Return `items` as an English list: "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def date_range(first: date, last: date) -> str:
    """Return "on May 15, 2014", "from May 15 to May 23, 2014", "from April 30 to May 2,
    2014" or "from December 30, 2014 to January 2, 2015"."""
    def day(d: date, year: bool) -> str:
        text = f"{MONTHS[d.month - 1]} {d.day}"
        return f"{text}, {d.year}" if year else text

    if first == last:
        return f"on {day(first, True)}"
    return f"from {day(first, first.year != last.year)} to {day(last, True)}"


def sentence(report: dict[str, Any]) -> str:
    """Return the report's sentence: posts, the wall's hashtags, the days, the accounts and,
    when moderators sorted them, how many of each category (those with none are left out)."""
    tags = series([f"#{t}" for t in report["wall"]["hashtags"]], "or")
    using = f" using {tags}" if tags else ""
    if not report["posts"]:
        return f"No posts{using} have been logged yet."
    first = date.fromisoformat(report["first_day"])
    last = date.fromisoformat(report["last_day"])
    posts = _count(report["posts"], "post", "posts")
    verb = "was" if report["posts"] == 1 else "were"
    people = _count(report["participants"], "account", "accounts")
    kinds = [_count(c["accounts"], c["category"], c["label"])
             for c in report["categories"] if c["accounts"]]
    including = f", including {series(kinds)}" if kinds else ""
    return (f"{posts}{using} {verb} logged {date_range(first, last)} from {people}"
            f"{including}.")
