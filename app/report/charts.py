"""The report's activity charts: pygal bar charts rendered to SVG on the server, made inert.

pygal writes an inline `<script>` (its tooltip configuration) into every chart even with no
JavaScript files set, and styles the chart with an inline `<style>`. The page shows each chart
as an `<img>` with a `data:` URL (the CSP allows `img-src data:`): an image never runs script
and its styles stay inside it, so the page keeps `script-src 'self'` and `style-src 'self'`.
`inert_svg` still removes every script, event handler attribute and outside reference, so the
SVG is safe wherever else it is opened. The charts hold only dates, hours and counts: no post
text or name reaches them.
"""

from __future__ import annotations

import base64
import re
from datetime import datetime
from xml.etree import ElementTree as ET

# pygal ships no type information.
import pygal  # type: ignore[import-untyped]
from pygal.style import Style  # type: ignore[import-untyped]

__all__ = ["SVG_NS", "bar_chart", "data_url", "inert_svg", "room_timeline"]

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

_STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#2b3447",
    foreground_strong="#121826", foreground_subtle="#d5dbe6", opacity=".9",
    opacity_hover="1", colors=("#0062b8", "#9ec5ea"),
    font_family='"Noto Sans", "DejaVu Sans", sans-serif', label_font_size=13,
    major_label_font_size=13, value_font_size=12, title_font_size=16, legend_font_size=13,
    guide_stroke_color="#dfe4ee", major_guide_stroke_color="#dfe4ee",
    guide_stroke_dasharray="none", major_guide_stroke_dasharray="none",
)
_STYLE_ROOMS = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#2b3447",
    foreground_strong="#121826", foreground_subtle="#d5dbe6", opacity="1", opacity_hover="1",
    colors=("#0062b8", "#c2410c", "#15803d", "#7e22ce", "#a16207", "#be123c", "#0e7490"),
    font_family='"Noto Sans", "DejaVu Sans", sans-serif', label_font_size=12,
    major_label_font_size=12, legend_font_size=13,
    guide_stroke_color="#dfe4ee", major_guide_stroke_color="#dfe4ee",
    guide_stroke_dasharray="none", major_guide_stroke_dasharray="none",
)
_HANDLER = re.compile(r"^on", re.IGNORECASE)


def bar_chart(labels: list[str], series: list[tuple[str, list[int]]], *, title: str,
              width: int = 900, height: int = 300, every: int = 1) -> bytes:
    """Return an inert SVG bar chart of `series` (name, one value per label) over `labels`,
    showing every `every`-th label. Raises nothing for empty data (an empty chart)."""
    chart = pygal.Bar(
        style=_STYLE, js=[], no_prefix=True, disable_xml_declaration=True, width=width,
        height=height, title=title, show_legend=len(series) > 1, legend_at_bottom=True,
        legend_at_bottom_columns=len(series), show_y_guides=True, show_x_guides=False,
        x_label_rotation=0 if every > 1 or len(labels) <= 12 else -45, truncate_label=-1,
        spacing=6, margin=8, print_values=False, explicit_size=False, min_scale=4,
        show_minor_x_labels=False, x_labels_major_every=every, dynamic_print_values=False,
        allow_interruptions=False, tooltip_fancy_mode=False,
    )
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, values)
    svg: bytes = chart.render()
    return inert_svg(svg)


def room_timeline(rooms: list[tuple[str, list[tuple[datetime, int]]]], *, width: int = 900,
                  height: int = 340) -> bytes:
    """Return an inert SVG timeline: one series of dots per room, a dot per session at its
    start (local time, naive) with its posts. Room names are the programme's text: they are
    escaped by the XML writer and the SVG is shown as an image, so they cannot run."""
    chart = pygal.DateTimeLine(
        style=_STYLE_ROOMS, js=[], no_prefix=True, disable_xml_declaration=True, width=width,
        height=height, show_legend=True, legend_at_bottom=True, legend_at_bottom_columns=3,
        stroke=False, dots_size=5, show_x_guides=False, show_y_guides=True,
        x_value_formatter=lambda d: d.strftime("%d/%m %H:%M"), x_label_rotation=-30,
        truncate_legend=-1, margin=8, explicit_size=False, min_scale=4, allow_interruptions=True,
        tooltip_fancy_mode=False, title="")
    for room, points in rooms:
        chart.add(room[:40], points)
    svg: bytes = chart.render()
    return inert_svg(svg)


def inert_svg(svg: bytes) -> bytes:
    """Return `svg` without script elements, `on*` event handler attributes, foreign objects,
    or links other than to a fragment of the same document (`#id`)."""
    # Serialise SVG as the default namespace (not `ns0:`); registering twice is harmless.
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.fromstring(svg)  # noqa: S314 - our own pygal output, not outside data
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag.rsplit("}", 1)[-1].lower() if isinstance(child.tag, str) else ""
            if tag in ("script", "foreignobject", "iframe", "object", "embed"):
                parent.remove(child)
    for element in root.iter():
        for name in list(element.attrib):
            local = name.rsplit("}", 1)[-1]
            if _HANDLER.match(local):
                del element.attrib[name]
            elif local == "href" and not element.attrib[name].startswith("#"):
                del element.attrib[name]
    # pygal's random chart id is only needed by its (removed) script; drop it so the same
    # figures give the same bytes.
    root.attrib.pop("id", None)
    out: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return out


def data_url(svg: bytes) -> str:
    """Return `svg` as a `data:image/svg+xml;base64,...` URL for an `<img src>`."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
