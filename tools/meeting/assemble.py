"""From hand-written posts to wire posts: times, threads, the meeting's tag, reposts, metrics."""

from __future__ import annotations

import math
import random
from collections import Counter
from typing import Any

from .data import Account, Entry, Meeting
from .timeline import awake, delay_after, sample_time
from .wire import hashtag_href, mention_text, merge, post_dict, raw_token, text_token, tokenize


def build_entries(m: Meeting, rng: random.Random, entries: list[Entry],
                  accounts: dict[str, Account]) -> list[Entry]:
    """Give every entry its time and wire post, parents before their replies and quotes.

    A reply starts with its parent's author mention; a post that lacks the meeting's hashtag
    gets it appended (now and then in lower case), because the wall only sees tagged posts.
    """
    labels = {e.label: e for e in entries if e.label}
    tag_lower = "#" + m.hashtag.lower()
    pending = list(entries)
    done: list[Entry] = []
    while pending:
        progress = False
        for e in list(pending):
            parent_key = e.reply_to or e.quote_of
            parent = labels[parent_key] if parent_key else None
            if parent is not None and parent.post is None:
                continue
            acc = accounts[e.author]
            if parent is not None:
                assert parent.when is not None and parent.post is not None
                if accounts[parent.author].source != acc.source:
                    raise SystemExit(f"{e.author} cannot reply to/quote across networks")
                e.when = awake(m, rng, delay_after(rng, parent.when, *e.delay), acc)
            else:
                e.when = sample_time(m, rng, e.day, e.slot)
            e.when = min(max(e.when, m.window_start), m.window_end)
            if e.raw_content is not None:
                content = [raw_token(t, acc) for t in e.raw_content]
            else:
                content = tokenize(e.text, acc, accounts)
                replying = e.reply_to and parent is not None
                if replying and parent and not e.text.startswith(f"@{parent.author}"):
                    pa = accounts[parent.author]
                    lead = {"type": "mention", "text": mention_text(pa, acc),
                            "href": pa.profile_url}
                    content = merge([lead, text_token(" "), *content])
                if not any(c["type"] == "hashtag" and c["text"].lower() == tag_lower
                           for c in content):
                    shown = tag_lower if rng.random() < 0.12 else "#" + m.hashtag
                    tag = {"type": "hashtag", "text": shown,
                           "href": hashtag_href(m.hashtag, acc)}
                    content = merge([*content, text_token(" "), tag])
            quoted = None
            if e.quote_of and parent is not None and parent.post is not None:
                pp = parent.post
                quoted = {"id": pp["id"], "url": pp["url"], "author": pp["author"],
                          "content": pp["content"], "text": pp["text"],
                          "created_at": pp["created_at"]}
            e.post = post_dict(rng, acc, e.when, content, media=e.media,
                               lang=e.lang or acc.lang, quoted=quoted, sensitive=e.sensitive,
                               cw=e.cw, reply_to=parent.post["id"] if e.reply_to and parent and
                               parent.post else None)
            pending.remove(e)
            done.append(e)
            progress = True
        if not progress:
            raise SystemExit("unresolvable reply/quote labels: "
                             + ", ".join(str(e.reply_to or e.quote_of) for e in pending))
    return done


def make_reposts(m: Meeting, rng: random.Random, entries: list[Entry],
                 accounts: list[Account], count: int) -> list[tuple[str, dict[str, Any]]]:
    """Return (reposted id, repost) pairs: boosts of other posts on the same network."""
    acc = {a.key: a for a in accounts}
    pool = [e for e in entries if not e.hostile and not e.reply_to and e.post is not None]
    weights = [1.0 + 5.0 * e.star + 1.2 * bool(e.media) + 1.0 * (acc[e.author].kind ==
               "institution") for e in pool]
    seen: set[tuple[str, str]] = set()
    authored = {e.author for e in entries}
    out: list[tuple[str, dict[str, Any]]] = []

    def repost(e: Entry, by: Account) -> bool:
        assert e.post is not None and e.when is not None
        if by.key == e.author or (by.key, e.post["id"]) in seen:
            return False
        t = awake(m, rng, delay_after(rng, e.when, 2, 900), by)
        if t > m.window_end:
            return False
        orig = acc[e.author]
        lead = "RT " if by.source == "x" else "🔁 "
        content = merge([text_token(lead), {"type": "mention", "text": mention_text(orig, by),
                                            "href": orig.profile_url}, text_token(": ")]
                        + [dict(c) for c in e.post["content"]])
        p = post_dict(rng, by, t, content, media=e.post["media"], lang=e.post["lang"],
                      is_repost=True, quoted=e.post["quoted"], sensitive=e.post["sensitive"],
                      cw=e.post["content_warning"])
        seen.add((by.key, e.post["id"]))
        out.append((e.post["id"], p))
        return True

    # every account appears at least once: quiet ones get a repost or two
    for a in accounts:
        if a.key in authored or a.weight == 0:
            continue
        same = [(e, w) for e, w in zip(pool, weights, strict=True)
                if acc[e.author].source == a.source]
        for _ in range(2):
            e = rng.choices([s[0] for s in same], weights=[s[1] for s in same])[0]
            repost(e, a)
    while len(out) < count:
        e = rng.choices(pool, weights=weights)[0]
        src = acc[e.author].source
        cands = [a for a in accounts if a.source == src and a.weight > 0 and a.key != e.author]
        by = rng.choices(cands, weights=[a.weight for a in cands])[0]
        repost(e, by)
    return out


def set_metrics(rng: random.Random, entries: list[Entry],
                reposts: list[tuple[str, dict[str, Any]]], accounts: dict[str, Account]) -> None:
    """Likes, reposts, replies and quotes: the real counts of this data set plus a plausible
    number from outside it, growing with the author's followers, highlights and photos."""
    replies: Counter[str] = Counter()
    quotes: Counter[str] = Counter()
    boosts: Counter[str] = Counter()
    for e in entries:
        assert e.post is not None
        if e.post["in_reply_to"]:
            replies[e.post["in_reply_to"]] += 1
        if e.post["quoted"]:
            quotes[e.post["quoted"]["id"]] += 1
    for orig_id, _p in reposts:
        boosts[orig_id] += 1
    for e in entries:
        assert e.post is not None
        acc = accounts[e.author]
        pid = e.post["id"]
        if e.hostile:
            e.post["metrics"] = {"likes": rng.randrange(3), "reposts": 0, "replies": 0,
                                 "quotes": 0}
            continue
        mu = (0.42 * math.log(acc.followers + 20) - 0.45 + 1.3 * e.star
              + 0.35 * bool(e.media) - 0.9 * bool(e.reply_to))
        e.post["metrics"] = {
            "likes": int(rng.lognormvariate(mu, 0.7)),
            "reposts": boosts[pid] + int(rng.lognormvariate(mu - 1.7, 0.7)),
            "replies": replies[pid] + rng.choice([0, 0, 0, 1, 1, 2]),
            "quotes": quotes[pid] + (1 if rng.random() < 0.04 else 0),
        }
