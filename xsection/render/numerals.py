"""Reference numerals of a panel with lead lines that never cross, each
ending inside its own part (mm); where they may stand and what a lead
costs is ``leads``."""

from __future__ import annotations

import itertools

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..section import Section
from . import leads as ld
from . import style as st
from . import taken as tk
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
    return {k: to_mm(g.union_disjoint(v)) for k, v in out.items()}


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
                  wholes & set(targets), lay.breaks, lay.cut_out)
    page.panels.append(panel)
    drawing = tk.drawing_of(page, panel)
    fixed = tk.standing(page)
    options, before = {}, {}
    for numeral in targets:
        found = ld.candidates(panel, numeral, drawing, tk.obstacles(page, panel, numeral),
                              prof.numeral_digit)
        kept = lay.sides.get(numeral)
        if kept is not None:  # stand and end where it did in the last figure
            key, (xu, zu) = kept
            was = shapely.get_coordinates(to_mm(shapely.Point(xu, zu)))[0]
            before[numeral] = (key, (float(was[0]), float(was[1])))
            found.add(ld.keep_cost(found.keys, found.end, before[numeral]))
        if len(found):
            options[numeral] = found
    order = sorted(options, key=lambda n: (-options[n].least(), n))
    chosen = _choose(options, order, fixed)
    for numeral in order:
        found, pick = options[numeral], chosen[numeral]
        start, end = _pair(found.start[pick]), _pair(found.end[pick])
        x, y, anchor = found.text(pick)
        text = Text(x, y, numeral, size, anchor, "numeral")
        xu = lay.x_ref + (end[0] - left) / lay.scale
        zu = sec.zmax - (end[1] - top) / (lay.scale * cfg.exaggeration)
        key = str(found.keys[pick])
        lay.sides[numeral] = (key, (xu, zu))
        page.items.append(text)
        page.items.append(Lines(np.array([[start, end]]), st.THIN, BLACK, "lead"))
        if numeral in wholes:
            page.items.append(Lines(arrowhead(start, end), st.THIN, BLACK, "arrow"))
        part = found.parts[int(found.part[pick])]
        page.leads.append(Lead(numeral, start, end, part, text, index, key,
                               before.get(numeral)))


def _pair(xy: np.ndarray) -> tuple[float, float]:
    return (float(xy[0]), float(xy[1]))


def _choose(options: dict[str, ld.Candidates], order: list[str], fixed: tk.Taken
            ) -> dict[str, int]:
    """A candidate per numeral, taken in ``order``: the cheapest free one; if
    none is free, the cheapest that one numeral already placed blocks, that
    numeral moving to its cheapest free lead around it; else the one with
    the fewest collisions. Then each numeral in turn moves to a cheaper lead
    that the others leave free, until none can (each lead is then the
    cheapest free one, which is what the drawing check asks)."""
    chosen: dict[str, int] = {}

    def lead(n: str, i: int) -> tuple[tuple[float, float], tuple[float, float],
                                      tuple[float, float, float, float]]:
        c = options[n]
        box = c.boxes[i]
        return (_pair(c.start[i]), _pair(c.end[i]),
                (float(box[0]), float(box[1]), float(box[2]), float(box[3])))

    def taken(skip: str | None = None, extra: tuple[str, int] | None = None) -> tk.Taken:
        out = fixed.copy()
        for n, i in [*chosen.items(), *([extra] if extra else [])]:
            if n != skip:
                start, end, box = lead(n, i)
                out.add(start, end, box)
        return out

    def first_free(n: str, t: tk.Taken, below: float = np.inf) -> int:
        for i in options[n].ordered(below):
            if t.free(*lead(n, i)):
                return i
        return -1

    for n in order:
        pick = first_free(n, taken())
        if pick < 0:
            pick = _repair(n, options, chosen, lead, taken, first_free, fixed)
        if pick < 0:
            t = taken()
            pick = min((t.conflicts(*lead(n, i)), k, i)
                       for k, i in enumerate(options[n].ordered()))[2]
        chosen[n] = pick
    for _ in range(len(order) + 1):
        moved = False
        for n in order:
            better = first_free(n, taken(skip=n), below=options[n].cost[chosen[n]] - 1e-9)
            if better >= 0:
                chosen[n], moved = better, True
        if not moved:
            break
    return chosen


def _repair(n: str, options: dict[str, ld.Candidates], chosen: dict[str, int],  # type: ignore[no-untyped-def]
            lead, taken, first_free, fixed: tk.Taken, tries: int = 12) -> int:
    """For numeral ``n`` with no free lead: of its ``tries`` cheapest, the
    first that one placed numeral alone blocks where that numeral can move
    to a free lead; moves it and returns the candidate (-1 if none)."""
    for i in itertools.islice(options[n].ordered(), tries):
        mine = lead(n, i)
        if fixed.conflicts(*mine):
            continue
        blockers = []
        for m, j in chosen.items():
            single = tk.Taken()
            single.add(*lead(m, j))
            if single.conflicts(*mine):
                blockers.append(m)
        if len(blockers) != 1:
            continue
        alt = first_free(blockers[0], taken(skip=blockers[0], extra=(n, int(i))))
        if alt >= 0:
            chosen[blockers[0]] = alt
            return i
    return -1


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
