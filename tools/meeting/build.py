"""Generate app/data/meeting/{meeting.jsonl,manifest.json,categories.json,programme.*,
media/*.svg}.

    .venv/bin/python tools/make_meeting.py            # rewrite app/data/meeting
    .venv/bin/python tools/make_meeting.py --check    # exit 1 if the committed files differ
    .venv/bin/python tools/make_meeting.py --out DIR  # write somewhere else

Deterministic: one seed (meeting.toml), no clock, no network; the same data files give
byte-identical output.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from app.models import Post

from .assemble import build_entries, make_reposts, set_metrics
from .data import (
    HERE,
    Account,
    load_accounts,
    load_categories,
    load_meeting,
    load_photos,
    load_posts,
)
from .media import write_media
from .programme import load_programme, write_programme
from .wire import setup_accounts

ROOT = HERE.parent.parent
OUT = ROOT / "app" / "data" / "meeting"


def categories(accounts: list[Account], kinds: dict[str, str], hashtag: str
               ) -> dict[str, Any]:
    """Return categories.json: the report's categories in order and each categorised account
    (`{source}:{author id}`, as the report names it), by category then handle."""
    order = list(kinds.values())
    chosen = sorted((a for a in accounts if a.kind in kinds),
                    key=lambda a: (order.index(kinds[a.kind]), a.handle.casefold()))
    return {"hashtag": "#" + hashtag, "categories": order,
            "accounts": [{"account": f"{a.source}:{a.id}", "handle": a.handle,
                          "category": kinds[a.kind]} for a in chosen]}


def generate(out: Path, data: Path = HERE) -> dict[str, Any]:
    """Write the meeting into `out` and return its manifest."""
    m = load_meeting(data)
    accounts = load_accounts(data)
    kinds = load_categories(data)
    photos = load_photos(data)
    entries = load_posts(m, accounts, photos, data)
    programme = load_programme(data / "programme.toml", accounts, m.first_day)
    by_key = {a.key: a for a in accounts}

    rng = random.Random(m.seed)  # the one source of randomness, drawn from in a fixed order
    setup_accounts(accounts, rng)
    entries = build_entries(m, rng, entries, by_key)
    reposts = make_reposts(m, rng, entries, accounts, m.total_posts - len(entries))
    set_metrics(rng, entries, reposts, by_key)
    posts = [e.post for e in entries if e.post is not None] + [p for _id, p in reposts]
    posts.sort(key=lambda p: (p["created_at"], p["id"]))
    hostile_ids = {e.post["id"] for e in entries if e.hostile and e.post}

    ids = [p["id"] for p in posts]
    assert len(set(ids)) == len(ids), "duplicate post id"
    for p in posts:
        wire = Post.model_validate(p).wire()
        if p["id"] not in hostile_ids and wire != p:
            raise SystemExit(f"post {p['id']} does not round-trip through Post.wire()")
    authors = {p["author"]["id"] for p in posts}
    if len(authors) != len(accounts):
        raise SystemExit(f"{len(accounts)} accounts but {len(authors)} of them post or repost")

    out.mkdir(parents=True, exist_ok=True)
    write_media(out / "media", m.seed, photos, accounts)
    with (out / "meeting.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for p in posts:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    grouped = categories(accounts, kinds, m.hashtag)
    (out / "categories.json").write_text(
        json.dumps(grouped, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    by_category = Counter(a["category"] for a in grouped["accounts"])
    by_source = Counter(p["source"] for p in posts)
    manifest = {
        "title": m.title,
        "hashtag": "#" + m.hashtag,
        "posts": len(posts),
        "accounts": len(authors),
        "first_day": posts[0]["created_at"][:10],
        "last_day": posts[-1]["created_at"][:10],
        "by_source": {s: by_source[s] for s in ("x", "mastodon", "bluesky")},
        "languages": sorted({p["lang"] for p in posts}),
        "reposts": sum(p["is_repost"] for p in posts),
        "replies": sum(p["in_reply_to"] is not None for p in posts),
        "quotes": sum(p["quoted"] is not None and not p["is_repost"] for p in posts),
        "with_media": sum(bool(p["media"]) for p in posts),
        "hostile": len(hostile_ids),
        "categories": {c: by_category[c] for c in grouped["categories"]},
        "uncategorised": len(accounts) - len(grouped["accounts"]),
        # Written last and drawing nothing: meeting.jsonl does not depend on it.
        "programme": write_programme(out, programme, m.title, m.hashtag.lower()),
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def differences(a: Path, b: Path) -> list[str]:
    """Return the files that are in only one of two folders or differ in a byte."""
    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}

    fa, fb = files(a), files(b)
    return sorted((fa ^ fb) | {n for n in fa & fb if (a / n).read_bytes() != (b / n).read_bytes()})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate the bundled demo meeting.")
    parser.add_argument("--out", type=Path, default=OUT, help=f"output folder (default {OUT})")
    parser.add_argument("--check", action="store_true",
                        help="generate into a temporary folder and compare with --out")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp))
            diff = differences(Path(tmp), args.out)
        if diff:
            print(f"{args.out} differs from what the data files give: {', '.join(diff)}",
                  file=sys.stderr)
            raise SystemExit(1)
        print(f"{args.out} is exactly what the data files give")
        return
    manifest = generate(args.out)
    print(json.dumps(manifest, ensure_ascii=False))
    lines = (args.out / "meeting.jsonl").read_text(encoding="utf-8").splitlines()
    days = Counter(json.loads(line)["created_at"][:10] for line in lines)
    print("per day:", dict(sorted(days.items())))
    svgs = list((args.out / "media").glob("*.svg"))
    print(f"media: {sum(p.stat().st_size for p in svgs)} bytes in {len(svgs)} files")
