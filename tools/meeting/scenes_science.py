"""Pictures of the meeting itself: lecture halls, scans, tractography, posters, the exhibit."""

from __future__ import annotations

import math
import random

from .svg import (
    brain_axial,
    dti_curves,
    f,
    hsl,
    lin,
    person,
    radg,
    slide,
    spine_sag,
    svg_doc,
    vessel_tree,
)


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
