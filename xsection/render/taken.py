"""What already stands on a panel when its numerals are placed (mm, y down):
leads, numerals, lead ends, dimension lines and detail marks, and the
collisions a new lead and its numeral may not have with them::

    12 ----x        a new lead may not cross a lead or a numeral,
     16 -----x      its numeral keeps LABEL_GAP from another and CLEAR from
                    a line, its end LEAD_END_SPACING from another end
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from . import style as st
from .page import Lines, Page, Panel, Text

#: Clearance (mm) of a numeral's box from the drawing.
CLEAR = 0.6
#: Clearance (mm) between two numerals' boxes: about a word space, so that
#: "124" and "112" side by side never read as "124112".
LABEL_GAP = 1.5


class Taken:
    """The leads and numerals already on a panel: a new lead may not cross a
    lead or a numeral, its numeral may not come within LABEL_GAP of another
    nor within CLEAR of a lead or a detail mark, and its end keeps
    LEAD_END_SPACING from other ends."""

    def __init__(self) -> None:
        self.lines: list[LineString] = []
        self.boxes: list[Polygon] = []
        self.ends: list[tuple[float, float]] = []
        self.marks: list[BaseGeometry] = []  # lines a numeral may not sit on (a detail mark)

    def add(self, start: tuple[float, float], end: tuple[float, float],
            box: tuple[float, float, float, float] | None) -> None:
        self.lines.append(LineString([start, end]))
        if box is not None:
            self.boxes.append(shapely.box(*box))
        self.ends.append(end)

    def add_box(self, box: tuple[float, float, float, float]) -> None:
        self.boxes.append(shapely.box(*box))

    def add_line(self, start: tuple[float, float], end: tuple[float, float]) -> None:
        """A line no lead may cross (a dimension line), with no end of its own."""
        self.lines.append(LineString([start, end]))

    def copy(self) -> Taken:
        out = Taken()
        out.lines, out.boxes, out.ends = [*self.lines], [*self.boxes], [*self.ends]
        out.marks = [*self.marks]
        return out

    def free(self, start: tuple[float, float], end: tuple[float, float],
             box: tuple[float, float, float, float]) -> bool:
        return self.conflicts(start, end, box, first=True) == 0

    def conflicts(self, start: tuple[float, float], end: tuple[float, float],
                  box: tuple[float, float, float, float], first: bool = False) -> int:
        """How many leads, numerals and lead ends the lead collides with (0 or
        1 with ``first``: it stops at the first)."""
        line = LineString([start, end])
        mine = shapely.box(*box)
        near = mine.buffer(CLEAR, join_style="mitre")  # no other line grazes a numeral
        grown = mine.buffer(LABEL_GAP, join_style="mitre")
        count = 0
        for e in self.ends:
            count += bool(np.hypot(e[0] - end[0], e[1] - end[1]) < st.LEAD_END_SPACING)
            if first and count:
                return count
        for b in self.boxes:
            count += bool(line.intersects(b) or grown.intersects(b))
            if first and count:
                return count
        for o in self.lines:
            count += bool(line.intersects(o) or near.intersects(o))
            if first and count:
                return count
        for m in self.marks:
            count += bool(near.intersects(m))
            if first and count:
                return count
        return count


def standing(page: Page) -> Taken:
    """What stands on ``page`` before its numerals: a detail view's figure id,
    its lead and its dashed mark (leads may cross the mark, numerals may not
    sit on it), dimension lines and their values."""
    out = Taken()
    for item in page.items:
        if isinstance(item, Text) and item.role in ("detail", "dimension"):
            out.add_box(item.box())
        elif isinstance(item, Lines) and item.role in ("detail-lead", "dimension"):
            for a, b in item.segs:
                out.add_line(tuple(a), tuple(b))
        elif isinstance(item, Lines) and item.role == "detail":
            out.marks.append(shapely.MultiLineString([tuple(map(tuple, s)) for s in item.segs]))
    return out


def obstacles(page: Page, panel: Panel, numeral: str) -> list[BaseGeometry]:
    """The other numbered parts of ``panel`` as drawn (films thickened), and
    what other numerals name that is not drawn as a body of its own (voids,
    parts of bodies); whole assemblies are no obstacle."""
    drawn = [d for d in page.drawn if d.panel == panel.index]
    named = {d.numeral for d in drawn}
    out = [d.area for d in drawn if d.numeral and d.numeral != numeral]
    out += [geom for n, geom in panel.parts.items()
            if n != numeral and n not in panel.wholes and n not in named]
    return out


def drawing_of(page: Page, panel: Panel) -> BaseGeometry:
    """Everything drawn in ``panel`` as one prepared geometry."""
    whole = g.union([d.area for d in page.drawn if d.panel == panel.index])
    shapely.prepare(whole)
    return whole
