"""Tables of the store (SQLAlchemy Core). Schema changes go through Alembic migrations.

`posts` holds one row per global id whatever wall or path it came by; `wall_posts` holds each
wall's view of a post (state, pin, order). `events` is the per-wall log that resumes clients;
its `seq` is allocated from `walls.last_seq` in the same transaction as the change it records.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = [
    "MAX_ROW_ID", "account_categories", "announcements", "api_tokens", "assets", "blocks",
    "cursors", "decisions", "events", "metadata", "posts", "programme_sessions", "programmes",
    "row_id", "screens", "sessions", "speaker_handles", "tombstones", "user_walls", "users",
    "wall_posts", "walls",
]

# Row ids are 64-bit integers on SQLite and PostgreSQL; a larger one from a URL (say
# /assets/28331914163357225276407808) cannot name a row, and handed to the driver it raised an
# overflow error (a 500). Look-ups by id check `row_id` first and answer "not found".
MAX_ROW_ID = 2**63 - 1


def row_id(value: int) -> bool:
    """Return whether `value` can be a row's id at all (1 to 2**63 - 1)."""
    return 0 < value <= MAX_ROW_ID

metadata = MetaData()

walls = Table(
    "walls",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("title", String(300), nullable=False, default=""),
    Column("config", JSON, nullable=False),
    Column("epoch", String(32), nullable=False),
    Column("last_seq", BigInteger, nullable=False, default=0),
    # The last order key given to a post placed on the wall (`wall_posts.order_seq`): unique
    # per wall, so a listing pages by it without skipping posts queued at the same moment.
    Column("last_order", BigInteger, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

posts = Table(
    "posts",
    metadata,
    Column("id", String(600), primary_key=True),
    Column("source", String(16), nullable=False),
    # Authors' ids and handles come from remote servers: no length is theirs to overflow.
    Column("author_id", Text, nullable=False),
    Column("author_handle", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("text", Text, nullable=False, default=""),
    Column("data", JSON, nullable=False),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
    # sha1 of the normalised text, for collapsing copies of the same text (rules.py).
    Column("text_key", String(40), nullable=True, index=True),
    # sha1 of (source, author id): author ids have no length limit, so this is what's indexed
    # for "the author's posts in the last hour" (migration 0008).
    Column("author_key", String(40), nullable=True),
    Index("ix_posts_author_key_ingested", "author_key", "ingested_at"),
)

wall_posts = Table(
    "wall_posts",
    metadata,
    Column("wall_id", Integer, ForeignKey("walls.id", ondelete="CASCADE"), primary_key=True),
    Column("post_id", String(600), ForeignKey("posts.id"), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("reason", Text, nullable=True),
    Column("pinned", Boolean, nullable=False, default=False),
    Column("order_seq", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_wall_posts_state_order", "wall_id", "state", "order_seq"),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("wall_id", Integer, ForeignKey("walls.id", ondelete="CASCADE"), nullable=False),
    Column("post_id", String(600), nullable=False),
    Column("action", String(32), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("reason", Text, nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
    # What the action changed, so that it can be undone only while nobody acted since.
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("undone_at", DateTime(timezone=True), nullable=True),
    Index("ix_decisions_wall_at", "wall_id", "at"),
)

cursors = Table(
    "cursors",
    metadata,
    Column("wall_id", Integer, ForeignKey("walls.id", ondelete="CASCADE"), primary_key=True),
    Column("source", String(32), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

blocks = Table(
    "blocks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("wall_id", Integer, ForeignKey("walls.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("value", String(300), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("reason", String(500), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ux_blocks_wall_kind_value", "wall_id", "kind", "value", unique=True),
)

announcements = Table(
    "announcements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("wall_id", Integer, ForeignKey("walls.id", ondelete="CASCADE"), nullable=False),
    Column("text", String(500), nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=True),
    Column("ends_at", DateTime(timezone=True), nullable=True),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
    # When screens were told: at `starts_at`, never before (a schedule is not public).
    Column("published_at", DateTime(timezone=True), nullable=True),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", String(300), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used", DateTime(timezone=True), nullable=True),
    # The slugs of the walls a moderator token may act on; NULL: every wall.
    Column("walls", JSON, nullable=True),
)

# The walls a moderator may act on; a moderator with no row here moderates every wall.
# Keyed by slug, so a scope can be given before the wall is declared.
user_walls = Table(
    "user_walls",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("wall_slug", String(64), primary_key=True),
)

# Named hall screens ("Hall A, left"): only a screen opened with its key reports its health
# to the console and takes remote reloads. Only the key's SHA-256 is kept.
screens = Table(
    "screens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("wall_id", Integer, ForeignKey("walls.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # The room of the wall's programme the screen stands in (its hall screen shows that
    # room's session); NULL: the whole wall.
    Column("room", String(100), nullable=True),
    Index("ux_screens_wall_name", "wall_id", "name", unique=True),
)

assets = Table(
    "assets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("wall_id", Integer, ForeignKey("walls.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("content_type", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

tombstones = Table(
    "tombstones",
    metadata,
    Column("post_id", String(600), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("wall_id", Integer, ForeignKey("walls.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("type", String(16), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# The category a moderator gave an account on a wall (attendee, institution...), for the
# report. Keyed like posts' authors, by network and the network's own id, so a renamed
# handle keeps its category; `handle` is only what the moderator saw.
account_categories = Table(
    "account_categories",
    metadata,
    Column("wall_id", Integer, ForeignKey("walls.id", ondelete="CASCADE"), primary_key=True),
    Column("source", String(16), primary_key=True),
    Column("author_id", Text, primary_key=True),
    Column("handle", Text, nullable=False, default=""),
    Column("category", String(40), nullable=False),
    Column("updated_by", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# A wall's programme (docs/programme.md): one row per wall saying where it came from and the
# time zone its times are shown in; its sessions, keyed by their id in the file so importing it
# again updates them in place. `data` holds the speakers, hashtags, track and the times as the
# file wrote them (with their offset).
programmes = Table(
    "programmes",
    metadata,
    Column("wall_id", Integer, ForeignKey("walls.id", ondelete="CASCADE"), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("timezone", String(64), nullable=True),
    Column("source", Text, nullable=False, default=""),
    Column("imported_by", String(200), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
)

programme_sessions = Table(
    "programme_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("wall_id", Integer, ForeignKey("walls.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(200), nullable=False),
    Column("title", Text, nullable=False),
    Column("room", String(100), nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("data", JSON, nullable=False),
    Index("ux_programme_sessions_wall_key", "wall_id", "key", unique=True),
    Index("ix_programme_sessions_wall_start", "wall_id", "starts_at"),
)

# Handles moderators gave a speaker (by the speaker's folded name), on top of the programme's:
# kept when the programme is imported again.
speaker_handles = Table(
    "speaker_handles",
    metadata,
    Column("wall_id", Integer, ForeignKey("walls.id", ondelete="CASCADE"), primary_key=True),
    Column("speaker", String(120), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("handles", JSON, nullable=False),
    Column("updated_by", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
