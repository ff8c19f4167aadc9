"""Matching that resists evasion: the normal form of text, term matchers, the default word lists.

Text is compared after NFKC normalisation, case folding, removal of invisible format characters
(zero-width, bidi controls), a fold of common look-alikes (Cyrillic/Greek letters, leetspeak
digits) and the joining of spaced-out letters ("f.u.c.k"). A term matches on word boundaries, so
"class" never matches "ass"; a term of four letters or more also matches with letters repeated
("fuuuck").

Pure: no I/O but reading the packaged word lists once. The policy (policy.py) uses it.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from app.models import Post

__all__ = [
    "Matcher",
    "author_key",
    "author_keys",
    "default_words",
    "normalize",
    "searchable",
    "term_matcher",
    "text_key",
    "warm",
    "word_list_hit",
    "word_lists",
]

_LOOKALIKE = str.maketrans({
    # Cyrillic and Greek letters that render like Latin ones.
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ɡ": "g",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x",
    # Leetspeak inside words.
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
})
_WORD = re.compile(r"\w+")
# Three or more single letters joined by one repeated separator: "s.p.a.m", "s p a m".
_SPACED = re.compile(r"\b\w([\W_]{1,3})(?:\w\1)+\w\b")
_RUNS = re.compile(r"(\w)\1+")
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _strip_invisible(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Mn", "Cc")
                   or ch in "\n\t")


def normalize(text: str) -> str:
    """Return `text` folded for matching: words of letters separated by single spaces."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = _strip_invisible(text)
    # Fold look-alikes only inside words that contain a letter, so "2014" stays a number.
    words = [w.translate(_LOOKALIKE) if any(c.isalpha() for c in w) else w
             for w in re.split(r"\s+", text)]
    text = " ".join(words)
    text = _SPACED.sub(lambda m: re.sub(r"[\W_]", "", m.group(0)), text)
    return " ".join(_WORD.findall(text))


def _collapse(text: str) -> str:
    return _RUNS.sub(r"\1", text)


@dataclass(frozen=True)
class Matcher:
    """Finds any of a set of terms (words or phrases) in normalised text."""

    terms: tuple[str, ...]
    _exact: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _loose: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _by_norm: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_norm = {normalize(t): t for t in self.terms if normalize(t)}
        long = [n for n in by_norm if len(_collapse(n)) >= 4]

        def alternation(items: Iterable[str]) -> re.Pattern[str] | None:
            ordered = sorted(set(items), key=len, reverse=True)
            if not ordered:
                return None
            # Scripts written without spaces (CJK, Thai) match inside runs; others on boundaries.
            bounded = [re.escape(i) for i in ordered if not _UNSPACED.search(i)]
            inner = [re.escape(i) for i in ordered if _UNSPACED.search(i)]
            parts = []
            if bounded:
                parts.append(r"(?<!\w)(?:" + "|".join(bounded) + r")(?!\w)")
            if inner:
                parts.append("(?:" + "|".join(inner) + ")")
            return re.compile("|".join(parts))

        object.__setattr__(self, "_by_norm", by_norm)
        object.__setattr__(self, "_exact", alternation(by_norm))
        object.__setattr__(self, "_loose", alternation(_collapse(n) for n in long))

    def find(self, text: str) -> str | None:
        """Return the first term found in `text` (as configured), or None."""
        norm = normalize(text)
        if self._exact is not None and (m := self._exact.search(norm)):
            return self._by_norm.get(m.group(0), m.group(0))
        if self._loose is not None and (m := self._loose.search(_collapse(norm))):
            hit = m.group(0)
            return next((t for n, t in self._by_norm.items() if _collapse(n) == hit), hit)
        return None


# Words of clinical or everyday meeting vocabulary that general-purpose lists flag.
_MEDICAL = frozenset({
    "anal", "anus", "rectal", "rectum", "penis", "penile", "vagina", "vaginal", "breast",
    "breasts", "nipple", "sex", "sexual", "testicle", "testicular", "scrotum", "scrotal",
    "cervix", "cervical", "ovary", "ovarian", "uterus", "erection", "ejaculation", "vulva",
    "clitoris", "pubic", "nude", "naked", "drug", "drugs", "pot", "crack", "screw", "screws",
    "balls", "bone", "bones", "kill", "killer", "murder", "god", "hell", "damn",
    # Identity words are not insults; lists that flag them silence the people they name.
    "gay", "lesbian", "queer", "trans", "transgender", "homosexual", "bisexual",
})


# glin-profanity's dictionaries by the language tag a post carries.
_LIST_LANGS = {
    "arabic": "ar", "chinese": "zh", "czech": "cs", "danish": "da", "dutch": "nl",
    "english": "en", "esperanto": "eo", "finnish": "fi", "french": "fr", "german": "de",
    "hindi": "hi", "hungarian": "hu", "italian": "it", "japanese": "ja", "korean": "ko",
    "norwegian": "no", "persian": "fa", "polish": "pl", "portuguese": "pt", "russian": "ru",
    "spanish": "es", "swedish": "sv", "thai": "th", "turkish": "tr",
}


@cache
def word_lists() -> dict[str, tuple[str, ...]]:
    """Return the default profanity and slur lists by language tag: glin-profanity's
    dictionaries without clinical and identity words, numbers and two-letter codes."""
    folder = resources.files("glin_profanity").joinpath("data", "dictionaries")
    lists: dict[str, tuple[str, ...]] = {}
    for item in folder.iterdir():
        lang = _LIST_LANGS.get(item.name.removesuffix(".json"))
        if lang is None:
            continue
        data = json.loads(item.read_text(encoding="utf-8"))
        words = {w for w in data.get("words", []) if isinstance(w, str) and _usable(normalize(w))}
        lists[lang] = tuple(sorted(words))
    return lists


def default_words() -> tuple[str, ...]:
    """Return every default list's words together."""
    return tuple(sorted({w for words in word_lists().values() for w in words}))


def _usable(norm: str) -> bool:
    """Keep list entries that are words: not clinical, with a letter, and not so short that
    they hit ordinary text ("31", "13.", "xx" are in some lists as slang codes)."""
    if norm in _MEDICAL or not any(ch.isalpha() for ch in norm):
        return False
    return len(norm) >= 3 or bool(_UNSPACED.search(norm))


@cache
def _list_matcher(lang: str) -> Matcher | None:
    words = word_lists().get(lang)
    return Matcher(words) if words else None


def word_list_hit(text: str, lang: str | None) -> str | None:
    """Return a default-list word found in `text`, checking the English list and the list of
    the post's language: a Turkish or Spanish word list would flag everyday words of the other
    ("del", "con"), so each list applies to its own language only."""
    tags = ["en"]
    if lang:
        tags.append(lang.split("-")[0].lower())
    for tag in dict.fromkeys(tags):
        matcher = _list_matcher(tag)
        if matcher is not None and (word := matcher.find(text)):
            return word
    return None


def warm() -> None:
    """Compile the word lists now (it takes about a second), not on a first post."""
    for lang in word_lists():
        _list_matcher(lang)



@cache
def _matcher_cached(terms: tuple[str, ...]) -> Matcher:
    return Matcher(terms)


def term_matcher(terms: list[str]) -> Matcher:
    """Return a (cached) matcher for `terms`, whatever their order or repeats."""
    return _matcher_cached(tuple(sorted(set(terms))))


def author_key(value: str) -> str:
    """Return how an author is compared: NFKC, trimmed, case-folded, without a leading @."""
    return unicodedata.normalize("NFKC", value).strip().casefold().lstrip("@")


def author_keys(post: Post | Mapping[str, Any]) -> set[str]:
    """The ways a moderator may name this post's author: `source:id`, handle, handle without @.
    Takes a `Post` or its stored wire form (a block re-checks stored posts without parsing)."""
    source: Any
    author_id: Any
    if isinstance(post, Post):
        source, author_id, handle = post.source, post.author.id, post.author.handle
    else:
        author = post.get("author") or {}
        source, author_id = post.get("source"), author.get("id")
        handle = str(author.get("handle") or "")
    return {f"{source}:{author_id}".casefold(), author_key(handle)}


def text_key(post: Post) -> str | None:
    """Return a key shared by posts with the same words (for collapsing copies), or None when
    the text is too short for sameness to mean a copy."""
    norm = " ".join(w for w in normalize(post.text).split() if not w.startswith("http"))
    if len(norm) < 40:
        return None
    return hashlib.sha1(norm.encode(), usedforsecurity=False).hexdigest()


def searchable(post: Post | Mapping[str, Any]) -> str:
    """Return every text of a post a rule looks at: body, names, warning, alt texts, quote.
    Takes a `Post` or its stored wire form."""
    parts: list[Any]
    if isinstance(post, Post):
        parts = [post.text, post.author.name, post.author.handle, post.content_warning or "",
                 post.quoted.text if post.quoted else "", *(m.alt for m in post.media)]
    else:
        author, quoted = post.get("author") or {}, post.get("quoted") or {}
        parts = [post.get("text"), author.get("name"), author.get("handle"),
                 post.get("content_warning"), quoted.get("text"),
                 *(m.get("alt") for m in post.get("media") or [])]
    return "\n".join(str(p or "") for p in parts)
