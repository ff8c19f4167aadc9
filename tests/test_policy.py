"""Moderation rules as tables: evasion-resistant matching, and the state a new post takes."""

from __future__ import annotations

from typing import Any

import pytest

from app.models import Post
from app.moderation import Block, Decision, PostContext, RuleSet, decide, text_key
from app.moderation.matching import Matcher, default_words
from tests.conftest import make_post


def post(text: str, **kw: Any) -> Post:
    return Post.model_validate(make_post(1, content=[{"type": "text", "text": text}], **kw))


# Each row is an attempt to get a blocked word past the filter.
EVASIONS = [
    ("plain", "this is spamword here"),
    ("upper case", "THIS IS SPAMWORD"),
    ("mixed case", "SpAmWoRd"),
    ("zero-width space inside", "spam\u200bword"),
    ("zero-width joiner inside", "spam\u200dword"),
    ("soft hyphen inside", "spam\u00adword"),
    ("bidi override around", "\u202espamword\u202c"),
    ("bidi isolate inside", "spam\u2066word\u2069"),
    ("full-width letters", "ｓｐａｍｗｏｒｄ"),
    ("mathematical bold letters", "𝐬𝐩𝐚𝐦𝐰𝐨𝐫𝐝"),
    ("circled letters", "ⓢⓟⓐⓜⓦⓞⓡⓓ"),
    ("Cyrillic look-alikes", "sраmwоrd"),
    ("Greek look-alikes", "spαmwοrd"),
    ("leetspeak digits", "sp4mw0rd"),
    ("leetspeak symbols", "$pamw0rd"),
    ("dotted letters", "s.p.a.m.w.o.r.d"),
    ("spaced letters", "s p a m w o r d"),
    ("dashed letters", "s-p-a-m-w-o-r-d"),
    ("repeated letters", "spaaaamwooord"),
    ("combining accents", "spa\u0301mwo\u0308rd"),
    ("accented letters", "spámwörd"),
    ("as a hashtag", "#spamword"),
    ("inside punctuation", "(spamword!)"),
    ("newline around", "line one\nspamword\nline three"),
]


@pytest.mark.parametrize(("how", "text"), EVASIONS, ids=[e[0] for e in EVASIONS])
def test_blocked_keyword_survives_evasion(how: str, text: str) -> None:
    """A blocked keyword is found however the text disguises it."""
    rules = RuleSet(blocks=(Block("keyword", "spamword"),), wordlist=False)
    assert decide(post(text), rules).state == "hidden", how


@pytest.mark.parametrize("text", [
    "a classic assessment of the basal ganglia",
    "great class on anal fistula MRI",
    "breast imaging and penile doppler session",
    "Scunthorpe and Essex delegates",
    "the 2014 meeting, 5th floor",
    "Pride breakfast for gay and lesbian radiologists 🏳️‍🌈",
    "Dr. Hancock on brain MRI",
])
def test_clinical_and_ordinary_words_pass(text: str) -> None:
    """Medical vocabulary, identity words and words containing a bad word are not flagged."""
    assert decide(post(text), RuleSet()).state == "visible"


@pytest.mark.parametrize(("text", "lang"), [
    ("what the fuck", "en"), ("what the f.u.c.k", "en"), ("fuuuuck this", None),
    ("quelle merde", "fr"), ("so eine Scheiße", "de"), ("eres una puta", "es"),
    ("English swearing in a French post: shit", "fr"),
])
def test_default_word_list_queues_profanity_in_several_languages(text: str, lang: str | None) -> None:
    """The default list sends profanity to the queue (not hidden: a moderator decides)."""
    decision = decide(post(text, lang=lang), RuleSet())
    assert decision.state == "pending" and "word list" in (decision.reason or "")


@pytest.mark.parametrize(("text", "lang"), [
    ("Sesión del congreso con los residentes en la sala 31", "es"),
    ("La session de neuroradiologie pédiatrique est en salle 13.", "fr"),
    ("Post number 18 from room 31", "en"),
])
def test_one_languages_list_does_not_flag_another_languages_words(text: str, lang: str) -> None:
    """Lists apply to their own language: everyday Spanish or numbers are not profanity."""
    assert decide(post(text, lang=lang), RuleSet()).state == "visible"


def test_word_list_can_be_switched_off_or_extended() -> None:
    """With the list off nothing is flagged; extra words are flagged like listed ones."""
    assert decide(post("what the fuck"), RuleSet(wordlist=False)).state == "visible"
    rules = RuleSet(wordlist=False, extra_words=("vendorx",))
    assert decide(post("buy V3ND0RX now"), rules).state == "pending"


def test_default_list_comes_from_the_package_in_many_languages() -> None:
    """The word list is the package's, thousands of entries, without clinical words."""
    words = default_words()
    assert len(words) > 2000 and "anal" not in words and "breast" not in words


@pytest.mark.parametrize(("value", "handle", "author_id"), [
    ("@spammer", "@spammer", "1"), ("SPAMMER", "@spammer", "1"), ("x:42", "@other", "42"),
    ("@ｓｐａｍｍｅｒ", "@spammer", "1"),
])
def test_blocked_author_by_handle_or_id(value: str, handle: str, author_id: str) -> None:
    """An author is blocked by handle (any case, with or without @) or by source:id."""
    p = post("hello", author={"id": author_id, "handle": handle})
    assert decide(p, RuleSet(blocks=(Block("author", value),))).state == "hidden"


def test_block_matches_names_alt_text_and_quotes() -> None:
    """A blocked word in a display name, an image's alt text or a quoted post is caught."""
    rules = RuleSet(blocks=(Block("keyword", "spamword"),), wordlist=False)
    assert decide(post("hi", author={"id": "1", "handle": "@a", "name": "spamword"}), rules).state == "hidden"
    media = [{"url": "https://ex.org/a.jpg", "alt": "spamword"}]
    assert decide(post("hi", media=media), rules).state == "hidden"
    quoted = {"id": "x:9", "author": {"id": "2", "handle": "@b"}, "text": "spamword"}
    assert decide(post("hi", quoted=quoted), rules).state == "hidden"


@pytest.mark.parametrize(("kw", "rules", "state", "reason"), [
    ({"is_repost": True}, RuleSet(queue_reposts=True), "pending", "repost"),
    ({"is_repost": True}, RuleSet(), "visible", None),
    ({"in_reply_to": "x:1"}, RuleSet(queue_replies=True), "pending", "reply"),
    ({"sensitive": True}, RuleSet(), "pending", "sensitive"),
    ({"content_warning": "surgery"}, RuleSet(), "pending", "content warning"),
    ({"sensitive": True}, RuleSet(queue_sensitive=False), "visible", None),
    ({"lang": "fr"}, RuleSet(languages=("en", "es")), "pending", "language fr"),
    ({"lang": "en-GB"}, RuleSet(languages=("en",)), "visible", None),
    ({}, RuleSet(mode="pre"), "pending", None),
])
def test_automatic_queue_rules(kw: dict[str, Any], rules: RuleSet, state: str, reason: str | None) -> None:
    """Reposts, replies, sensitive posts and other languages go to the queue when configured."""
    d = decide(post("hello there", **kw), rules)
    assert d.state == state
    assert (reason is None and d.reason is None) or (reason and reason in (d.reason or ""))


def test_author_flood_goes_to_the_queue() -> None:
    """Past the hourly cap, an author's posts wait for a moderator."""
    rules = RuleSet(max_per_author_per_hour=5)
    assert decide(post("x"), rules, PostContext(author_posts_last_hour=4)).state == "visible"
    assert decide(post("x"), rules, PostContext(author_posts_last_hour=5)).state == "pending"


def test_duplicate_text_is_collapsed() -> None:
    """A copy of a text already on the wall is hidden as a duplicate, naming the original."""
    d = decide(post("x"), RuleSet(), PostContext(duplicate_of="x:7"))
    assert d.state == "hidden" and d.reason == "duplicate of x:7"


def test_text_key_ignores_case_spacing_and_invisible_characters() -> None:
    """Copies that differ only in case, spacing or zero-width characters share a key."""
    a = post("Join us at the stroke imaging session in room 5 this afternoon #ASNR14")
    b = post("join us at the  STROKE imaging\u200b session in room 5 this afternoon #asnr14")
    assert text_key(a) == text_key(b) is not None
    assert text_key(post("Great talk!")) is None


def test_matcher_reports_the_configured_term() -> None:
    """The matcher names the term as the moderator typed it."""
    assert Matcher(("Bad Phrase",)).find("a b.a.d phrase here") == "Bad Phrase"


def test_a_cross_post_of_a_post_on_the_wall_is_hidden_naming_the_original() -> None:
    """The second network's copy of a post already shown stays off the wall as a cross-post."""
    d = decide(post("hello"), RuleSet(), PostContext(crosspost_of="mastodon:https://m/1"))
    assert d == Decision("hidden", "cross-post of mastodon:https://m/1")


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, RuleSet()),
        ({"moderation": "pre"}, RuleSet(mode="pre")),
        ({"rules": {"languages": ["en"], "max_per_author_per_hour": None}},
         RuleSet(languages=("en",), max_per_author_per_hour=None)),
        ({"rules": {"extra_words": ["spoiler"], "wordlist": False}},
         RuleSet(extra_words=("spoiler",), wordlist=False)),
    ],
)
def test_rules_come_from_a_stored_config_with_the_settings_defaults(
    config: dict[str, Any], expected: RuleSet
) -> None:
    """A wall's stored config (even one missing keys) gives the rules the settings describe."""
    assert RuleSet.from_config(config) == expected


def test_rules_carry_the_wall_blocks() -> None:
    """The persisted blocks join the rules built from the config."""
    blocks = [Block("keyword", "spam")]
    assert RuleSet.from_config({}, blocks).blocks == (Block("keyword", "spam"),)
