"""A wall's programme in the store: its sessions (replaced as a whole by an import, updated in
place by their ids), where it came from, and the handles moderators gave speakers.

An import is idempotent: the same file again changes nothing; a changed file updates the
sessions whose ids it keeps, adds the new ones and removes those it no longer lists. Handles a
moderator gave a speaker are kept across imports (they are keyed by the speaker's name).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from app.clock import aware, iso, utcnow
from app.programme import Programme, Session, Speaker, speaker_key
from app.programme.handles import NETWORKS, handle
from app.store.schema import programme_sessions, programmes, speaker_handles
from app.store.store import Store, Tx

__all__ = ["ImportSummary", "Programmes", "SpeakerError", "StoredProgramme"]


class SpeakerError(ValueError):
    """A speaker the programme does not list, or a handle that does not fit its network."""


@dataclass(frozen=True)
class ImportSummary:
    """What an import changed: sessions added, changed, removed and left as they were."""

    added: int
    changed: int
    removed: int
    unchanged: int


@dataclass(frozen=True)
class StoredProgramme:
    """A wall's programme as stored, with where it came from and when."""

    programme: Programme
    source: str
    imported_by: str
    imported_at: str


def _data(session: Session) -> dict[str, Any]:
    return {"speakers": [{"name": s.name, "handles": dict(s.handles)} for s in session.speakers],
            "hashtags": list(session.hashtags), "track": session.track,
            "start": session.start.isoformat(), "end": session.end.isoformat()}


def _time(text: Any, stored: datetime) -> datetime:
    """Return the time as the file wrote it (its offset kept), else the stored UTC time."""
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return aware(stored)


def _session(row: Any) -> Session:
    data = row.data or {}
    speakers = tuple(Speaker(str(s.get("name", "")), tuple(sorted(
        (str(n), str(h)) for n, h in (s.get("handles") or {}).items())))
        for s in data.get("speakers") or [] if isinstance(s, dict))
    return Session(key=row.key, title=row.title, room=row.room,
                   start=_time(data.get("start"), row.starts_at),
                   end=_time(data.get("end"), row.ends_at), speakers=speakers,
                   hashtags=tuple(str(t) for t in data.get("hashtags") or []),
                   track=str(data.get("track") or ""))


class Programmes:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def replace(self, slug: str, programme: Programme, *, source: str,
                      actor: str) -> ImportSummary:
        """Make `programme` the wall's, in one transaction; returns what changed. Raises
        WallNotFound."""
        wall = self.store.wall(slug)
        t = programme_sessions

        async def run(tx: Tx) -> ImportSummary:
            have = {r.key: r for r in await tx.conn.execute(
                select(t).where(t.c.wall_id == wall.id))}
            added = changed = unchanged = 0
            for session in programme.sessions:
                # UTC: SQLite keeps a time as the text it is given, so order needs one zone.
                values = {"title": session.title, "room": session.room,
                          "starts_at": session.start.astimezone(UTC),
                          "ends_at": session.end.astimezone(UTC),
                          "data": _data(session)}
                old = have.pop(session.key, None)
                if old is None:
                    await tx.conn.execute(insert(t).values(wall_id=wall.id, key=session.key,
                                                           **values))
                    added += 1
                elif _session(old) != session:
                    await tx.conn.execute(update(t).where(t.c.id == old.id).values(**values))
                    changed += 1
                else:
                    unchanged += 1
            if have:
                await tx.conn.execute(delete(t).where(t.c.id.in_([r.id for r in have.values()])))
            meta = {"title": programme.title, "timezone": programme.timezone,
                    "source": source[:200], "imported_by": actor[:200],
                    "imported_at": utcnow()}
            p = programmes
            done = await tx.conn.execute(update(p).where(p.c.wall_id == wall.id).values(**meta))
            if not done.rowcount:
                await tx.conn.execute(insert(p).values(wall_id=wall.id, **meta))
            return ImportSummary(added, changed, len(have), unchanged)

        summary: ImportSummary = await self.store.write(run)
        return summary

    async def clear(self, slug: str) -> int:
        """Remove the wall's programme (speakers' handles stay); returns the sessions removed.
        Raises WallNotFound."""
        wall = self.store.wall(slug)

        async def run(tx: Tx) -> int:
            gone = await tx.conn.execute(delete(programme_sessions).where(
                programme_sessions.c.wall_id == wall.id))
            await tx.conn.execute(delete(programmes).where(programmes.c.wall_id == wall.id))
            return int(gone.rowcount or 0)

        removed: int = await self.store.write(run)
        return removed

    async def get(self, slug: str) -> StoredProgramme | None:
        """Return the wall's programme, sessions by start, or None when it has none. Raises
        WallNotFound."""
        wall = self.store.wall(slug)
        t = programme_sessions
        async with self.store.engine.connect() as conn:
            meta = (await conn.execute(select(programmes).where(
                programmes.c.wall_id == wall.id))).first()
            rows = (await conn.execute(select(t).where(t.c.wall_id == wall.id)
                                       .order_by(t.c.starts_at, t.c.room, t.c.id))).all()
        if meta is None and not rows:
            return None
        sessions = tuple(_session(r) for r in rows)
        if meta is None:
            return StoredProgramme(Programme(sessions), "", "", "")
        return StoredProgramme(Programme(sessions, meta.timezone, meta.title), meta.source,
                               meta.imported_by, iso(aware(meta.imported_at)) or "")

    async def speaker_handles(self, slug: str) -> dict[str, list[tuple[str, str]]]:
        """Return the handles moderators gave speakers: {speaker key: [(network, handle)]}.
        Raises WallNotFound."""
        wall = self.store.wall(slug)
        t = speaker_handles
        async with self.store.engine.connect() as conn:
            rows = (await conn.execute(select(t).where(t.c.wall_id == wall.id))).all()
        return {r.speaker: sorted((str(n), str(h)) for n, h in (r.handles or {}).items())
                for r in rows}

    async def set_speaker_handles(self, slug: str, name: str, handles: dict[str, str | None],
                                  actor: str) -> dict[str, str]:
        """Give the speaker `name` (as the programme lists it) handles per network (a None or
        empty value takes that network's away); returns the speaker's handles now. Raises
        SpeakerError, WallNotFound."""
        wall = self.store.wall(slug)
        key = speaker_key(name)
        stored = await self.get(slug)
        listed = {speaker_key(s.name): s.name for session in
                  (stored.programme.sessions if stored else ()) for s in session.speakers}
        if key not in listed:
            raise SpeakerError(f"no speaker {name[:80]!r} in the wall's programme")
        checked: dict[str, str | None] = {}
        for network, value in handles.items():
            if network not in NETWORKS:
                raise SpeakerError(f"a network is one of {', '.join(NETWORKS)}, "
                                   f"not {network[:20]!r}")
            found = handle(network, value) if value else None
            if value and found is None:
                raise SpeakerError(f"{value[:80]!r} is not a {network} handle")
            checked[network] = found
        t = speaker_handles

        async def run(tx: Tx) -> dict[str, str]:
            row = (await tx.conn.execute(select(t.c.handles).where(
                t.c.wall_id == wall.id, t.c.speaker == key))).first()
            now = {**(row.handles if row else {}), **checked}
            kept = {n: h for n, h in now.items() if h}
            values = {"name": listed[key][:120], "handles": kept, "updated_by": actor[:200],
                      "updated_at": utcnow()}
            if row is None:
                await tx.conn.execute(insert(t).values(wall_id=wall.id, speaker=key, **values))
            else:
                await tx.conn.execute(update(t).where(t.c.wall_id == wall.id,
                                                      t.c.speaker == key).values(**values))
            return kept

        result: dict[str, str] = await self.store.write(run)
        return result
