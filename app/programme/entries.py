"""One session from one entry of a file, checked and cleaned the same way for every format."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from app.programme.handles import NETWORKS, handle, parse_speaker
from app.programme.model import ProgrammeError, Session, Speaker, clean

__all__ = ["MAX_HASHTAGS", "MAX_SPEAKERS", "make_session", "speaker"]

MAX_SPEAKERS = 30
MAX_HASHTAGS = 20
LONGEST = timedelta(days=3)


def speaker(name: str, handles: Iterable[tuple[str, str]] = ()) -> Speaker | None:
    """Return a speaker from a name (maybe `Name (@handle, ...)`) and (network, handle) pairs
    given apart; None for an empty name. Handles that do not fit their network are dropped."""
    text, written = parse_speaker(clean(name, 300))
    text = clean(text, 120)
    if not text:
        return None
    found: dict[str, str] = {}
    for network, value in [*written, *handles]:
        if network in NETWORKS and (h := handle(network, value)) is not None:
            found.setdefault(network, h)
    return Speaker(text, tuple(sorted(found.items())))


def _tags(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        for part in str(value).replace(",", " ").split():
            tag = clean(part.lstrip("#"), 100)
            if tag and tag.casefold() not in {t.casefold() for t in out}:
                out.append(tag)
    return tuple(out[:MAX_HASHTAGS])


def make_session(where: str, *, key: str, title: object, room: object, start: datetime,
                 end: datetime, speakers: Iterable[Speaker | None] = (),
                 hashtags: Iterable[str] = (), track: object = "") -> Session:
    """Return the checked session of entry `where` (`session 12`, `line 4`). Raises
    ProgrammeError naming the entry and what is wrong."""
    name = clean(title, 300)
    label = f'{where} "{name[:60]}"' if name else where
    if not name:
        raise ProgrammeError(f"{where}: no title")
    place = clean(room, 100)
    if not place:
        raise ProgrammeError(f"{label}: no room")
    if end <= start:
        raise ProgrammeError(f"{label}: ends ({end.isoformat()}) before it starts "
                             f"({start.isoformat()})")
    if end - start > LONGEST:
        raise ProgrammeError(f"{label}: lasts more than {LONGEST.days} days")
    people = [s for s in speakers if s is not None]
    if len(people) > MAX_SPEAKERS:
        raise ProgrammeError(f"{label}: more than {MAX_SPEAKERS} speakers")
    return Session(key=clean(key, 200) or f"{place}|{start.isoformat()}|{name}"[:200],
                   title=name, room=place, start=start, end=end, speakers=tuple(people),
                   hashtags=_tags(hashtags), track=clean(track, 100))
