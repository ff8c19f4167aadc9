"""Read a programme file: frab/pretalx `schedule.json`, iCalendar (`.ics`) or CSV.

`parse_programme(data, name=..., tz=...)` tells the format by the file's name, else by its
first bytes, and returns a Programme; anything wrong raises ProgrammeError with one line that
names the entry. Files are at most MAX_FILE_BYTES; no format here reads anything but the bytes
given (no includes, no URLs fetched).

- schedule.json: `schedule.conference.days[].rooms{room: [event]}`; an event's `date` (ISO with
  offset), `duration` (HH:MM), `title`, `room`, `guid` (else `id`), `track`, `persons[]` with
  `public_name` (or `name`). Extensions read when present: a person's `handles`
  (`{"x": "@..", "mastodon": "@user@host", "bluesky": "name.domain"}`) and an event's
  `hashtags` (a list). The zone is `conference.time_zone_name` when given.
- iCalendar: each VEVENT with a time (all-day events are not sessions and are skipped):
  `UID`, `SUMMARY`, `LOCATION`, `DTSTART`, `DTEND` or `DURATION`, speakers from `ATTENDEE`'s
  `CN` and a `Speakers:` line of `DESCRIPTION`, hashtags from a `Hashtags:` line of
  `DESCRIPTION` and `CATEGORIES` that start with `#`. The zone: `X-WR-TIMEZONE`.
- CSV: app/programme/tables.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

import icalendar

from app.programme.entries import make_session, speaker
from app.programme.model import MAX_SESSIONS, Programme, ProgrammeError, Session, clean
from app.programme.tables import read_csv
from app.programme.times import duration, instant, zone

__all__ = ["FORMATS", "MAX_FILE_BYTES", "detect", "parse_programme"]

MAX_FILE_BYTES = 2 * 1024 * 1024
FORMATS = ("json", "ics", "csv")


def detect(data: bytes, name: str = "") -> str:
    """Return the format of a file: by its name's extension, else by its first bytes."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix in ("json", "ics", "csv"):
        return suffix
    if suffix in ("ical", "ifb", "icalendar"):
        return "ics"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:20].upper()
    if head.startswith((b"{", b"[")):
        return "json"
    if head.startswith(b"BEGIN:VCALENDAR"):
        return "ics"
    return "csv"


def _events(schedule: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    conference = schedule.get("conference")
    days = conference.get("days") if isinstance(conference, Mapping) else None
    if not isinstance(days, list):
        raise ProgrammeError("not a frab/pretalx schedule: no schedule.conference.days")
    for day in days:
        rooms = day.get("rooms") if isinstance(day, Mapping) else None
        if not isinstance(rooms, Mapping):
            raise ProgrammeError("not a frab/pretalx schedule: a day without rooms")
        for room, events in rooms.items():
            for event in events if isinstance(events, list) else ():
                if isinstance(event, Mapping):
                    yield {"room": room, **event}


def _person(person: Any) -> Any:
    if not isinstance(person, Mapping):
        return speaker(str(person or ""))
    handles = person.get("handles")
    pairs = [(str(k), str(v)) for k, v in handles.items()] if isinstance(handles, Mapping) else []
    return speaker(str(person.get("public_name") or person.get("name") or ""), pairs)


def _schedule(text: str, tz: tzinfo | None, tz_name: str | None) -> Programme:
    try:
        root = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:
        raise ProgrammeError(f"not valid JSON: {str(err)[:120]}") from None
    schedule = root.get("schedule", root) if isinstance(root, Mapping) else None
    if not isinstance(schedule, Mapping):
        raise ProgrammeError("not a frab/pretalx schedule: no schedule object")
    conference = schedule.get("conference")
    named = conference.get("time_zone_name") if isinstance(conference, Mapping) else None
    if isinstance(named, str) and named:
        try:
            tz, tz_name = zone(named), named
        except ValueError as err:
            raise ProgrammeError(f"conference.time_zone_name: {err}") from None
    sessions: list[Session] = []
    for number, event in enumerate(_events(schedule), 1):
        where = f"session {number}"
        if number > MAX_SESSIONS:
            raise ProgrammeError(f"{where}: more than {MAX_SESSIONS} sessions")
        try:
            start = instant(event.get("date"), tz)
            end = start + duration(event.get("duration"))
        except ValueError as err:
            raise ProgrammeError(f'{where} "{clean(event.get("title"), 60)}": {err}') from None
        persons = event.get("persons")
        tags = event.get("hashtags")
        sessions.append(make_session(
            where, key=str(event.get("guid") or event.get("id") or ""),
            title=event.get("title"), room=event.get("room"), start=start, end=end,
            speakers=[_person(p) for p in persons] if isinstance(persons, list) else [],
            hashtags=[str(t) for t in tags] if isinstance(tags, list) else [],
            track=event.get("track") if isinstance(event.get("track"), str) else ""))
    title = clean(conference.get("title"), 200) if isinstance(conference, Mapping) else ""
    return Programme(tuple(sorted(sessions, key=lambda s: (s.start, s.room))), tz_name, title)


def _lines(description: str, label: str) -> list[str]:
    """Return what follows `Label:` on the lines of a description that start with it."""
    prefix = label.lower() + ":"
    return [line.strip()[len(prefix):] for line in description.splitlines()
            if line.strip().lower().startswith(prefix)]


def _ical_time(value: Any, tz: tzinfo | None) -> datetime | None:
    """Return an event time as an aware datetime; None for a date (an all-day event)."""
    when = getattr(value, "dt", value)
    if isinstance(when, date) and not isinstance(when, datetime):
        return None
    return instant(when, tz)


def _vevent(number: int, event: Any, tz: tzinfo | None) -> Session | None:
    title = str(event.get("SUMMARY") or "")
    where = f"event {number}"
    try:
        start = _ical_time(event.get("DTSTART"), tz)
        if start is None:
            return None
        end = _ical_time(event.get("DTEND"), tz) if event.get("DTEND") is not None else None
        if end is None:
            length = getattr(event.get("DURATION"), "dt", None)
            if not isinstance(length, timedelta):
                raise ValueError("no DTEND or DURATION")
            end = start + length
    except ValueError as err:
        raise ProgrammeError(f'{where} "{clean(title, 60)}": {err}') from None
    description = str(event.get("DESCRIPTION") or "")
    attendees = event.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees] if attendees else []
    names = [str(a.params.get("CN") or "") for a in attendees if hasattr(a, "params")]
    for line in _lines(description, "Speakers") + _lines(description, "Speaker"):
        names += line.split(";")
    categories = event.get("CATEGORIES")
    listed = categories if isinstance(categories, list) else [categories] if categories else []
    cats = [str(c) for group in listed for c in getattr(group, "cats", [group])]
    return make_session(
        where, key=str(event.get("UID") or ""), title=title, room=event.get("LOCATION"),
        start=start, end=end, speakers=[speaker(n) for n in names],
        hashtags=[c for c in cats if c.startswith("#")] + _lines(description, "Hashtags"))


def _ical(text: str, tz: tzinfo | None, tz_name: str | None) -> Programme:
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except Exception as err:  # the parser's errors are of many kinds; any is "not iCalendar"
        raise ProgrammeError(f"not a valid iCalendar file: {str(err)[:120]}") from None
    named = str(calendar.get("X-WR-TIMEZONE") or "")
    if named:
        try:
            tz, tz_name = zone(named), named
        except ValueError as err:
            raise ProgrammeError(f"X-WR-TIMEZONE: {err}") from None
    sessions: list[Session] = []
    try:
        events = list(calendar.walk("VEVENT"))
    except Exception as err:  # as above: a malformed calendar, whatever the parser raised
        raise ProgrammeError(f"not a valid iCalendar file: {str(err)[:120]}") from None
    for number, event in enumerate(events, 1):
        if len(sessions) >= MAX_SESSIONS:
            raise ProgrammeError(f"event {number}: more than {MAX_SESSIONS} sessions")
        try:
            found = _vevent(number, event, tz)
        except ProgrammeError:
            raise
        except Exception as err:  # a property the parser could not decode
            raise ProgrammeError(f"event {number}: unreadable ({str(err)[:80]})") from None
        if found is not None:
            sessions.append(found)
    title = clean(calendar.get("X-WR-CALNAME"), 200)
    return Programme(tuple(sorted(sessions, key=lambda s: (s.start, s.room))), tz_name, title)


def parse_programme(data: bytes, *, name: str = "", fmt: str | None = None,
                    tz: str | None = None) -> Programme:
    """Return the programme in `data` (a file called `name`; `fmt` json, ics or csv forces the
    format); local times are read in the IANA zone `tz` unless the file names its own.
    Raises ProgrammeError (one line, naming the entry) for anything wrong: too big, not text,
    not the format, an entry without a title, room or time, a local time with no zone."""
    if len(data) > MAX_FILE_BYTES:
        raise ProgrammeError(f"the file is over {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    kind = fmt or detect(data, name)
    if kind not in FORMATS:
        raise ProgrammeError(f"the format is one of {', '.join(FORMATS)}, not {kind[:20]!r}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ProgrammeError(f"not UTF-8 text (byte {err.start})") from None
    if "\x00" in text:
        raise ProgrammeError("not a text file (it holds NUL characters)")
    try:
        default = zone(tz)
    except ValueError as err:
        raise ProgrammeError(f"--tz: {err}") from None
    reader = {"json": _schedule, "ics": _ical, "csv": read_csv}[kind]
    programme = reader(text, default, tz)
    if not programme.sessions:
        raise ProgrammeError("the file holds no sessions")
    keys = [s.key for s in programme.sessions]
    if len(set(keys)) != len(keys):
        twice = next(k for k in keys if keys.count(k) > 1)
        raise ProgrammeError(f"two sessions have the id {twice[:60]!r}")
    return programme
