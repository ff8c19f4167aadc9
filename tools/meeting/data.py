"""Read the meeting's hand-written data files: meeting.toml, accounts.toml, photos.toml, posts/.

Only the standard library reads them (`tomllib`). Every record is checked as it is read: an
unknown or missing key, an unknown author, photo or day stops the generator with one line that
names the file and the record. docs/meeting.md describes the format.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MEDIA_PREFIX = "/demo-media/"  # where the app serves app/data/meeting/media/
SOURCES = ("x", "mastodon", "bluesky")
KINDS = ("institution", "attending", "remote", "other", "hostile")
AVATARS = {"person": "person", "logo": "logo", "none": None}


class DataError(SystemExit):
    """A data file is wrong; the message names the file and the record."""


@dataclass(frozen=True)
class Meeting:
    title: str
    hashtag: str  # without the leading '#'
    first_day: date
    last_day: date
    utc_offset: timedelta  # local time of the meeting = UTC + utc_offset
    total_posts: int
    seed: int
    post_files: list[str]

    @property
    def window_start(self) -> datetime:
        d = self.first_day
        return datetime(d.year, d.month, d.day, tzinfo=UTC)

    @property
    def window_end(self) -> datetime:
        d = self.last_day
        return datetime(d.year, d.month, d.day, 23, 59, 59, tzinfo=UTC)


@dataclass
class Account:
    key: str  # how posts refer to the account (@key)
    source: str
    name: str
    kind: str  # institution | attending | remote | other | hostile
    followers: int
    lang: str = "en"
    avatar: str | None = "person"  # avatar style; None: no avatar (the wall shows initials)
    instance: str = ""  # mastodon
    bsky: str = ""  # bluesky handle without the leading @
    weight: float = 1.0  # how often the account reposts others (0: never)
    raw_handle: str | None = None  # hostile accounts: the handle exactly as the platform sent it
    raw_avatar: str | None = None  # hostile accounts: an avatar URL the models must refuse
    # set by wire.setup_accounts()
    id: str = ""
    handle: str = ""
    profile_url: str = ""
    avatar_url: str | None = None

    def wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "handle": self.handle,
            "name": self.name,
            "avatar_url": self.avatar_url,
            "profile_url": self.profile_url,
            "followers_count": self.followers,
        }


@dataclass(frozen=True)
class Photo:
    key: str
    scene: str  # a drawing of media.SCENES
    options: dict[str, Any]  # its keyword arguments
    width: int
    height: int
    alt: str

    @property
    def url(self) -> str:
        return f"{MEDIA_PREFIX}photo-{self.key.replace('_', '-')}.svg"

    def item(self, alt: str | None = None) -> dict[str, Any]:
        """Return the post's media entry for this photo (`alt` overrides the photo's own)."""
        return {"kind": "image", "url": self.url, "preview_url": self.url,
                "alt": self.alt if alt is None else alt, "width": self.width,
                "height": self.height}


@dataclass
class Entry:
    """One hand-written post, before it gets its time, id and wire shape."""

    author: str
    text: str
    day: int = 0
    slot: str | float = "day"
    media: list[dict[str, Any]] = field(default_factory=list)
    lang: str | None = None
    label: str | None = None
    reply_to: str | None = None
    quote_of: str | None = None
    delay: tuple[float, float] = (4, 90)  # minutes after the parent (replies, quotes)
    star: bool = False  # a highlight: draws more likes and reposts
    cw: str | None = None
    sensitive: bool = False
    raw_content: list[dict[str, Any]] | None = None  # hostile posts: tokens as sent, no markup
    when: datetime | None = None
    post: dict[str, Any] | None = None

    @property
    def hostile(self) -> bool:
        return self.raw_content is not None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise DataError(f"{path}: {err}") from None


def _keys(where: str, record: dict[str, Any], required: set[str], optional: set[str]) -> None:
    if missing := sorted(required - record.keys()):
        raise DataError(f"{where}: missing {', '.join(missing)}")
    if unknown := sorted(record.keys() - required - optional):
        raise DataError(f"{where}: unknown key {', '.join(unknown)}")


def load_meeting(base: Path = HERE) -> Meeting:
    path = base / "meeting.toml"
    d = _read(path)
    _keys(str(path), d, {"title", "hashtag", "first_day", "last_day", "utc_offset_hours",
                         "posts", "seed", "post_files"}, set())
    first, last = d["first_day"], d["last_day"]
    if not (isinstance(first, date) and isinstance(last, date) and first <= last
            and (first.year, first.month) == (last.year, last.month)):
        raise DataError(f"{path}: first_day and last_day are dates of one month, in order")
    return Meeting(title=d["title"], hashtag=d["hashtag"].lstrip("#"), first_day=first,
                   last_day=last, utc_offset=timedelta(hours=d["utc_offset_hours"]),
                   total_posts=d["posts"], seed=d["seed"], post_files=list(d["post_files"]))


def load_accounts(base: Path = HERE) -> list[Account]:
    path = base / "accounts.toml"
    out: list[Account] = []
    for i, a in enumerate(_read(path).get("account", [])):
        where = f"{path}: account {i + 1} ({a.get('key', '?')})"
        _keys(where, a, {"key", "source", "name", "kind", "followers"},
              {"lang", "avatar", "instance", "bsky", "weight", "raw_handle", "raw_avatar"})
        if a["source"] not in SOURCES or a["kind"] not in KINDS:
            raise DataError(f"{where}: source is one of {SOURCES}, kind one of {KINDS}")
        if a.get("avatar", "person") not in AVATARS:
            raise DataError(f"{where}: avatar is one of {', '.join(AVATARS)}")
        if (a["source"] == "mastodon") != bool(a.get("instance")) or (
                a["source"] == "bluesky") != bool(a.get("bsky")):
            raise DataError(f"{where}: mastodon accounts need instance, bluesky ones bsky")
        out.append(Account(**{**a, "avatar": AVATARS[a.get("avatar", "person")]}))
    keys = [a.key for a in out]
    if dupes := sorted({k for k in keys if keys.count(k) > 1}):
        raise DataError(f"{path}: duplicate key {dupes[0]}")
    return out


def load_categories(base: Path = HERE) -> dict[str, str]:
    """Return {account kind: report category} from accounts.toml's `category` list, in the
    report's order."""
    path = base / "accounts.toml"
    out: dict[str, str] = {}
    for i, c in enumerate(_read(path).get("category", [])):
        where = f"{path}: category {i + 1}"
        _keys(where, c, {"kind", "name"}, set())
        if c["kind"] not in KINDS or c["kind"] in out:
            raise DataError(f"{where}: kind is one of {KINDS}, each once")
        if c["name"] in out.values():
            raise DataError(f"{where}: category {c['name']!r} is listed twice")
        out[c["kind"]] = c["name"]
    return out


def load_photos(base: Path = HERE) -> dict[str, Photo]:
    path = base / "photos.toml"
    out: dict[str, Photo] = {}
    for key, p in _read(path).items():
        _keys(f"{path}: [{key}]", p, {"scene", "size", "alt"}, {"options"})
        width, height = p["size"]
        out[key] = Photo(key, p["scene"], dict(p.get("options", {})), width, height, p["alt"])
    return out


POST_KEYS = {"author", "day", "at", "reply_to", "quote_of", "delay", "label", "lang", "star",
             "sensitive", "content_warning", "media", "alt", "text", "content"}


def _entry(where: str, p: dict[str, Any], file_day: int | None, m: Meeting,
           accounts: dict[str, Account], photos: dict[str, Photo]) -> Entry:
    _keys(where, p, {"author"}, POST_KEYS - {"author"})
    if p["author"] not in accounts:
        raise DataError(f"{where}: unknown author {p['author']!r} (not in accounts.toml)")
    if ("text" in p) == ("content" in p):
        raise DataError(f"{where}: a post has either text or content (raw tokens)")
    if unknown := [k for k in p.get("media", []) if k not in photos]:
        raise DataError(f"{where}: unknown photo {unknown[0]!r} (not in photos.toml)")
    if stray := sorted(set(p.get("alt", {})) - set(p.get("media", []))):
        raise DataError(f"{where}: alt for a photo the post does not carry: {stray[0]}")
    alt = p.get("alt", {})
    kw: dict[str, Any] = {
        "media": [photos[k].item(alt.get(k)) for k in p.get("media", [])],
        "lang": p.get("lang"), "label": p.get("label"), "star": p.get("star", False),
        "cw": p.get("content_warning"), "sensitive": p.get("sensitive", False),
    }
    if "content" in p:
        kw["raw_content"] = [_token(f"{where}: content {i + 1}", t)
                             for i, t in enumerate(p["content"])]
    parent = p.get("reply_to") or p.get("quote_of")
    if parent:
        if ("reply_to" in p and "quote_of" in p) or "at" in p or "day" in p:
            raise DataError(f"{where}: a reply or quote takes its time from its parent: "
                            "no at or day, and not both reply_to and quote_of")
        if "delay" in p:
            kw["delay"] = tuple(p["delay"])
        if "quote_of" in p:
            kw.setdefault("delay", (10, 240))
            return Entry(p["author"], p.get("text", ""), quote_of=parent, **kw)
        return Entry(p["author"], p.get("text", ""), reply_to=parent, **kw)
    day = p.get("day", file_day)
    if "at" not in p or day is None:
        raise DataError(f"{where}: a post needs at (and a day, or the file's day)")
    if not m.first_day.day <= day <= m.last_day.day:
        raise DataError(f"{where}: day {day} is outside the meeting")
    return Entry(p["author"], p.get("text", ""), day, p["at"], **kw)


def _token(where: str, t: dict[str, Any]) -> dict[str, Any]:
    _keys(where, t, {"type", "text"}, {"href"})
    return dict(t)


def load_posts(m: Meeting, accounts: list[Account], photos: dict[str, Photo],
               base: Path = HERE) -> list[Entry]:
    """Return the hand-written posts of every file of `m.post_files`, in order."""
    by_key = {a.key: a for a in accounts}
    out: list[Entry] = []
    for name in m.post_files:
        path = base / name
        d = _read(path)
        _keys(str(path), d, set(), {"day", "post"})
        for i, p in enumerate(d.get("post", [])):
            out.append(_entry(f"{path}: post {i + 1}", p, d.get("day"), m, by_key, photos))
    labels = [e.label for e in out if e.label]
    if dupes := sorted({x for x in labels if labels.count(x) > 1}):
        raise DataError(f"duplicate label {dupes[0]!r}")
    known = set(labels)
    if missing := [e.reply_to or e.quote_of for e in out
                   if (e.reply_to or e.quote_of) and (e.reply_to or e.quote_of) not in known]:
        raise DataError(f"reply_to or quote_of names no label: {missing[0]!r}")
    return out
