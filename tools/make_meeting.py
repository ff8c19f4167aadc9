#!/usr/bin/env python3
"""Generate the bundled demo meeting: app/data/meeting/{meeting.jsonl,manifest.json,media/*.svg}.

A fictional replay of a 9-day neuroradiology society meeting modelled on ASNR 2014 (#ASNR14,
Montréal, 15-23 May 2014): about 420 posts from exactly 51 invented accounts on X, Mastodon and
Bluesky. Every person, account, speaker, journal, blog and company in here is made up.

The output is deterministic (fixed seed, no clock, no network): running the script twice gives
byte-identical files. Posts are written in the wire shape of `app.models.Post.wire()`; a handful
of deliberately hostile posts keep their raw values (script tags, javascript: links, bidi
overrides) so the demo shows the models neutralising them on load.

    .venv/bin/python tools/make_meeting.py
"""
# ruff: noqa: RUF001  (the posts are multilingual prose: en dashes and full-width punctuation)

from __future__ import annotations

import json
import math
import random
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.models import Post  # noqa: E402

OUT = ROOT / "app" / "data" / "meeting"
MEDIA = OUT / "media"
MEDIA_PREFIX = "/demo-media/"
SEED = 20140517
TARGET_POSTS = 420
TITLE = "ASNR 2014 Annual Meeting, Montréal (fictional demo replay)"
HASHTAG = "#ASNR14"
LOCAL_OFFSET = timedelta(hours=-4)  # Montréal in May (EDT)
FIRST_DAY, LAST_DAY = 15, 23
WINDOW_START = datetime(2014, 5, FIRST_DAY, tzinfo=UTC)
WINDOW_END = datetime(2014, 5, LAST_DAY, 23, 59, 59, tzinfo=UTC)
TWITTER_EPOCH_MS = 1288834974657

rng = random.Random(SEED)


# --------------------------------------------------------------------------- accounts


@dataclass
class Account:
    key: str  # how the content below refers to the account (@key)
    source: str
    name: str
    kind: str  # attending | remote | other | institution | hostile
    followers: int
    lang: str = "en"
    avatar: str | None = "person"  # avatar style, None: no avatar (initials fallback)
    instance: str = ""  # mastodon
    bsky: str = ""  # bluesky handle without the leading @
    weight: float = 1.0  # how often the account reposts others
    raw_handle: str | None = None  # hostile accounts: the handle exactly as the platform sent it
    raw_avatar: str | None = None  # hostile accounts: an avatar URL the models must refuse
    id: str = ""
    handle: str = ""
    profile_url: str = ""
    avatar_url: str | None = None

    def wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "handle": self.handle,
            "name": self.name,
            "avatar_url": self.avatar_url,
            "profile_url": self.profile_url,
            "followers_count": self.followers,
        }


def A(key: str, source: str, name: str, kind: str, followers: int, **kw: Any) -> Account:
    return Account(key, source, name, kind, followers, **kw)


ACCOUNTS = [
    # institutions, a journal, companies (all fictional)
    A("NeuroRadMeeting", "x", "NR Annual Meeting · Montréal 2014", "institution", 5200,
      avatar="logo", weight=0.6),
    A("LakeshoreRad", "x", "Lakeshore Univ. Radiology", "institution", 3100, avatar="logo",
      weight=1.6),
    A("NorthfieldKidsImg", "x", "Northfield Children's Imaging", "institution", 1400,
      avatar="logo", weight=1.2),
    A("JClinNeuroimaging", "x", "J Clin Neuroimaging", "institution", 9800, avatar="logo",
      weight=0.8),
    A("HelixImaging", "x", "Helix Imaging Systems", "institution", 15200, avatar="logo",
      weight=0.8),
    A("CortexMedAI", "x", "CortexMed AI", "institution", 2300, avatar="logo", weight=0.8),
    A("rad_residents", "mastodon", "Radiology Residents Network", "institution", 900,
      instance="rad.community", avatar="logo", weight=1.5),
    A("brainimagingfdn", "bluesky", "Brain Imaging Patient Foundation", "institution", 1700,
      bsky="brainimagingfdn.bsky.social", avatar="logo", weight=1.2),
    # neuroradiologists at the meeting
    A("hmvoss_neuro", "x", "Helena Marchetti-Voss, MD", "attending", 2600, weight=1.2),
    A("tibarreche", "x", "Tomás Ibarreche", "attending", 870, lang="es"),
    A("kofi_neurorad", "x", "Kofi Amankwaa-Brandt", "attending", 1900, weight=1.3),
    A("priya_vr_md", "x", "Priyanka Venkataraghavan", "attending", 640, weight=1.4),
    A("haddadin_mri", "x", "د. سمير حدادين | Samir Haddadin", "attending", 1150, lang="ar"),
    A("noa_benarieh", "x", "נועה בן-אריה Noa Ben-Arieh", "attending", 410, lang="he"),
    A("elodie_gp", "x", "Élodie Garneau-Pichette", "attending", 1320, lang="fr"),
    A("ma_tousignant", "x", "Marc-André Tousignant", "attending", 290, lang="fr",
      weight=1.6),
    A("yharada_nr", "x", "原田 由紀 Yuki Harada", "attending", 760, lang="ja"),
    A("bkaltenbrunn", "x", "Bettina Kaltenbrunn", "attending", 530, lang="de"),
    A("rquintanilha", "x", "Rafael Quintanilha", "attending", 980, lang="pt"),
    A("gofinch_rad", "x", "Grace Oyelaran-Finch", "attending", 2100, weight=1.3),
    A("mctavish_spine", "x", "Ian McTavish", "attending", 720),
    A("lena_sorvari", "x", "Lena Sorvari", "attending", 450),
    A("owenpl_inr", "x", "Owen Pritchard-Leigh", "attending", 3300, weight=1.1),
    A("ines", "mastodon", "Dr. Inès Fallows", "attending", 1300, instance="rad.community"),
    A("jwp", "mastodon", "Jonah Wexler-Park 🧲", "attending", 610, instance="neuro.garden"),
    A("abraconnier", "mastodon", "Aurélie Braconnier", "attending", 480, lang="fr",
      instance="mtl.social"),
    A("sunitarb", "bluesky", "Sunita Rao-Bellamy", "attending", 930,
      bsky="sunitarb.bsky.social", weight=1.3),
    A("teocastellanos", "bluesky", "Teo Castellanos", "attending", 520, lang="es",
      bsky="teocastellanos.bsky.social"),
    # neuroradiologists following from afar
    A("fqo_rad", "x", "Farah Qureshi-Olsen", "remote", 1500, weight=1.8),
    A("achterberg_ben", "x", "Ben Achterberg", "remote", 690, weight=1.8),
    A("meilin_kovac", "x", "Mei-Lin Kovač", "remote", 820, weight=1.4),
    A("cferrando_rx", "x", "Carlos Ferrando Ruiz", "remote", 1100, lang="es", weight=1.5),
    A("anjali_dc", "x", "Anjali Deshmukh-Carr", "remote", 380, weight=1.6),
    A("rowan_rad", "x", "Rowan Achebe-Lind", "remote", 150, avatar=None, weight=2.0),
    A("ewabh", "mastodon", "Ewa Brzezińska-Holt", "remote", 350, instance="rad.community",
      weight=1.6),
    A("liamoh", "bluesky", "Liam Okonkwo-Hart", "remote", 300, bsky="liamoh.bsky.social",
      weight=1.6),
    # patients, journalists, students, industry, other specialties
    A("marnie_ms_life", "x", "Marnie Sutcliffe", "other", 2700, weight=1.1),
    A("cduvalkerr", "x", "Claire Duval-Kerr", "other", 6400, weight=0.7),
    A("amara_ms3", "x", "Amara Nwosu-Blake", "other", 330, weight=1.5),
    A("rickdv_helix", "x", "Rick Dorsey-Vale", "other", 560, weight=1.0),
    A("mirasg", "x", "Mira Shah-Gould", "other", 1250),
    A("adaeze_neuro", "x", "Adaeze Holm, MD", "other", 2900),
    A("vlpace_nsgy", "x", "Viktor Lundgren-Pace", "other", 1700),
    A("dana_mrtech", "x", "Dana Whitcombe, RT(R)(MR)", "other", 240, avatar=None, weight=1.2),
    A("plgendreau", "mastodon", "Pierre-Luc Gendreau", "other", 2100, lang="fr",
      instance="mtl.social"),
    A("sofia_neurosci", "mastodon", "Sofía Lindqvist", "other", 270, instance="neuro.garden"),
    A("tobi", "bluesky", "Tobias Reinholt", "other", 640, bsky="tobi-recovers.bsky.social",
      avatar=None),
    A("kenji", "bluesky", "Kenji Albright", "other", 210, bsky="kenji-albright.bsky.social",
      avatar=None),
    # hostile accounts: their posts prove the wall is safe
    A("freeCMEnow2014", "x", "FREE CME 2014 🎁🎁🎁", "hostile", 12, avatar=None, weight=0),
    A("lab_gnp", "x", "\u202eReviewer 2\u202c \u2067Official\u2069 \u200f✓\u200e", "hostile",
      37, avatar=None, weight=0, raw_handle="@lab_\u202egnp.exe\u202c",
      raw_avatar="javascript:alert(1)"),
    A("wallbreaker", "mastodon", "wallbreaker 🔓", "hostile", 88, instance="sec.camp",
      avatar=None, weight=0,
      raw_avatar="data:image/svg+xml,<svg onload=alert(1)>"),
]
ACC = {a.key: a for a in ACCOUNTS}
assert len(ACC) == len(ACCOUNTS) == 51

B32 = "abcdefghijklmnopqrstuvwxyz234567"
TID_CHARS = "234567abcdefghijklmnopqrstuvwxyz"


def setup_accounts() -> None:
    for a in ACCOUNTS:
        if a.source == "x":
            a.id = str(rng.randrange(14_000_000, 2_450_000_000))
            a.handle = f"@{a.key}"
            a.profile_url = f"https://x.com/{a.key}"
        elif a.source == "mastodon":
            a.id = f"https://{a.instance}/users/{a.key}"
            a.handle = f"@{a.key}@{a.instance}"
            a.profile_url = f"https://{a.instance}/@{a.key}"
        else:
            a.id = "did:plc:" + "".join(rng.choice(B32) for _ in range(24))
            a.handle = f"@{a.bsky}"
            a.profile_url = f"https://bsky.app/profile/{a.bsky}"
        if a.raw_handle:
            a.handle = a.raw_handle
        if a.avatar:
            a.avatar_url = f"{MEDIA_PREFIX}avatar-{a.key.lower()}.svg"
        elif a.raw_avatar:
            a.avatar_url = a.raw_avatar


def mention_text(target: Account, poster: Account) -> str:
    if target.source == "mastodon":
        same = poster.source == "mastodon" and poster.instance == target.instance
        return f"@{target.key}" if same else f"@{target.key}@{target.instance}"
    if target.source == "bluesky":
        return f"@{target.bsky}"
    return f"@{target.key}"


def hashtag_href(tag: str, poster: Account) -> str:
    if poster.source == "x":
        return f"https://x.com/hashtag/{quote(tag)}?src=hash"
    if poster.source == "mastodon":
        return f"https://{poster.instance}/tags/{quote(tag)}"
    return f"https://bsky.app/hashtag/{quote(tag)}"


# --------------------------------------------------------------------------- SVG media
# Everything is drawn from shapes and gradients: no script, no text from outside, no external
# reference of any kind (no href at all), no foreignObject.


def f(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def svg_doc(w: int, h: int, defs: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}"><defs>{defs}</defs>{body}</svg>\n'
    )


def lin(gid: str, stops: list[tuple[float, str]], x2: float = 0, y2: float = 1) -> str:
    s = "".join(f'<stop offset="{o}" stop-color="{c}"/>' for o, c in stops)
    return f'<linearGradient id="{gid}" x1="0" y1="0" x2="{x2}" y2="{y2}">{s}</linearGradient>'


def radg(gid: str, stops: list[tuple[float, str] | tuple[float, str, float]],
         cx: float = 0.5, cy: float = 0.5, r: float = 0.5) -> str:
    parts = []
    for stop in stops:
        opacity = stop[2] if len(stop) == 3 else 1.0
        parts.append(f'<stop offset="{stop[0]}" stop-color="{stop[1]}" '
                     f'stop-opacity="{opacity}"/>')
    return (f'<radialGradient id="{gid}" cx="{cx}" cy="{cy}" r="{r}">{"".join(parts)}'
            '</radialGradient>')


def blur(fid: str, sd: float) -> str:
    return (f'<filter id="{fid}" x="-50%" y="-50%" width="200%" height="200%">'
            f'<feGaussianBlur stdDeviation="{sd}"/></filter>')


def hsl(h: float, s: float, l_: float) -> str:
    return f"hsl({int(h) % 360},{int(s)}%,{int(l_)}%)"


def person(x: float, y: float, s: float, r: random.Random, colour: str | None = None,
           back: bool = True) -> str:
    """A head-and-shoulders silhouette with its feet at y, height about 3*s."""
    skin = r.choice(["#f1c7a5", "#d9a07a", "#b97a56", "#8d5a3b", "#5c3a24", "#e8b896"])
    hair = r.choice(["#2b1d14", "#4a3020", "#7a5a2a", "#b5894a", "#1b1b1b", "#9a9a9a"])
    shirt = colour or hsl(r.uniform(0, 360), r.uniform(20, 60), r.uniform(25, 55))
    head_y = y - 2.55 * s
    body = (f'<path d="M{f(x - 1.0 * s)},{f(y)} Q{f(x - 1.0 * s)},{f(y - 1.9 * s)} '
            f'{f(x)},{f(y - 1.95 * s)} Q{f(x + 1.0 * s)},{f(y - 1.9 * s)} {f(x + 1.0 * s)},'
            f'{f(y)} Z" fill="{shirt}"/>')
    if back:
        head = (f'<circle cx="{f(x)}" cy="{f(head_y)}" r="{f(0.5 * s)}" fill="{hair}"/>')
    else:
        head = (f'<circle cx="{f(x)}" cy="{f(head_y)}" r="{f(0.5 * s)}" fill="{skin}"/>'
                f'<path d="M{f(x - 0.52 * s)},{f(head_y)} A{f(0.52 * s)},{f(0.55 * s)} 0 0 1 '
                f'{f(x + 0.52 * s)},{f(head_y)} Q{f(x)},{f(head_y - 0.25 * s)} '
                f'{f(x - 0.52 * s)},{f(head_y)} Z" fill="{hair}"/>'
                f'<path d="M{f(x - 0.2 * s)},{f(head_y + 0.18 * s)} Q{f(x)},'
                f'{f(head_y + 0.32 * s)} {f(x + 0.2 * s)},{f(head_y + 0.18 * s)}" '
                f'stroke="#5a2f22" stroke-width="{f(0.05 * s)}" fill="none"/>')
    return body + head


def brain_axial(cx: float, cy: float, rx: float, r: random.Random, mode: str = "t2",
                uid: str = "b") -> tuple[str, str]:
    """An axial brain slice: scalp, skull, cortex with sulci, ventricles, optional finding."""
    ry = rx * 1.22
    ct = mode in ("ct", "ctbleed")
    tissue = ("#8a8a8a", "#6f6f6f") if ct else ("#9c9c9c", "#5b5b5b")
    csf = "#2a2a2a" if ct or mode == "flair" else "#e9e9e9"
    skull = "#f4f4f4" if ct else "#1a1a1a"
    defs = radg(f"{uid}t", [(0, tissue[0]), (1, tissue[1])]) + blur(f"{uid}f", rx * 0.03)
    out = [
        f'<ellipse cx="{f(cx)}" cy="{f(cy)}" rx="{f(rx * 1.1)}" ry="{f(ry * 1.08)}" '
        f'fill="{"#3a3a3a" if ct else "#b9b9b9"}"/>',
        f'<ellipse cx="{f(cx)}" cy="{f(cy)}" rx="{f(rx * 1.04)}" ry="{f(ry * 1.03)}" '
        f'fill="{skull}"/>',
        f'<ellipse cx="{f(cx)}" cy="{f(cy)}" rx="{f(rx)}" ry="{f(ry)}" fill="url(#{uid}t)"/>',
    ]
    sulci = []
    for i in range(46):
        a = 2 * math.pi * i / 46 + r.uniform(-0.04, 0.04)
        d1, d2 = r.uniform(0.97, 1.0), r.uniform(0.7, 0.86)
        x1, y1 = cx + rx * d1 * math.cos(a), cy + ry * d1 * math.sin(a)
        x2, y2 = cx + rx * d2 * math.cos(a + 0.05), cy + ry * d2 * math.sin(a + 0.05)
        qx = (x1 + x2) / 2 + r.uniform(-1, 1) * rx * 0.05
        qy = (y1 + y2) / 2 + r.uniform(-1, 1) * rx * 0.05
        sulci.append(f"M{f(x1)},{f(y1)} Q{f(qx)},{f(qy)} {f(x2)},{f(y2)}")
    out.append(f'<path d="{" ".join(sulci)}" stroke="{csf}" stroke-width="{f(rx * 0.018)}" '
               f'fill="none" opacity="0.8"/>')
    out.append(f'<line x1="{f(cx)}" y1="{f(cy - ry)}" x2="{f(cx)}" y2="{f(cy - ry * 0.35)}" '
               f'stroke="{csf}" stroke-width="{f(rx * 0.02)}"/>')
    out.append(f'<line x1="{f(cx)}" y1="{f(cy + ry * 0.45)}" x2="{f(cx)}" y2="{f(cy + ry)}" '
               f'stroke="{csf}" stroke-width="{f(rx * 0.02)}"/>')
    for side in (-1, 1):
        out.append(
            f'<ellipse cx="{f(cx + side * rx * 0.13)}" cy="{f(cy - ry * 0.05)}" '
            f'rx="{f(rx * 0.08)}" ry="{f(ry * 0.3)}" fill="{csf}" '
            f'transform="rotate({side * 12} {f(cx + side * rx * 0.13)} {f(cy)})"/>')
    if mode == "dwi":
        out.append(f'<ellipse cx="{f(cx - rx * 0.55)}" cy="{f(cy - ry * 0.1)}" '
                   f'rx="{f(rx * 0.22)}" ry="{f(ry * 0.3)}" fill="#ffffff" opacity="0.85" '
                   f'filter="url(#{uid}f)"/>')
    elif mode == "perfusion":
        defs += radg(f"{uid}p", [(0, "#1d2bd8"), (0.45, "#18c8e0"), (0.75, "#3ad43a"),
                                 (1, "#e8d21a")])
        defs += radg(f"{uid}h", [(0, "#ff2a00"), (0.6, "#ff9a00"), (1, "#ff9a00", 0)])
        out.append(f'<ellipse cx="{f(cx)}" cy="{f(cy)}" rx="{f(rx)}" ry="{f(ry)}" '
                   f'fill="url(#{uid}h)" opacity="0.55"/>')
        out.append(f'<ellipse cx="{f(cx + rx * 0.55)}" cy="{f(cy - ry * 0.05)}" '
                   f'rx="{f(rx * 0.35)}" ry="{f(ry * 0.45)}" fill="url(#{uid}p)" '
                   f'opacity="0.9" filter="url(#{uid}f)"/>')
    elif mode == "ring":
        out.append(f'<ellipse cx="{f(cx + rx * 0.4)}" cy="{f(cy + ry * 0.25)}" '
                   f'rx="{f(rx * 0.32)}" ry="{f(ry * 0.3)}" fill="#c9c9c9" opacity="0.6" '
                   f'filter="url(#{uid}f)"/>')
        out.append(f'<circle cx="{f(cx + rx * 0.4)}" cy="{f(cy + ry * 0.25)}" '
                   f'r="{f(rx * 0.16)}" fill="#333" stroke="#fafafa" '
                   f'stroke-width="{f(rx * 0.035)}"/>')
    elif mode == "ctbleed":
        out.append(f'<path d="M{f(cx - rx * 0.95)},{f(cy + ry * 0.2)} '
                   f'A{f(rx)},{f(ry)} 0 0 1 {f(cx - rx * 0.2)},{f(cy - ry * 0.98)} '
                   f'A{f(rx * 0.95)},{f(ry * 0.92)} 0 0 0 {f(cx - rx * 0.9)},{f(cy + ry * 0.2)} '
                   f'Z" fill="#d8d8d8"/>')
    elif mode == "atrophy":
        for side in (-1, 1):
            out.append(f'<ellipse cx="{f(cx + side * rx * 0.18)}" cy="{f(cy - ry * 0.05)}" '
                       f'rx="{f(rx * 0.12)}" ry="{f(ry * 0.34)}" fill="{csf}"/>')
    return defs, "".join(out)


def dti_curves(x0: float, y0: float, w: float, h: float, r: random.Random, n: int) -> str:
    paths = []
    for _ in range(n):
        kind = r.random()
        if kind < 0.4:  # left-right (corpus callosum): red
            y = y0 + h * r.uniform(0.3, 0.6)
            d = (f"M{f(x0 + w * r.uniform(0.05, 0.25))},{f(y + r.uniform(-20, 20))} "
                 f"Q{f(x0 + w / 2)},{f(y - h * r.uniform(0.05, 0.25))} "
                 f"{f(x0 + w * r.uniform(0.75, 0.95))},{f(y + r.uniform(-20, 20))}")
            col = hsl(r.uniform(350, 370), 85, r.uniform(45, 62))
        elif kind < 0.75:  # front-back: green
            x = x0 + w * r.uniform(0.2, 0.8)
            d = (f"M{f(x)},{f(y0 + h * 0.08)} Q{f(x + r.uniform(-60, 60))},{f(y0 + h / 2)} "
                 f"{f(x + r.uniform(-40, 40))},{f(y0 + h * 0.92)}")
            col = hsl(r.uniform(100, 140), 75, r.uniform(40, 58))
        else:  # up-down: blue, drawn as short curls
            x, y = x0 + w * r.uniform(0.25, 0.75), y0 + h * r.uniform(0.25, 0.75)
            d = (f"M{f(x)},{f(y)} q{f(r.uniform(-30, 30))},{f(r.uniform(-50, 50))} "
                 f"{f(r.uniform(-20, 20))},{f(r.uniform(-90, 90))}")
            col = hsl(r.uniform(210, 240), 85, r.uniform(50, 66))
        paths.append(f'<path d="{d}" stroke="{col}" stroke-width="{f(r.uniform(1.2, 3.2))}" '
                     f'fill="none" opacity="{f(r.uniform(0.55, 0.95))}"/>')
    return "".join(paths)


def spine_sag(x0: float, y0: float, w: float, h: float, uid: str) -> tuple[str, str]:
    defs = lin(f"{uid}v", [(0, "#6a6a6a"), (0.5, "#a8a8a8"), (1, "#5c5c5c")], x2=1, y2=0)
    out = [f'<rect x="{f(x0)}" y="{f(y0)}" width="{f(w)}" height="{f(h)}" fill="#0c0c0c"/>',
           f'<rect x="{f(x0 + w * 0.52)}" y="{f(y0)}" width="{f(w * 0.12)}" height="{f(h)}" '
           f'fill="#e6e6e6"/>',
           f'<rect x="{f(x0 + w * 0.555)}" y="{f(y0)}" width="{f(w * 0.05)}" height="{f(h)}" '
           f'fill="#7b7b7b"/>']
    n = 6
    step = h / n
    for i in range(n):
        top = y0 + i * step + step * 0.12
        out.append(f'<rect x="{f(x0 + w * 0.18)}" y="{f(top)}" width="{f(w * 0.32)}" '
                   f'height="{f(step * 0.72)}" rx="{f(w * 0.03)}" fill="url(#{uid}v)"/>')
        disc = "#dcdcdc" if i != 4 else "#3a3a3a"  # one dark, desiccated disc
        out.append(f'<ellipse cx="{f(x0 + w * 0.34)}" cy="{f(top + step * 0.8)}" '
                   f'rx="{f(w * 0.15)}" ry="{f(step * 0.07)}" fill="{disc}"/>')
        out.append(f'<path d="M{f(x0 + w * 0.66)},{f(top + step * 0.2)} l{f(w * 0.2)},'
                   f'{f(step * 0.15)} l{f(-w * 0.02)},{f(step * 0.25)} Z" fill="#8d8d8d"/>')
    return defs, "".join(out)


def vessel_tree(x: float, y: float, ang: float, length: float, width: float, depth: int,
                r: random.Random) -> list[str]:
    if depth == 0 or length < 6:
        return []
    x2 = x + length * math.cos(ang)
    y2 = y + length * math.sin(ang)
    qx = (x + x2) / 2 + r.uniform(-0.25, 0.25) * length
    qy = (y + y2) / 2 + r.uniform(-0.25, 0.25) * length
    seg = [f'<path d="M{f(x)},{f(y)} Q{f(qx)},{f(qy)} {f(x2)},{f(y2)}" '
           f'stroke-width="{f(width)}"/>']
    for da in (-r.uniform(0.3, 0.7), r.uniform(0.3, 0.7)):
        seg += vessel_tree(x2, y2, ang + da, length * r.uniform(0.62, 0.8), width * 0.7,
                           depth - 1, r)
    return seg


def slide(x: float, y: float, w: float, h: float, content: str, r: random.Random,
          uid: str) -> tuple[str, str]:
    """A projected slide: title bar, bullet lines and a figure."""
    defs = radg(f"{uid}g", [(0, "#ffffff"), (1, "#d9e2ec")])
    out = [f'<rect x="{f(x)}" y="{f(y)}" width="{f(w)}" height="{f(h)}" fill="url(#{uid}g)"/>',
           f'<rect x="{f(x)}" y="{f(y)}" width="{f(w)}" height="{f(h * 0.13)}" '
           f'fill="{hsl(r.uniform(190, 230), 55, 30)}"/>',
           f'<rect x="{f(x + w * 0.05)}" y="{f(y + h * 0.04)}" width="{f(w * 0.55)}" '
           f'height="{f(h * 0.05)}" fill="#ffffff" opacity="0.85"/>']
    for i in range(4):
        out.append(f'<rect x="{f(x + w * 0.06)}" y="{f(y + h * (0.25 + 0.13 * i))}" '
                   f'width="{f(w * r.uniform(0.22, 0.38))}" height="{f(h * 0.035)}" '
                   f'fill="#7a8694"/>')
    fx, fy, fw, fh = x + w * 0.5, y + h * 0.2, w * 0.45, h * 0.72
    if content in ("t2", "dwi", "perfusion", "ring", "ct", "ctbleed", "atrophy"):
        out.append(f'<rect x="{f(fx)}" y="{f(fy)}" width="{f(fw)}" height="{f(fh)}" '
                   f'fill="#000"/>')
        d, b = brain_axial(fx + fw / 2, fy + fh / 2, fh * 0.36, r, content, uid + "s")
        defs += d
        out.append(b)
    elif content == "spine":
        d, b = spine_sag(fx + fw * 0.2, fy, fw * 0.6, fh, uid + "p")
        defs += d
        out.append(b)
    elif content == "dti":
        out.append(f'<rect x="{f(fx)}" y="{f(fy)}" width="{f(fw)}" height="{f(fh)}" '
                   f'fill="#000"/>')
        out.append(dti_curves(fx, fy, fw, fh, r, 60))
    elif content == "roc":
        out.append(f'<rect x="{f(fx)}" y="{f(fy)}" width="{f(fw)}" height="{f(fh)}" '
                   f'fill="#fff" stroke="#444" stroke-width="2"/>')
        out.append(f'<line x1="{f(fx)}" y1="{f(fy + fh)}" x2="{f(fx + fw)}" y2="{f(fy)}" '
                   f'stroke="#999" stroke-dasharray="6 6" stroke-width="2"/>')
        for col, bend in (("#d13b3b", 0.08), ("#2e6fd8", 0.22)):
            out.append(f'<path d="M{f(fx)},{f(fy + fh)} C{f(fx + fw * bend)},{f(fy + fh * 0.2)} '
                       f'{f(fx + fw * 0.4)},{f(fy + fh * bend)} {f(fx + fw)},{f(fy)}" '
                       f'stroke="{col}" stroke-width="4" fill="none"/>')
    else:  # bar chart
        n = r.randint(4, 7)
        bw = fw / (n * 1.5)
        for i in range(n):
            bh = fh * r.uniform(0.25, 0.95)
            out.append(f'<rect x="{f(fx + i * bw * 1.5)}" y="{f(fy + fh - bh)}" width="{f(bw)}" '
                       f'height="{f(bh)}" fill="{hsl(200 + i * 25, 60, 45)}"/>')
    return defs, "".join(out)


def scene_hall(w: int, h: int, r: random.Random, content: str, crowd: float = 1.0,
               panel: int = 0) -> str:
    defs = lin("room", [(0, "#141a26"), (0.55, "#27324a"), (1, "#0d1018")])
    defs += radg("glow", [(0, "#9fc4ff", 0.55), (1, "#9fc4ff", 0)])
    body = [f'<rect width="{w}" height="{h}" fill="url(#room)"/>']
    sx, sy, sw, sh = w * 0.22, h * 0.08, w * 0.56, h * 0.42
    body.append(f'<ellipse cx="{f(w / 2)}" cy="{f(sy + sh / 2)}" rx="{f(sw * 0.8)}" '
                f'ry="{f(sh * 0.9)}" fill="url(#glow)"/>')
    d, b = slide(sx, sy, sw, sh, content, r, "sl")
    defs += d
    body.append(b)
    stage_y = h * 0.56
    body.append(f'<rect x="0" y="{f(stage_y)}" width="{w}" height="{f(h * 0.06)}" '
                f'fill="#3b2a1e"/>')
    if panel:
        body.append(f'<rect x="{f(w * 0.2)}" y="{f(stage_y - h * 0.07)}" width="{f(w * 0.6)}" '
                    f'height="{f(h * 0.07)}" fill="#233a66"/>')
        for i in range(panel):
            px = w * 0.26 + i * (w * 0.48 / max(panel - 1, 1))
            body.append(person(px, stage_y - h * 0.02, h * 0.03, r, back=False))
    else:
        body.append(f'<rect x="{f(w * 0.08)}" y="{f(stage_y - h * 0.1)}" width="{f(w * 0.07)}" '
                    f'height="{f(h * 0.1)}" fill="#5a3d28"/>')
        body.append(person(w * 0.115, stage_y - h * 0.1, h * 0.032, r, back=False))
    rows = int(6 * crowd) + 2
    for row in range(rows):
        yy = stage_y + h * 0.1 + row * (h * 0.38 / rows) + h * 0.05
        s = h * (0.018 + 0.012 * row)
        n = int(w / (s * 2.3))
        for i in range(n):
            if r.random() < 0.12 * (1.5 - crowd):
                continue
            x = (i + 0.5) * (w / n) + r.uniform(-s * 0.3, s * 0.3)
            body.append(person(x, yy + s * 1.2, s, r, back=True))
    for i in range(7):
        body.append(f'<circle cx="{f(w * (0.07 + i * 0.143))}" cy="{f(h * 0.03)}" r="4" '
                    f'fill="#fff6d8" opacity="0.8"/>')
    return svg_doc(w, h, defs, "".join(body))


def scene_scan(w: int, h: int, r: random.Random, mode: str) -> str:
    defs, b = brain_axial(w / 2, h / 2, min(w, h) * 0.34, r, mode, "sc")
    return svg_doc(w, h, defs, f'<rect width="{w}" height="{h}" fill="#000"/>' + b)


def scene_dti(w: int, h: int, r: random.Random) -> str:
    defs = radg("dg", [(0, "#161616"), (1, "#000")])
    body = (f'<rect width="{w}" height="{h}" fill="url(#dg)"/>'
            f'<ellipse cx="{w / 2}" cy="{h / 2}" rx="{f(w * 0.4)}" ry="{f(h * 0.42)}" '
            f'fill="none" stroke="#333" stroke-width="3"/>'
            + dti_curves(w * 0.12, h * 0.1, w * 0.76, h * 0.8, r, 230))
    return svg_doc(w, h, defs, body)


def scene_spine(w: int, h: int, r: random.Random) -> str:
    defs, b = spine_sag(0, 0, w, h, "sp")
    return svg_doc(w, h, defs, b)


def scene_angio(w: int, h: int, r: random.Random) -> str:
    defs = radg("ag", [(0, "#d6d6d6"), (1, "#9a9a9a")])
    tree = vessel_tree(w * 0.5, h * 0.95, -math.pi / 2, h * 0.28, 16, 7, r)
    body = (f'<rect width="{w}" height="{h}" fill="url(#ag)"/>'
            f'<ellipse cx="{w / 2}" cy="{f(h * 0.48)}" rx="{f(w * 0.42)}" ry="{f(h * 0.44)}" '
            f'fill="none" stroke="#bcbcbc" stroke-width="18"/>'
            f'<g stroke="#1e1e1e" fill="none" stroke-linecap="round" opacity="0.85">'
            + "".join(tree) + "</g>")
    return svg_doc(w, h, defs, body)


def buildings(w: int, base: float, r: random.Random, night: bool, n: int) -> str:
    out = []
    x = -10.0
    while x < w:
        bw = r.uniform(w * 0.04, w * 0.1)
        bh = r.uniform(base * 0.15, base * 0.55) * (1.4 if abs(x - w * 0.5) < w * 0.15 else 1)
        col = hsl(r.uniform(200, 230), 15, r.uniform(14, 24) if night else r.uniform(45, 65))
        out.append(f'<rect x="{f(x)}" y="{f(base - bh)}" width="{f(bw)}" height="{f(bh)}" '
                   f'fill="{col}"/>')
        win = "#ffd98a" if night else "#c9dff2"
        for wy in range(int((bh - 10) // 22)):
            for wx in range(int((bw - 6) // 14)):
                if r.random() < (0.35 if night else 0.6):
                    out.append(f'<rect x="{f(x + 5 + wx * 14)}" y="{f(base - bh + 8 + wy * 22)}" '
                               f'width="7" height="11" fill="{win}"/>')
        x += bw + r.uniform(1, 8)
        n -= 1
    return "".join(out)


def scene_skyline(w: int, h: int, r: random.Random, sunset: bool) -> str:
    sky = ([(0, "#2c3e7a"), (0.5, "#d9677a"), (0.8, "#f6b26b"), (1, "#ffe3a3")] if sunset
           else [(0, "#4a90d9"), (0.7, "#a9d2f5"), (1, "#e3f1fc")])
    defs = lin("sky", sky) + lin("river", [(0, "#3f6f95"), (1, "#163550")])
    base = h * 0.68
    body = [f'<rect width="{w}" height="{h}" fill="url(#sky)"/>']
    if sunset:
        body.append(f'<circle cx="{f(w * 0.78)}" cy="{f(base - h * 0.06)}" r="{f(h * 0.07)}" '
                    f'fill="#ffd27a" opacity="0.9"/>')
    else:
        for _ in range(5):
            cx, cy = r.uniform(0, w), r.uniform(h * 0.05, h * 0.3)
            body.append(f'<ellipse cx="{f(cx)}" cy="{f(cy)}" rx="{f(r.uniform(60, 140))}" '
                        f'ry="{f(r.uniform(14, 30))}" fill="#fff" opacity="0.75"/>')
    hill = "#2f4a2c" if sunset else "#4f7a3a"
    body.append(f'<path d="M0,{f(base)} Q{f(w * 0.2)},{f(base - h * 0.32)} {f(w * 0.42)},'
                f'{f(base - h * 0.2)} T{f(w)},{f(base - h * 0.05)} L{w},{f(base)} Z" '
                f'fill="{hill}"/>')
    cxr = w * 0.24
    body.append(f'<path d="M{f(cxr)},{f(base - h * 0.27)} v-{f(h * 0.08)} '
                f'M{f(cxr - h * 0.025)},{f(base - h * 0.33)} h{f(h * 0.05)}" '
                f'stroke="{"#fff4c2" if sunset else "#e8e8e8"}" stroke-width="4"/>')
    body.append(buildings(w, base, r, sunset and r.random() < 2, 30))
    body.append(f'<rect y="{f(base)}" width="{w}" height="{f(h - base)}" fill="url(#river)"/>')
    for _ in range(25):
        y = r.uniform(base + 8, h)
        x = r.uniform(0, w)
        body.append(f'<rect x="{f(x)}" y="{f(y)}" width="{f(r.uniform(20, 90))}" height="2" '
                    f'fill="#ffffff" opacity="0.25"/>')
    return svg_doc(w, h, defs, "".join(body))


def scene_old_port(w: int, h: int, r: random.Random) -> str:
    defs = (lin("sky", [(0, "#070b1f"), (1, "#27345e")]) + lin("st", [(0, "#3a3530"),
            (1, "#15120f")]) + radg("lamp", [(0, "#ffe6a0", 0.9), (1, "#ffe6a0", 0)]))
    body = [f'<rect width="{w}" height="{h}" fill="url(#sky)"/>']
    for _ in range(40):
        body.append(f'<circle cx="{f(r.uniform(0, w))}" cy="{f(r.uniform(0, h * 0.3))}" '
                    f'r="{f(r.uniform(0.6, 1.8))}" fill="#fff" opacity="0.8"/>')
    x = 0.0
    while x < w:
        bw = r.uniform(140, 240)
        top = h * r.uniform(0.2, 0.35)
        body.append(f'<rect x="{f(x)}" y="{f(top)}" width="{f(bw)}" height="{f(h * 0.75 - top)}" '
                    f'fill="{hsl(r.uniform(20, 40), 18, r.uniform(22, 32))}"/>')
        for wy in range(4):
            for wx in range(int(bw // 48)):
                lit = r.random() < 0.55
                body.append(f'<rect x="{f(x + 14 + wx * 48)}" y="{f(top + 24 + wy * 62)}" '
                            f'width="22" height="36" rx="8" '
                            f'fill="{"#ffcf70" if lit else "#1b1a22"}"/>')
        x += bw
    body.append(f'<rect y="{f(h * 0.75)}" width="{w}" height="{f(h * 0.25)}" fill="url(#st)"/>')
    for i in range(4):
        lx = w * (0.12 + i * 0.26)
        body.append(f'<circle cx="{f(lx)}" cy="{f(h * 0.45)}" r="70" fill="url(#lamp)"/>'
                    f'<rect x="{f(lx - 3)}" y="{f(h * 0.45)}" width="6" height="{f(h * 0.33)}" '
                    f'fill="#111"/><circle cx="{f(lx)}" cy="{f(h * 0.45)}" r="9" fill="#fff2c4"/>')
    for _ in range(6):
        body.append(person(r.uniform(0, w), h * r.uniform(0.88, 0.98), h * 0.03, r))
    return svg_doc(w, h, defs, "".join(body))


def scene_posters(w: int, h: int, r: random.Random) -> str:
    defs = lin("fl", [(0, "#6b6f78"), (1, "#3e4149")]) + lin("wl", [(0, "#e9e6df"),
                                                                    (1, "#cfcac0")])
    body = [f'<rect width="{w}" height="{h}" fill="url(#wl)"/>',
            f'<rect y="{f(h * 0.7)}" width="{w}" height="{f(h * 0.3)}" fill="url(#fl)"/>']
    for row in range(2):
        y = h * (0.12 + row * 0.05)
        s = 1 - row * 0.25
        pw, ph = w * 0.14 * s, h * 0.42 * s
        for i in range(int(w // (pw * 1.15))):
            x = i * pw * 1.15 + (row * pw * 0.5)
            body.append(f'<rect x="{f(x)}" y="{f(y)}" width="{f(pw)}" height="{f(ph)}" '
                        f'fill="#fdfdfb" stroke="#555" stroke-width="2"/>')
            body.append(f'<rect x="{f(x + 6)}" y="{f(y + 6)}" width="{f(pw - 12)}" '
                        f'height="{f(ph * 0.1)}" fill="{hsl(r.uniform(0, 360), 50, 40)}"/>')
            for k in range(4):
                body.append(f'<rect x="{f(x + 8 + (k % 2) * pw * 0.48)}" '
                            f'y="{f(y + ph * (0.18 + (k // 2) * 0.38))}" width="{f(pw * 0.42)}" '
                            f'height="{f(ph * 0.3)}" fill="{hsl(r.uniform(0, 360), 30, 70)}"/>')
    for _ in range(14):
        body.append(person(r.uniform(0, w), h * r.uniform(0.88, 1.02), h * r.uniform(0.07, 0.1),
                           r))
    return svg_doc(w, h, defs, "".join(body))


def scene_poster_close(w: int, h: int, r: random.Random) -> str:
    defs = lin("pb", [(0, "#f7f7f3"), (1, "#e6e4dc")])
    body = [f'<rect width="{w}" height="{h}" fill="#8a8f99"/>',
            f'<rect x="40" y="40" width="{w - 80}" height="{h - 80}" fill="url(#pb)"/>',
            f'<rect x="40" y="40" width="{w - 80}" height="120" fill="#1f4e79"/>',
            f'<rect x="80" y="75" width="{f(w * 0.6)}" height="26" fill="#fff"/>',
            f'<rect x="80" y="115" width="{f(w * 0.35)}" height="14" fill="#b9cfe4"/>']
    d, b = brain_axial(w * 0.3, h * 0.42, w * 0.16, r, "t2", "pc")
    body.append(f'<rect x="70" y="{f(h * 0.25)}" width="{f(w * 0.45)}" height="{f(h * 0.35)}" '
                f'fill="#000"/>' + b)
    for i in range(12):
        body.append(f'<rect x="{f(w * 0.58)}" y="{f(h * 0.25 + i * 28)}" '
                    f'width="{f(w * r.uniform(0.2, 0.32))}" height="12" fill="#6b7480"/>')
    for i in range(5):
        bh = r.uniform(60, 200)
        body.append(f'<rect x="{f(90 + i * 60)}" y="{f(h * 0.88 - bh)}" width="40" '
                    f'height="{f(bh)}" fill="{hsl(200 + i * 30, 55, 45)}"/>')
    qx, qy, cell = w - 260, h - 260, 8
    body.append(f'<rect x="{qx - 10}" y="{qy - 10}" width="{21 * cell + 20}" '
                f'height="{21 * cell + 20}" fill="#fff"/>')
    for i in range(21):
        for j in range(21):
            corner = (i < 7 and j < 7) or (i > 13 and j < 7) or (i < 7 and j > 13)
            if corner:
                on = i % 6 == 0 or j % 6 == 0 or (2 <= i % 14 <= 4 and 2 <= j % 14 <= 4)
            else:
                on = r.random() < 0.5
            if on:
                body.append(f'<rect x="{qx + i * cell}" y="{qy + j * cell}" width="{cell}" '
                            f'height="{cell}" fill="#111"/>')
    return svg_doc(w, h, defs + d, "".join(body))


def scene_exhibit(w: int, h: int, r: random.Random, scanner: bool) -> str:
    defs = (lin("ce", [(0, "#2a2d36"), (1, "#545a66")]) + lin("cp", [(0, "#5b2a3a"),
            (1, "#2a1018")]) + radg("bore", [(0, "#0b0b10"), (0.7, "#3a3f4a"), (1, "#cfd5de")])
            + lin("shell", [(0, "#f5f7fa"), (1, "#b8c0cc")]))
    body = [f'<rect width="{w}" height="{h}" fill="url(#ce)"/>',
            f'<rect y="{f(h * 0.66)}" width="{w}" height="{f(h * 0.34)}" fill="url(#cp)"/>']
    for i in range(5):
        x = i * w / 5
        col = hsl(r.uniform(0, 360), 60, 45)
        body.append(f'<rect x="{f(x + 10)}" y="{f(h * 0.12)}" width="{f(w / 5 - 20)}" '
                    f'height="{f(h * 0.12)}" fill="{col}"/>'
                    f'<rect x="{f(x + 20)}" y="{f(h * 0.24)}" width="{f(w / 5 - 40)}" '
                    f'height="{f(h * 0.42)}" fill="{hsl(r.uniform(0, 360), 10, 85)}"/>'
                    f'<rect x="{f(x + 40)}" y="{f(h * 0.3)}" width="{f(w / 5 - 80)}" '
                    f'height="{f(h * 0.16)}" fill="#1b2533"/>')
    if scanner:
        cx, cy, rr = w * 0.5, h * 0.52, h * 0.26
        body.append(f'<rect x="{f(cx - rr * 1.35)}" y="{f(cy - rr * 1.1)}" width="{f(rr * 2.7)}" '
                    f'height="{f(rr * 2.2)}" rx="{f(rr * 0.5)}" fill="url(#shell)"/>'
                    f'<circle cx="{f(cx)}" cy="{f(cy)}" r="{f(rr * 0.62)}" fill="url(#bore)"/>'
                    f'<path d="M{f(cx - rr * 0.5)},{f(cy + rr * 0.3)} L{f(cx + rr * 0.5)},'
                    f'{f(cy + rr * 0.3)} L{f(cx + rr * 1.6)},{f(cy + rr * 1.2)} '
                    f'L{f(cx - rr * 1.6)},'
                    f'{f(cy + rr * 1.2)} Z" fill="#dde3ea"/>'
                    f'<rect x="{f(cx - rr * 1.35)}" y="{f(cy - rr * 0.95)}" width="{f(rr * 2.7)}" '
                    f'height="{f(rr * 0.12)}" fill="{hsl(r.uniform(180, 220), 70, 45)}"/>')
    for _ in range(16 if not scanner else 9):
        body.append(person(r.uniform(0, w), h * r.uniform(0.86, 1.02), h * r.uniform(0.06, 0.09),
                           r))
    return svg_doc(w, h, defs, "".join(body))


def scene_bore(w: int, h: int, r: random.Random) -> str:
    defs = radg("in", [(0, "#ffffff"), (0.3, "#e8eef6"), (0.75, "#9aa6b8"), (1, "#2b313b")])
    body = [f'<rect width="{w}" height="{h}" fill="#cdd4de"/>',
            f'<ellipse cx="{w / 2}" cy="{f(h * 0.48)}" rx="{f(w * 0.46)}" ry="{f(h * 0.46)}" '
            f'fill="url(#in)"/>']
    for k in range(1, 6):
        body.append(f'<ellipse cx="{w / 2}" cy="{f(h * 0.48)}" rx="{f(w * 0.46 * k / 6)}" '
                    f'ry="{f(h * 0.46 * k / 6)}" fill="none" stroke="#b6c0cf" '
                    f'stroke-width="2"/>')
    body.append(f'<path d="M{f(w * 0.2)},{h} L{f(w * 0.45)},{f(h * 0.55)} L{f(w * 0.55)},'
                f'{f(h * 0.55)} L{f(w * 0.8)},{h} Z" fill="#f2f4f7"/>')
    return svg_doc(w, h, defs, "".join(body))


def scene_table(w: int, h: int, r: random.Random, kind: str) -> str:
    """Coffee break, gala dinner, group photo or team photo."""
    warm = kind in ("gala", "group")
    defs = lin("bg", [(0, "#3b2417" if warm else "#dfe7ee"), (1, "#120b07" if warm
                                                             else "#aab7c4")])
    defs += radg("bk", [(0, "#ffd27a", 0.8), (1, "#ffd27a", 0)])
    body = [f'<rect width="{w}" height="{h}" fill="url(#bg)"/>']
    if warm:
        for _ in range(30):
            body.append(f'<circle cx="{f(r.uniform(0, w))}" cy="{f(r.uniform(0, h * 0.5))}" '
                        f'r="{f(r.uniform(10, 45))}" fill="url(#bk)"/>')
    else:
        body.append(f'<rect x="{f(w * 0.6)}" y="{f(h * 0.05)}" width="{f(w * 0.35)}" '
                    f'height="{f(h * 0.45)}" fill="#f7fbff" stroke="#8796a5" stroke-width="8"/>')
    if kind in ("group", "team"):
        n = r.randint(6, 9)
        for i in range(n):
            x = (i + 0.5) * w / n + r.uniform(-15, 15)
            body.append(person(x, h * (0.98 if i % 2 else 1.04), h * 0.16, r, back=False))
    else:
        for _ in range(6):
            body.append(person(r.uniform(0, w), h * 0.62, h * 0.12, r, back=r.random() < 0.5))
        body.append(f'<rect y="{f(h * 0.6)}" width="{w}" height="{f(h * 0.4)}" '
                    f'fill="{"#f3efe6" if kind == "gala" else "#fafafa"}"/>')
        for _ in range(9 if kind == "gala" else 12):
            x, y = r.uniform(40, w - 40), r.uniform(h * 0.68, h * 0.95)
            if kind == "gala":
                body.append(f'<path d="M{f(x - 14)},{f(y - 60)} Q{f(x)},{f(y - 10)} {f(x + 14)},'
                            f'{f(y - 60)} Z" fill="#7a1530" opacity="0.85"/>'
                            f'<rect x="{f(x - 1.5)}" y="{f(y - 32)}" width="3" height="32" '
                            f'fill="#ddd"/><circle cx="{f(x + 40)}" cy="{f(y - 50)}" r="18" '
                            f'fill="url(#bk)"/><rect x="{f(x + 37)}" y="{f(y - 44)}" width="6" '
                            f'height="30" fill="#fff8e0"/>')
            else:
                body.append(f'<path d="M{f(x - 22)},{f(y - 40)} h44 l-6,40 h-32 Z" '
                            f'fill="{r.choice(["#ffffff", "#2d6a9f", "#c0392b"])}"/>'
                            f'<ellipse cx="{f(x)}" cy="{f(y - 40)}" rx="22" ry="6" fill="#4a2c1a"/>'
                            f'<path d="M{f(x + 60)},{f(y)} q25,-35 50,0 q-25,-12 -50,0 Z" '
                            f'fill="#d9a54f"/>')
    return svg_doc(w, h, defs, "".join(body))


def scene_award(w: int, h: int, r: random.Random, kind: str) -> str:
    defs = (lin("bg", [(0, "#0b0f24"), (1, "#1d1530")]) + radg("spot", [(0, "#fff6d5", 0.7),
            (1, "#fff6d5", 0)]) + radg("gold", [(0, "#fff3b0"), (0.6, "#e0b43a"),
                                                (1, "#8a6512")]))
    body = [f'<rect width="{w}" height="{h}" fill="url(#bg)"/>',
            f'<ellipse cx="{w / 2}" cy="{f(h * 0.55)}" rx="{f(w * 0.35)}" ry="{f(h * 0.5)}" '
            f'fill="url(#spot)"/>',
            f'<rect y="{f(h * 0.78)}" width="{w}" height="{f(h * 0.22)}" fill="#2a1a12"/>',
            f'<rect x="{f(w * 0.1)}" y="{f(h * 0.06)}" width="{f(w * 0.8)}" height="{f(h * 0.1)}" '
            f'fill="#1f3d7a"/>']
    if kind == "gold":
        body.append(person(w * 0.4, h * 0.8, h * 0.16, r, "#1b1b1b", back=False))
        body.append(person(w * 0.62, h * 0.8, h * 0.16, r, "#2b2b3b", back=False))
        body.append(f'<circle cx="{f(w * 0.51)}" cy="{f(h * 0.5)}" r="{f(h * 0.07)}" '
                    f'fill="url(#gold)" stroke="#6b4e10" stroke-width="3"/>'
                    f'<path d="M{f(w * 0.49)},{f(h * 0.25)} L{f(w * 0.51)},{f(h * 0.43)} '
                    f'L{f(w * 0.53)},{f(h * 0.25)}" stroke="#b31b1b" stroke-width="10" '
                    f'fill="none"/>')
    elif kind == "trophy":
        body.append(person(w * 0.5, h * 0.95, h * 0.2, r, back=False))
        tx, ty = w * 0.5, h * 0.42
        body.append(f'<path d="M{f(tx - 60)},{f(ty - 80)} h120 q0,90 -60,100 q-60,-10 -60,-100 Z" '
                    f'fill="url(#gold)"/><rect x="{f(tx - 10)}" y="{f(ty + 20)}" width="20" '
                    f'height="40" fill="#c99a2a"/><rect x="{f(tx - 45)}" y="{f(ty + 60)}" '
                    f'width="90" height="22" fill="#5a3d12"/>')
    else:
        for i in range(6):
            x = w * (0.16 + i * 0.136)
            body.append(person(x, h * 0.82, h * 0.13, r, back=False))
            body.append(f'<rect x="{f(x - 28)}" y="{f(h * 0.6)}" width="56" height="40" '
                        f'fill="#fbf7ea" stroke="#c9a43a" stroke-width="3"/>')
    return svg_doc(w, h, defs, "".join(body))


def scene_food(w: int, h: int, r: random.Random, kind: str) -> str:
    defs = (lin("wood", [(0, "#8a5a32"), (0.5, "#a8703f"), (1, "#6d4424")], x2=1, y2=0.3)
            + radg("gravy", [(0, "#8b5a2b"), (1, "#4a2a12")])
            + radg("bun", [(0, "#f2c27a"), (0.7, "#c98a3c"), (1, "#8a5420")]))
    body = [f'<rect width="{w}" height="{h}" fill="url(#wood)"/>']
    for i in range(12):
        body.append(f'<path d="M0,{f(i * h / 12 + r.uniform(-5, 5))} Q{f(w / 2)},'
                    f'{f(i * h / 12 + r.uniform(-15, 15))} {w},{f(i * h / 12)}" stroke="#5a381c" '
                    f'stroke-width="2" fill="none" opacity="0.4"/>')
    if kind == "poutine":
        cx, cy = w / 2, h / 2
        body.append(f'<circle cx="{f(cx)}" cy="{f(cy)}" r="{f(w * 0.4)}" fill="#f4f1ea"/>'
                    f'<circle cx="{f(cx)}" cy="{f(cy)}" r="{f(w * 0.33)}" fill="#e5dfd2"/>')
        for _ in range(70):
            a, d = r.uniform(0, 6.28), r.uniform(0, w * 0.28)
            x, y = cx + d * math.cos(a), cy + d * math.sin(a)
            body.append(f'<rect x="{f(x)}" y="{f(y)}" width="{f(r.uniform(60, 120))}" height="16" '
                        f'rx="4" fill="{hsl(r.uniform(36, 44), 80, r.uniform(52, 66))}" '
                        f'transform="rotate({int(r.uniform(0, 180))} {f(x)} {f(y)})"/>')
        body.append(f'<ellipse cx="{f(cx)}" cy="{f(cy)}" rx="{f(w * 0.2)}" ry="{f(w * 0.16)}" '
                    f'fill="url(#gravy)" opacity="0.92"/>')
        for _ in range(22):
            a, d = r.uniform(0, 6.28), r.uniform(0, w * 0.22)
            body.append(f'<ellipse cx="{f(cx + d * math.cos(a))}" cy="{f(cy + d * math.sin(a))}" '
                        f'rx="{f(r.uniform(12, 20))}" ry="{f(r.uniform(9, 15))}" fill="#fbf5e6"/>')
    else:
        for i in range(5):
            cx = w * (0.25 + (i % 3) * 0.25) + r.uniform(-20, 20)
            cy = h * (0.32 + (i // 3) * 0.36) + r.uniform(-20, 20)
            body.append(f'<circle cx="{f(cx)}" cy="{f(cy)}" r="{f(w * 0.12)}" fill="none" '
                        f'stroke="url(#bun)" stroke-width="{f(w * 0.11)}"/>')
            for _ in range(30):
                a, d = r.uniform(0, 6.28), r.uniform(w * 0.08, w * 0.16)
                body.append(f'<ellipse cx="{f(cx + d * math.cos(a))}" '
                            f'cy="{f(cy + d * math.sin(a))}" rx="4" ry="2" fill="#fff7e0" '
                            f'transform="rotate({int(math.degrees(a))} '
                            f'{f(cx + d * math.cos(a))} {f(cy + d * math.sin(a))})"/>')
    return svg_doc(w, h, defs, "".join(body))


def scene_badge(w: int, h: int, r: random.Random) -> str:
    defs = lin("bg", [(0, "#d7dde5"), (1, "#9aa6b5")]) + lin("hd", [(0, "#c0392b"),
                                                                   (1, "#7a1f17")], x2=1, y2=0)
    bx, by, bw, bh = w * 0.25, h * 0.32, w * 0.5, h * 0.6
    body = [f'<rect width="{w}" height="{h}" fill="url(#bg)"/>',
            f'<path d="M{f(w * 0.38)},0 L{f(w * 0.47)},{f(by)} M{f(w * 0.62)},0 L{f(w * 0.53)},'
            f'{f(by)}" stroke="#1f4e9c" stroke-width="38"/>',
            f'<rect x="{f(bx)}" y="{f(by)}" width="{f(bw)}" height="{f(bh)}" rx="14" '
            f'fill="#ffffff" stroke="#777" stroke-width="3"/>',
            f'<rect x="{f(bx)}" y="{f(by)}" width="{f(bw)}" height="{f(bh * 0.22)}" rx="14" '
            f'fill="url(#hd)"/>',
            f'<text x="{f(w / 2)}" y="{f(by + bh * 0.15)}" font-family="sans-serif" '
            f'font-size="{f(bw * 0.09)}" font-weight="700" fill="#fff" text-anchor="middle">'
            f'MONTRÉAL 2014</text>',
            f'<path d="M{f(w / 2 - 40)},{f(by + bh * 0.07)} l14,-22 l14,22 l14,-30 l14,30" '
            f'stroke="#fff" stroke-width="0" fill="none"/>']
    for i, frac in enumerate((0.7, 0.5, 0.6)):
        body.append(f'<rect x="{f(w / 2 - bw * frac / 2)}" y="{f(by + bh * (0.4 + i * 0.13))}" '
                    f'width="{f(bw * frac)}" height="{f(bh * (0.07 if i == 0 else 0.045))}" '
                    f'fill="{"#222" if i == 0 else "#7a7a7a"}"/>')
    body.append(f'<rect x="{f(bx + bw * 0.1)}" y="{f(by + bh * 0.84)}" width="{f(bw * 0.8)}" '
                f'height="{f(bh * 0.08)}" fill="#1f4e9c"/>')
    return svg_doc(w, h, defs, "".join(body))


def scene_plane(w: int, h: int, r: random.Random) -> str:
    defs = (lin("cab", [(0, "#d9d6cf"), (1, "#a9a59c")]) + lin("sky", [(0, "#3a5fa8"),
            (0.6, "#f0a86a"), (1, "#ffdcae")]) + blur("cl", 8))
    wx, wy, ww, wh = w * 0.18, h * 0.15, w * 0.64, h * 0.62
    body = [f'<rect width="{w}" height="{h}" fill="url(#cab)"/>',
            f'<rect x="{f(wx - 30)}" y="{f(wy - 30)}" width="{f(ww + 60)}" height="{f(wh + 60)}" '
            f'rx="{f(ww * 0.45)}" fill="#ece9e2"/>',
            f'<rect x="{f(wx)}" y="{f(wy)}" width="{f(ww)}" height="{f(wh)}" rx="{f(ww * 0.4)}" '
            f'fill="url(#sky)"/>']
    for _ in range(9):
        body.append(f'<ellipse cx="{f(r.uniform(wx, wx + ww))}" '
                    f'cy="{f(r.uniform(wy + wh * 0.55, wy + wh * 0.9))}" '
                    f'rx="{f(r.uniform(40, 90))}" '
                    f'ry="{f(r.uniform(12, 24))}" fill="#fff4e6" opacity="0.85" '
                    f'filter="url(#cl)"/>')
    body.append(f'<path d="M{f(wx + ww * 0.1)},{f(wy + wh * 0.72)} L{f(wx + ww * 0.95)},'
                f'{f(wy + wh * 0.6)} L{f(wx + ww * 0.95)},{f(wy + wh * 0.66)} Z" fill="#c3c7cf"/>')
    body.append(f'<rect x="{f(wx - 30)}" y="{f(wy - 30)}" width="{f(ww + 60)}" '
                f'height="{f(wh * 0.12)}" rx="20" fill="#f5f2ea"/>')
    return svg_doc(w, h, defs, "".join(body))


def scene_notes(w: int, h: int, r: random.Random) -> str:
    defs = lin("pp", [(0, "#fffdf4"), (1, "#f1ecd8")])
    body = [f'<rect width="{w}" height="{h}" fill="#4a3b30"/>',
            f'<rect x="60" y="50" width="{w - 120}" height="{h - 100}" fill="url(#pp)" '
            f'transform="rotate(-2 {w / 2} {h / 2})"/>']
    for i in range(26):
        y = 120 + i * 32
        body.append(f'<line x1="70" y1="{y}" x2="{w - 70}" y2="{y}" stroke="#9cc3e6" '
                    f'stroke-width="1.5"/>')
        if r.random() < 0.8 and y < h - 140:
            x: float = 100 + (30 if r.random() < 0.3 else 0)
            pts: list[str] = []
            end = r.uniform(w * 0.4, w - 100)
            while x < end:
                pts.append(f"{f(x)},{f(y - 6 + r.uniform(-6, 6))}")
                x += r.uniform(5, 11)
            body.append(f'<polyline points="{" ".join(pts)}" stroke="#1c2a6b" '
                        f'stroke-width="2" fill="none"/>')
    body.append(f'<rect x="{f(w * 0.7)}" y="{f(h * 0.55)}" width="22" height="{f(h * 0.38)}" '
                f'rx="6" fill="#1b1b1b" transform="rotate(28 {f(w * 0.7)} {f(h * 0.55)})"/>')
    return svg_doc(w, h, defs, "".join(body))


# key: (drawing, width, height, alt text)
PhotoFn = Callable[[int, int, random.Random], str]
PHOTOS: dict[str, tuple[PhotoFn, int, int, str]] = {
    "plane_window": (scene_plane, 800, 1000,
                     "View from an aeroplane window: a wing above the clouds at sunset"),
    "badge": (scene_badge, 1000, 1000,
              "Conference badge on a blue lanyard with a red header reading MONTRÉAL 2014"),
    "exhibit_scanner": (lambda w, h, r: scene_exhibit(w, h, r, True), 1200, 800,
                        "Vendor booth in the exhibit hall with a full-size MRI scanner on display"),
    "exhibit_booths": (lambda w, h, r: scene_exhibit(w, h, r, False), 1200, 800,
                       "Busy exhibit hall aisle with coloured vendor booths and screens"),
    "old_port_night": (scene_old_port, 1200, 800,
                       "Old Montréal street at night: stone buildings, lit windows, street lamps"),
    "skyline_sunset": (lambda w, h, r: scene_skyline(w, h, r, True), 1200, 800,
                       "Montréal skyline at sunset across the river, the mountain behind"),
    "skyline_day": (lambda w, h, r: scene_skyline(w, h, r, False), 1200, 800,
                    "Downtown Montréal seen from Mount Royal on a clear afternoon"),
    "hall_stroke": (lambda w, h, r: scene_hall(w, h, r, "dwi", 1.3), 1200, 800,
                    "Packed lecture hall; the screen shows a diffusion MRI with a bright stroke "
                    "in one hemisphere"),
    "hall_aspects": (lambda w, h, r: scene_hall(w, h, r, "bars", 1.0), 1200, 800,
                     "A fellow presenting at a podium; the slide shows a bar chart comparing "
                     "readers"),
    "hall_peds": (lambda w, h, r: scene_hall(w, h, r, "t2", 1.1), 1200, 800,
                  "Pediatric Day lecture; the slide shows a child's brain MRI"),
    "hall_keynote": (lambda w, h, r: scene_hall(w, h, r, "ct", 1.5), 1600, 900,
                     "Full auditorium during the keynote, a historical brain image on the big "
                     "screen"),
    "hall_ai": (lambda w, h, r: scene_hall(w, h, r, "roc", 1.4, panel=4), 1200, 800,
                "Four panellists on stage under a slide showing ROC curves"),
    "hall_spine": (lambda w, h, r: scene_hall(w, h, r, "spine", 1.0), 1200, 800,
                   "Spine Day lecture; a sagittal lumbar spine MRI on the screen"),
    "hall_neurodeg": (lambda w, h, r: scene_hall(w, h, r, "atrophy", 1.3), 1200, 800,
                      "Speaker in front of a full room; the slide shows brain atrophy"),
    "hall_cases": (lambda w, h, r: scene_hall(w, h, r, "ctbleed", 1.2), 1200, 800,
                   "Case marathon: audience facing a head CT case on the screen"),
    "poster_1": (scene_posters, 1200, 800,
                 "Rows of scientific posters with attendees reading them"),
    "poster_2": (scene_posters, 1200, 900, "Second poster session: boards and a busy aisle"),
    "poster_mine": (scene_poster_close, 800, 1000,
                    "Close-up of an e-poster with a brain MRI figure, a bar chart and a QR code"),
    "dti_tracts": (scene_dti, 1200, 900,
                   "Colour-coded diffusion tractography: red left-right, green front-back, "
                   "blue up-down fibres"),
    "dti_tracts2": (scene_dti, 1000, 1000, "Whole-brain tractography rendering in red, green "
                    "and blue on black"),
    "mri_bore": (scene_bore, 1200, 800, "Looking into the bore of a 3T MRI scanner from the "
                 "patient table"),
    "group_selfie": (lambda w, h, r: scene_table(w, h, r, "group"), 1200, 900,
                     "Residents smiling around a table in a warmly lit restaurant"),
    "team_photo": (lambda w, h, r: scene_table(w, h, r, "team"), 1200, 800,
                   "Pediatric imaging team posing together after their talk"),
    "coffee_break": (lambda w, h, r: scene_table(w, h, r, "coffee"), 1200, 800,
                     "Coffee break: cups and croissants on a table, attendees chatting behind"),
    "gala_dinner": (lambda w, h, r: scene_table(w, h, r, "gala"), 1200, 800,
                    "Annual dinner: white tablecloth, wine glasses and candles in a dark room"),
    "award_gold": (lambda w, h, r: scene_award(w, h, r, "gold"), 1200, 800,
                   "Two people on a spotlit stage with a gold medal on a red ribbon"),
    "award_posters": (lambda w, h, r: scene_award(w, h, r, "row"), 1200, 800,
                      "Six award winners standing on stage holding certificates"),
    "award_trainee": (lambda w, h, r: scene_award(w, h, r, "trophy"), 800, 1000,
                      "A resident on stage holding up a gold trophy"),
    "poutine": (lambda w, h, r: scene_food(w, h, r, "poutine"), 1080, 1080,
                "A bowl of poutine: fries, cheese curds and gravy"),
    "bagels": (lambda w, h, r: scene_food(w, h, r, "bagels"), 1080, 1080,
               "Five sesame bagels on a wooden board"),
    "notes": (scene_notes, 800, 1000, "Handwritten notes in a lined notebook, a pen beside it"),
    "dwi_stroke": (lambda w, h, r: scene_scan(w, h, r, "dwi"), 1000, 1000,
                   "Axial diffusion-weighted MRI: bright acute infarct in the left middle "
                   "cerebral artery territory"),
    "perfusion_map": (lambda w, h, r: scene_scan(w, h, r, "perfusion"), 1000, 1000,
                      "Colour CT perfusion map with a region of delayed flow in one hemisphere"),
    "tumour_ring": (lambda w, h, r: scene_scan(w, h, r, "ring"), 1000, 1000,
                    "Contrast-enhanced brain MRI: a ring-enhancing lesion with surrounding "
                    "oedema"),
    "ct_bleed": (lambda w, h, r: scene_scan(w, h, r, "ctbleed"), 1000, 1000,
                 "Axial head CT with a thin crescent of subdural blood along the right "
                 "convexity"),
    "spine_sag": (scene_spine, 800, 1000,
                  "Sagittal T2 MRI of the lumbar spine with one dark, degenerated disc"),
    "angio": (scene_angio, 1000, 1000,
              "Cerebral angiogram: branching arteries in dark grey on a light background"),
}


def avatar_svg(a: Account, r: random.Random) -> str:
    w = h = 256
    hue = r.uniform(0, 360)
    defs = lin("bg", [(0, hsl(hue, 55, 62)), (1, hsl(hue + 40, 60, 38))], x2=1, y2=1)
    body = [f'<rect width="{w}" height="{h}" fill="url(#bg)"/>']
    if a.avatar == "logo":
        c = hsl(hue + 180, 30, 96)
        style = r.randrange(3)
        if style == 0:  # abstract brain: two hemispheres of arcs
            for side in (-1, 1):
                for k in range(4):
                    body.append(f'<path d="M128,{60 + k * 8} A{70 - k * 14},{64 - k * 12} 0 0 '
                                f'{1 if side > 0 else 0} 128,{196 - k * 8}" stroke="{c}" '
                                f'stroke-width="9" fill="none" opacity="{1 - k * 0.18:.2f}"/>')
        elif style == 1:  # shield with a stylised scan ring
            body.append(f'<path d="M128,34 L206,64 Q206,168 128,222 Q50,168 50,64 Z" fill="{c}"/>'
                        f'<circle cx="128" cy="120" r="44" fill="none" '
                        f'stroke="{hsl(hue, 55, 40)}" stroke-width="16"/>')
        else:  # concentric squares
            for k in range(4):
                s = 150 - k * 34
                body.append(f'<rect x="{128 - s / 2}" y="{128 - s / 2}" width="{s}" height="{s}" '
                            f'rx="{12 + k * 4}" fill="none" stroke="{c}" stroke-width="10" '
                            f'transform="rotate({k * 11} 128 128)"/>')
    else:
        style = r.randrange(3)
        if style == 0:  # silhouette
            body.append(person(128, 262, 78, r, hsl(hue + 150, 45, 30), back=False))
        elif style == 1:  # blobs
            for _ in range(5):
                body.append(f'<circle cx="{f(r.uniform(30, 226))}" cy="{f(r.uniform(30, 226))}" '
                            f'r="{f(r.uniform(28, 80))}" fill="{hsl(r.uniform(0, 360), 65, 60)}" '
                            f'opacity="0.7"/>')
        else:  # waves / landscape
            for k in range(4):
                y = 120 + k * 34
                body.append(f'<path d="M0,{y} Q64,{y - 40} 128,{y} T256,{y} V256 H0 Z" '
                            f'fill="{hsl(hue + 20 * k, 50, 70 - k * 12)}" opacity="0.85"/>')
            body.append(f'<circle cx="{f(r.uniform(50, 200))}" cy="70" r="26" fill="#fff3c4"/>')
    return svg_doc(w, h, defs, "".join(body))


def write_media() -> int:
    MEDIA.mkdir(parents=True, exist_ok=True)
    for old in MEDIA.glob("*.svg"):
        old.unlink()
    total = 0
    for key, (fn, w, h, _alt) in PHOTOS.items():
        data = fn(w, h, random.Random(f"{SEED}:{key}"))
        (MEDIA / f"photo-{key.replace('_', '-')}.svg").write_text(data, encoding="utf-8")
        total += len(data.encode())
    for a in ACCOUNTS:
        if a.avatar:
            data = avatar_svg(a, random.Random(f"{SEED}:avatar:{a.key}"))
            (MEDIA / f"avatar-{a.key.lower()}.svg").write_text(data, encoding="utf-8")
            total += len(data.encode())
    return total


def media_item(key: str, alt: str | None = None) -> dict[str, Any]:
    _fn, w, h, default_alt = PHOTOS[key]
    url = f"{MEDIA_PREFIX}photo-{key.replace('_', '-')}.svg"
    return {"kind": "image", "url": url, "preview_url": url,
            "alt": default_alt if alt is None else alt, "width": w, "height": h}


# --------------------------------------------------------------------------- the programme
# Posts are written by hand below. Markup: @key mentions an account of this file, #Tag is a
# hashtag, [shown text](https://...) is a link. Replies get the parent's author mention in front
# and every post that lacks #ASNR14 gets it appended, because the wall only sees tagged posts.


@dataclass
class Entry:
    author: str
    text: str
    day: int = 0
    slot: str | float = "day"
    media: list[dict[str, Any]] = field(default_factory=list)
    lang: str | None = None
    label: str | None = None
    reply_to: str | None = None
    quote_of: str | None = None
    delay: tuple[float, float] = (4, 90)  # minutes after the parent (replies, quotes)
    star: bool = False  # a highlight: draws more likes and reposts
    cw: str | None = None
    sensitive: bool = False
    tokens: list[dict[str, Any]] | None = None  # hostile posts: raw tokens, no markup parsing
    hostile: bool = False
    when: datetime | None = None
    post: dict[str, Any] | None = None


ENTRIES: list[Entry] = []


def P(author: str, day: int, slot: str | float, text: str, *, media: tuple[str, ...] = (),
      alt: dict[str, str] | None = None, **kw: Any) -> None:
    items = [media_item(m, (alt or {}).get(m)) for m in media]
    ENTRIES.append(Entry(author, text, day, slot, items, **kw))


def R(author: str, to: str, text: str, **kw: Any) -> None:
    ENTRIES.append(Entry(author, text, reply_to=to, **kw))


def Q(author: str, of: str, text: str, **kw: Any) -> None:
    kw.setdefault("delay", (10, 240))
    ENTRIES.append(Entry(author, text, quote_of=of, **kw))


LINK = "https://jcni-journal.org"
MTG = "https://nrmeeting2014.org"


def day15() -> None:
    P("NeuroRadMeeting", 15, 10.5, "Welcome to Montréal! Registration for #ASNR14 opens "
      "tomorrow at 07:00, level 2 of the convention centre. Get the meeting app: "
      f"[nrmeeting2014.org/app]({MTG}/app)", star=True)
    P("hmvoss_neuro", 15, 11.5, "Boarding for Montréal ✈️ Slides done (mostly). Who else is "
      "on the morning flight from Boston? #ASNR14", media=("plane_window",), label="voss_plane")
    R("kofi_neurorad", "voss_plane", "Row 14! Finishing my perfusion talk on the tray table 😅")
    P("elodie_gp", 15, "eve", "Bienvenue à Montréal à tous les collègues de #ASNR14 ! Conseil "
      "de locale : des bagels du Mile End le matin, le Vieux-Port le soir 🥯🌉",
      media=("bagels",))
    P("ma_tousignant", 15, "eve", "Premier congrès international comme résident, et c'est dans "
      "ma ville. Un peu nerveux pour mon e-poster de vendredi 😬 #ASNR14")
    P("owenpl_inr", 15, 22.6, "Landed at YUL. The taxi driver asked what neuroradiologists do. "
      "25 minutes later he knows more about thrombectomy than most of my family. #ASNR14",
      star=True)
    P("tibarreche", 15, "am", "Rumbo a Montreal para #ASNR14. Nueve horas de viaje y un póster "
      "sobre RM de perfusión en la maleta 🧳")
    P("yharada_nr", 15, 7.2, "成田からモントリオールへ出発します。今年の #ASNR14 では小児の"
      "拡散テンソル画像について発表予定です。")
    P("LakeshoreRad", 15, "pm", "Our team is heading to #ASNR14 in Montréal: 6 oral talks, "
      "9 posters and 1 very large poster tube. Full schedule: "
      "[radiology.lakeshore-u.edu/asnr14](https://radiology.lakeshore-u.edu/asnr14)")
    P("cduvalkerr", 15, 15.2, "Off to cover #ASNR14 in Montreal next week. Neuroradiologists: "
      "what should a health reporter not miss? Stroke? AI? Tell me.", label="claire_ask")
    R("gofinch_rad", "claire_ask", "Pediatric Day on Sunday. Imaging small children without "
      "sedation is a great story and nobody covers it.")
    R("owenpl_inr", "claire_ask", "The thrombectomy trials session on Wednesday. Something is "
      "about to change in stroke care, mark my words.")
    R("mirasg", "claire_ask", "The AI panel on Monday afternoon, obviously. (I'm biased 😇)")
    P("dana_mrtech", 15, "eve", "Not going to #ASNR14 but my radiologists are, so I'll be "
      "following the hashtag from the scanner console between patients 🧲")
    P("rad_residents", 15, "pm", "Residents at #ASNR14: informal meetup on Saturday at 19:00 "
      "near the convention centre. Reply for details. Med students and physicists welcome too! "
      "👩‍⚕️👨‍⚕️🧑‍🔬")


def day16() -> None:
    P("NeuroRadMeeting", 16, 7.1, "Good morning #ASNR14! Registration is open. Today: "
      "pre-meeting workshops on perfusion post-processing (room 510) and neuro-oncology tumour "
      "boards (520), plus the fellowship directors' session.", media=("badge",))
    P("priya_vr_md", 16, 8.7, "Hands-on perfusion workshop: 40 of us, 40 laptops, 1 wifi "
      "network. Bold choice. #ASNR14", label="wifi")
    R("kofi_neurorad", "wifi", "The wifi password is on the back of your badge. Took me "
      "20 minutes to find it too.", label="wifi2")
    R("priya_vr_md", "wifi2", "You are a hero. Now to figure out why my rCBV maps look like "
      "modern art 🎨")
    P("hmvoss_neuro", 16, "am", "Perfusion pearl from the workshop: check your arterial input "
      "function before you trust any Tmax map. Garbage AIF in, garbage penumbra out. #ASNR14",
      star=True)
    P("jwp", 16, "am", "Physicist's view from the #ASNR14 perfusion workshop: the software "
      "packages gave noticeably different core volumes on the same dataset. Same raw data, "
      "different deconvolution (plain SVD vs block-circulant vs Bayesian), different "
      "thresholds. If your stroke centre changes vendors, re-validate your thresholds. This "
      "is not a radiologist problem or a physicist problem, it's an 'us' problem. #MRphysics")
    P("owenpl_inr", 16, "am", "Thrombectomy imaging workshop: the room agrees that CT and CTA "
      "should happen in one trip to the scanner, every time. Now to convince our ED. #ASNR14")
    P("ma_tousignant", 16, "pm", "Présentation de mon e-poster terminée ✅ Trois questions, "
      "aucune que je n'avais pas prévue. Merci @elodie_gp pour les répétitions ! #ASNR14",
      label="ma_poster")
    R("elodie_gp", "ma_poster", "Bravo ! Fière de toi 👏", lang="fr")
    P("tibarreche", 16, "am", "Taller de perfusión en #ASNR14: comparar tres programas con los "
      "mismos datos ha sido revelador. Los volúmenes de core varían muchísimo.")
    P("gofinch_rad", 16, "pm", "Fellowship directors' session: we need more peds neuro "
      "fellows. If you're a resident who loves anatomy and tiny patients, come find me at "
      "#ASNR14 👶🧠")
    P("LakeshoreRad", 16, "pm", "Congratulations to Dr. Ana Ferreira-Stoltz, PGY-3, whose "
      "abstract on MR venography is a Trainee Award finalist! Talk on Sunday 10:40, room 517. "
      "#ASNR14")
    P("NorthfieldKidsImg", 16, "pm", "Our peds neuro team has landed in Montréal. At #ASNR14: "
      "'Fast MRI without sedation: 1,000 scans later' on Sunday, Pediatric Day. 🧸")
    P("achterberg_ben", 16, 14.5, "Following #ASNR14 from Utrecht this year. Please post the "
      "slides with the decision trees, those are the ones I steal for teaching 😄")
    P("kenji", 16, "pm", "ML grad student here, going to #ASNR14 to learn what radiologists "
      "actually want from AI tools instead of what we assume they want. Tips welcome 🙏",
      label="kenji_tips")
    R("sunitarb", "kenji_tips", "Sit in on a reading-room session if you can. Most of our time "
      "isn't spent on the hard diagnosis, it's everything around it.")
    P("HelixImaging", 16, "pm", "Exhibit hall setup done ✅ Visit booth 512 at #ASNR14 for live "
      "demos of our 3T neuro package and the new quiet T1 sequence.",
      media=("exhibit_scanner",))
    P("rickdv_helix", 16, "eve", "Twelve hours of building a booth. Ready for #ASNR14. Come "
      "say hi, we have good coffee and better coils.")
    P("abraconnier", 16, "eve", "Souper ce soir dans le Vieux-Montréal avec l'équipe avant le "
      "marathon #ASNR14. Demain on commence fort avec le symposium sur l'AVC.",
      media=("old_port_night",))
    P("amara_ms3", 16, 8.2, "MS3 at my first radiology meeting. I have a badge, a tote bag and "
      "no idea where room 510 is. #ASNR14 👩‍🎓", label="amara_lost")
    R("hmvoss_neuro", "amara_lost", "Level 5, past the escalators, follow the smell of coffee. "
      "Welcome to neuroradiology!")
    P("sofia_neurosci", 16, "pm", "Neuroscience PhD student crashing #ASNR14 to present DTI "
      "tractography in a mouse model of TBI. Very ready to be the least clinical person in "
      "the room 🐭")
    P("NeuroRadMeeting", 16, 16.5, "Reminder: Young Professionals mixer tonight at 18:30 on "
      "the level 7 terrace. Trainees, junior faculty and students welcome. #ASNR14")
    P("CortexMedAI", 16, "pm", "We'll be at #ASNR14 next week talking about triage tools for "
      "head CT. Come argue with us at booth 733, we mean it. "
      "[cortexmed.ai/asnr14](https://cortexmed.ai/asnr14)")
    P("yharada_nr", 16, "eve", "モントリオールに到着。ホテルから旧市街まで散歩しました。"
      "夕焼けの街並みがとても美しいです。 #ASNR14", media=("skyline_sunset",))
    P("bkaltenbrunn", 16, "eve", "Gerade in Montréal angekommen. Morgen geht's los mit dem "
      "Schlaganfall-Symposium. Ich freue mich auf #ASNR14!")


def day17() -> None:
    P("NeuroRadMeeting", 17, 7.4, "Day 1 of scientific sessions at #ASNR14! 08:00 Symposium: "
      "Stroke Imaging 2014, Beyond the Clot (Hall 210). 18:00 Opening reception in the "
      "exhibit hall.")
    P("hmvoss_neuro", 17, 8.3, "Standing room only at 8am on a Saturday for the #ASNR14 stroke "
      "symposium. Neuroradiologists are a dedicated bunch.", media=("hall_stroke",),
      star=True, label="stroke_room")
    P("owenpl_inr", 17, 8.6, "Dr. Castellane: \"Time is brain, but imaging is time.\" Every "
      "minute of imaging has to change a decision. #ASNR14 #stroke")
    P("adaeze_neuro", 17, "am", "Stroke neurologist in a room full of neuroradiologists at "
      "#ASNR14. Finally understand why my residents' CTA reads come back 'limited by bolus "
      "timing' 😅")
    P("kofi_neurorad", 17, "am", "Collateral grading on multiphase CTA: quick, reproducible and "
      "it predicts outcome. Three phases, about 8 extra seconds of scanning. #ASNR14",
      star=True, label="mpcta")
    P("tibarreche", 17, "am", "«El mejor estudio de imagen es el que no retrasa el "
      "tratamiento». Gran inicio del simposio de ictus en #ASNR14")
    P("priya_vr_md", 17, "am", "DWI-FLAIR mismatch for wake-up stroke: useful, but agreement "
      "between readers on 'FLAIR negative' is only moderate. Know your limits. #ASNR14",
      media=("dwi_stroke",))
    P("sunitarb", 17, "am", "ASPECTS on non-contrast CT: look at the insular ribbon first. "
      "Loss of grey-white differentiation there is often the earliest sign. #ASNR14")
    P("cferrando_rx", 17, 10.2, "Siguiendo #ASNR14 desde Valencia. Muy interesantes los datos "
      "sobre colaterales en angio-TC multifásica. ¿Alguien tiene la referencia?",
      label="cf_ref")
    R("tibarreche", "cf_ref", f"Aquí la tienes: [jcni-journal.org/content/5/3/211]({LINK}/"
      "content/5/3/211) ¡Un abrazo desde Montreal!", lang="es")
    P("fqo_rad", 17, 9.6, "From Oslo, following #ASNR14 on here feels like a highlight reel. "
      "Thank you to everyone live-posting the stroke session 🙏")
    P("anjali_dc", 17, "am", "Community radiologist, on call this weekend, following #ASNR14 "
      "between cases. The multiphase CTA posts are exactly what I needed today.")
    P("marnie_ms_life", 17, 12.4, "I'm an MS patient and I follow #ASNR14 every year. It's "
      "strange and wonderful to watch people discuss the machines that have tracked my brain "
      "for 11 years. Thank you for caring about the details. 💙", star=True, label="marnie1")
    R("hmvoss_neuro", "marnie1", "Thank you, Marnie. Posts like this are why we fight for that "
      "extra sequence and for better reports.")
    R("elodie_gp", "marnie1", "Thanks for following! Tomorrow's session on MS lesion follow-up "
      "is streamed, I'll post the highlights.", lang="en")
    Q("gofinch_rad", "marnie1", "Best post on the #ASNR14 hashtag so far. Patients read our "
      "reports now. Let's write them like it.")
    P("noa_benarieh", 17, "am", "הסימפוזיון על שבץ ב-#ASNR14 מצוין. המסר המרכזי: הדמיה מהירה, "
      "החלטה מהירה, טיפול מהיר. 🧠⏱️")
    P("haddadin_mri", 17, "pm", "جلسة رائعة اليوم عن تصوير السكتة الدماغية في مؤتمر #ASNR14. "
      "تقييم الدورة الجانبية بالتصوير الطبقي متعدد الأطوار سيغيّر ممارستنا في عمّان.")
    P("sunitarb", 17, "pm", "Key message from the #ASNR14 stroke symposium: the 'penumbra' on "
      "your perfusion map is a model, not a photograph. Treat it like one.")
    P("owenpl_inr", 17, "pm", "Dr. Okafor-Lund on CT perfusion thresholds: relative CBF below "
      "30% best matched final infarct volume in their cohort. Now look at the error bars. "
      "#ASNR14")
    P("hmvoss_neuro", 17, "pm", "Venous infarct pearl: a haemorrhagic infarct that doesn't "
      "respect an arterial territory in a young patient → look at the sinuses. #ASNR14")
    P("adaeze_neuro", 17, "pm", "Heard at #ASNR14: \"Your stroke pathway is a relay race and "
      "imaging is the baton pass.\" Stealing this for our stroke team training.")
    P("jwp", 17, "pm", "At #ASNR14 someone just asked \"which b-value should we use for stroke "
      "DWI?\" and three physicists in the room visibly relaxed into their natural habitat. "
      "(b=1000. But let's talk about why.)")
    P("ines", 17, 13.2,
      "Some longer thoughts after the first morning of #ASNR14.\n\n"
      "The stroke symposium was excellent, but what stayed with me wasn't a threshold or a "
      "trial. It was a slide with the timeline of one patient: door at 21:04, CT at 21:19, CTA "
      "at 21:23, perfusion maps at 21:41, decision at 21:52. Eighteen of those minutes were "
      "spent waiting for software and for people to find each other.\n\n"
      "We spend a lot of energy arguing about which perfusion parameter best predicts the "
      "core. Fair enough. But the biggest gains in my own hospital came from boring things: "
      "the CT technologist calling the neuroradiologist directly, a one-page protocol taped "
      "next to the console, images pushed to a phone.\n\n"
      "Imaging is only as fast as the slowest handover. 🧠⏱️ #stroke", label="ines_long")
    P("rquintanilha", 17, "pm", "Simpósio de AVC no #ASNR14 excelente. A avaliação de "
      "colaterais com angio-TC multifásica parece simples de implementar no nosso serviço em "
      "Porto Alegre.")
    P("bkaltenbrunn", 17, "pm", "Spannende Diskussion zum Wake-up-Stroke: Der DWI-FLAIR-"
      "Mismatch hilft, aber die Übereinstimmung zwischen Befundern ist nur mäßig. #ASNR14")
    P("ma_tousignant", 17, "pm", "Premier jour officiel de #ASNR14 et la moitié de mon carnet "
      "est déjà remplie. La perfusion n'a plus de secrets pour moi (c'est faux).",
      media=("notes",))
    P("LakeshoreRad", 17, 15.1, "Proud moment: our fellow @priya_vr_md presenting 'Automated "
      "ASPECTS vs. expert readers' to a full room at #ASNR14 👏", media=("hall_aspects",),
      label="lake_priya")
    R("priya_vr_md", "lake_priya", "Thank you! My hands stopped shaking by slide 4 😅")
    P("cduvalkerr", 17, "pm", "Learned today: in stroke, imaging decides who gets a clot pulled "
      "out. And the 'who' is changing fast. Story coming midweek. #ASNR14")
    P("NeuroRadMeeting", 17, 17.6, "The exhibit hall is OPEN! Opening reception until 20:00: "
      "120 exhibitors, the scientific posters and the famous poutine station. #ASNR14",
      media=("exhibit_booths",))
    P("rickdv_helix", 17, "eve", "Opening reception at #ASNR14: demoed the quiet T1 sequence "
      "40 times. Voice gone, heart full. 📣")
    P("kofi_neurorad", 17, "eve", "Exhibit hall pro tip: the booths with espresso machines "
      "have the longest queues and the shortest pitches. #ASNR14 ☕")
    P("rad_residents", 17, 19.3, "Residents meetup happening now! Look for the table with the "
      "tiny plastic brain 🧠 About 25 of us so far. #ASNR14", media=("group_selfie",),
      alt={"group_selfie": ""})
    P("owenpl_inr", 17, 23.1, "Poutine at 11pm is a neuroradiology tradition now. I don't make "
      "the rules. #ASNR14", media=("poutine",), alt={"poutine": ""}, star=True)
    P("meilin_kovac", 17, 19.4, "Good morning from Sydney, where it's already Sunday and "
      "#ASNR14 is still on Saturday. Catching up on the stroke session with my coffee ☕")
    P("teocastellanos", 17, "pm", "Primer día en #ASNR14 y ya tengo tres ideas de proyectos "
      "de investigación y cero tiempo para hacerlos. Lo normal.")
    P("liamoh", 17, 11.0, "Registrar stuck on call, following #ASNR14 from Manchester. The "
      "collateral grading slides are going straight into Monday's teaching.")


def day18() -> None:
    P("NeuroRadMeeting", 18, 7.3, "Sunday at #ASNR14: Pediatric Neuroradiology Day (Hall 210), "
      "Head & Neck: Skull Base and Temporal Bone (517), Poster session 1 from 12:00. Coffee "
      "is served at 10:00 ☕", media=("coffee_break",))
    P("gofinch_rad", 18, 8.2, "Pediatric Day at #ASNR14 opens with fast MRI without sedation. "
      "Feed-and-wrap for infants, video goggles for four-year-olds, patience for everyone. 👶",
      label="peds_open")
    P("NorthfieldKidsImg", 18, 9.1, "Our talk is up: 1,000 MRIs in children under 6 without "
      "general anaesthesia, using fast sequences and child-life specialists. 83% diagnostic on "
      "the first attempt. #ASNR14", media=("hall_peds",), star=True, label="northfield_talk")
    Q("anjali_dc", "northfield_talk", "This is huge for community hospitals without paediatric "
      "anaesthesia on site. Please share the protocol! #ASNR14", label="anjali_q")
    R("NorthfieldKidsImg", "anjali_q", "Protocol PDF is on our site: "
      "[northfieldkids.org/imaging/fast-mri](https://northfieldkids.org/imaging/fast-mri) 🙌")
    P("gofinch_rad", 18, "am", "Peds pearl from #ASNR14: after hypoxic-ischaemic injury, DWI "
      "can look normal in the first 24 hours and pseudo-normalise after about a week. Timing "
      "is everything.")
    P("priya_vr_md", 18, "am", "Myelination cheat sheet from Pediatric Day at #ASNR14: T1 "
      "bright comes before T2 dark, and T2 looks adult-like by about 2 years. Save this.")
    P("yharada_nr", 18, "am", "小児神経放射線の日。鎮静なしの高速MRIの発表がとても参考に"
      "なりました。日本の施設でも試してみたいです。 #ASNR14")
    P("tobi", 18, 13.4, "Stroke survivor here (2012, left MCA, thank you thrombolysis). "
      "Reading the #ASNR14 posts and realising how many people were looking at my brain that "
      "day 🧠❤️", star=True, label="tobi1")
    R("sunitarb", "tobi1", "So glad you're here and reading. Hope recovery keeps going well 💛",
      label="tobi1r")
    R("tobi", "tobi1r", "Thank you! Walking 5 km a day now. Speech is still a work in "
      "progress but getting there.")
    P("lena_sorvari", 18, "am", "Temporal bone session at #ASNR14: if you can't name every "
      "structure of the inner ear on 0.6 mm CT, you are not alone. Great teaching from "
      "Dr. Szabo-Whitley.")
    P("lena_sorvari", 18, "am", "Skull base pearl: perineural spread along V3. Look at foramen "
      "ovale AND the masticator space fat; subtle asymmetry is the clue. #ASNR14 #HNrad")
    P("hmvoss_neuro", 18, "am", "Head & neck session: cholesteatoma vs post-op granulation "
      "tissue is answered by non-EPI DWI. Not EPI DWI. Not maybe. #ASNR14", label="voss_hn")
    R("lena_sorvari", "voss_hn", "Preach. Half the referrals I get still ask for 'CT to exclude "
      "cholesteatoma' 🙃")
    P("kofi_neurorad", 18, "am", "Head & neck pearl: unilateral middle ear effusion in an adult "
      "→ look at the nasopharynx. Every single time. #ASNR14")
    P("priya_vr_md", 18, 12.4, "First poster session of #ASNR14 is massive. 300+ posters. "
      "Strategy: coffee, then the spine row, then everything with a cool figure.",
      media=("poster_1",))
    P("ma_tousignant", 18, 12.2, "Mon e-poster est affiché dans le hall d'exposition, borne 14. "
      "Venez me poser des questions (faciles) ! #ASNR14", media=("poster_mine",))
    P("sofia_neurosci", 18, "pm", "Poster session done. Biggest surprise: three clinical "
      "neuroradiologists asked about our mouse DTI pipeline for their own TBI cohorts. "
      "Translational research is real, apparently! #ASNR14 #DTI", media=("dti_tracts",))
    P("kofi_neurorad", 18, "pm", "Perfusion session at #ASNR14: DSC leakage correction matters "
      "more than which software you pick. Always correct, always report which method.",
      media=("perfusion_map",))
    P("jwp", 18, 15.4,
      "Notes from the perfusion & permeability session at #ASNR14 (long, sorry, physicist):\n\n"
      "1. DSC: contrast leakage in tumours makes rCBV look lower than it is. Preload dose plus "
      "model-based correction, and write down which one you used.\n"
      "2. DCE: Ktrans is seductive, but it depends on the arterial input function, the T1 "
      "mapping and the model. Values from two sites are rarely comparable.\n"
      "3. ASL: no contrast, repeatable, and finally fast enough at 3T for routine use. "
      "Underused in children, in my opinion.\n"
      "4. Whatever you measure, measure it the same way next time. Follow-up is where "
      "perfusion earns its keep.\n\n"
      "If you want the reading list I promised in the Q&A, reply and I'll post it tonight. "
      "#MRphysics #neurorad", label="jwp_perf", star=True)
    R("sofia_neurosci", "jwp_perf", "Yes please, reading list! ASL in kids is exactly my lab's "
      "next question.")
    P("elodie_gp", 18, "pm", "Séance sur la perfusion : la correction de fuite du gadolinium "
      "est indispensable pour les gliomes. Excellente présentation de Dr. Tremblay-Stahl ! "
      "#ASNR14")
    P("JClinNeuroimaging", 18, 9.0, "Online first, timed for #ASNR14: 'Leakage-corrected rCBV "
      "in grade II–III gliomas: a multicentre reproducibility study' "
      f"[jcni-journal.org/content/5/6/402]({LINK}/content/5/6/402)")
    P("fqo_rad", 18, 10.8, "Can someone at #ASNR14 share the peds non-sedation protocol? Our "
      "anaesthesia waiting list is 7 weeks 😩", label="fqo_ask")
    R("gofinch_rad", "fqo_ask", "@NorthfieldKidsImg posted it this morning, check their feed! "
      "Key bits: feed-and-wrap under 3 months, mock scanner from age 4, fast T2 first.")
    P("adaeze_neuro", 18, "pm", "As a stroke neurologist, the most useful #ASNR14 talk so far "
      "was how to read a CTA in 3 minutes while the patient is still on the table. Everyone "
      "should see it.")
    P("amara_ms3", 18, "pm", "Things I learned today at #ASNR14: 1) the inner ear is "
      "beautiful 2) radiologists are funny 3) I might be one someday 🤔👩‍⚕️", label="amara2")
    R("hmvoss_neuro", "amara2", "Best outcome of any meeting. We'll save you a seat at the "
      "workstation 😉")
    P("noa_benarieh", 18, "am", "יום הנוירורדיולוגיה של ילדים ב-#ASNR14. הרצאה מצוינת על MRI "
      "מהיר בלי הרדמה. אנחנו חייבים לנסות את זה אצלנו 👶")
    P("haddadin_mri", 18, "pm", "يوم الأشعة العصبية للأطفال في #ASNR14 كان ممتازاً. تقنيات "
      "التصوير السريع من دون تخدير ستفيد مرضانا الصغار كثيراً 👶🧠")
    P("HelixImaging", 18, 10.2, "Thanks to everyone who stopped by booth 512 yesterday! Today "
      "at 14:00: live demo of motion-corrected pediatric brain MRI. #ASNR14")
    P("rquintanilha", 18, "eve", "Jantar com colegas brasileiros depois de um dia longo de "
      "#ASNR14. Saudades do Brasil, mas a comida aqui é ótima 🍷")
    P("bkaltenbrunn", 18, "pm", "Pädiatrischer Tag bei #ASNR14: schnelle MRT ohne Sedierung, "
      "83 % diagnostisch beim ersten Versuch. Beeindruckend!")
    P("plgendreau", 18, "am", "Au Palais des congrès pour #ASNR14 : des milliers de "
      "neuroradiologues réunis à Montréal cette semaine. Je prépare un reportage radio sur "
      "l'intelligence artificielle en imagerie médicale.")
    P("ewabh", 18, 9.2, "Following #ASNR14 from Kraków. The paediatric non-sedation talk is "
      "exactly what we need; our waiting list is months long. Thank you to everyone sharing "
      "slides.")
    P("owenpl_inr", 18, 18.8, "Walked up Mount Royal after the sessions. Montréal, you are "
      "unfairly beautiful. #ASNR14", media=("skyline_day",), star=True)
    P("mctavish_spine", 18, "pm", "Spine Day isn't until Tuesday but I've already found the "
      "other three spine people at #ASNR14. We have a table. We're going to talk about Modic "
      "changes and nobody can stop us.")
    P("teocastellanos", 18, "am", "Sesión de cabeza y cuello en #ASNR14: la difusión no-EPI "
      "para el colesteatoma debería ser estándar en todos los centros. Sin excusas.")
    P("dana_mrtech", 18, "pm", "MR tech view of #ASNR14 Pediatric Day: the child-life "
      "specialists are the MVPs. Every department should have one.")
    P("sunitarb", 18, "pm", "Pediatric Day highlight: a 'tumour' that turned out to be a "
      "normal variant of the choroid plexus. Humbling and important. #ASNR14")
    P("rowan_rad", 18, 17.1, "Day 3 of following #ASNR14 from home. I've learned more from "
      "this hashtag than from my last two textbooks. Is that allowed?")
    P("NorthfieldKidsImg", 18, 20.4, "What a day. Thank you to everyone who came to Pediatric "
      "Day at #ASNR14. Our team, post-talk and post-poutine 👨‍👩‍👧‍👦🍟",
      media=("team_photo",))


def day19() -> None:
    P("NeuroRadMeeting", 19, 7.4, "Big day at #ASNR14! 08:00 Opening ceremony and keynote, "
      "'Seeing the Mind: A Century of Neuroimaging' by Dr. Renata Solberg. 11:00 Gold Medal. "
      "14:00 Panel: AI in Radiology, Hype or Help?")
    P("hmvoss_neuro", 19, 8.5, "Keynote by Dr. Renata Solberg at #ASNR14: from "
      "pneumoencephalography to 7T in 45 minutes. Goosebumps. 🧠✨", media=("hall_keynote",),
      star=True, label="keynote")
    Q("cduvalkerr", "keynote", "Sitting at the back of this keynote. A century of imaging the "
      "brain, and the speaker ends by reminding the room that every scan is a frightened "
      "person. #ASNR14", delay=(5, 40))
    P("kofi_neurorad", 19, 9.0, "Solberg: \"Pneumoencephalography was so unpleasant that "
      "patients remembered it for decades. Our job is to make imaging forgettable.\" #ASNR14",
      star=True)
    P("elodie_gp", 19, 9.1, "Conférence d'ouverture magnifique par Dr. Solberg à #ASNR14. Un "
      "siècle de neuroimagerie, et toujours la même question : qu'est-ce qu'on voit vraiment ?")
    P("yharada_nr", 19, 9.3, "基調講演：気脳造影から7テスラMRIまでの100年。感動しました。 "
      "#ASNR14")
    P("NeuroRadMeeting", 19, 11.2, "Congratulations to Dr. Harold Ingversen, 2014 Gold Medal "
      "recipient, for four decades of contributions to neuroradiology education 🏅 #ASNR14",
      media=("award_gold",), star=True, label="gold")
    P("LakeshoreRad", 19, 11.5, "Congratulations to our emeritus professor Dr. Harold "
      "Ingversen on the #ASNR14 Gold Medal! He trained more than 200 neuroradiologists here at "
      "Lakeshore 🏅👏", label="lake_gold")
    Q("gofinch_rad", "gold", "Dr. Ingversen taught me to read a brain MRI \"from the outside "
      "in, and never skip the orbits.\" I still do it every day. Congratulations! 🏅")
    R("hmvoss_neuro", "lake_gold", "He made me redo my first 50 reports. Best teacher I ever "
      "had. Congratulations!")
    P("priya_vr_md", 19, 11.9, "Gold Medal lecture, Dr. Ingversen: \"The most dangerous phrase "
      "in radiology is 'as before'.\" Compare with the oldest available study, not only the "
      "last one. #ASNR14", star=True, label="as_before")
    Q("kofi_neurorad", "as_before", "'As before' has hurt more patients than any artefact. "
      "Print this and tape it to your monitor. #ASNR14")
    P("achterberg_ben", 19, 13.0, "Following from Utrecht: Ingversen's 'as before' line from "
      "#ASNR14 has already been printed and taped to our reading room wall.")
    P("mirasg", 19, 14.1, "Packed room for 'AI in Radiology: Hype or Help?' at #ASNR14. The "
      "question in everyone's head: will it replace us? Panel says no. Room says 'prove it'.",
      media=("hall_ai",), label="ai_panel")
    P("kenji", 19, 14.6, "At the #ASNR14 AI panel as the only ML person in the room. Biggest "
      "takeaway: radiologists want tools that prioritise the worklist and catch misses, not "
      "tools that 'read' scans.", label="kenji_ai")
    R("sunitarb", "kenji_ai", "Exactly. Give me a triage flag on the intracranial bleed at 3am "
      "and I'm your biggest fan.")
    P("owenpl_inr", 19, 14.8, "AI panel at #ASNR14: \"An algorithm that's 95% sensitive on a "
      "curated dataset is a promise, not a product.\" Validate it in your own population, "
      "please.")
    P("CortexMedAI", 19, 15.6, "Great discussion at the #ASNR14 AI panel. We agree with the "
      "sceptics: prospective validation first, marketing second. Our head CT triage study "
      "protocol: [cortexmed.ai/research](https://cortexmed.ai/research)")
    P("jwp", 19, 15.1, "Hot take from the #ASNR14 AI panel: the bottleneck isn't the neural "
      "networks, it's the labelled data. And the labels are radiology reports, which are... "
      "let's say variably structured. Structured reporting is the unglamorous hero of "
      "radiology AI.")
    P("cduvalkerr", 19, 16.9, "Asked five radiologists at #ASNR14 if AI will take their jobs. "
      "Four laughed. One asked if it could do her dictation. Story: "
      "[healthbeatnews.com/2014/05/19/ai-radiology-montreal](https://healthbeatnews.com/2014/"
      "05/19/ai-radiology-montreal)", star=True)
    P("priya_vr_md", 19, 16.2, "DTI & connectomics session at #ASNR14: beautiful tractography, "
      "but tracts are an algorithm's best guess. Crossing fibres still fool us.",
      media=("dti_tracts2",))
    P("owenpl_inr", 19, 16.5, "DTI pearl: reduced FA is not specific. Oedema, demyelination, "
      "axonal loss and partial volume all lower it. Context matters. #ASNR14")
    P("sofia_neurosci", 19, 16.7, "The DTI session at #ASNR14 made a point I wish I'd heard in "
      "year 1 of my PhD: tractography is a model output, validate it against anatomy. "
      "Gorgeous figures though 🌈")
    P("bkaltenbrunn", 19, 10.1, "Keynote von Dr. Solberg bei #ASNR14: hundert Jahre "
      "Neurobildgebung in 45 Minuten. Ein echtes Highlight.")
    P("haddadin_mri", 19, 12.0, "تهانينا للدكتور هارولد إنغفرسن على الميدالية الذهبية في "
      "#ASNR14. معلّم لأجيال من أطباء الأشعة العصبية 🏅")
    P("noa_benarieh", 19, 15.3, "פאנל הבינה המלאכותית ב-#ASNR14 היה מרתק. האלגוריתמים לא "
      "יחליפו אותנו, אבל הם ישנו את סדר העבודה שלנו. 🤖👩‍⚕️")
    P("rickdv_helix", 19, "pm", "Monday at booth 512: the neurosurgeons discovered our 3D "
      "tractography viewer and now won't leave. #ASNR14")
    P("vlpace_nsgy", 19, 16.9, "Neurosurgeon at #ASNR14. The tractography viewers in the "
      "exhibit hall are gorgeous, but all I want to know is: will my patient move their hand "
      "after I resect this?", label="vlpace")
    R("priya_vr_md", "vlpace", "That's the question we should all be designing for. DTI plus "
      "intraoperative stimulation data is where it gets honest.", label="vlpace2")
    R("vlpace_nsgy", "vlpace2", "Agreed. Joint case conference when we're both home?")
    P("marnie_ms_life", 19, 20.6, "Spent my evening reading #ASNR14 posts about AI. If an "
      "algorithm can compare my MS scans year over year and catch a new lesion sooner, sign me "
      "up. But please keep the humans. 🤖💙")
    P("meilin_kovac", 19, 13.5, "3am in Sydney, 1pm in Montréal. Following the #ASNR14 AI "
      "panel with my toddler asleep on me 👩‍👧 The future of radiology and the future of "
      "bedtime.")
    P("teocastellanos", 19, 15.0, "Del panel de IA en #ASNR14: «Un algoritmo validado con "
      "datos seleccionados es una promesa, no un producto». Apuntado.")
    P("ma_tousignant", 19, "eve", "Petite pause du congrès : poutine et bière près du marché "
      "Jean-Talon… bon, c'était une grosse pause. #ASNR14 #MTL")
    P("abraconnier", 19, 10.4, "Conférence d'ouverture émouvante à #ASNR14. Dr. Solberg a "
      "terminé en rappelant que derrière chaque examen il y a une personne inquiète. Je le "
      "garde en tête pour ma vacation de demain matin.")
    P("ines", 19, 17.4,
      "After the AI panel at #ASNR14 I keep thinking about the question from the back row: "
      "\"Who is responsible when the algorithm misses a bleed?\"\n\n"
      "The panel gave the careful answer (the radiologist signs the report), but the honest "
      "answer is more complicated. If a tool reorders my worklist and a bleed sits at position "
      "40 instead of 3, my signature doesn't fix that. Triage is a clinical decision, even "
      "when a computer makes it.\n\n"
      "What I'd like from vendors:\n"
      "– performance on patients like mine, not on a curated test set;\n"
      "– a plain description of what the tool does NOT look at;\n"
      "– an easy way to tell them when it's wrong.\n\n"
      "What I'd like from us: to stop treating this as a threat or a miracle and start "
      "treating it like any other new test. Sensitivity, specificity, prevalence, follow-up. "
      "We know how to do this. 🤖🩺", star=True)
    P("rad_residents", 19, 12.6, "Resident survival tip for #ASNR14: the exhibit hall closes "
      "at 17:30 and the free coffee goes with it. Plan accordingly ☕")
    P("dana_mrtech", 19, 15.8, "Heard the #ASNR14 AI panel mention 'protocol optimisation'. "
      "As a tech: please, please automate protocol selection for us 🙏")
    P("brainimagingfdn", 19, 10.0, "We're at #ASNR14 this week with patient stories about what "
      "a scan day feels like. Visit our table in the exhibit hall or read them online: "
      "[brainimagingpatients.org/stories](https://brainimagingpatients.org/stories)",
      label="fdn_stories")
    Q("tobi", "fdn_stories", "Worth your time, especially if you're the person on the other "
      "side of the scanner glass. #ASNR14")
    P("HelixImaging", 19, 17.4, "The #ASNR14 exhibit hall in numbers so far: 2,140 coffees at "
      "booth 512, 318 demos, 1 lost badge returned to its owner ☕📊")
    P("amara_ms3", 19, 16.0, "Exhibit hall tour: lay down in a 3T bore for the first time. "
      "It's small in there. Respect to every patient who does this. #ASNR14",
      media=("mri_bore",))


def day20() -> None:
    P("NeuroRadMeeting", 20, 7.4, "Tuesday at #ASNR14: Spine Imaging Day (210), Brain Tumour "
      "Imaging: Pseudoprogression and Beyond (517), MR Physics for the Neuroradiologist "
      "(520). Poster session 2 at 12:00. Annual dinner tonight, 19:30.")
    P("mctavish_spine", 20, 8.3, "Spine Day at #ASNR14! Opening talk: 'Stop reporting every "
      "disc bulge.' Standing ovation from me, alone, in row 3.", media=("hall_spine",),
      star=True, label="spine_day")
    R("achterberg_ben", "spine_day", "Sending this to the whole department. 'Incidental "
      "findings are incidental' should be printed on every workstation.")
    Q("fqo_rad", "spine_day", "Our whole neuro/MSK section needs to see this one. #ASNR14")
    P("mctavish_spine", 20, 9.0, "Modic type 1 changes are associated with low back pain in "
      "several cohorts, but what to do about them is unclear. Describe, don't prescribe. "
      "#ASNR14", media=("spine_sag",))
    P("mctavish_spine", 20, "am", "Spine pearl: a T2-bright cord lesion spanning 3 or more "
      "vertebral segments → think NMO, not MS. Ask for aquaporin-4 antibodies. #ASNR14",
      label="nmo")
    P("hmvoss_neuro", 20, "am", "Spine session: degenerative findings in people with no pain "
      "are so common after 50 that our reports need context. Consider quoting prevalence in "
      "the report. #ASNR14")
    P("kofi_neurorad", 20, "am", "Pseudoprogression vs true progression: no single sequence "
      "is enough. Combine perfusion, DWI and time, and talk to the oncologist. #ASNR14")
    P("kofi_neurorad", 20, "am", "Tumour session pearl: restricted diffusion in the centre of "
      "a ring-enhancing lesion favours abscess over necrotic tumour. Still one of the most "
      "useful signs we have. #ASNR14")
    P("elodie_gp", 20, "am", "Séance tumeurs cérébrales : la pseudoprogression reste un "
      "casse-tête. Perfusion + diffusion + suivi, et surtout une vraie discussion avec "
      "l'oncologue. #ASNR14")
    P("jwp", 20, 10.1, "MR Physics for the Neuroradiologist at #ASNR14: the room is half full "
      "of radiologists who came voluntarily to learn about k-space. I've never been prouder of "
      "a profession that isn't mine.", star=True, label="jwp_physics")
    R("ines", "jwp_physics", "I came, I saw, I understood k-space for exactly 4 minutes. "
      "Great session!")
    Q("rad_residents", "jwp_perf", "Saving this for every resident who starts reading "
      "perfusion. Thank you! #ASNR14", delay=(600, 1200))
    P("lena_sorvari", 20, "am", "Physics session gem: susceptibility artefact from dental work "
      "can mimic a skull base mass on DWI. Check the other sequences before you call it. "
      "#ASNR14")
    P("lena_sorvari", 20, 12.8, "Poster session 2: found a beautiful pictorial review of skull "
      "base foramina. Took photos for teaching, with the author's permission 📸 #ASNR14",
      media=("poster_2",))
    P("rquintanilha", 20, 12.9, "Sessão de pôsteres 2 no #ASNR14: muitos trabalhos sobre DTI e "
      "doenças neurodegenerativas. Inspirador!")
    P("priya_vr_md", 20, "pm", "Radiogenomics at #ASNR14: MR features that predict the "
      "molecular type of a glioma are getting closer. Not ready for prime time, but watch "
      "this space.")
    P("adaeze_neuro", 20, "pm", "Walked into the MR physics session by mistake. Stayed for an "
      "hour. Now I know why my patients' DWIs look different on every scanner. #ASNR14")
    P("tibarreche", 20, "am", "Día de columna en #ASNR14. Mensaje clave: no informar cada "
      "protrusión discal como si fuera una enfermedad. El contexto clínico lo es todo.",
      label="tib_spine")
    R("cferrando_rx", "tib_spine", "Totalmente de acuerdo, los informes de columna necesitan "
      "contexto. ¡Gracias por compartir desde Montreal!", lang="es")
    P("gofinch_rad", 20, 9.5, "Reminder to peds people at #ASNR14: Peds neuro interest group "
      "lunch today 12:30, room 514. Bring your weirdest cases 🧸")
    P("NorthfieldKidsImg", 20, 13.2, "Our fellow Dr. Tariq Oduya-Stern presents 'Neonatal "
      "hypoxic-ischaemic injury: MRI timing matters' at 15:10, room 514. Come and support! "
      "#ASNR14")
    P("owenpl_inr", 20, 12.7, "Spent lunch at the #ASNR14 posters with a coffee in each hand. "
      "Found 3 thrombectomy studies to read on the plane.")
    P("sunitarb", 20, "pm", "Spine Day at #ASNR14 made me rethink my wording. 'Age-appropriate "
      "degenerative change' is doing a lot of heavy lifting in my templates.")
    P("liamoh", 20, 10.5, "Registrar following #ASNR14 remotely: the Spine Day posts are gold. "
      "Our consultants will be hearing 'describe, don't prescribe' tomorrow.")
    P("rowan_rad", 20, 14.2, "Following #ASNR14 during a quiet afternoon in the reading room. "
      "The NMO pearl just helped me with a real case. Thank you @mctavish_spine!")
    P("fqo_rad", 20, 9.0, "Spine Day posts from #ASNR14 are making the rounds in our "
      "department in Oslo. 'Describe, don't prescribe' is our new motto.")
    P("meilin_kovac", 20, 10.0, "Night shift in Sydney turns out to be the perfect time zone "
      "for #ASNR14. Thanks to the people live-posting the tumour session 🙏")
    P("vlpace_nsgy", 20, "pm", "Neurosurgeon's #ASNR14 wish: every pre-op tumour MRI report "
      "mentions the relationship to eloquent cortex and the major tracts. Please and thank "
      "you.")
    P("NeuroRadMeeting", 20, 19.9, "The #ASNR14 annual dinner is underway in the Old Port. "
      "700 neuroradiologists and one very patient string quartet 🎻🍷",
      media=("gala_dinner",), star=True)
    P("hmvoss_neuro", 20, 20.6, "#ASNR14 dinner: seated between a physicist, a neurosurgeon and "
      "a patient advocate. Best table of the night.")
    P("owenpl_inr", 20, 22.9, "The annual dinner turned into a dance floor. Neuroradiologists "
      "can dance. Some of them. Two of them. #ASNR14 💃🕺", star=True)
    P("rad_residents", 20, 21.4, "The resident table at the #ASNR14 dinner is the loudest. "
      "We regret nothing 🎉")
    P("ma_tousignant", 20, 23.3, "Souper annuel de #ASNR14 au Vieux-Port : de la musique, des "
      "rires, et mon chef de service qui danse. Je n'ai aucune photo. Aucune. 😇")
    P("yharada_nr", 20, 21.0, "年次ディナーはオールドポートで。世界中の神経放射線科医と"
      "話せて楽しかったです 🍷 #ASNR14")
    P("bkaltenbrunn", 20, 21.7, "Gala-Dinner im Alten Hafen. Tolle Atmosphäre, gute "
      "Gespräche, zu viel Dessert. #ASNR14")
    P("haddadin_mri", 20, 22.1, "عشاء المؤتمر السنوي في الميناء القديم في مونتريال. أمسية "
      "رائعة مع زملاء من كل أنحاء العالم #ASNR14 🌙")
    P("noa_benarieh", 20, 21.2, "ארוחת הערב של הכנס בנמל הישן. איזה ערב! גאה לראות כמה "
      "הקהילה שלנו מגוונת 🏳️‍🌈 #ASNR14", star=True)
    P("abraconnier", 20, 21.9, "Souper annuel #ASNR14 : les Montréalais de la table ont fait "
      "de la promotion touristique toute la soirée. On est fiers de notre ville ! 🍁")
    P("HelixImaging", 20, 9.6, "Day 3 in the #ASNR14 exhibit hall: quiet T1 demos fully "
      "booked until Thursday. Drop by booth 512 for the waiting list ☕")
    P("rickdv_helix", 20, "pm", "Today a neuroradiologist told me our coil is \"fine\". In "
      "this profession that's a rave review. #ASNR14")
    P("kenji", 20, "pm", "Day 2 of MR physics at #ASNR14 as an ML person. I now understand why "
      "our 'augmentation' of MRI data sometimes makes images that are physically impossible. "
      "Oops 😬")
    P("CortexMedAI", 20, "pm", "Thanks to the 60+ radiologists who tried our head CT triage "
      "prototype at booth 733. Your feedback: fewer alerts, better alerts. Heard. #ASNR14")
    P("mirasg", 20, "pm", "Best feedback of #ASNR14 so far: \"Don't show me a heatmap, show me "
      "where to look and why.\" Writing that on a sticky note for the whole team.",
      label="mira_heat")
    Q("CortexMedAI", "mira_heat", "Our PM heard you. Heatmaps out, explanations in. #ASNR14")
    P("plgendreau", 20, 16.8, "Mon reportage sur l'intelligence artificielle en radiologie "
      "passe demain matin à 7 h 40. Merci aux médecins de #ASNR14 qui ont pris le temps de "
      "m'expliquer les bases 📻")
    P("ewabh", 20, 12.3, "Kraków evening, Montréal afternoon. The pseudoprogression talk from "
      "#ASNR14 is exactly the case we argued about at tumour board last week.")
    P("JClinNeuroimaging", 20, 8.8, "Editor's pick for #ASNR14 Spine Day: 'Degenerative spine "
      "findings in adults without symptoms: a systematic review', free to read this week "
      f"[jcni-journal.org/content/5/4/288]({LINK}/content/5/4/288)")
    P("dana_mrtech", 20, 15.2, "Tech tip from the #ASNR14 physics session I'm following: fat "
      "suppression failing near metal? Try Dixon. Your radiologist will thank you.")


def day21() -> None:
    P("NeuroRadMeeting", 21, 7.4, "Wednesday at #ASNR14: Neurodegeneration & Amyloid Imaging "
      "(210), Trauma & TBI (517), Interventional: The New Thrombectomy Trials (220). Awards "
      "ceremony at 16:30. Last day of the exhibit hall!")
    P("owenpl_inr", 21, 9.4, "Thrombectomy trials session at #ASNR14: a packed room and a "
      "feeling that the next year will change stroke care for good. Imaging selection is the "
      "key to all of it.", media=("angio",), star=True, label="thromb")
    Q("anjali_dc", "thromb", "Community radiologist here: when this happens, we're the ones "
      "reading the CTA at 3am. Please keep the protocols simple and share them widely. "
      "#ASNR14", label="anjali_q2")
    R("owenpl_inr", "anjali_q2", "100%. Simple, fast, reproducible. Multiphase CTA fits the "
      "bill. Happy to share our protocol.")
    P("adaeze_neuro", 21, 10.2, "The thrombectomy session at #ASNR14 was electric. As a "
      "neurologist: we need imaging selection that works at 3am in a community hospital, not "
      "only in trial centres.")
    P("priya_vr_md", 21, "am", "Neurodegeneration session: amyloid PET is moving into the "
      "clinic, but what do we say to a 70-year-old with a positive scan and no symptoms? We "
      "need an ethics session. #ASNR14")
    P("priya_vr_md", 21, "am", "Neurodegeneration pearl: look at the hippocampi on coronal "
      "T1, but also the posterior cingulate and precuneus. Early-onset Alzheimer's can spare "
      "the hippocampi. #ASNR14")
    P("hmvoss_neuro", 21, "am", "Amyloid PET: a negative scan is very helpful (Alzheimer's "
      "unlikely). A positive scan in an 80-year-old is... complicated. #ASNR14")
    P("kofi_neurorad", 21, "am", "Trauma session: SWI finds microbleeds that CT misses after "
      "TBI. But counting them is not a prognosis. Not yet. #ASNR14")
    P("gofinch_rad", 21, "am", "Non-accidental trauma session at #ASNR14. Hard topic, "
      "essential skills. Subdurals of different ages plus retinal haemorrhages: call the "
      "child protection team, every time.")
    P("sofia_neurosci", 21, "am", "TBI session at #ASNR14: clinical DTI in mild TBI is not "
      "ready for individual diagnosis, as the speaker kindly put it. As a mouse DTI person I "
      "agree. Group differences ≠ individual markers. #DTI")
    P("hmvoss_neuro", 21, 14.4, "My talk is done! Thank you to everyone who came to 'Reporting "
      "neurodegeneration: what the neurologist actually reads'. Slides: "
      "[lakeshorerad.blog/voss-asnr14-slides](https://lakeshorerad.blog/voss-asnr14-slides) "
      "#ASNR14", label="voss_talk", star=True)
    R("priya_vr_md", "voss_talk", "Best talk of the day! The 'impression first' template goes "
      "into my reports tomorrow.")
    R("fqo_rad", "voss_talk", "Thank you for sharing the slides with those of us following "
      "from afar 🙏")
    Q("JClinNeuroimaging", "voss_talk", "Slides worth your time. Dr. Marchetti-Voss's paper on "
      "structured dementia reports is in our June issue. #ASNR14")
    P("LakeshoreRad", 21, 14.0, "Standing room only for our own @hmvoss_neuro at #ASNR14: "
      "'Reporting neurodegeneration: what the neurologist actually reads'.",
      media=("hall_neurodeg",))
    P("NeuroRadMeeting", 21, 16.9, "Congratulations to all #ASNR14 award winners! Best Trainee "
      "Paper: Dr. Ana Ferreira-Stoltz (Lakeshore). 12 Cum Laude posters, full list: "
      f"[nrmeeting2014.org/awards]({MTG}/awards)", media=("award_posters",), star=True,
      label="awards")
    P("LakeshoreRad", 21, 17.1, "WE ARE SO PROUD 🎉 Dr. Ana Ferreira-Stoltz wins Best Trainee "
      "Paper at #ASNR14 for her work on MR venography! 🏆", media=("award_trainee",),
      star=True, label="lake_award")
    Q("hmvoss_neuro", "lake_award", "So deserved! Congratulations Ana 🎉 #ASNR14")
    P("ma_tousignant", 21, 17.3, "Mon e-poster a reçu une mention Cum Laude à #ASNR14 !!! Je "
      "ne m'y attendais pas du tout. Merci à toute l'équipe 😭🙏", star=True, label="ma_cum")
    R("elodie_gp", "ma_cum", "Je le savais ! Bravo, c'est amplement mérité 🎉", lang="fr")
    P("tibarreche", 21, 11.0, "Sesión de trombectomía en #ASNR14: la selección por imagen "
      "será clave. Hay que preparar nuestros protocolos ya.")
    P("rquintanilha", 21, 15.0, "Último dia da exposição no #ASNR14. Vi três novas sequências "
      "de RM silenciosa. Os pacientes pediátricos vão agradecer!")
    P("noa_benarieh", 21, 10.6, "סשן מחלות ניווניות ב-#ASNR14: PET עמילואיד נכנס לקליניקה, "
      "אבל מה אומרים לאדם בריא עם סריקה חיובית? שאלה אתית חשובה.")
    P("yharada_nr", 21, 11.8, "外傷性脳損傷のセッション。SWIで微小出血が見えても、それが予後を"
      "示すとは限りません。慎重な解釈が必要です。 #ASNR14")
    P("lena_sorvari", 21, 15.6, "Last day of the exhibit hall at #ASNR14. Bought a 3D-printed "
      "temporal bone for teaching. My residents will never escape the cochlea now 🐌")
    P("marnie_ms_life", 21, 12.9, "The #ASNR14 posts about amyloid PET and 'what do we tell "
      "patients' gave me chills. Please involve patients in those conversations. We want to "
      "be asked. 💙", label="marnie2")
    R("adaeze_neuro", "marnie2", "Agreed, and thank you. Shared decisions start long before "
      "the report: with the conversation about whether to scan at all.")
    P("tobi", 21, 13.8, "Reading about the new thrombectomy trials from #ASNR14. In 2012 I was "
      "'too late' for a procedure like this. I hope the next person isn't. 🧠", star=True,
      label="tobi2")
    R("teocastellanos", "tobi2", "Gracias por compartir tu historia. Mensajes así nos recuerdan "
      "por qué hacemos esto.", lang="es")
    P("cduvalkerr", 21, 18.2, "My #ASNR14 piece on stroke imaging and the thrombectomy trials "
      "is up: [healthbeatnews.com/2014/05/21/stroke-imaging-race](https://healthbeatnews.com/"
      "2014/05/21/stroke-imaging-race) Thanks to every neuroradiologist who explained "
      "collaterals to me three times.", label="claire_stroke")
    Q("owenpl_inr", "claire_stroke", "Great piece by @cduvalkerr, one of the clearest "
      "explanations of collaterals I've read, and I've read far too many. #ASNR14")
    P("vlpace_nsgy", 21, 11.4, "#ASNR14 observation from a neurosurgeon: the best reports come "
      "with the best questions. 'What do you need to know?' beats 'clinical correlation "
      "recommended'.")
    P("jwp", 21, 12.2,
      "A short explainer, because three people asked me after the #ASNR14 trauma session: "
      "SWI vs QSM.\n\n"
      "SWI shows where the magnetic field is disturbed (blood products, calcium, veins) and "
      "exaggerates it, which is why microbleeds look bigger than they are. That 'blooming' is "
      "great for detection and terrible for measurement.\n\n"
      "QSM tries to calculate the actual susceptibility of the tissue. It can tell calcium "
      "(diamagnetic) from blood (paramagnetic) and gives you a number instead of a dark blob. "
      "The price: harder processing and more ways for the maths to go wrong.\n\n"
      "Detection: SWI. Quantification: QSM. Both: bring a physicist 😉 #MRphysics")
    P("mctavish_spine", 21, 10.4, "The spine people at #ASNR14 have now met four times for "
      "coffee. We are a small, caffeinated, dedicated community.")
    P("ines", 21, 11.2, "Case from today's trauma session at #ASNR14 (shared with permission, "
      "fully anonymised): a thin subdural along the convexity, missed on the first read. "
      "Window your CTs, people. Subdural windows are not optional.",
      media=("ct_bleed",), cw="Medical imaging: intracranial haemorrhage (head CT)",
      sensitive=True)
    P("sunitarb", 21, 15.2, "Case from the tumour session at #ASNR14: ring-enhancing lesion, "
      "differential abscess vs glioblastoma vs metastasis. Restricted diffusion in the centre "
      "settled it: abscess.", media=("tumour_ring",), cw="Medical image: brain lesion",
      sensitive=True)
    P("NorthfieldKidsImg", 21, 16.0, "Thank you #ASNR14! Our team gave 4 talks and 6 posters "
      "this week. Special thanks to the child-life specialists who make our work possible 💛")
    P("HelixImaging", 21, 17.6, "The #ASNR14 exhibit hall is closing. Thank you to everyone "
      "who visited booth 512, and special thanks to the neuroradiologist who debugged our "
      "demo laptop. You know who you are.")
    P("achterberg_ben", 21, 12.1, "The thrombectomy session at #ASNR14 sounds like a turning "
      "point. Our stroke team is already asking about multiphase CTA protocols.")
    P("meilin_kovac", 21, 19.2, "Woke up to the #ASNR14 thrombectomy posts. Forwarding to our "
      "stroke team before their morning meeting. Thanks, Montréal ☕")
    P("kenji", 21, 16.3, "Final thoughts from #ASNR14 as an ML grad student: radiologists "
      "aren't scared of AI. They're scared of bad AI. Fair.", star=True, label="kenji_final")
    Q("sunitarb", "kenji_final", "Nailed it. Now go build the good kind, Kenji 😄")
    P("dana_mrtech", 21, 14.9, "Last #ASNR14 post from the MR console: thank you to the "
      "radiologists who mentioned technologists in their talks this week. We noticed 👩‍🔧")
    P("amara_ms3", 21, 13.1, "Got matched with a mentor at the #ASNR14 student session! We're "
      "doing a project on pediatric stroke imaging this summer 🎉👩‍🎓")
    P("ewabh", 21, 11.7, "The TBI session notes from #ASNR14 are excellent. 'Group "
      "differences are not individual markers' should be on a poster in every research "
      "office.")


def day22() -> None:
    P("NeuroRadMeeting", 22, 7.4, "Final day of #ASNR14: Neuro-Emergencies Case Marathon "
      "(210) 08:00–11:30, Controversies in Neuroradiology (517), closing remarks at 12:00. "
      "Safe travels, everyone!")
    P("hmvoss_neuro", 22, 10.9, "Neuro-emergencies case marathon at #ASNR14: 40 cases in "
      "3 hours. I got 31. Room average was 24. Not that I'm counting.",
      media=("hall_cases",), label="marathon")
    R("kofi_neurorad", "marathon", "29, and two of those were guesses. The venous sinus "
      "thrombosis case fooled everyone.", label="marathon2")
    R("hmvoss_neuro", "marathon2", "Dense sinus, young woman on the pill, headache. The "
      "classic we all forget at 4am.")
    Q("rowan_rad", "marathon", "31/40? I'd have got maybe 15. Goals. #ASNR14")
    P("priya_vr_md", 22, 9.1, "Case marathon pearl: hyperdense basilar artery on non-contrast "
      "CT. Easy to miss, catastrophic to miss. #ASNR14")
    P("lena_sorvari", 22, 9.8, "Case marathon: a 'sinusitis' that was invasive fungal disease "
      "in a diabetic patient. Look beyond the sinus walls. #ASNR14")
    P("priya_vr_md", 22, 10.4, "Controversies session: \"Should we report incidental aneurysms "
      "under 3 mm?\" Room split 50/50. Radiology in a nutshell. #ASNR14")
    P("owenpl_inr", 22, 11.2, "Closing thought from #ASNR14: stroke imaging is about to become "
      "the most time-critical job in the hospital. Let's be ready.")
    P("gofinch_rad", 22, 12.6, "That's a wrap on #ASNR14 for me. Back to Northfield with 45 "
      "pages of notes and a renewed love for tiny brains 🧠👶")
    P("elodie_gp", 22, 12.9, "Clôture de #ASNR14 à Montréal. Merci à tous d'être venus dans "
      "notre ville ! Revenez l'été prochain pour les festivals 🎶🍁")
    P("NeuroRadMeeting", 22, 12.3, "That's a wrap! Thank you to the attendees, faculty and "
      "exhibitors who made #ASNR14 such a week. Session recordings will be online in two "
      "weeks. See you next year! 👋", star=True, label="wrap",
      media=("hall_keynote", "award_gold", "poster_1", "gala_dinner"))
    Q("LakeshoreRad", "wrap", "What a week: a Gold Medal for our emeritus, a Best Trainee "
      "Paper and a Cum Laude poster. Thank you #ASNR14 and thank you Montréal!")
    P("yharada_nr", 22, 13.5, "学会最終日。たくさんのことを学びました。来年もぜひ参加したいです。"
      "ありがとう、モントリオール！ #ASNR14")
    P("haddadin_mri", 22, 14.0, "انتهى مؤتمر #ASNR14. أعود إلى عمّان بأفكار كثيرة لقسمنا "
      "وأصدقاء جدد من كل العالم. شكراً مونتريال 🇨🇦")
    P("jwp", 22, 13.1, "Leaving #ASNR14 with a list of 14 physics questions from radiologists "
      "that deserve proper answers. Blog series incoming: "
      "[jwp.science/blog/asnr14-questions](https://jwp.science/blog/asnr14-questions)")
    P("rad_residents", 22, 12.7, "Thanks to all the residents who joined our #ASNR14 meetups! "
      "Summary of the tips you shared (sleep, coffee, pick sessions ruthlessly) coming this "
      "weekend.")
    P("teocastellanos", 22, 13.0, "Último día de #ASNR14. Me llevo ideas, amigos y un montón "
      "de artículos por leer. ¡Hasta el año que viene! 👋")
    P("brainimagingfdn", 22, 11.5, "Thank you to the 200+ neuroradiologists who stopped by "
      "our table at #ASNR14 to read patient stories. Many said they'll change how they talk "
      "to patients before a scan. That's the goal 💙", star=True)
    P("sunitarb", 22, 15.5, "Packing up after #ASNR14. Biggest lesson: I write my reports for "
      "a colleague, but more and more they're read by the patient first. Time to adjust.")
    P("plgendreau", 22, 9.3, "Mon reportage est en ligne : « L'IA va-t-elle remplacer les "
      "radiologistes ? Les principaux intéressés répondent » "
      "[inforadiomtl.ca/reportages/ia-radiologie](https://inforadiomtl.ca/reportages/"
      "ia-radiologie) #ASNR14")
    P("mirasg", 22, 14.2, "Leaving #ASNR14 with 87 business cards and one clear message from "
      "radiologists: fit into our workflow or don't bother. Message received.")
    P("kofi_neurorad", 22, 17.8, "At the airport. Flight delayed 2 hours. Perfect time to "
      "finally read the abstract book. #ASNR14")
    P("amara_ms3", 22, 16.4, "Leaving #ASNR14 with a mentor, a research project and a new "
      "favourite specialty. Thank you to everyone who answered my questions this week 🙏")
    P("liamoh", 22, 9.9, "The case marathon posts from #ASNR14 were better than most of my "
      "revision books. Hyperdense basilar, noted forever.")


def day23() -> None:
    P("LakeshoreRad", 23, 9.6, "Our #ASNR14 recap is on the blog: 6 talks, 9 posters, "
      "3 awards and one very tired poster tube. "
      "[lakeshorerad.blog/2014/05/asnr14-recap](https://lakeshorerad.blog/2014/05/"
      "asnr14-recap)")
    P("hmvoss_neuro", 23, 10.8, "Home, jet-lagged, and already rewriting my report templates "
      "after #ASNR14. Spine reports get prevalence data. Dementia reports get the impression "
      "first.")
    P("JClinNeuroimaging", 23, 11.0, "Missed #ASNR14? Our editors' top 10 abstracts from the "
      "meeting, free to read until 30 June: "
      f"[jcni-journal.org/asnr14-top10]({LINK}/asnr14-top10)")
    P("cduvalkerr", 23, 12.5, "Final #ASNR14 piece: 'What your brain scan report is trying to "
      "tell you', written with help from neuroradiologists and two very patient patients. "
      "[healthbeatnews.com/2014/05/23/brain-scan-report](https://healthbeatnews.com/2014/05/"
      "23/brain-scan-report)", star=True, label="claire_final")
    Q("marnie_ms_life", "claire_final", "As a patient: yes, yes, a thousand times yes. Read "
      "this before you dictate your next report. #ASNR14 💙")
    P("ines", 23, 9.4,
      "#ASNR14 recap, written on the train home with bad coffee and good memories.\n\n"
      "Things I'm changing on Monday:\n"
      "1. Multiphase CTA for every code stroke. Three phases, a few seconds, and the "
      "collateral grade goes in the report.\n"
      "2. Non-EPI DWI when the ENT surgeons ask about recurrent cholesteatoma.\n"
      "3. Spine reports with context: what is common at this age, what is likely to matter.\n"
      "4. A first line in every report that a patient could understand.\n\n"
      "Things I'm still thinking about:\n"
      "– the AI panel, and who owns a triage decision;\n"
      "– amyloid PET in people without symptoms, and what we owe them;\n"
      "– how many of our 'incidental findings' are really findings.\n\n"
      "Best moment: a patient advocate writing that she reads our reports now. She does. They "
      "all do. Let's write like it.\n\n"
      "Thank you Montréal, thank you organisers, and thank you to everyone who followed from "
      "afar. 🍁", star=True)
    P("NeuroRadMeeting", 23, 13.0, "Survey time! Tell us what worked at #ASNR14 and what we "
      f"should change next year (5 minutes, promise): [nrmeeting2014.org/survey]({MTG}/survey)")
    P("ma_tousignant", 23, 15.4, "Retour à l'hôpital après #ASNR14. Premier e-poster, une "
      "mention, et beaucoup trop de poutine. Semaine parfaite.")
    P("rowan_rad", 23, 12.2, "Didn't make it to #ASNR14 but followed every day from our "
      "reading room. Thank you to everyone who shared slides and pearls. Next year, in person!")
    P("owenpl_inr", 23, 16.8, "Home. Already planning our department's multiphase CTA rollout "
      "after #ASNR14. Thanks all for a brilliant week.")
    P("tibarreche", 23, 10.2, "De vuelta en Bilbao. Mi resumen de #ASNR14 en el blog: "
      "[neuroradiologia-notas.es/asnr14](https://neuroradiologia-notas.es/asnr14) ¡Gracias a "
      "todos!")
    P("bkaltenbrunn", 23, 8.5, "Zurück in Wien. Meine Top 3 von #ASNR14: Kollateralen in der "
      "Multiphasen-CTA, pädiatrische MRT ohne Sedierung und die Keynote von Dr. Solberg.")
    P("abraconnier", 23, 11.9, "Une semaine après l'autre… Lundi je reprends avec des rapports "
      "plus clairs pour les patients. Merci #ASNR14 pour l'inspiration.")


def hostile() -> None:
    """Posts that try to break the wall. Kept raw: the models must neutralise them on load."""
    def tag(a: Account) -> dict[str, Any]:
        return {"type": "hashtag", "text": HASHTAG, "href": hashtag_href("ASNR14", a)}

    def text(t: str) -> dict[str, Any]:
        return {"type": "text", "text": t, "href": None}

    wb, spam, bidi = ACC["wallbreaker"], ACC["freeCMEnow2014"], ACC["lab_gnp"]
    H = [
        (wb, 17, 15.7, [text("Is this wall safe? <script>alert(1)</script> asking for a "
                             "friend "), tag(wb)]),
        (wb, 18, 11.3, [text('<img src=x onerror=alert(1)> if you can read this as text, the '
                             'wall escaped it properly 👍 '), tag(wb),
                        text(' <a href="javascript:alert(2)">click</a>')]),
        (spam, 19, 10.7, [text("🎁 FREE CME CREDITS for all "), tag(spam),
                          text(" attendees!! Claim now 👉 "),
                          {"type": "link", "text": "cme-credits-free.com/claim",
                           "href": "javascript:alert(1)"}]),
        (spam, 20, 14.3, [text("Official "), tag(spam), text(" slides, all sessions, download "
                                                             "here: "),
                          {"type": "link", "text": "asnr14-slides.pdf",
                           "href": "data:text/html,<script>alert(document.cookie)</script>"},
                          text(" thanks "),
                          {"type": "mention", "text": "@NeuroRadMeeting",
                           "href": "JaVaScRiPt:alert(1)"}]),
        (bidi, 19, 15.9, [text("Vote for the best poster of "), tag(bidi),
                          text(" \u202eexe.retsop_tseb\u202c ← totally safe "),
                          {"type": "link", "text": "nrmeeting2014.org/vote",
                           "href": "//evil.example/steal"}]),
        (bidi, 21, 17.5, [text("Congrats to the winners of "), tag(bidi),
                          text(" \u2067\u202b!sepyt eseht rettam t'nod sgniht\u202c\u2069 "
                               "Z̷̢̛a̵̡l̸̨g̴̛o̶ \u0007\u0008 "),
                          {"type": "link", "text": "https://x.com/NeuroRadMeeting",
                           "href": "https://x.com/NeuroRadMeeting\u202e/moc.live"}]),
        (wb, 20, 10.9, [tag(wb), text(" " + "NEURORADIOLOGYISAWESOME" * 34)]),
    ]
    for author, day, hour, tokens in H:
        ENTRIES.append(Entry(author.key, "", day, hour, tokens=tokens, hostile=True,
                             lang="en"))


def program() -> None:
    for make in (day15, day16, day17, day18, day19, day20, day21, day22, day23, hostile):
        make()


# --------------------------------------------------------------------------- assembly

HOUR_WEIGHTS = [0.07, 0.04, 0.02, 0.02, 0.02, 0.03, 0.2, 0.7, 2.6, 3.0, 3.0, 3.0, 2.0, 2.4,
                2.8, 2.8, 2.5, 2.2, 1.3, 0.9, 0.8, 0.6, 0.35, 0.15]
SLOTS = {"early": (6.5, 8.0), "am": (8.0, 12.0), "lunch": (12.0, 13.5), "pm": (13.5, 18.0),
         "eve": (18.0, 22.0), "late": (22.0, 24.5)}
TOKEN_RE = re.compile(
    r"\[(?P<ltext>[^\]]+)\]\((?P<href>https://[^)\s]+)\)"
    r"|(?<![\w@])@(?P<mention>[A-Za-z0-9_]+)"
    r"|(?<![\w#&])#(?P<tag>[0-9A-Za-z_\u00c0-\u024f]*[A-Za-z][0-9A-Za-z_\u00c0-\u024f]*)"
)


def local_time(day: int, hour: float) -> datetime:
    return datetime(2014, 5, day, tzinfo=UTC) + timedelta(hours=hour) - LOCAL_OFFSET


def local_hour(t: datetime) -> float:
    lt = t + LOCAL_OFFSET
    return lt.hour + lt.minute / 60


def sample_time(day: int, slot: str | float) -> datetime:
    if isinstance(slot, float | int):
        hour = float(slot) + rng.uniform(-0.12, 0.18)
    elif slot in SLOTS:
        hour = rng.uniform(*SLOTS[slot])
    else:
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0] + rng.random()
        hour = max(hour, 6.8)
    if day == LAST_DAY:
        hour = min(hour, 19.5)
    t = local_time(day, hour)
    return t.replace(second=rng.randrange(60), microsecond=0)


def awake(t: datetime, acc: Account) -> datetime:
    """People on the meeting's clock mostly sleep between 01:00 and 06:30 local time."""
    h = local_hour(t)
    if acc.kind != "remote" and 1.0 <= h < 6.5:
        lt = (t + LOCAL_OFFSET).replace(hour=7, minute=rng.randrange(0, 50))
        t = lt - LOCAL_OFFSET
    return t


def delay_after(t: datetime, lo: float, hi: float) -> datetime:
    minutes = math.exp(rng.uniform(math.log(lo), math.log(hi)))
    return (t + timedelta(minutes=minutes)).replace(second=rng.randrange(60), microsecond=0)


def text_token(t: str) -> dict[str, Any]:
    return {"type": "text", "text": t, "href": None}


def tokenize(src: str, poster: Account) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    pos = 0
    for m in TOKEN_RE.finditer(src):
        if m.start() > pos:
            out.append(text_token(src[pos:m.start()]))
        if m.group("href"):
            out.append({"type": "link", "text": m.group("ltext"), "href": m.group("href")})
        elif m.group("mention"):
            target = ACC.get(m.group("mention"))
            if target is None:
                raise SystemExit(f"unknown mention @{m.group('mention')} in {src[:60]!r}")
            out.append({"type": "mention", "text": mention_text(target, poster),
                        "href": target.profile_url})
        else:
            tag = m.group("tag")
            out.append({"type": "hashtag", "text": f"#{tag}", "href": hashtag_href(tag, poster)})
        pos = m.end()
    if pos < len(src):
        out.append(text_token(src[pos:]))
    return merge(out)


def merge(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for t in tokens:
        if not t["text"]:
            continue
        if out and t["type"] == "text" and out[-1]["type"] == "text":
            out[-1] = text_token(out[-1]["text"] + t["text"])
        else:
            out.append(dict(t))
    return out


def native_id(acc: Account, t: datetime) -> tuple[str, str]:
    """Return (post id, permalink) for a post by `acc` at `t`."""
    ms = int(t.timestamp() * 1000) + rng.randrange(1000)
    if acc.source == "x":
        snow = ((ms - TWITTER_EPOCH_MS) << 22) | (rng.randrange(1024) << 12) | rng.randrange(4096)
        return f"x:{snow}", f"https://x.com/{acc.key}/status/{snow}"
    if acc.source == "mastodon":
        sid = (ms << 16) | rng.randrange(65536)
        return (f"mastodon:https://{acc.instance}/users/{acc.key}/statuses/{sid}",
                f"https://{acc.instance}/@{acc.key}/{sid}")
    v = ((ms * 1000 + rng.randrange(1000)) << 10) | rng.randrange(1024)
    tid = "".join(TID_CHARS[(v >> (5 * (12 - i))) & 31] for i in range(13))
    return (f"bluesky:at://{acc.id}/app.bsky.feed.post/{tid}",
            f"https://bsky.app/profile/{acc.bsky}/post/{tid}")


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def post_dict(acc: Account, t: datetime, content: list[dict[str, Any]], *,
              media: list[dict[str, Any]], lang: str, is_repost: bool = False,
              quoted: dict[str, Any] | None = None, sensitive: bool = False,
              cw: str | None = None, reply_to: str | None = None) -> dict[str, Any]:
    pid, url = native_id(acc, t)
    tags = [c["text"].lstrip("#").casefold() for c in content if c["type"] == "hashtag"]
    return {
        "id": pid, "source": acc.source, "url": url, "created_at": iso(t),
        "author": acc.wire(), "content": content, "text": "".join(c["text"] for c in content),
        "media": media, "lang": lang, "is_repost": is_repost, "quoted": quoted,
        "sensitive": sensitive, "content_warning": cw, "pinned": False,
        "in_reply_to": reply_to,
        "metrics": {"likes": 0, "reposts": 0, "replies": 0, "quotes": 0},
        "hashtags": list(dict.fromkeys(tags)),
        "also_on": [],
    }


def build_entries() -> list[Entry]:
    labels = {e.label: e for e in ENTRIES if e.label}
    assert len(labels) == sum(1 for e in ENTRIES if e.label), "duplicate label"
    pending = list(ENTRIES)
    done: list[Entry] = []
    while pending:
        progress = False
        for e in list(pending):
            parent_key = e.reply_to or e.quote_of
            parent = labels[parent_key] if parent_key else None
            if parent is not None and parent.post is None:
                continue
            acc = ACC[e.author]
            if parent is not None:
                assert parent.when is not None and parent.post is not None
                if ACC[parent.author].source != acc.source:
                    raise SystemExit(f"{e.author} cannot reply to/quote across networks")
                e.when = awake(delay_after(parent.when, *e.delay), acc)
            else:
                e.when = sample_time(e.day, e.slot)
            e.when = min(max(e.when, WINDOW_START), WINDOW_END)
            if e.tokens is not None:
                content = e.tokens
            else:
                content = tokenize(e.text, acc)
                replying = e.reply_to and parent is not None
                if replying and parent and not e.text.startswith(f"@{parent.author}"):
                    pa = ACC[parent.author]
                    lead = {"type": "mention", "text": mention_text(pa, acc),
                            "href": pa.profile_url}
                    content = merge([lead, text_token(" "), *content])
                if not any(c["type"] == "hashtag" and c["text"].lower() == "#asnr14"
                           for c in content):
                    shown = "#asnr14" if rng.random() < 0.12 else HASHTAG
                    tag = {"type": "hashtag", "text": shown, "href": hashtag_href("ASNR14", acc)}
                    content = merge([*content, text_token(" "), tag])
            quoted = None
            if e.quote_of and parent is not None and parent.post is not None:
                pp = parent.post
                quoted = {"id": pp["id"], "url": pp["url"], "author": pp["author"],
                          "content": pp["content"], "text": pp["text"],
                          "created_at": pp["created_at"]}
            e.post = post_dict(acc, e.when, content, media=e.media, lang=e.lang or acc.lang,
                               quoted=quoted, sensitive=e.sensitive, cw=e.cw,
                               reply_to=parent.post["id"] if e.reply_to and parent and
                               parent.post else None)
            pending.remove(e)
            done.append(e)
            progress = True
        if not progress:
            raise SystemExit("unresolvable reply/quote labels: "
                             + ", ".join(str(e.reply_to or e.quote_of) for e in pending))
    return done


def make_reposts(entries: list[Entry], count: int) -> list[tuple[str, dict[str, Any]]]:
    """Return (reposted id, repost) pairs: boosts of other posts on the same network."""
    pool = [e for e in entries if not e.hostile and not e.reply_to and e.post is not None]
    weights = [1.0 + 5.0 * e.star + 1.2 * bool(e.media) + 1.0 * (ACC[e.author].kind ==
               "institution") for e in pool]
    seen: set[tuple[str, str]] = set()
    authored = {e.author for e in entries}
    out: list[tuple[str, dict[str, Any]]] = []

    def repost(e: Entry, acc: Account) -> bool:
        assert e.post is not None and e.when is not None
        if acc.key == e.author or (acc.key, e.post["id"]) in seen:
            return False
        t = awake(delay_after(e.when, 2, 900), acc)
        if t > WINDOW_END:
            return False
        orig = ACC[e.author]
        lead = "RT " if acc.source == "x" else "🔁 "
        content = merge([text_token(lead), {"type": "mention", "text": mention_text(orig, acc),
                                            "href": orig.profile_url}, text_token(": ")]
                        + [dict(c) for c in e.post["content"]])
        p = post_dict(acc, t, content, media=e.post["media"], lang=e.post["lang"],
                      is_repost=True, quoted=e.post["quoted"], sensitive=e.post["sensitive"],
                      cw=e.post["content_warning"])
        seen.add((acc.key, e.post["id"]))
        out.append((e.post["id"], p))
        return True

    # every account appears at least once: quiet ones get a repost or two
    for acc in ACCOUNTS:
        if acc.key in authored or acc.weight == 0:
            continue
        same = [(e, w) for e, w in zip(pool, weights, strict=True)
                if ACC[e.author].source == acc.source]
        for _ in range(2):
            e = rng.choices([s[0] for s in same], weights=[s[1] for s in same])[0]
            repost(e, acc)
    while len(out) < count:
        e = rng.choices(pool, weights=weights)[0]
        src = ACC[e.author].source
        cands = [a for a in ACCOUNTS if a.source == src and a.weight > 0 and a.key != e.author]
        acc = rng.choices(cands, weights=[a.weight for a in cands])[0]
        repost(e, acc)
    return out


def set_metrics(entries: list[Entry], reposts: list[tuple[str, dict[str, Any]]]) -> None:
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
        acc = ACC[e.author]
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


def main() -> None:
    setup_accounts()
    program()
    entries = build_entries()
    reposts = make_reposts(entries, TARGET_POSTS - len(entries))
    set_metrics(entries, reposts)
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
    assert len(authors) == len(ACCOUNTS) == 51, len(authors)

    media_bytes = write_media()
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "meeting.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for p in posts:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    by_source = Counter(p["source"] for p in posts)
    manifest = {
        "title": TITLE,
        "hashtag": HASHTAG,
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
    }
    (OUT / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    days = Counter(p["created_at"][:10] for p in posts)
    print(json.dumps(manifest, ensure_ascii=False))
    print("per day:", dict(sorted(days.items())))
    print(f"media: {media_bytes} bytes in {len(list(MEDIA.glob('*.svg')))} files")


if __name__ == "__main__":
    main()
