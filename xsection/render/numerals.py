"""Reference numerals of a panel with lead lines that never cross, each
ending inside its own part (mm); where they may stand and what a lead
costs is ``leads``."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..section import Section
from . import leads as ld
from . import style as st
from .page import (
    BLACK,
    Layout,
    Lead,
    Lines,
    Page,
    Panel,
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
    """Each numeral of ``sec`` with its lead: of the candidate leads
    (``leads.candidates``: in a gutter, a band above or below, or clear
    space near the part), the cheapest one that no lead, numeral or lead end
    already placed collides with; numerals with the dearest best lead go
    first. A numeral keeps where it stood in the last figure, and its lead
    ends near where it ended, unless another place saves KEY_COST (and
    MOVE_COST per mm the end moves, up to KEY_COST). Whole assemblies get an
    arrow-headed lead to their outline."""
    prof = cfg.profile
    size = st.font_size(prof.numeral_digit)
    targets = _targets(sec, to_mm)
    wholes = frozenset(lab.numeral for lab in sec.labels if lab.kind == "assembly")
    x0, x1 = (left + (x - lay.x_ref) * lay.scale for x in (sec.x0, sec.x1))
    panel = Panel(index, (x0, top, x1, top + height), cfg.gutter, targets,
                  wholes & set(targets))
    page.panels.append(panel)
    drawing = ld.drawing_of(page, panel)
    taken = ld.Taken()
    for item in page.items:  # a detail view's figure id and its lead stand already
        if isinstance(item, Text) and item.role == "detail":
            taken.add_box(item.box())
        elif isinstance(item, Lines) and item.role == "detail-lead":
            taken.add(tuple(item.segs[0][0]), tuple(item.segs[0][1]), None)
    options, before = {}, {}
    for numeral in targets:
        found = ld.candidates(panel, numeral, drawing, ld.obstacles(page, panel, numeral),
                              prof.numeral_digit)
        kept = lay.sides.get(numeral)
        if kept is not None:  # stand and end where it did in the last figure
            key, (xu, zu) = kept
            was = shapely.get_coordinates(to_mm(shapely.Point(xu, zu)))[0]
            before[numeral] = (key, (float(was[0]), float(was[1])))
            found.cost = found.cost + ld.keep_cost(found.keys, found.end, before[numeral])
        options[numeral] = found
    order = sorted(options, key=lambda n: (-float(options[n].cost.min(initial=np.inf)), n))
    for numeral in order:
        found = options[numeral]
        if not len(found):
            continue
        ranked = np.argsort(found.cost, kind="stable")
        pick = next((int(i) for i in ranked
                     if taken.free(tuple(found.start[i]), tuple(found.end[i]),
                                   tuple(found.boxes[i]))), int(ranked[0]))
        start = (float(found.start[pick][0]), float(found.start[pick][1]))
        end = (float(found.end[pick][0]), float(found.end[pick][1]))
        x, y, anchor = found.texts[pick]
        text = Text(x, y, numeral, size, anchor, "numeral")
        taken.add(start, end, text.box())
        xu = lay.x_ref + (end[0] - left) / lay.scale
        zu = sec.zmax - (end[1] - top) / (lay.scale * cfg.exaggeration)
        lay.sides[numeral] = (found.keys[pick], (xu, zu))
        page.items.append(text)
        page.items.append(Lines(np.array([[start, end]]), st.THIN, BLACK, "lead"))
        if numeral in wholes:
            page.items.append(Lines(arrowhead(start, end), st.THIN, BLACK, "arrow"))
        part = found.parts[int(found.part[pick])]
        page.leads.append(Lead(numeral, start, end, part, text, index, found.keys[pick],
                               before.get(numeral)))


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
