"""What the X source asks X for: the search (and stream rule) query and the fields to return.

Pure and tiny on purpose: search, stream and normalisation all depend on it, and it on nothing.
`FIELDS` lists exactly what `tweet_to_post` (normalize.py) reads, as tweepy's keyword arguments.
"""

from __future__ import annotations

__all__ = ["FIELDS", "build_query"]

# The expansions and fields `tweet_to_post` reads, as tweepy's keyword arguments.
FIELDS: dict[str, list[str]] = {
    "expansions": (
        "author_id attachments.media_keys attachments.poll_ids referenced_tweets.id"
        " referenced_tweets.id.author_id"
    ).split(),
    "tweet_fields": (
        "created_at entities note_tweet lang possibly_sensitive public_metrics"
        " edit_history_tweet_ids referenced_tweets attachments author_id"
    ).split(),
    "user_fields": "name username profile_image_url public_metrics".split(),
    "media_fields": "url preview_image_url alt_text width height type variants".split(),
    "poll_fields": ["options"],
}


def build_query(
    hashtags: tuple[str, ...] | list[str],
    *,
    exclude_reposts: bool = False,
    languages: list[str] | None = None,
    media_only: bool = False,
) -> str:
    """Return the search (or stream rule) query for `hashtags`, e.g. `(#a OR #b) -is:retweet`.

    Raises ValueError when there is no hashtag to search for.
    """
    tags = [t.strip().lstrip("#") for t in hashtags if t.strip().lstrip("#")]
    if not tags:
        raise ValueError("a wall needs at least one hashtag for the X source")
    parts = ["(" + " OR ".join(f"#{t}" for t in tags) + ")"]
    if languages:
        langs = [f"lang:{lang}" for lang in languages]
        parts.append(langs[0] if len(langs) == 1 else "(" + " OR ".join(langs) + ")")
    if exclude_reposts:
        parts.append("-is:retweet")
    if media_only:
        parts.append("has:media")
    return " ".join(parts)
