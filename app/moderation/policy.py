"""The policy: the state a new post takes on a wall, and why.

Blocked authors and keywords hide a post; softer signals (the default word list, reposts,
replies, sensitive media, a language outside the allow-list, a flood from one author) send it to
the moderators' queue with a reason instead, because a medical meeting's vocabulary trips word
lists and a false positive should cost a keystroke, not a lost post.

Pure and tested as tables: the facts that need the database (how many posts the author sent this
hour, an earlier copy of the same text, a cross-post's original) arrive in a `PostContext` that
the ingest layer looks up in the same transaction that records the decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from app.models import Post
from app.moderation.matching import (
    Matcher,
    author_key,
    author_keys,
    searchable,
    term_matcher,
    word_list_hit,
)
from app.settings import WallRules

__all__ = ["Block", "Decision", "PostContext", "RuleSet", "decide", "matches_block"]

BlockKind = Literal["author", "keyword"]
_DEFAULT = WallRules()


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    value: str


@dataclass(frozen=True)
class RuleSet:
    """A wall's rules: its mode, the persisted blocks, and the automatic queue rules.

    The defaults are the wall settings' (`WallRules`), the one place they are written; a config
    stored by an older version gets them through `from_config`.
    """

    mode: Literal["pre", "post"] = "post"
    blocks: tuple[Block, ...] = ()
    wordlist: bool = _DEFAULT.wordlist
    extra_words: tuple[str, ...] = tuple(_DEFAULT.extra_words)
    queue_reposts: bool = _DEFAULT.queue_reposts
    queue_replies: bool = _DEFAULT.queue_replies
    queue_sensitive: bool = _DEFAULT.queue_sensitive
    languages: tuple[str, ...] = tuple(_DEFAULT.languages)
    max_per_author_per_hour: int | None = _DEFAULT.max_per_author_per_hour
    collapse_duplicates: bool = _DEFAULT.collapse_duplicates

    @classmethod
    def from_config(cls, config: Mapping[str, Any], blocks: Iterable[Block] = ()) -> RuleSet:
        """Return the rules of a wall from its stored config (`moderation` and `rules` keys)
        and its block list. Raises pydantic's ValidationError for a malformed `rules`."""
        r = WallRules.model_validate(config.get("rules") or {})
        return cls(
            mode=config.get("moderation") or "post", blocks=tuple(blocks),
            wordlist=r.wordlist, extra_words=tuple(r.extra_words),
            queue_reposts=r.queue_reposts, queue_replies=r.queue_replies,
            queue_sensitive=r.queue_sensitive, languages=tuple(r.languages),
            max_per_author_per_hour=r.max_per_author_per_hour,
            collapse_duplicates=r.collapse_duplicates,
        )

    def keyword_matcher(self) -> Matcher:
        return term_matcher([b.value for b in self.blocks if b.kind == "keyword"])

    def word_matcher(self) -> Matcher | None:
        return term_matcher(list(self.extra_words)) if self.extra_words else None

    def blocked_author(self, post: Post | Mapping[str, Any]) -> str | None:
        """Return the blocked name that matches the post's author, or None."""
        keys = author_keys(post)
        for block in self.blocks:
            if block.kind == "author" and author_key(block.value) in keys:
                return block.value
        return None


@dataclass(frozen=True)
class PostContext:
    """Facts about the wall the decision needs, looked up by the ingest layer."""

    author_posts_last_hour: int = 0
    duplicate_of: str | None = None
    crosspost_of: str | None = None  # the same post from another network, already on this wall


@dataclass(frozen=True)
class Decision:
    state: Literal["pending", "visible", "hidden"]
    reason: str | None = None


def matches_block(post: Post | Mapping[str, Any], rules: RuleSet) -> str | None:
    """Return why a block rule hides `post` (a `Post` or its stored wire form), or None."""
    if (author := rules.blocked_author(post)) is not None:
        return f"blocked author {author}"
    if (word := rules.keyword_matcher().find(searchable(post))) is not None:
        return f"blocked keyword {word!r}"
    return None


def decide(post: Post, rules: RuleSet, ctx: PostContext | None = None) -> Decision:
    """Return the state a new post takes on the wall, with the reason when not plainly visible."""
    ctx = ctx or PostContext()
    if ctx.crosspost_of:
        return Decision("hidden", f"cross-post of {ctx.crosspost_of}")
    if (why := matches_block(post, rules)) is not None:
        return Decision("hidden", why)
    if rules.collapse_duplicates and ctx.duplicate_of:
        return Decision("hidden", f"duplicate of {ctx.duplicate_of}")
    text = searchable(post)
    flags: list[str] = []
    if rules.wordlist and (word := word_list_hit(text, post.lang)):
        flags.append(f"word list: {word!r}")
    if (extra := rules.word_matcher()) and (word := extra.find(text)):
        flags.append(f"word list: {word!r}")
    if rules.queue_sensitive and (post.sensitive or post.content_warning):
        flags.append("sensitive media or content warning")
    if rules.queue_reposts and post.is_repost:
        flags.append("repost")
    if rules.queue_replies and post.in_reply_to:
        flags.append("reply")
    if rules.languages and post.lang and post.lang.split("-")[0] not in rules.languages:
        flags.append(f"language {post.lang}")
    cap = rules.max_per_author_per_hour
    if cap and ctx.author_posts_last_hour >= cap:
        flags.append(f"more than {cap} posts this hour from this author")
    if flags:
        return Decision("pending", "; ".join(flags))
    if rules.mode == "pre":
        return Decision("pending", None)
    return Decision("visible", None)
