"""Programme files: frab/pretalx schedule.json (a real pretalx export), iCalendar and CSV read
into the same sessions, times with their zones, and a bad file named by its entry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.programme import MAX_FILE_BYTES, ProgrammeError, parse_programme

ROOT = Path(__file__).parent.parent.parent
MEETING = ROOT / "app" / "data" / "meeting"
PRETALX = ROOT / "tests" / "fixtures" / "programme" / "pretalx_democon.json"


def _read(name: str) -> bytes:
    return (MEETING / name).read_bytes()


def test_a_real_pretalx_export_is_read() -> None:
    """pretalx's DemoCon schedule.json: 36 sessions in two rooms over three days, offsets kept,
    speakers by their public names, workshops of 90 minutes."""
    p = parse_programme(PRETALX.read_bytes(), name="schedule.json")
    assert len(p.sessions) == 36
    assert sorted(p.rooms) == ["Khaki Room", "Magenta Room"]
    first = next(s for s in p.sessions if s.key == "2073e55f-01a2-533f-8a2d-7694782e3531")
    assert first.title == "Open-source executive info-mediaries"
    assert first.start == datetime(2020, 4, 17, 8, 0, tzinfo=UTC)
    assert first.start.utcoffset() == timedelta(hours=2)
    assert first.end - first.start == timedelta(minutes=30)
    assert [s.name for s in first.speakers] == ["Thomas Grimes"]
    workshop = next(s for s in p.sessions if s.title == "Fundamental web-enabled application")
    assert workshop.end - workshop.start == timedelta(minutes=90)
    assert [s.name for s in workshop.speakers] == ["Dr. Steve Harris MD", "Desiree Bradshaw"]


def test_the_three_formats_of_the_bundled_programme_agree() -> None:
    """schedule.json, .ics and .csv of the bundled meeting give the same sessions (titles,
    rooms, instants, speakers with handles, hashtags); json and ics keep their ids."""
    found = {n: parse_programme(_read(n), name=n)
             for n in ("programme.json", "programme.ics", "programme.csv")}

    def shape(name: str) -> list[tuple[object, ...]]:
        return [(s.title, s.room, s.start, s.end, s.speakers, s.hashtags)
                for s in found[name].sessions]

    assert shape("programme.json") == shape("programme.ics") == shape("programme.csv")
    assert len(found["programme.json"].sessions) == 32
    assert found["programme.json"].timezone == found["programme.ics"].timezone == \
        "America/Montreal"
    keys = [s.key for s in found["programme.json"].sessions]
    assert keys == [s.key for s in found["programme.ics"].sessions]
    stroke = next(s for s in found["programme.ics"].sessions if s.key == "asnr14-stroke-1")
    assert stroke.start == datetime(2014, 5, 17, 12, 0, tzinfo=UTC)
    assert stroke.room == "Hall 210" and stroke.hashtags == ("stroke",)
    assert dict(stroke.speakers[1].handles) == {"x": "kofi_neurorad"}


def test_csv_local_times_take_the_zone_given() -> None:
    """A CSV local time is read in --tz (DST included); without one it is an error."""
    text = (b"title,room,start,end,speakers,hashtags\n"
            b"Keynote,Hall A,2014-05-17 08:00,2014-05-17 09:00,"
            b"Ana Ruiz (@ana_r); Bo (@bo@rad.community),#Key #Note\n")
    p = parse_programme(text, name="p.csv", tz="America/Montreal")
    s = p.sessions[0]
    assert s.start == datetime(2014, 5, 17, 12, 0, tzinfo=UTC)
    assert [(sp.name, sp.handles) for sp in s.speakers] == [
        ("Ana Ruiz", (("x", "ana_r"),)), ("Bo", (("mastodon", "bo@rad.community"),))]
    assert s.hashtags == ("Key", "Note")
    with pytest.raises(ProgrammeError, match=r"^line 2 'Keynote': 2014-05-17 08:00 has no time"):
        parse_programme(text, name="p.csv")


def test_importing_the_same_file_twice_gives_the_same_sessions() -> None:
    """Keys are stable: a CSV line's key is made from its room, start and title."""
    a = parse_programme(_read("programme.csv"), name="p.csv")
    b = parse_programme(_read("programme.csv"), name="p.csv")
    assert a == b


BAD = [
    ("p.json", b'{"schedule": {"conference": {}}}', "no schedule.conference.days"),
    ("p.json", b"{not json", "not valid JSON"),
    ("p.json", b'{"schedule": {"conference": {"days": [{"rooms": {"A": [{"title": "Talk", '
               b'"date": "2020-01-01T10:00:00+01:00", "duration": "1h"}]}}]}}}',
     'session 1 "Talk": a duration is HH:MM'),
    ("p.json", b'{"schedule": {"conference": {"days": [{"rooms": {"A": [{"title": "Talk", '
               b'"date": "2020-01-01T10:00:00", "duration": "01:00"}]}}]}}}',
     'session 1 "Talk": 2020-01-01 10:00 has no time zone'),
    ("p.json", b'{"schedule": {"conference": {"days": [{"rooms": {"A": [{"title": "", '
               b'"date": "2020-01-01T10:00:00Z", "duration": "01:00"}]}}]}}}',
     "session 1: no title"),
    ("p.csv", b"title,room\nA,B\n", "line 1: the header needs the columns"),
    ("p.csv", b"title,room,start,end\nTalk,,2020-01-01T10:00Z,2020-01-01T11:00Z\n",
     'line 2 "Talk": no room'),
    ("p.csv", b"title,room,start,end\nTalk,A,2020-01-01T10:00Z,2020-01-01T09:00Z\n",
     'line 2 "Talk": ends'),
    ("p.csv", b"title,room,start,end\nTalk,A,noon,2020-01-01T09:00Z\n",
     "line 2 'Talk': not a date and time: 'noon'"),
    ("p.ics", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Talk\r\nDTSTART:20200101T100000"
              b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 'event 1 "Talk": '),
    ("p.ics", b"BEGIN:VCALENDAR\r\nthis is not ical", "not a valid iCalendar file"),
    ("p.csv", b"title,room,start,end\n", "the file holds no sessions"),
    ("p.csv", b"\xff\xfe\x00t", "not UTF-8 text"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD, ids=[m for _n, _d, m in BAD])
def test_a_bad_file_is_one_line_naming_the_entry(name: str, data: bytes, message: str) -> None:
    """Every problem is a ProgrammeError of one line that says where: never another error."""
    with pytest.raises(ProgrammeError) as caught:
        parse_programme(data, name=name)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_file_over_the_cap_is_refused_before_it_is_read() -> None:
    """2 MiB is the cap, as the upload route's."""
    with pytest.raises(ProgrammeError, match="over 2 MiB"):
        parse_programme(b" " * (MAX_FILE_BYTES + 1), name="p.csv")


def test_hostile_text_is_kept_as_text_and_bounded() -> None:
    """Programme text is a stranger's: markup stays text, control and bidi characters go,
    lengths are bounded."""
    title = "<script>alert(1)</script>\u202eevil\u0007" + "x" * 500
    data = (f'title,room,start,end\n"{title}",<b>Hall</b>,2020-01-01T10:00Z,2020-01-01T11:00Z\n'
            ).encode()
    s = parse_programme(data, name="p.csv").sessions[0]
    assert s.title.startswith("<script>alert(1)</script>evil")
    assert "\u202e" not in s.title and "\u0007" not in s.title
    assert len(s.title) == 300 and s.room == "<b>Hall</b>"
