"""Which sessions a post belongs to (docs/programme.md). Pure and table-tested.

A post belongs to a session when it was posted between the session's start and its end plus a
margin (15 minutes by default: the conversation goes on in the corridor) and

- it carries one of the session's hashtags (never the wall's own: every post has those), or
- it is by, or mentions, one of the session's speakers (their handles on its network), or
- with title matching on, it has one of the keywords of the session's title and its speakers'
  names: their words of four letters or more, less common words and words that name a kind of
  slot meetings run side by side (`with`, `session`, `workshop`, `room`...), words in many of
  the programme's titles (`imaging` at an imaging meeting: `common_words`) and the wall's
  hashtags.

A post may belong to several sessions (parallel sessions sharing a hashtag or a word).
`compile_session` turns a session into its `Match` — sets and a time window — which is also
what `GET /api/v1/walls/{slug}/programme` gives the pages, so a screen decides with the same
sets by the same comparisons (frontend/static/js/programme.js `belongsTo`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.programme.handles import account_keys
from app.programme.model import Session

__all__ = ["DEFAULT_MARGIN", "STOP_WORDS", "Match", "PostKeys", "belongs", "common_words",
           "compile_session", "keywords", "post_keys", "sessions_of", "speaker_key", "words"]

DEFAULT_MARGIN = timedelta(minutes=15)
# Words that join others, or name a kind of slot meetings run side by side (three workshops at
# once share "workshop"): never keywords. A keynote or a panel is usually alone in its hour,
# so "keynote" and "panel" stay keywords.
STOP_WORDS = frozenset("""
about above after again against also among and are around back been before being below
between both but can could does doing down during each every for from further have having
here how into its just more most much not now off once only other our out over own same
should some such than that the their them then there these they this those through too
under until very was were what when where which while who why will with would you your
beyond without within across along versus toward towards
session sessions track tracks room rooms hall halls part day days workshop workshops
introduction intro update updates meeting conference year years new
""".split())
_WORD = re.compile(r"[^\W_]+")


def _fold(text: str) -> str:
    """Return `text` in lower case without accents (`Montréal` -> `montreal`)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def speaker_key(name: str) -> str:
    """Return how a speaker is known across imports: the name folded, spaces made one."""
    return " ".join(_fold(name).split())[:120]


def words(text: str) -> set[str]:
    """Return the words of `text`, folded: letters and digits, split at anything else."""
    return set(_WORD.findall(_fold(text)))


def keywords(title: str, ignore: Iterable[str] = ()) -> frozenset[str]:
    """Return a title's keywords: its folded words of four or more characters with a letter,
    less STOP_WORDS and the words of `ignore` (the wall's hashtags)."""
    skip = STOP_WORDS | {w for tag in ignore for w in words(tag)}
    return frozenset(w for w in words(title)
                     if len(w) >= 4 and not w.isdigit() and w not in skip)


def common_words(sessions: Sequence[Session]) -> frozenset[str]:
    """Return the words too common in this programme's titles to tell sessions apart: those
    in more than a fifth of the titles, and in at least four (`imaging` at an imaging
    meeting). A small programme has none."""
    counts: dict[str, int] = {}
    for session in sessions:
        for word in words(session.title):
            counts[word] = counts.get(word, 0) + 1
    bound = max(4, len(sessions) / 5)
    return frozenset(w for w, n in counts.items() if n >= bound)


def _tag(value: str) -> str:
    return _fold(value.strip().lstrip("#"))


@dataclass(frozen=True)
class Match:
    """A session as the rule sees it: the window [start, until) and what a post must carry."""

    start: datetime
    until: datetime
    hashtags: frozenset[str]
    handles: frozenset[str]
    words: frozenset[str]

    def wire(self) -> dict[str, Any]:
        """Return the match as JSON, sorted (what the programme API sends the pages)."""
        return {"from": self.start.isoformat(), "until": self.until.isoformat(),
                "hashtags": sorted(self.hashtags), "handles": sorted(self.handles),
                "words": sorted(self.words)}


def compile_session(session: Session, *, margin: timedelta = DEFAULT_MARGIN,
                    title_match: bool = False, wall_tags: Iterable[str] = (),
                    extra_handles: Mapping[str, Iterable[tuple[str, str]]] | None = None,
                    common: Iterable[str] = ()) -> Match:
    """Return the session's Match. `wall_tags` (the wall's own hashtags) and `common`
    (common_words of the programme) are never keywords; `extra_handles` adds handles
    moderators gave speakers, by speaker_key."""
    ignore = {_tag(t) for t in wall_tags}
    handles = {f"{n}:{h}" for s in session.speakers for n, h in s.handles}
    for speaker in session.speakers:
        for n, h in (extra_handles or {}).get(speaker_key(speaker.name), ()):
            handles.add(f"{n}:{h}")
    return Match(
        start=session.start, until=session.end + margin,
        hashtags=frozenset(t for t in (_tag(h) for h in session.hashtags) if t and t not in ignore),
        handles=frozenset(handles),
        words=keywords(" ".join([session.title, *(s.name for s in session.speakers)]),
                       [*wall_tags, *common]) if title_match else frozenset())


@dataclass(frozen=True)
class PostKeys:
    """What the rule reads of a post: its time, hashtags, the accounts it names, its words."""

    at: datetime
    hashtags: frozenset[str]
    accounts: frozenset[str]
    words: frozenset[str]


def _time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def post_keys(post: Mapping[str, Any]) -> PostKeys | None:
    """Return what the rule reads of a wire post (docs/design.md §2), or None for a post
    without a usable time."""
    at = _time(post.get("created_at"))
    if at is None or at.tzinfo is None:
        return None
    content = post.get("content")
    tokens = [t for t in content if isinstance(t, Mapping)] if isinstance(content, list) else []
    tags = {_tag(str(t.get("text") or "")) for t in tokens if t.get("type") == "hashtag"}
    listed = post.get("hashtags")
    if isinstance(listed, list):
        tags |= {_tag(str(t)) for t in listed}
    tags.discard("")
    return PostKeys(at=at, hashtags=frozenset(tags), accounts=frozenset(account_keys(post)),
                    words=frozenset(words(str(post.get("text") or ""))))


def belongs(keys: PostKeys, match: Match) -> bool:
    """Return whether a post (its keys) belongs to a session (its match)."""
    if not match.start <= keys.at < match.until:
        return False
    return bool(keys.hashtags & match.hashtags or keys.accounts & match.handles
                or keys.words & match.words)


def sessions_of(post: Mapping[str, Any], matches: Sequence[Match]) -> list[int]:
    """Return the indexes in `matches` of the sessions the post belongs to (maybe none,
    maybe several)."""
    keys = post_keys(post)
    if keys is None:
        return []
    return [i for i, m in enumerate(matches) if belongs(keys, m)]
