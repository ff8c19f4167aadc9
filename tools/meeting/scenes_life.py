"""Pictures around the meeting: the city, food, tables, awards, a badge, a plane, notes."""

from __future__ import annotations

import math
import random

from .svg import blur, f, hsl, lin, person, radg, svg_doc


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
