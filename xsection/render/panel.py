"""One snapshot drawn on a page at the sequence scale: hatching or colour,
thin films thickened to the drawable minimum, numerals, dimensions (mm)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..flow import Snapshot
from ..section import Section
from . import style as st
from .crossings import crossings
from .hatch import dash_segments, hatch_segments
from .numerals import arrowhead, place_numerals
from .page import (
    BLACK,
    WHITE,
    Drawn,
    Layout,
    Lines,
    Page,
    Settings,
    Shape,
    Text,
    colour,
)


# -------------------------------------------------------------------- panel
def draw_panel(page: Page, snap: Snapshot, lay: Layout, cfg: Settings, left: float,
               top: float, index: int) -> float:
    """Draw one snapshot with its drawing's top-left at (left, top); returns
    the drawing's height (mm)."""
    sec = snap.section
    s, v = lay.scale, lay.scale * cfg.exaggeration
    ztop = sec.zmax
    # x_mm = left + (x − x_ref)·s ;  y_mm = top + (ztop − z)·v
    matrix = [s, 0.0, 0.0, -v, left - lay.x_ref * s, top + ztop * v]

    def to_mm(geom: BaseGeometry) -> BaseGeometry:
        return shapely.affinity.affine_transform(geom, matrix)

    patent = cfg.style == "patent"
    drawn = []
    broken = dict(lay.breaks)  # (numeral, side): drawn in part
    for r in sec.regions:
        area = to_mm(r.geometry)
        if r.numeral in broken:
            area = broken_off(area, broken[r.numeral])
        thick = _thickness(area)
        if thick < st.MIN_LAYER:
            area = _thicken(area, thick, left + (sec.x0 - lay.x_ref) * s,
                            left + (sec.x1 - lay.x_ref) * s)
        drawn.append((thick, r, area))
    drawn.sort(key=lambda item: -item[0])  # thin films last, on top
    for thin, r, area in drawn:
        rings = _rings(area)
        if patent:
            spec = lay.hatches[r.material]
            page.items.append(Shape(rings, WHITE, None, 0.0))
            segs = hatch_segments(area, spec)
            if len(segs):
                page.items.append(Lines(segs, st.THIN, BLACK, "hatch"))
            page.items.append(Shape(rings, None, BLACK, st.OUTLINE))
        else:
            spec = None
            fill = colour(sec, r.material, cfg.palette)
            page.items.append(Shape(rings, fill, st.COLOR_EDGE, st.COLOR_OUTLINE))
        page.drawn.append(Drawn(r.material, r.numeral, area, spec, index,
                                None if patent else fill, thin < st.MIN_LAYER))
    page.exaggeration = cfg.exaggeration
    height = (sec.zmax - sec.zmin) * v
    for window, figure in lay.details.get(snap.figure or "", []):
        _detail_mark(page, to_mm, window, figure, top)
    if cfg.dimensions:  # before the numerals, whose leads keep clear of them
        _dimensions(page, sec, to_mm)
    place_numerals(page, sec, lay, cfg, to_mm, left, top, height, index)
    return height


def _dimensions(page: Page, sec: Section, to_mm: Callable[[BaseGeometry], BaseGeometry]
                ) -> None:
    """Dimension lines with values: bump height and width, joint standoff and
    waist, void width and depth."""
    from ..tables import figure_measurements

    data = figure_measurements(sec)
    colour = BLACK if page.style == "patent" else "#1f3a93"
    size = st.font_size(2.2)
    for b in data["bumps"]:
        half = b["max_width"] / 2
        base = b["apex_z"] - b["height"]
        (x1, y1), (x2, y2) = _pts(to_mm, [(b["x"] + half, base), (b["x"] + half, b["apex_z"])])
        x = x1 + 1.5
        _dim(page, (x, y1), (x, y2), f"{b['height']:.1f} µm", colour, size, vertical=True)
        (a1, _ya), (a2, _) = _pts(to_mm, [(b["x"] - half, b["max_width_z"]),
                                         (b["x"] + half, b["max_width_z"])])
        _dim(page, (a1, y2 - 2.5), (a2, y2 - 2.5), f"{b['max_width']:.1f} µm", colour, size)
    for j in data["joints"]:
        half = j["max_width"] / 2
        (x1, y1), (_, y2) = _pts(to_mm, [(j["x"] + half, j["lower_z"]),
                                         (j["x"] + half, j["upper_z"])])
        _dim(page, (x1 + 1.5, y1), (x1 + 1.5, y2), f"{j['standoff']:.1f} µm", colour, size,
             vertical=True)
        # a neck: its waist; a barrel (narrowest at a land): its widest chord
        ends = min(j["waist_z"] - j["lower_z"], j["upper_z"] - j["waist_z"])
        w, z = (j["waist_width"], j["waist_z"]) if ends > 0.02 * j["standoff"] else \
            (j["max_width"], j["max_width_z"])
        (a1, yw), (a2, _) = _pts(to_mm, [(j["x"] - w / 2, z), (j["x"] + w / 2, z)])
        _dim(page, (a1, yw), (a2, yw), f"{w:.1f} µm", colour, size, below=True)
    for v in data["concavities"]:
        w, z, sign = v["interface_width"], v["mouth_z"], 1.0 if v["opens"] == "up" else -1.0
        (x1, y1), (x2, _), (_, yb) = _pts(to_mm, [(v["x"] - w / 2, z), (v["x"] + w / 2, z),
                                                   (v["x"], z - sign * v["depth"])])
        _dim(page, (x1, y1), (x2, y1), f"{w:.1f} µm", colour, size, below=sign < 0)
        _dim(page, ((x1 + x2) / 2, y1), ((x1 + x2) / 2, yb), f"{v['depth']:.1f} µm", colour, size,
             vertical=True)


def _pts(to_mm: Callable[[BaseGeometry], BaseGeometry], pts: list[tuple[float, float]]
         ) -> list[tuple[float, float]]:
    return [(float(x), float(y))
            for x, y in shapely.get_coordinates(to_mm(shapely.MultiPoint(pts)))]


def _dim(page: Page, a: tuple[float, float], b: tuple[float, float], text: str, colour: str,
         size: float, vertical: bool = False, below: bool = False) -> None:
    """A dimension line from a to b with an arrowhead at each end and its
    value (with unit) beside it."""
    (ax, ay), (bx, by) = a, b
    if vertical:
        label = Text(ax + 1.0, (ay + by) / 2 + size * st.DIGIT_EM / 2, text, size, "start",
                     "dimension", colour)
    else:
        y = ay + 0.8 + size * st.DIGIT_EM if below else ay - 0.8
        label = Text((ax + bx) / 2, y, text, size, "middle", "dimension", colour)
    length = float(np.hypot(bx - ax, by - ay))
    head = min(1.2, length / 3)
    segs = [[a, b], *arrowhead(b, a, head).tolist(), *arrowhead(a, b, head).tolist()]
    page.items.append(Lines(np.array(segs, dtype=float), 0.2, colour, "dimension"))
    page.items.append(label)


def _detail_mark(page: Page, to_mm: Callable[[BaseGeometry], BaseGeometry],
                 window: tuple[float, float, float, float], figure: str, top: float) -> None:
    """Where a detail view is taken: a dashed ellipse round ``window`` (µm)
    and, above the drawing, its figure id with a lead down to the ellipse,
    through as few drawn bodies as it can::

               6
               |
        ( - - - - - )   the window, enlarged as FIG. 6
    """
    x0, y0, x1, y1 = to_mm(shapely.box(*window)).bounds
    cx, cy, rx, ry = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * 0.62, (y1 - y0) * 0.62 + 1.0
    t = np.linspace(0.0, 2 * np.pi, 97)
    ring = np.column_stack([cx + rx * np.cos(t), cy + ry * np.sin(t)])
    segs = np.stack([ring[:-1], ring[1:]], axis=1)
    page.items.append(Lines(dash_segments(segs, np.array([1.0, 0.0]), (2.0, 1.2)), st.THIN,
                            BLACK, "detail"))
    size = st.font_size(page.profile.numeral_digit)
    label_y = min(top, cy - ry) - 4.0
    # the lead drops to the ellipse's upper half where it passes the fewest
    # drawn bodies (a ball over the window's middle is passed by), nearest
    # the middle of equals
    f = np.linspace(-0.95, 0.95, 39)
    xs, hits = cx + f * rx, cy - ry * np.sqrt(1.0 - f * f)
    segs = np.column_stack([xs, np.full(len(f), label_y + 1.0), xs, hits])
    crossed = crossings(segs, shapely.Polygon(), [d.area for d in page.drawn])
    k = min(range(len(f)), key=lambda i: (crossed[i], abs(f[i])))
    x, y_hit = float(xs[k]), float(hits[k])
    page.items.append(Text(x, label_y, figure, size, "middle", "detail"))
    page.items.append(Lines(np.array([[(x, label_y + 1.0), (x, y_hit)]]), st.THIN, BLACK,
                            "detail-lead"))


#: The break line: a wave of this amplitude and period (mm).
BREAK_AMPLITUDE, BREAK_PERIOD = 0.8, 6.0


def broken_off(area: BaseGeometry, side: str) -> BaseGeometry:
    """``area`` (mm, y down) ending on ``side`` in a break line: the body is
    drawn only in part, so that edge becomes a wave (a band up to twice the
    amplitude is given up)::

        +------------+          +------------+
        |            |    ->    |            |
        +------------+          ~~~~~~~~~~~~~~   side = "bottom"
    """
    minx, miny, maxx, maxy = area.bounds
    a, p = BREAK_AMPLITUDE, BREAK_PERIOD
    vertical = side in ("left", "right")
    lo, hi = (miny, maxy) if vertical else (minx, maxx)
    t = np.linspace(lo - p, hi + p, max(int((hi - lo) / p * 16) + 33, 33))
    wave = a + a * np.sin(2 * np.pi * (t - lo) / p)  # 0 … 2a in from the edge
    far = 10 * (maxx - minx + maxy - miny) + 10.0
    if side == "bottom":
        ring = [*zip(t, maxy - wave), (t[-1], miny - far), (t[0], miny - far)]
    elif side == "top":
        ring = [*zip(t, miny + wave), (t[-1], maxy + far), (t[0], maxy + far)]
    elif side == "left":
        ring = [*zip(minx + wave, t), (maxx + far, t[-1]), (maxx + far, t[0])]
    else:
        ring = [*zip(maxx - wave, t), (minx - far, t[-1]), (minx - far, t[0])]
    return area.intersection(shapely.Polygon(ring))


def _thickness(area: BaseGeometry) -> float:
    """Drawn thickness (mm): twice the largest inscribed radius of its parts."""
    best = 0.0
    for part in g.polygons(area):
        if part.area <= 0:
            continue
        if 4 * part.area / part.length > 2 * st.MIN_LAYER:
            return math.inf  # the mean width alone shows it is no thin film
        circle = shapely.maximum_inscribed_circle(part, tolerance=0.05)
        best = max(best, 2 * circle.length)
    return best


def _thicken(area: BaseGeometry, thick: float, x0: float, x1: float) -> BaseGeometry:
    """Grow a thin film to the minimum drawn thickness, within the cut planes;
    mitred, so a pad stays the rectangle it is (not a capsule)."""
    grown = shapely.buffer(area, (st.MIN_LAYER - thick) / 2 + st.THICKEN_MARGIN, quad_segs=4,
                           join_style="mitre", mitre_limit=2.0)
    return shapely.clip_by_rect(grown, x0, -g.FAR, x1, g.FAR)


def _rings(area: BaseGeometry) -> list[np.ndarray]:
    out = []
    for p in g.polygons(area):
        out.append(np.asarray(p.exterior.coords))
        out.extend(np.asarray(r.coords) for r in p.interiors)
    return out
