"""CSV programmes: a header `title,room,start,end,speakers,hashtags` (any order, any case,
other columns ignored), one session a line.

`start` and `end` are ISO 8601 (`2014-05-17T08:00-04:00`, or `2014-05-17 08:00` read in the
programme's time zone); `speakers` are separated by `;`, each `Name` or `Name (@handle, ...)`;
`hashtags` by spaces or commas, with or without `#`.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import tzinfo

from app.programme.entries import make_session, speaker
from app.programme.model import MAX_SESSIONS, Programme, ProgrammeError, Session
from app.programme.times import instant

__all__ = ["COLUMNS", "read_csv"]

COLUMNS = ("title", "room", "start", "end", "speakers", "hashtags")
_NEEDED = ("title", "room", "start", "end")


def _key(room: str, start: str, title: str) -> str:
    """Return a CSV session's key: the same line gives the same key on every import."""
    return "csv:" + hashlib.sha256(f"{room}|{start}|{title}".encode()).hexdigest()[:20]


def read_csv(text: str, tz: tzinfo | None, tz_name: str | None) -> Programme:
    """Return the programme of a CSV text; local times are read in `tz`. Raises
    ProgrammeError naming the line."""
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as err:
        raise ProgrammeError(f"not a CSV file: {err}") from None
    if not rows:
        raise ProgrammeError("the CSV file is empty")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in _NEEDED if c not in header]
    if missing:
        raise ProgrammeError(f"line 1: the header needs the columns {', '.join(COLUMNS)} "
                             f"(missing: {', '.join(missing)})")
    at = {name: header.index(name) for name in COLUMNS if name in header}
    sessions: list[Session] = []
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(sessions) >= MAX_SESSIONS:
            raise ProgrammeError(f"line {number}: more than {MAX_SESSIONS} sessions")

        def cell(name: str, row: list[str] = row) -> str:
            i = at.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        try:
            start, end = instant(cell("start"), tz), instant(cell("end"), tz)
        except ValueError as err:
            title = cell("title")[:60]
            raise ProgrammeError(f'line {number}{f" {title!r}" if title else ""}: {err}') from None
        sessions.append(make_session(
            f"line {number}", key=_key(cell("room"), cell("start"), cell("title")),
            title=cell("title"), room=cell("room"), start=start, end=end,
            speakers=[speaker(s) for s in cell("speakers").split(";")],
            hashtags=[cell("hashtags")]))
    return Programme(tuple(sorted(sessions, key=lambda s: (s.start, s.room))), tz_name)
