"""Posts that exercise every part of a card: long text, right-to-left, emoji, missing and broken
avatars and images, warnings, quotes, reposts, three networks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import make_post

MEDIA_DIR = Path(__file__).resolve().parents[2] / "app" / "data" / "meeting" / "media"
TAG = {"type": "hashtag", "text": "#ASNR14", "href": "https://x.com/hashtag/ASNR14"}


def demo_photo() -> str | None:
    """Return a same-origin URL of a bundled demo photo, or None if the meeting has none."""
    photos = sorted(MEDIA_DIR.glob("photo-*")) if MEDIA_DIR.is_dir() else []
    return f"/demo-media/{photos[0].name}" if photos else None


def text(words: str) -> list[dict[str, Any]]:
    return [{"type": "text", "text": words}, {"type": "text", "text": " "}, TAG]


LONG = ("Fantastic keynote on the future of neuroimaging: from 7T MRI in daily practice to "
        "photon-counting CT, AI triage that actually reduces turnaround time, and a frank "
        "discussion of what we still do not know about contrast agents and gadolinium retention. "
        "The room was full and the questions went on for forty minutes after the talk ended, "
        "which says everything about how much this community cares about getting it right.")


def showcase_posts() -> list[dict[str, Any]]:
    """Return ten varied posts, oldest first (the replay's file order)."""
    photo = demo_photo()
    image = ([{"kind": "image", "url": photo, "alt": "Tractography slide on the big screen",
               "width": 1200, "height": 800}] if photo else [])
    return [
        make_post(1, content=text(LONG), author={"id": "a1", "handle": "@priya_nr",
                                                 "name": "Priya Raman", "avatar_url": None}),
        make_post(2, id="mastodon:https://rad.community/@sara/2", source="mastodon",
                  lang="ar", content=text("جلسة رائعة عن التصوير العصبي اليوم، شكرا للمنظمين"),
                  author={"id": "a2", "handle": "@sara@rad.community", "name": "سارة الحسن"}),
        make_post(3, id="bluesky:at://did:plc:abc/app.bsky.feed.post/3", source="bluesky",
                  content=text("Family photo of the neuro team 👩‍👩‍👧‍👦 🧠 🎉"),
                  author={"id": "a3", "handle": "@jun.bsky.social", "name": "Jun Tanaka",
                          "avatar_url": "/demo-media/no-such-avatar.png"}),
        make_post(4, content=text("Poster hall B is open until 18:00"),
                  media=[{"kind": "image", "url": "/demo-media/no-such-photo.jpg",
                          "alt": "Poster hall", "width": 800, "height": 600}]),
        make_post(5, content=text("Slides from this morning"), media=image),
        make_post(6, content=text("Case from today's session"), content_warning="Surgical images",
                  sensitive=True, media=image),
        make_post(7, content=text("Unblurred case image"), sensitive=True, media=image),
        make_post(8, content=text("Exactly this."), quoted={
            "id": "x:1", "url": "https://x.com/a/status/1",
            "author": {"id": "q", "handle": "@theASNR", "name": "ASNR"},
            "content": [{"type": "text", "text": "Registration for 2015 in Chicago is open!"}],
        }),
        make_post(9, is_repost=True, content=text("RT @theASNR: Welcome to Montréal!")),
        make_post(10, content=text("Welcome! Share your photos with the hashtag"),
                  also_on=[{"source": "bluesky", "id": "bluesky:at://did:plc:w/app.bsky.feed.post/1",
                            "url": "https://bsky.app/profile/w/post/1"}]),
    ]
