"""The meeting's programme (programme.toml) as the files meetings publish: a frab/pretalx
`schedule.json`, an iCalendar file and a CSV file, all three with the same sessions.

No randomness and no clock: the programme is written after the posts and draws nothing, so
adding it leaves meeting.jsonl byte-identical. A speaker written `@key` is an account of
accounts.toml: its name, and its handle on its network (the handles the wall matches posts
by).
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .data import Account, DataError

__all__ = ["Programme", "load_programme", "write_programme"]

_KEYS = {"id", "day", "start", "end", "room", "title", "speakers", "hashtags"}


@dataclass(frozen=True)
class Slot:
    id: str
    title: str
    room: str
    start: datetime
    end: datetime
    speakers: list[tuple[str, dict[str, str]]]   # name, {network: "@handle"}
    hashtags: list[str]


@dataclass(frozen=True)
class Programme:
    timezone: str
    demo_session: str
    slots: list[Slot]


def _handle(account: Account) -> tuple[str, str]:
    if account.source == "mastodon":
        return "mastodon", f"@{account.key}@{account.instance}"
    if account.source == "bluesky":
        return "bluesky", f"@{account.bsky}"
    return "x", f"@{account.key}"


def load_programme(path: Path, accounts: list[Account], month: date) -> Programme:
    """Return the programme of `path`; `month` gives the year and month of `day`. Raises
    DataError naming the session."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    zone = ZoneInfo(data["timezone"])
    by_key = {a.key: a for a in accounts}
    slots: list[Slot] = []
    for i, raw in enumerate(data["session"], 1):
        where = f"{path.name}: session {i} ({raw.get('id', '?')})"
        if set(raw) - _KEYS or not {"id", "day", "start", "end", "room", "title"} <= set(raw):
            raise DataError(f"{where}: keys are {', '.join(sorted(_KEYS))}")
        day = month.replace(day=int(raw["day"]))

        def at(hhmm: str, day: date = day) -> datetime:
            hour, minute = (int(x) for x in hhmm.split(":"))
            return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)

        speakers = []
        for name in raw.get("speakers", []):
            if name.startswith("@"):
                account = by_key.get(name[1:])
                if account is None:
                    raise DataError(f"{where}: no account {name!r} in accounts.toml")
                network, handle = _handle(account)
                speakers.append((account.name, {network: handle}))
            else:
                speakers.append((name, {}))
        slot = Slot(raw["id"], raw["title"], raw["room"], at(raw["start"]), at(raw["end"]),
                    speakers, list(raw.get("hashtags", [])))
        if slot.end <= slot.start:
            raise DataError(f"{where}: ends before it starts")
        slots.append(slot)
    if len({s.id for s in slots}) != len(slots):
        raise DataError(f"{path.name}: two sessions share an id")
    if data["demo_session"] not in {s.id for s in slots}:
        raise DataError(f"{path.name}: demo_session names no session")
    slots.sort(key=lambda s: (s.start, s.room))
    return Programme(data["timezone"], data["demo_session"], slots)


def _duration(slot: Slot) -> str:
    minutes = int((slot.end - slot.start) / timedelta(minutes=1))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def schedule_json(p: Programme, title: str, acronym: str) -> dict[str, Any]:
    """Return the programme as a frab/pretalx schedule.json (persons carry `handles`, events
    `hashtags`: the extensions docs/programme.md describes)."""
    days = sorted({s.start.date() for s in p.slots})
    rooms = list(dict.fromkeys(s.room for s in p.slots))
    people = list(dict.fromkeys(name for s in p.slots for name, _h in s.speakers))
    out_days = []
    for index, day in enumerate(days, 1):
        by_room: dict[str, list[dict[str, Any]]] = {}
        for s in (s for s in p.slots if s.start.date() == day):
            by_room.setdefault(s.room, []).append({
                "id": p.slots.index(s) + 1, "guid": s.id, "logo": "",
                "date": s.start.isoformat(), "start": s.start.strftime("%H:%M"),
                "duration": _duration(s), "room": s.room, "slug": s.id, "url": "",
                "title": s.title, "subtitle": "", "track": "", "type": "Session",
                "language": "en", "abstract": "", "description": "",
                "recording_license": "", "do_not_record": False,
                "persons": [{"id": people.index(n) + 1, "code": f"P{people.index(n) + 1:03d}",
                             "public_name": n, "biography": "", "answers": [],
                             **({"handles": h} if h else {})} for n, h in s.speakers],
                "links": [], "attachments": [], "answers": [], "hashtags": s.hashtags})
        start = datetime(day.year, day.month, day.day, 4, tzinfo=p.slots[0].start.tzinfo)
        out_days.append({"index": index, "date": day.isoformat(),
                         "day_start": start.isoformat(),
                         "day_end": (start + timedelta(hours=23, minutes=59)).isoformat(),
                         "rooms": by_room})
    return {"schedule": {"version": "1.0", "base_url": "", "conference": {
        "acronym": acronym, "title": title, "start": days[0].isoformat(),
        "end": days[-1].isoformat(), "daysCount": len(days), "timeslot_duration": "00:15",
        "time_zone_name": p.timezone, "rooms": [{"name": r} for r in rooms],
        "days": out_days}}}


def _speaker_text(name: str, handles: dict[str, str]) -> str:
    return f"{name} ({', '.join(handles.values())})" if handles else name


def _ics_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def _fold(line: str) -> list[str]:
    """Fold an iCalendar content line at 75 octets (RFC 5545 3.1)."""
    out, rest = [], line.encode()
    while len(rest) > 75:
        cut = 75 if not out else 74
        while (rest[cut] & 0xC0) == 0x80:   # never inside a UTF-8 sequence
            cut -= 1
        out.append(rest[:cut].decode())
        rest = rest[cut:]
    out.append(rest.decode())
    return [out[0], *(" " + part for part in out[1:])]


def programme_ics(p: Programme, title: str) -> str:
    """Return the programme as an iCalendar file (local times with TZID, X-WR-TIMEZONE)."""
    def local(t: datetime) -> str:
        return f";TZID={p.timezone}:{t.strftime('%Y%m%dT%H%M%S')}"

    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tweetwall//meeting generator//EN",
             f"X-WR-CALNAME:{_ics_text(title)}", f"X-WR-TIMEZONE:{p.timezone}"]
    for s in p.slots:
        description = []
        if s.speakers:
            description.append("Speakers: " + "; ".join(_speaker_text(n, h)
                                                        for n, h in s.speakers))
        if s.hashtags:
            description.append("Hashtags: " + " ".join("#" + t for t in s.hashtags))
        lines += ["BEGIN:VEVENT", f"UID:{s.id}", "DTSTAMP:20140501T000000Z",
                  f"DTSTART{local(s.start)}", f"DTEND{local(s.end)}",
                  f"SUMMARY:{_ics_text(s.title)}", f"LOCATION:{_ics_text(s.room)}"]
        if description:
            lines.append(f"DESCRIPTION:{_ics_text(chr(10).join(description))}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))


def programme_csv(p: Programme) -> str:
    """Return the programme as CSV: title,room,start,end,speakers,hashtags."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["title", "room", "start", "end", "speakers", "hashtags"])
    for s in p.slots:
        writer.writerow([s.title, s.room, s.start.isoformat(), s.end.isoformat(),
                         "; ".join(_speaker_text(n, h) for n, h in s.speakers),
                         " ".join("#" + t for t in s.hashtags)])
    return out.getvalue()


def write_programme(out: Path, p: Programme, title: str, acronym: str) -> dict[str, Any]:
    """Write programme.json, programme.ics and programme.csv into `out`; return the
    manifest's `programme` entry."""
    (out / "programme.json").write_text(json.dumps(
        schedule_json(p, title, acronym), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8")
    (out / "programme.ics").write_bytes(programme_ics(p, title).encode())
    (out / "programme.csv").write_text(programme_csv(p), encoding="utf-8", newline="")
    return {"sessions": len(p.slots), "rooms": list(dict.fromkeys(s.room for s in p.slots)),
            "timezone": p.timezone, "demo_session": p.demo_session,
            "files": ["programme.json", "programme.ics", "programme.csv"]}
