"""SVG primitives of the meeting's pictures: gradients, people, brain slices, tracts, slides.

Everything is drawn from shapes and gradients: no script, no text from outside, no external
reference of any kind (no href at all), no foreignObject. Each picture gets its own
`random.Random`, so one picture's drawing never shifts another's.
"""

from __future__ import annotations

import math
import random


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
