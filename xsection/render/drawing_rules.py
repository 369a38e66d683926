"""The figure check: the drawing rules a page must meet (figure-style.md B8).

``check_page`` returns a list of problems; an empty list is a pass.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import shapely
from shapely.geometry import LineString, Point, box
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from . import leads as ld
from . import style as st
from . import taken as tk
from .crossings import crossings
from .packing import FILL_FLOOR, caption_figure, group_of
from .page import Lines, Page, Shape, Text, ink_boxes, near_colours

BW = {"#000000", "#ffffff"}
#: A lead may cost this much (mm) more than the cheapest free one before the
#: check calls it avoidable (the same geometry, moved onto a sheet, rounds).
ROUTE_SLACK = 0.5
#: A body cut by one section end is a feature if it is no wider than this many
#: times its height, and cut through if the cut is shorter than this share of
#: its height.
END_COMPACT = 3.0
END_CHORD = 0.95
#: ... and its outline turns at the cut if an edge leaving it rises more than
#: this angle (°) over this run (mm).
END_TURN = 10.0
END_BAND = 1.5


def check_sheets(sheets: list[Page]) -> list[str]:
    """The rules of a sheet sequence: every sheet but the last, and but one
    whose figure group ends on it, uses at least ``FILL_FLOOR`` of the sight's
    height below the sheet number (ink from its first to its last figure)."""
    problems = []
    captions = [[caption_figure(t.text) for t in p.items if isinstance(t, Text)
                 and t.role == "caption"] for p in sheets]
    for k, page in enumerate(sheets[:-1]):
        prof = page.profile
        _, sy, _, sh = prof.sight
        top = sy + prof.sheet_digit + 6.0
        boxes = [b for b in ink_boxes(page) if b[1] >= top - st.DRAW_EPS]
        if not boxes or not captions[k] or not captions[k + 1]:
            continue
        if group_of(captions[k][-1]) != group_of(captions[k + 1][0]):
            continue  # the next sheet starts a new figure group
        used = (max(b[3] for b in boxes) - min(b[1] for b in boxes)) / (sy + sh - top)
        if used < FILL_FLOOR:
            problems.append(f"{page.name}: its figures use {used:.0%} of the sight's height "
                            f"(needs >= {FILL_FLOOR:.0%} on a sheet its figure group "
                            f"continues from)")
    return problems


def check_page(page: Page, svg: str | None = None) -> list[str]:
    """Every broken rule on ``page`` (and in its SVG text, if given)."""
    problems: list[str] = []
    prof = page.profile
    texts = [i for i in page.items if isinstance(i, Text)]
    if page.is_sheet:
        if (page.width, page.height) not in {p.sheet for p in st.PROFILES.values()}:
            problems.append(f"{page.name}: sheet {page.width}×{page.height} mm is not A4 or "
                            f"US Letter")
        sx, sy, sw, sh = prof.sight
        e = st.DRAW_EPS
        sight = box(sx - e, sy - e, sx + sw + e, sy + sh + e)
        for bb in ink_boxes(page):
            if not sight.contains(box(*bb)):
                problems.append(f"{page.name}: ink at {tuple(round(v, 1) for v in bb)} lies "
                                f"outside the sight {prof.sight}")
                break
    if page.style == "patent":
        colours = set()
        for item in page.items:
            if isinstance(item, Shape):
                colours |= {c.lower() for c in (item.fill, item.stroke) if c}
            elif isinstance(item, (Lines, Text)):
                colours.add(item.color.lower())
        if colours - BW:
            problems.append(f"{page.name}: patent style uses colours {sorted(colours - BW)}")
        if svg is not None and re.search(r"<(pattern|image)\b", svg):
            problems.append(f"{page.name}: the SVG holds <pattern> or <image>")
    numerals = [t for t in texts if t.role == "numeral"]
    min_digit = prof.numeral_digit - st.DRAW_EPS
    for t in numerals:
        if t.size * st.DIGIT_EM < min(3.2, min_digit):
            problems.append(f"{page.name}: numeral {t.text!r} is {t.size * st.DIGIT_EM:.2f} mm "
                            f"tall (needs >= 3.2)")
    biggest = max((t.size for t in numerals), default=0.0)
    for t in texts:
        if t.role in ("caption", "sheet") and t.size <= biggest:
            problems.append(f"{page.name}: {t.role} {t.text!r} is not taller than the numerals")
    problems += _check_texts_apart(texts, page.name)
    problems += _check_leads(page)
    problems += _check_lead_routes(page)
    problems += _check_section_ends(page)
    problems += _check_colours(page)
    problems += _check_hatch_clear(page, numerals)
    problems += _check_contrast(page)
    return problems


def _check_texts_apart(texts: list[Text], name: str) -> list[str]:
    """No two texts (numerals, captions, notes, legend) overlap."""
    problems = []
    boxes = [box(*t.box()) for t in texts]
    tree = shapely.STRtree(boxes)
    for i, j in zip(*tree.query(boxes, predicate="intersects")):
        if i < j and boxes[i].intersection(boxes[j]).area > 0.01:
            problems.append(f"{name}: texts {texts[i].text!r} and {texts[j].text!r} overlap")
    return problems


def _check_leads(page: Page) -> list[str]:
    problems = []
    lines = [LineString([lead.start, lead.end]) for lead in page.leads]
    for (i, a), (j, b) in itertools.combinations(enumerate(page.leads), 2):
        if lines[i].intersects(lines[j]):
            problems.append(f"{page.name}: lead lines of {a.numeral!r} and {b.numeral!r} cross")
        elif Point(a.end).distance(Point(b.end)) < st.LEAD_END_SPACING - st.DRAW_EPS:
            problems.append(f"{page.name}: the lead lines of {a.numeral!r} and {b.numeral!r} "
                            f"end {Point(a.end).distance(Point(b.end)):.2f} mm apart (needs "
                            f">= {st.LEAD_END_SPACING} mm)")
    labels = [lead.label for lead in page.leads]
    for lead, line in zip(page.leads, lines):
        if not lead.target.buffer(st.DRAW_EPS).contains(Point(lead.end)):
            problems.append(f"{page.name}: the lead line of {lead.numeral!r} ends outside its "
                            f"part")
        bb = box(*lead.label.box())
        if bb.distance(Point(lead.start)) > 1.0 + st.DRAW_EPS:
            problems.append(f"{page.name}: the lead line of {lead.numeral!r} starts more than "
                            f"1 mm from its numeral")
        for other in labels:
            if other is not lead.label and line.intersects(box(*other.box())):
                problems.append(f"{page.name}: the lead line of {lead.numeral!r} crosses "
                                f"numeral {other.text!r}")
    return problems


def _check_lead_routes(page: Page) -> list[str]:
    """A lead must not be avoidably long or pass avoidably through another
    numbered part: no lead its numeral could have instead (``leads.candidates``,
    free of every other lead, numeral and lead end on the page) may cost
    less, weighed as the placement weighs it (length, CROSSING_COST per part
    crossed, what leaving its place in the figure before costs)."""
    problems: list[str] = []
    panels = {p.index: p for p in page.panels}
    drawings: dict[int, BaseGeometry] = {}
    for i, lead in enumerate(page.leads):
        panel = panels.get(lead.panel)
        if panel is None or lead.numeral not in panel.parts:
            continue
        if lead.panel not in drawings:
            drawings[lead.panel] = tk.drawing_of(page, panel)
        others = tk.obstacles(page, panel, lead.numeral)
        target = panel.parts[lead.numeral]
        chosen = ld.lead_cost(lead.start, lead.end, lead.label.box(), panel, target,
                              others) + float(
            ld.keep_cost([lead.key], np.array([lead.end]), lead.before)[0])
        found = ld.candidates(panel, lead.numeral, drawings[lead.panel], others,
                              page.profile.numeral_digit, below=chosen - ROUTE_SLACK)
        if not len(found):
            continue
        found.add(ld.keep_cost(found.keys, found.end, lead.before))
        taken = _taken(page, skip=i)
        for j in found.ordered(below=chosen - ROUTE_SLACK):
            if taken.free(tuple(found.start[j]), tuple(found.end[j]), tuple(found.boxes[j])):
                length = float(np.hypot(*np.subtract(lead.end, lead.start)))
                crossed = int(crossings(np.array([[*lead.start, *lead.end]]), target,
                                           others)[0])
                problems.append(
                    f"{page.name}: the lead of {lead.numeral!r} is {length:.1f} mm long through "
                    f"{crossed} other numbered part(s), where a free lead of "
                    f"{float(np.hypot(*(found.end[j] - found.start[j]))):.1f} mm through "
                    f"{int(found.crossed[j])} would do")
                break
    return problems


def _check_section_ends(page: Page) -> list[str]:
    """A section ends in cut planes through layers, not through features: a
    part of a body that meets one end of its panel (not both), no wider than
    END_COMPACT times its height, is cut through where the cut is shorter
    than END_CHORD of its height and its outline turns at the cut (a ball,
    bump or film cut off its axis; ``_turns``), unless a break line on that
    side says it is drawn in part::

        layer  |=========|   meets both ends: fine
        pad    |===|         cut through its full height: fine
        ball   |)            the cut is shorter than the ball is tall
    """
    problems = []
    for panel in (p for p in page.panels if not p.cut_out):  # a detail view cuts anything
        x0, y0, x1, y1 = panel.frame
        ends = {side: LineString([(x, y0 - 1), (x, y1 + 1)])
                for side, x in (("left", x0), ("right", x1))}
        for d in page.drawn:
            if d.panel != panel.index:
                continue
            for part in g.polygons(d.area):
                cut = {side: part.intersection(line) for side, line in ends.items()}
                cuts = {side: c.length for side, c in cut.items()}
                bx0, by0, bx1, by1 = part.bounds
                height = by1 - by0
                for side, other in (("left", "right"), ("right", "left")):
                    if cuts[side] <= st.DRAW_EPS or cuts[other] > st.DRAW_EPS:
                        continue  # not cut there, or a layer across
                    if (d.numeral or "", side) in panel.breaks:
                        continue  # a break line there
                    if bx1 - bx0 <= END_COMPACT * height and cuts[side] < END_CHORD * height \
                            and _turns(part, cut[side], ends[side],
                                       1.0 if side == "left" else -1.0):
                        problems.append(
                            f"{page.name}: the section's {side} end cuts through {d.material}"
                            f"{' ' + d.numeral if d.numeral else ''} (a feature, not a layer: "
                            f"end the section elsewhere or give it a break line)")
    return problems


def _turns(part: BaseGeometry, cut: BaseGeometry, end: LineString, inward: float) -> bool:
    """Whether the outline of ``part`` turns where the end line ``end`` cuts it
    (``cut``): some edge leaving the cut is not within END_TURN of level over
    END_BAND."""
    cut = shapely.line_merge(cut)
    (x, ya), (_, yb) = end.coords
    probe = part.boundary.intersection(
        LineString([(x + inward * END_BAND, ya), (x + inward * END_BAND, yb)]))
    ys = shapely.get_coordinates(probe)[:, 1]
    rise = END_BAND * np.tan(np.radians(END_TURN))
    tips = [y for seg in g.lines(cut) for y in (min(c[1] for c in seg.coords),
                                                max(c[1] for c in seg.coords))]
    return any(not len(ys) or float(np.min(np.abs(ys - y))) > rise for y in tips)


def _taken(page: Page, skip: int) -> tk.Taken:
    """Every lead, numeral and lead end on ``page`` but lead ``skip``'s, and
    what stood before the numerals (``taken.standing``)."""
    taken = tk.standing(page)
    for k, other in enumerate(page.leads):
        if k != skip:
            taken.add(other.start, other.end, other.label.box())
    return taken


def _check_hatch_clear(page: Page, numerals: list[Text]) -> list[str]:
    """No numeral sits on hatch lines or on a detail view's dashed mark."""
    problems = []
    for role, what in (("hatch", "hatch lines"), ("detail", "a detail mark")):
        lines = [i for i in page.items if isinstance(i, Lines) and i.role == role]
        if not lines or not numerals:
            continue
        segs = shapely.linestrings(np.concatenate([h.segs for h in lines]))
        tree = shapely.STRtree(g.as_array(segs))
        for t in numerals:
            if len(tree.query(box(*t.box()), predicate="intersects")):
                problems.append(f"{page.name}: numeral {t.text!r} sits on {what}")
    return problems


def _check_contrast(page: Page) -> list[str]:
    """Touching regions of different materials must be hatched distinguishably,
    and one numeral must look the same wherever it appears."""
    problems = []
    drawn = [d for d in page.drawn if d.hatch is not None]
    by_numeral: dict[str, st.Hatch] = {}
    for d in drawn:
        if d.numeral and d.hatch is not None:
            seen = by_numeral.setdefault(d.numeral, d.hatch)
            if seen != d.hatch:
                problems.append(f"{page.name}: numeral {d.numeral!r} is hatched two ways")
    for a, b in itertools.combinations(drawn, 2):
        if a.panel != b.panel or a.material == b.material or a.hatch is None or b.hatch is None:
            continue
        if a.hatch.distinct_from(b.hatch):
            continue
        if g.shared_boundary(a.area, b.area).length > 0.5 or \
                a.area.intersection(b.area).area > 0.05:
            problems.append(f"{page.name}: {a.material} and {b.material} touch but are hatched "
                            f"alike")
    return problems


def _check_colours(page: Page) -> list[str]:
    """Colour style: no two materials of a panel alike (``near_colours``),
    exaggerated heights stated ("heights ×4") and thickened films too
    ("films under 3.4 µm drawn 1.2 mm thick")."""
    if page.style != "color":
        return []
    problems = []
    by_panel: dict[int, dict[str, str]] = {}
    for d in page.drawn:
        if d.fill is not None:
            by_panel.setdefault(d.panel, {}).setdefault(d.material, d.fill)
    for fills in by_panel.values():
        for (a, fa), (b, fb) in itertools.combinations(sorted(fills.items()), 2):
            if near_colours(fa, fb):
                problems.append(f"{page.name}: {a} ({fa}) and {b} ({fb}) look alike")
    if page.exaggeration != 1.0 and page.drawn:
        note = f"heights ×{page.exaggeration:g}"
        if not any(isinstance(i, Text) and i.text == note for i in page.items):
            problems.append(f"{page.name}: heights are drawn ×{page.exaggeration:g} and no "
                            f"note says so")
    if any(d.thickened for d in page.drawn) and not any(
            isinstance(i, Text) and re.search(r"drawn [\d.]+ mm thick", i.text)
            for i in page.items):
        problems.append(f"{page.name}: films are drawn thicker than they are and no note "
                        f"says so")
    return problems
