"""SVG backend (svgwrite): millimetre viewBox, text as <text> (or outlined
paths), hatching as explicit segments, fixed precision; byte-identical from
run to run."""

from __future__ import annotations

import numpy as np
import svgwrite
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextPath

from .page import FONT, Lines, Page, Shape, Text
from .style import literal


def _f(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _path(rings: list[np.ndarray]) -> str:
    parts = []
    for ring in rings:
        pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in ring[:-1])
        parts.append(f"M{pts}Z")
    return "".join(parts)


def to_svg(page: Page, *, outline_text: bool = False) -> str:
    """The page as an SVG document string."""
    dwg = svgwrite.Drawing(size=(f"{_f(page.width)}mm", f"{_f(page.height)}mm"),
                           viewBox=f"0 0 {_f(page.width)} {_f(page.height)}", profile="full",
                           debug=False)
    dwg.add(dwg.rect((0, 0), (_f(page.width), _f(page.height)), fill="#ffffff"))
    for item in page.items:
        if isinstance(item, Shape):
            attrs = {"d": _path(item.rings), "fill": item.fill or "none",
                     "fill-rule": "evenodd"}
            if item.stroke:
                attrs.update({"stroke": item.stroke, "stroke-width": _f(item.width),
                              "stroke-linejoin": "round", "stroke-linecap": "round"})
            dwg.add(dwg.path(**attrs))
        elif isinstance(item, Lines):
            if not len(item.segs):
                continue
            d = "".join(f"M{_f(a[0])},{_f(a[1])}L{_f(b[0])},{_f(b[1])}" for a, b in item.segs)
            dwg.add(dwg.path(d=d, fill="none", stroke=item.color,
                             **{"stroke-width": _f(item.width), "stroke-linecap": "butt"}))
        elif isinstance(item, Text):
            if outline_text:
                dwg.add(dwg.path(d=_text_path(item), fill=item.color))
            else:
                anchor = {"start": "start", "middle": "middle", "end": "end"}[item.anchor]
                dwg.add(dwg.text(item.text, insert=(_f(item.x), _f(item.y)), fill=item.color,
                                 **{"font-family": f"{FONT}, sans-serif",
                                    "font-size": _f(item.size), "text-anchor": anchor}))
    return str(dwg.tostring()) + "\n"


def _text_path(item: Text) -> str:
    """Glyph outlines of a text item as SVG path data (y down)."""
    path = TextPath((0, 0), literal(item.text), size=item.size,
                    prop=FontProperties(family=FONT))
    x0, _, _x1, _ = item.box()
    out = []
    for poly in path.to_polygons(closed_only=True):
        xy = np.asarray(poly, dtype=np.float64)[:-1]
        pts = " ".join(f"{_f(x0 + float(x))},{_f(item.y - float(y))}" for x, y in xy)
        out.append(f"M{pts}Z")
    return "".join(out)
