"""Reference numerals in the gutters beside a panel, with lead lines that
never cross, each ending inside its own part (mm)."""

from __future__ import annotations

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import LineString
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
    placed: dict[str, list[tuple[str, tuple[float, float], BaseGeometry]]] = {"L": [], "R": []}
    wholes = {lab.numeral for lab in sec.labels if lab.kind == "assembly"}
    for numeral, target in sorted(_targets(sec, to_mm).items()):
        side = lay.sides.get(numeral)
        if side is None:
            side = "L" if target.centroid.x < mid else "R"
            lay.sides[numeral] = side
        anchor, part = _outline_point(target, side) if numeral in wholes else \
            _anchor(target, side, mid)
        placed[side].append((numeral, anchor, part))
    pitch = prof.numeral_digit + 2.0
    for side, items in placed.items():
        if not items:
            continue
        items.sort(key=lambda it: it[1][1])
        ys = _spread([it[1][1] for it in items], pitch, top + prof.numeral_digit / 2,
                     top + max(height, pitch * len(items)) - prof.numeral_digit / 2)
        def label(numeral: str, y: float, side: str = side) -> tuple[Text, tuple[float, float]]:
            """The numeral's text in its gutter row y, and where its lead starts."""
            base = y + prof.numeral_digit / 2
            if side == "L":
                text = Text(left - 4.0, base, numeral, size, "end", "numeral")
                return text, (text.box()[2] + st.LEAD_GAP, y)
            text = Text(right + 4.0, base, numeral, size, "start", "numeral")
            return text, (text.box()[0] - st.LEAD_GAP, y)

        ys = _uncross(items, ys, label)
        for (numeral, anchor, part), y in zip(items, ys):
            text, start = label(numeral, y)
            page.items.append(text)
            page.items.append(Lines(np.array([[start, anchor]]), st.THIN, BLACK, "lead"))
            if numeral in wholes:
                page.items.append(Lines(_arrowhead(start, anchor), st.THIN, BLACK, "arrow"))
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


def _arrowhead(start: tuple[float, float], tip: tuple[float, float]) -> np.ndarray:
    """Two strokes at ``tip`` pointing along the lead (1.5 mm, 20° each side)."""
    d = np.subtract(start, tip)
    d = d / max(float(np.hypot(*d)), 1e-9)
    out = []
    for a in (np.radians(20.0), -np.radians(20.0)):
        r = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]) @ d
        out.append([tip, tuple(np.add(tip, 1.5 * r))])
    return np.array(out)


def _anchor(target: BaseGeometry, side: str, mid: float
            ) -> tuple[tuple[float, float], BaseGeometry]:
    """A point well inside the part nearest the gutter, and that part."""
    parts = g.polygons(target)
    key = (lambda p: p.centroid.x) if side == "L" else (lambda p: -p.centroid.x)
    part = min(parts, key=key)
    minx, miny, maxx, maxy = part.bounds
    third = (maxx - minx) / 3
    window = (minx, miny, minx + third, maxy) if side == "L" else (maxx - third, miny, maxx, maxy)
    near = g.intersection(part, shapely.box(*window))
    for pool in (g.polygons(near), [part]):
        pool = [p for p in pool if p.is_valid and p.area > 0]
        if not pool:
            continue
        circles = shapely.maximum_inscribed_circle(pool, tolerance=0.05)
        best = circles[int(np.argmax(shapely.length(circles)))]
        centre = shapely.get_coordinates(best)[0]
        point = shapely.Point(centre)
        if part.contains(point):
            return (float(centre[0]), float(centre[1])), part
    point = part.representative_point()
    return (point.x, point.y), part


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
