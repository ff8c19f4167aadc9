"""Mastodon HTML -> content tokens: sanitised, parsed, never passed through."""

from __future__ import annotations

import pytest

from app.models import Token
from app.sources.mastodon.html import html_to_tokens, sanitize


def kinds(tokens: list[Token]) -> list[tuple[str, str, str | None]]:
    return [(t.type, t.text, t.href) for t in tokens]


def test_paragraphs_and_breaks_become_newlines() -> None:
    """<p> becomes a blank line between paragraphs and <br> a newline."""
    tokens = html_to_tokens("<p>one</p><p>two<br>three<br/>four</p>")
    assert kinds(tokens) == [("text", "one\n\ntwo\nthree\nfour", None)]


def test_whitespace_between_paragraphs_is_not_content() -> None:
    """Newlines that only format the HTML source (other servers' output) add no blank lines."""
    tokens = html_to_tokens("\n<p>one</p>\n<p>two</p>\n")
    assert kinds(tokens) == [("text", "one\n\ntwo", None)]
    spaced = html_to_tokens('<a href="https://a.example">a</a> <a href="https://b.example">b</a>')
    assert [t.text for t in spaced] == ["a", " ", "b"]


def test_hashtag_mention_and_shortened_link() -> None:
    """Mastodon's hashtag/mention anchors become tokens; invisible spans hide, ellipsis adds …."""
    html = (
        '<p><a href="https://m.example/tags/ASNR14" class="mention hashtag" rel="tag">'
        '#<span>ASNR14</span></a> <span class="h-card"><a href="https://m.example/@bob" '
        'class="u-url mention">@<span>bob</span></a></span> '
        '<a href="https://www.example.com/a/very/long/path"><span class="invisible">https://www.'
        '</span><span class="ellipsis">example.com/a/very/lo</span><span class="invisible">'
        "ng/path</span></a></p>"
    )
    assert kinds(html_to_tokens(html)) == [
        ("hashtag", "#ASNR14", "https://m.example/tags/ASNR14"),
        ("text", " ", None),
        ("mention", "@bob", "https://m.example/@bob"),
        ("text", " ", None),
        ("link", "example.com/a/very/lo…", "https://www.example.com/a/very/long/path"),
    ]


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>a<script>alert(1)</script>b</p>", "ab"),
        ("<p>a<style>p{display:none}</style>b</p>", "ab"),
        ('<p>a<iframe src="https://evil.example">x</iframe>b</p>', "ab"),
        ('<p>a<img src=x onerror="alert(1)">b</p>', "ab"),
        ("<p>a<!-- secret -->b</p>", "ab"),
        ("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", "<script>alert(1)</script>"),
        ("<p>a\u202eb\u202cc</p>", "abc"),
        ("<p><b><i>bold</i></b> <div>block</div></p>", "bold block"),
    ],
)
def test_hostile_markup_becomes_plain_text(html: str, text: str) -> None:
    """Script, style, iframe, img, comments and bidi overrides leave only plain text."""
    tokens = html_to_tokens(html)
    assert [t.type for t in tokens] == ["text"]
    assert tokens[0].text == text


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "//evil.example/x",
        "/relative",
        "vbscript:x",
        "java\tscript:alert(1)",
    ],
)
def test_unsafe_hrefs_lose_their_target(href: str) -> None:
    """A link without an http(s) target keeps its words as text and nothing else."""
    tokens = html_to_tokens(f'<p>x <a href="{href}" class="mention hashtag">click</a></p>')
    assert all(t.type == "text" and t.href is None for t in tokens)
    assert "".join(t.text for t in tokens) == "x click"


def test_sanitize_keeps_only_the_allow_list() -> None:
    """The nh3 step keeps p/br/span/a, http(s) hrefs and Mastodon's classes, nothing else (a
    paragraph's class other than quote-inline is emptied)."""
    out = sanitize(
        '<p class="x"><a href="https://ok.example" onclick="f()" class="mention evil" '
        'style="color:red" target="_blank">ok</a><span class="invisible bad">i</span>'
        "<b>t</b></p>"
    )
    assert out == (
        '<p class=""><a href="https://ok.example" class="mention">ok</a>'
        '<span class="invisible">i</span>t</p>'
    )


def test_unclosed_and_malformed_markup_never_raises() -> None:
    """Broken HTML still gives tokens: an unclosed link is closed at the end."""
    tokens = html_to_tokens('<p>start <a href="https://x.example">open link <span>deep')
    assert kinds(tokens) == [
        ("text", "start ", None),
        ("link", "open link deep", "https://x.example"),
    ]
    assert html_to_tokens("") == []
