"""The meeting's pictures as files: photos (photos.toml names a scene and its options) and
account avatars, each drawn with its own seeded `random.Random`."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import scenes_life as life
from . import scenes_science as science
from .data import Account, DataError, Photo
from .svg import f, hsl, lin, person, svg_doc

# scene name (photos.toml) -> drawing(width, height, rng, **options)
SCENES: dict[str, Callable[..., str]] = {
    "hall": science.scene_hall, "scan": science.scene_scan, "dti": science.scene_dti,
    "spine": science.scene_spine, "angio": science.scene_angio,
    "posters": science.scene_posters, "poster_close": science.scene_poster_close,
    "exhibit": science.scene_exhibit, "bore": science.scene_bore,
    "skyline": life.scene_skyline, "old_port": life.scene_old_port, "table": life.scene_table,
    "award": life.scene_award, "food": life.scene_food, "badge": life.scene_badge,
    "plane": life.scene_plane, "notes": life.scene_notes,
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


def draw_photo(p: Photo, seed: int) -> str:
    scene = SCENES.get(p.scene)
    if scene is None:
        raise DataError(f"photo {p.key}: unknown scene {p.scene!r} (one of {', '.join(SCENES)})")
    options: dict[str, Any] = p.options
    try:
        return scene(p.width, p.height, random.Random(f"{seed}:{p.key}"), **options)
    except TypeError as err:
        raise DataError(f"photo {p.key}: bad options for scene {p.scene!r}: {err}") from None


def write_media(media: Path, seed: int, photos: dict[str, Photo],
                accounts: list[Account]) -> int:
    """Replace the SVGs in `media` by this run's; return the bytes written."""
    media.mkdir(parents=True, exist_ok=True)
    for old in media.glob("*.svg"):
        old.unlink()
    total = 0
    for key, p in photos.items():
        data = draw_photo(p, seed)
        (media / f"photo-{key.replace('_', '-')}.svg").write_text(data, encoding="utf-8")
        total += len(data.encode())
    for a in accounts:
        if a.avatar:
            data = avatar_svg(a, random.Random(f"{seed}:avatar:{a.key}"))
            (media / f"avatar-{a.key.lower()}.svg").write_text(data, encoding="utf-8")
            total += len(data.encode())
    return total
