"""Reference numerals in the gutters beside a panel, with lead lines that
never cross, each ending inside its own part (mm)."""

from __future__ import annotations

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..section import Section
from . import style as st
from .page import (
    BLACK,
    Layout,
    Lead,
    Lines,
    Page,
    Settings,
    Text,
)


# ----------------------------------------------------------------- numerals
def _targets(sec: Section, to_mm) -> dict[str, BaseGeometry]:  # type: ignore[no-untyped-def]
    """What each numeral names, in mm."""
    out: dict[str, list[BaseGeometry]] = {}
    for r in sec.regions:
        if r.numeral:
            out.setdefault(r.numeral, []).append(r.geometry)
    amb = sec.ambient()
    for lab in sec.labels:
        if lab.kind == "void":
            geom = g.intersection(lab.geometry, amb)
        elif lab.kind == "assembly":
            geom = g.intersection(lab.geometry, sec.solid)
        else:
            geom = g.intersection(lab.geometry, sec.union_of(materials=[lab.material or ""]))
        geom = g.clean(geom)
        if not geom.is_empty:
            out.setdefault(lab.numeral, []).append(geom)
    return {k: to_mm(g.union(v)) for k, v in out.items()}


def place_numerals(page: Page, sec: Section, lay: Layout, cfg: Settings, to_mm,  # type: ignore[no-untyped-def]
              left: float, top: float, height: float, index: int) -> None:
    prof = cfg.profile
    size = st.font_size(prof.numeral_digit)
    right = left + lay.width
    mid = left + ((sec.x0 + sec.x1) / 2 - lay.x_ref) * lay.scale
    placed: dict[str, list[tuple[str, tuple[float, float], BaseGeometry, float]]] = {
        "L": [], "R": []}
    pitch = prof.numeral_digit + 2.0
    rows = (top - pitch, top + height + pitch)  # gutter rows just above and below the drawing
    wholes = {lab.numeral for lab in sec.labels if lab.kind == "assembly"}
    targets = _targets(sec, to_mm)
    for geom in targets.values():
        shapely.prepare(geom)
    taken: list[tuple[float, float]] = []
    drawn_numerals = {d.numeral for d in page.drawn if d.panel == index}
    for numeral, target in sorted(targets.items()):
        side = lay.sides.get(numeral)
        if side is None:
            side = "L" if target.centroid.x < mid else "R"
            lay.sides[numeral] = side
        edge_x = left - 4.0 + st.LEAD_GAP if side == "L" else right + 4.0 - st.LEAD_GAP
        if numeral in wholes:
            anchor, part = _outline_point(target, side)
            row = anchor[1]
        else:
            others = [d.area for d in page.drawn if d.panel == index and d.numeral
                      and d.numeral != numeral]
            others += [geom for n, geom in targets.items()
                       if n != numeral and n not in wholes and n not in drawn_numerals]
            anchor, part, row = _anchor(target, side, edge_x, rows, others, taken)
        taken.append(anchor)
        placed[side].append((numeral, anchor, part, row))
    for side, items in placed.items():
        if not items:
            continue
        items.sort(key=lambda it: (it[3], it[1][1]))
        wanted = [it[3] for it in items]
        lo = min(top + prof.numeral_digit / 2, min(wanted))
        hi = max(top + max(height, pitch * len(items)) - prof.numeral_digit / 2, max(wanted))
        ys = _spread(wanted, pitch, lo, hi)
        def label(numeral: str, y: float, side: str = side) -> tuple[Text, tuple[float, float]]:
            """The numeral's text in its gutter row y, and where its lead starts."""
            base = y + prof.numeral_digit / 2
            if side == "L":
                text = Text(left - 4.0, base, numeral, size, "end", "numeral")
                return text, (text.box()[2] + st.LEAD_GAP, y)
            text = Text(right + 4.0, base, numeral, size, "start", "numeral")
            return text, (text.box()[0] - st.LEAD_GAP, y)

        ys = _uncross(items, ys, label)
        for (numeral, anchor, part, _), y in zip(items, ys):
            text, start = label(numeral, y)
            page.items.append(text)
            page.items.append(Lines(np.array([[start, anchor]]), st.THIN, BLACK, "lead"))
            if numeral in wholes:
                page.items.append(Lines(arrowhead(start, anchor), st.THIN, BLACK, "arrow"))
            page.leads.append(Lead(numeral, start, anchor, part, text))


def _outline_point(target: BaseGeometry, side: str
                   ) -> tuple[tuple[float, float], BaseGeometry]:
    """Where an assembly's arrow ends: on its outline, facing the gutter."""
    whole = g.union(g.polygons(target))
    minx, miny, maxx, maxy = whole.bounds
    probe = shapely.Point(minx - 1.0 if side == "L" else maxx + 1.0, (miny + maxy) / 2)
    edge = whole.boundary
    at = edge.interpolate(edge.project(probe))
    return (float(at.x), float(at.y)), whole


def arrowhead(start: tuple[float, float], tip: tuple[float, float], size: float = 1.5
              ) -> np.ndarray:
    """Two strokes at ``tip`` pointing along the line from ``start`` (``size``
    mm long, 20° each side)."""
    d = np.subtract(start, tip)
    d = d / max(float(np.hypot(*d)), 1e-9)
    out = []
    for a in (np.radians(20.0), -np.radians(20.0)):
        r = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]) @ d
        out.append([tip, tuple(np.add(tip, size * r))])
    return np.array(out)


#: What a lead through another numbered part costs, in mm of lead length: a
#: lead may run this much longer to pass by a part instead of through it.
CROSSING_COST = 20.0


def _anchor(target: BaseGeometry, side: str, edge_x: float, rows: tuple[float, float],
            others: list[BaseGeometry], taken: list[tuple[float, float]],
            ) -> tuple[tuple[float, float], BaseGeometry, float]:
    """Where the lead of ``target`` ends, and the part it ends in: of points
    inside each part (a little in from the gutter-facing end of chords at
    several heights), one not within LEAD_END_SPACING of a lead end already
    ``taken`` where there is one, at the least cost of a straight lead from
    the gutter at ``edge_x``: its length plus CROSSING_COST per other
    numbered part (as drawn, thin films thickened) it passes through. The
    lead starts level with its end, or from a gutter row in ``rows`` (just
    above or below the drawing) where it can come in through open space;
    returns the end, its part and the gutter row."""
    best: tuple[tuple[int, float], tuple[float, float], BaseGeometry, float] | None = None
    pool = np.asarray(others, dtype=object)
    shapely.prepare(pool)
    for part in g.polygons(target):
        if part.area <= 0:
            continue
        for point in _candidates(part, side):
            near = sum(1 for t in taken if np.hypot(t[0] - point[0], t[1] - point[1])
                       < st.LEAD_END_SPACING)
            for row in (point[1], *rows):
                lead = LineString([(edge_x, row), point])
                crossed = int(shapely.intersects(pool, lead).sum()) if len(pool) else 0
                score = (near, CROSSING_COST * crossed + lead.length)
                if best is None or score < best[0]:
                    best = (score, point, part, row)
    if best is None:
        inside = target.representative_point()
        return (inside.x, inside.y), target, inside.y
    return best[1], best[2], best[3]


def _candidates(part: Polygon, side: str) -> list[tuple[float, float]]:
    """Points inside ``part``: on chords at 50, 30, 70, 15 and 85 % of its
    height, in from the chord's gutter-facing end by a third of the chord
    (at most 1.5 mm), and the centre of its largest inscribed circle (to
    0.2 mm)."""
    minx, miny, maxx, maxy = part.bounds
    out = []
    for f in (0.5, 0.3, 0.7, 0.15, 0.85):
        y = miny + f * (maxy - miny)
        cut = part.intersection(LineString([(minx - 1, y), (maxx + 1, y)]))
        for seg in getattr(cut, "geoms", [cut]):
            if not isinstance(seg, LineString) or seg.length <= 0:
                continue
            xs = [c[0] for c in seg.coords]
            inset = min(1.5, (max(xs) - min(xs)) / 3)
            x = min(xs) + inset if side == "L" else max(xs) - inset
            out.append((float(x), float(y)))
    circle = shapely.maximum_inscribed_circle(part, tolerance=0.2)
    centre = shapely.get_coordinates(circle)[0]
    if part.contains(shapely.Point(centre)):
        out.append((float(centre[0]), float(centre[1])))
    if not out:
        inside = part.representative_point()
        out.append((float(inside.x), float(inside.y)))
    return out


def _spread(ys: list[float], pitch: float, lo: float, hi: float) -> list[float]:
    """Positions near ``ys`` (sorted) at least ``pitch`` apart, kept in [lo, hi]."""
    pos = [min(max(y, lo), hi) for y in ys]
    for i in range(1, len(pos)):
        pos[i] = max(pos[i], pos[i - 1] + pitch)
    if pos and pos[-1] > hi:
        pos[-1] = hi
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = min(pos[i], pos[i + 1] - pitch)
    return pos


def _uncross(items: list, ys: list[float], label) -> list[float]:  # type: ignore[no-untyped-def, type-arg]
    """Swap label rows until no two straight leads of one gutter cross (each
    lead from where ``label(numeral, y)`` starts it)."""
    ys = list(ys)
    for _ in range(len(items) ** 2 + 1):
        lines = [LineString([label(it[0], y)[1], it[1]]) for it, y in zip(items, ys)]
        swapped = False
        for i in range(len(lines)):
            for j in range(i + 1, len(lines)):
                if lines[i].intersects(lines[j]):
                    ys[i], ys[j] = ys[j], ys[i]
                    swapped = True
                    break
            if swapped:
                break
        if not swapped:
            break
    return ys
