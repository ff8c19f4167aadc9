"""Mastodon status HTML -> content tokens (docs/design.md §2); no HTML leaves this module.

Two steps. nh3 first reduces the HTML to a tight allow-list (p, br, a with an http(s) href, span)
and drops the content of script/style-like elements; then a real HTML parser (stdlib `html.parser`)
walks what is left and emits text, hashtag, mention and link tokens. Mastodon's link shortening
(`<span class="invisible">` parts hidden, `<span class="ellipsis">` followed by "…") is applied so
a link's visible text stays short. Custom emoji stay as their `:shortcode:` text: a token has no
image type, and a picture from a remote server inside the text would need one.
"""

from __future__ import annotations

from html.parser import HTMLParser

import nh3

from app.models import Token, safe_url

__all__ = ["html_to_tokens", "sanitize"]

_TAGS = {"p", "br", "a", "span"}
_DROP_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "noscript",
    "template",
    "textarea",
    "title",
    "object",
    "svg",
    "math",
    "select",
    "option",
    "head",
}
_CLASSES = {
    "a": {"mention", "hashtag", "u-url"},
    "span": {"invisible", "ellipsis", "h-card"},
    # Mastodon 4.4+ puts the "RE: <link>" fallback of a quote in this paragraph.
    "p": {"quote-inline"},
}


def sanitize(html: str) -> str:
    """Return `html` reduced to p, br, span and a (http(s) href only, Mastodon classes only)."""
    return nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes={"a": {"href"}},
        allowed_classes=_CLASSES,
        url_schemes={"http", "https"},
        url_relative="deny",
        link_rel=None,
        strip_comments=True,
    )


class _Tokenizer(HTMLParser):
    def __init__(self, drop_quote_inline: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self._drop_quote_inline = drop_quote_inline
        self._skipping = 0  # >0 inside a dropped quote-inline paragraph
        self.tokens: list[Token] = []
        self._text: list[str] = []
        self._break = ""  # a newline run owed before the next visible text
        self._link: dict[str, str] | None = None
        self._link_text: list[str] = []
        self._spans: list[set[str]] = []  # classes of each open span, innermost last
        self._paragraphs = 0  # open <p> elements

    def _hidden(self) -> bool:
        """Return True inside a `span.invisible` (the hidden part of a shortened link)."""
        return any("invisible" in classes for classes in self._spans)

    def _emit_text(self, text: str) -> None:
        """Add visible text, after the line breaks owed before it."""
        if self._break and (self.tokens or self._text):
            self._text.append(self._break)
        self._break = ""
        self._text.append(text)

    def _flush(self) -> None:
        """Close the text run collected so far into one text token."""
        if self._text:
            self.tokens.append(Token(type="text", text="".join(self._text)))
            self._text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a paragraph, a span or a link; a `br` owes a newline."""
        values = {name: value or "" for name, value in attrs}
        classes = set(values.get("class", "").split())
        if self._skipping:
            self._skipping += tag == "p"
            return
        if tag == "p" and self._drop_quote_inline and "quote-inline" in classes:
            self._skipping = 1
            return
        if tag == "br":
            self._break += "\n"
        elif tag == "p":
            self._paragraphs += 1
            if self.tokens or self._text:
                self._break = "\n\n"
        elif tag == "span":
            self._spans.append(classes)
        elif tag == "a" and self._link is None:
            self._link = {"href": values.get("href", ""), "class": " ".join(sorted(classes))}
            self._link_text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Treat `<br/>` and friends as their start tag."""
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        """Close a paragraph, a span (an ellipsis span adds "…") or a link."""
        if self._skipping:
            self._skipping -= tag == "p"
            return
        if tag == "p":
            self._paragraphs = max(0, self._paragraphs - 1)
        elif tag == "span" and self._spans:
            if "ellipsis" in self._spans.pop() and self._link is not None:
                self._link_text.append("…")
        elif tag == "a" and self._link is not None:
            self._close_link(self._link)

    def _close_link(self, link: dict[str, str]) -> None:
        """Emit the link as a hashtag, mention or link token; without a safe href, as text."""
        self._link = None
        text = "".join(self._link_text)
        if not text:
            return
        classes = set(link["class"].split())
        href = safe_url(link["href"])
        kind = "link"
        if "hashtag" in classes:
            kind = "hashtag"
        elif "mention" in classes:
            kind = "mention"
        if href is None:
            self._emit_text(text)
            return
        if self._break and (self.tokens or self._text):
            self._text.append(self._break)
        self._break = ""
        self._flush()
        self.tokens.append(Token(type=kind, text=text, href=href))

    def handle_data(self, data: str) -> None:
        """Add text to the open link or the text run, unless hidden or mere formatting."""
        if self._skipping or self._hidden():
            return
        if not self._paragraphs and "\n" in data and not data.strip():
            return  # source formatting between paragraphs, not content
        if self._link is not None:
            self._link_text.append(data)
        else:
            self._emit_text(data)

    def result(self) -> list[Token]:
        """Return the tokens, closing whatever was left open."""
        if self._link is not None:
            self._close_link(self._link)
        self._flush()
        return self.tokens


def html_to_tokens(html: str, *, drop_quote_inline: bool = False) -> list[Token]:
    """Return the content tokens of a Mastodon status's `content` HTML (sanitised first).

    Paragraphs become blank lines and `br` a newline; `a.hashtag` -> hashtag, `a.mention` ->
    mention, any other `a` with an http(s) href -> link; everything else is text. With
    `drop_quote_inline`, the `p.quote-inline` fallback of a quote shown as a card is left out.
    Never raises on malformed HTML.
    """
    parser = _Tokenizer(drop_quote_inline)
    parser.feed(sanitize(html))
    parser.close()
    return parser.result()
