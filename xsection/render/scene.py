"""A backend-neutral scene of sheets and figures (mm, y down), built from the
snapshots of a flow: panels at one scale, hatching or colour, numerals with
lead lines in gutters, captions, sheet numbers, legend and scale bar."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import shapely
import shapely.affinity
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextPath
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import InputError, exaggeration_arg, require_length
from ..flow import Snapshot
from ..section import Section
from . import style as st
from .hatch import hatch_segments

FONT = "DejaVu Sans"
WHITE, BLACK = "#ffffff", "#000000"



@dataclass
class Shape:
    """A filled and/or outlined polygon (rings closed, mm)."""

    rings: list[np.ndarray]
    fill: str | None
    stroke: str | None
    width: float


@dataclass
class Lines:
    """Straight segments (n, 2, 2) drawn alike."""

    segs: np.ndarray
    width: float
    color: str
    role: str  # hatch | lead | underline | scale | swatch


@dataclass
class Text:
    """Text at a baseline point; ``size`` is the font size (em) in mm."""

    x: float
    y: float
    text: str
    size: float
    anchor: str  # start | middle | end
    role: str  # numeral | caption | sheet | legend | scale
    color: str = BLACK

    def box(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of the inked glyphs, y down."""
        x0, y0, x1, y1 = _extents(self.text)
        w = (x1 - x0) * self.size
        left = {"start": self.x, "middle": self.x - w / 2, "end": self.x - w}[self.anchor]
        return (left, self.y - y1 * self.size, left + w, self.y - y0 * self.size)


@dataclass
class Lead:
    """A lead line from a numeral to the part it names (for the checks)."""

    numeral: str
    start: tuple[float, float]
    end: tuple[float, float]
    target: BaseGeometry
    label: Text


@dataclass
class Drawn:
    """One region as drawn (mm) with its hatch, for the checks."""

    material: str
    numeral: str | None
    area: BaseGeometry
    hatch: st.Hatch | None
    panel: int


@dataclass
class Page:
    """One sheet or one figure."""

    name: str
    width: float
    height: float
    style: str
    profile: st.Profile
    items: list[Shape | Lines | Text] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    drawn: list[Drawn] = field(default_factory=list)
    is_sheet: bool = False


@lru_cache(maxsize=4096)
def _extents(text: str) -> tuple[float, float, float, float]:
    """Ink extents of ``text`` at font size 1 (y up)."""
    if not text.strip():
        return (0.0, 0.0, 0.0, 0.0)
    e = TextPath((0, 0), st.literal(text), size=1.0,
                 prop=FontProperties(family=FONT)).get_extents()
    return (0.0, e.y0, e.x1, e.y1)


# ------------------------------------------------------------------ settings
@dataclass(frozen=True)
class Settings:
    """What the caller chose; every length in mm."""

    style: str = "patent"
    profile: st.Profile = st.PROFILES["a4"]
    panels_per_sheet: int = 3
    exaggeration: float = 1.0
    scale: float | None = None  # mm per µm; None: fit
    palette: str = "default"  # default | cb (Okabe–Ito)
    gutter: float = 16.0
    dimensions: bool = False  # draw bump heights and widths, void widths and depths


def settings(*, style: str = "patent", profile: str = "a4", panels_per_sheet: int = 3,
             exaggeration: float = 1.0, scale: float | None = None,
             palette: str = "default", dimensions: bool = False) -> Settings:
    """Validated settings (clear errors naming the option)."""
    st.check_style(style)
    prof = st.profile(profile)
    if isinstance(panels_per_sheet, bool) or not isinstance(panels_per_sheet, int) \
            or panels_per_sheet < 1:
        raise InputError(f"render: 'panels_per_sheet' must be an integer >= 1 "
                         f"(got {panels_per_sheet!r})")
    ex = exaggeration_arg("render", exaggeration)
    sc = None if scale is None else require_length("render", "scale", scale, allow_zero=False)
    if palette not in ("default", "cb"):
        raise InputError(f"render: {palette!r} is not a valid 'palette', must be one of "
                         f"'default', 'cb'")
    return Settings(style, prof, panels_per_sheet, ex, sc, palette, dimensions=bool(dimensions))


# ------------------------------------------------------------------- layout
@dataclass
class Layout:
    """Scale and positions shared by every panel of a sequence."""

    scale: float  # mm per µm (horizontal)
    x_ref: float  # µm at the left edge of every drawing
    width: float  # mm: the widest drawing of the sequence
    slot_height: float  # mm available to one panel's drawing
    hatches: dict[str, st.Hatch]
    sides: dict[str, str]


def plan(snaps: Sequence[Snapshot], cfg: Settings) -> Layout:
    """One scale for the whole sequence, fitted to the sheet (or checked)."""
    if not snaps:
        raise InputError("render: nothing to draw (the flow marks no figures)")
    prof = cfg.profile
    _, _, sw, sh = prof.sight
    x_ref = min(s.section.x0 for s in snaps)
    x_end = max(s.section.x1 for s in snaps)
    width = x_end - x_ref
    height = max(max(s.section.zmax - s.section.zmin, 1e-9) for s in snaps)
    per = 1 if not prof.side_by_side and cfg.panels_per_sheet < 1 else cfg.panels_per_sheet
    band = prof.sheet_digit + 6.0
    if cfg.style == "color":  # room for the legend below the last panel
        scratch = Page("", prof.sheet[0], prof.sheet[1], cfg.style, prof)
        band += 2.0 + legend(scratch, [s.section for s in snaps], cfg.palette, 0.0, 0.0, sw - 1.0)
    caption = prof.caption_digit + 4.0 + 6.0
    slot = (sh - band) / per - caption
    draw_w = sw - 2 * cfg.gutter
    fit = min(draw_w / width, slot / (height * cfg.exaggeration))
    scale = fit if cfg.scale is None else cfg.scale
    if scale > fit * (1 + 1e-9):
        need_w, need_h = width * scale, height * scale * cfg.exaggeration
        raise InputError(
            f"render: at 'scale' {scale} mm/µm a figure needs {need_w:.1f} × {need_h:.1f} mm "
            f"but a panel of profile {prof.name!r} with {per} per sheet has "
            f"{draw_w:.1f} × {slot:.1f} mm; lower 'scale' or 'panels_per_sheet'")
    return Layout(scale, x_ref, width * scale, slot, _hatches(snaps), {})


def _hatches(snaps: Sequence[Snapshot]) -> dict[str, st.Hatch]:
    """Hatch per material: its class's pattern, a variant per further material."""
    out: dict[str, st.Hatch] = {}
    count: dict[str, int] = {}
    for snap in snaps:
        for r in snap.section.regions:
            if r.material in out:
                continue
            cls = snap.section.materials[r.material].cls
            k = count.get(cls, 0)
            count[cls] = k + 1
            out[r.material] = st.HATCHES[cls].variant(k)
    return out


def colour(section: Section, material: str, palette: str) -> str:
    cls = section.materials[material].cls
    if palette == "cb":
        return {"solder_resist": "#009E73"}.get(material, st.OKABE_ITO[cls])
    return st.PALETTE.get(material) or st.CLASS_PALETTE[cls]


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
    for r in sec.regions:
        area = to_mm(r.geometry)
        thick = _thickness(area)
        if thick < st.MIN_LAYER:
            area = _thicken(area, thick, left + (sec.x0 - lay.x_ref) * s,
                            left + (sec.x1 - lay.x_ref) * s)
        drawn.append((thick, r, area))
    drawn.sort(key=lambda item: -item[0])  # thin films last, on top
    for _, r, area in drawn:
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
            page.items.append(Shape(rings, colour(sec, r.material, cfg.palette), st.COLOR_EDGE,
                                    st.COLOR_OUTLINE))
        page.drawn.append(Drawn(r.material, r.numeral, area, spec, index))
    height = (sec.zmax - sec.zmin) * v
    _numerals(page, sec, lay, cfg, to_mm, left, top, height, index)
    if cfg.dimensions:
        _dimensions(page, sec, to_mm)
    return height


def _dimensions(page: Page, sec: Section, to_mm) -> None:  # type: ignore[no-untyped-def]
    """Dimension lines with values: bump height and width, void width and depth."""
    from ..report import figure_measurements

    data = figure_measurements(sec)
    colour = BLACK if page.style == "patent" else "#1f3a93"
    size = st.font_size(2.2)
    for b in data["bumps"]:
        half = b["max_width"] / 2
        base = b["apex_z"] - b["height"]
        (x1, y1), (x2, y2) = _pts(to_mm, [(b["x"] + half, base), (b["x"] + half, b["apex_z"])])
        x = x1 + 1.5
        _dim(page, (x, y1), (x, y2), f"{b['height']:.1f}", colour, size, vertical=True)
        (a1, ya), (a2, _) = _pts(to_mm, [(b["x"] - half, b["max_width_z"]),
                                         (b["x"] + half, b["max_width_z"])])
        _dim(page, (a1, y2 - 2.5), (a2, y2 - 2.5), f"{b['max_width']:.1f}", colour, size)
    for v in data["concavities"]:
        w, z, sign = v["interface_width"], v["mouth_z"], 1.0 if v["opens"] == "up" else -1.0
        (x1, y1), (x2, _), (_, yb) = _pts(to_mm, [(v["x"] - w / 2, z), (v["x"] + w / 2, z),
                                                   (v["x"], z - sign * v["depth"])])
        _dim(page, (x1, y1), (x2, y1), f"{w:.1f}", colour, size, below=sign < 0)
        _dim(page, ((x1 + x2) / 2, y1), ((x1 + x2) / 2, yb), f"{v['depth']:.1f}", colour, size,
             vertical=True)


def _pts(to_mm, pts):  # type: ignore[no-untyped-def]
    return [tuple(c) for c in shapely.get_coordinates(to_mm(shapely.MultiPoint(pts)))]


def _dim(page: Page, a: tuple[float, float], b: tuple[float, float], text: str, colour: str,
         size: float, vertical: bool = False, below: bool = False) -> None:
    """A dimension line from a to b with end ticks and its value beside it."""
    (ax, ay), (bx, by) = a, b
    tick = 0.8
    if vertical:
        segs = [[a, b], [(ax - tick, ay), (ax + tick, ay)], [(bx - tick, by), (bx + tick, by)]]
        label = Text(ax + 1.0, (ay + by) / 2 + size * st.DIGIT_EM / 2, text, size, "start",
                     "dimension", colour)
    else:
        segs = [[a, b], [(ax, ay - tick), (ax, ay + tick)], [(bx, by - tick), (bx, by + tick)]]
        y = ay + 0.8 + size * st.DIGIT_EM if below else ay - 0.8
        label = Text((ax + bx) / 2, y, text, size, "middle", "dimension", colour)
    page.items.append(Lines(np.array(segs, dtype=float), 0.2, colour, "dimension"))
    page.items.append(label)


def _thickness(area: BaseGeometry) -> float:
    """Drawn thickness (mm): twice the largest inscribed radius of its parts."""
    best = 0.0
    for part in g.polygons(area):
        if part.area <= 0:
            continue
        if 4 * part.area / part.length > 2 * st.MIN_LAYER:
            return math.inf  # the mean width alone shows it is no thin film
        circle = shapely.maximum_inscribed_circle(part, tolerance=0.01)
        best = max(best, 2 * circle.length)
    return best


def _thicken(area: BaseGeometry, thick: float, x0: float, x1: float) -> BaseGeometry:
    """Grow a thin film to the minimum drawn thickness, within the cut planes."""
    grown = shapely.buffer(area, (st.MIN_LAYER - thick) / 2 + 1e-3, quad_segs=4)
    return shapely.clip_by_rect(grown, x0, -1e6, x1, 1e6)


def _rings(area: BaseGeometry) -> list[np.ndarray]:
    out = []
    for p in g.polygons(area):
        out.append(np.asarray(p.exterior.coords))
        out.extend(np.asarray(r.coords) for r in p.interiors)
    return out


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
        else:
            geom = g.intersection(lab.geometry, sec.union_of(materials=[lab.material or ""]))
        geom = g.clean(geom)
        if not geom.is_empty:
            out.setdefault(lab.numeral, []).append(geom)
    return {k: to_mm(g.union(v)) for k, v in out.items()}


def _numerals(page: Page, sec: Section, lay: Layout, cfg: Settings, to_mm,  # type: ignore[no-untyped-def]
              left: float, top: float, height: float, index: int) -> None:
    prof = cfg.profile
    size = st.font_size(prof.numeral_digit)
    right = left + lay.width
    mid = left + ((sec.x0 + sec.x1) / 2 - lay.x_ref) * lay.scale
    placed: dict[str, list[tuple[str, tuple[float, float], BaseGeometry]]] = {"L": [], "R": []}
    for numeral, target in sorted(_targets(sec, to_mm).items()):
        side = lay.sides.get(numeral)
        if side is None:
            side = "L" if target.centroid.x < mid else "R"
            lay.sides[numeral] = side
        anchor, part = _anchor(target, side, mid)
        placed[side].append((numeral, anchor, part))
    pitch = prof.numeral_digit + 2.0
    for side, items in placed.items():
        if not items:
            continue
        items.sort(key=lambda it: it[1][1])
        ys = _spread([it[1][1] for it in items], pitch, top + prof.numeral_digit / 2,
                     top + max(height, pitch * len(items)) - prof.numeral_digit / 2)
        ys = _uncross(items, ys, side, left, right)
        for (numeral, anchor, part), y in zip(items, ys):
            base = y + prof.numeral_digit / 2
            if side == "L":
                text = Text(left - 4.0, base, numeral, size, "end", "numeral")
                start = (text.box()[2] + st.LEAD_GAP, y)
            else:
                text = Text(right + 4.0, base, numeral, size, "start", "numeral")
                start = (text.box()[0] - st.LEAD_GAP, y)
            page.items.append(text)
            page.items.append(Lines(np.array([[start, anchor]]), st.THIN, BLACK, "lead"))
            page.leads.append(Lead(numeral, start, anchor, part, text))


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


def _uncross(items: list, ys: list[float], side: str, left: float,  # type: ignore[type-arg]
             right: float) -> list[float]:
    """Swap label rows until no two straight leads of one gutter cross."""
    x = left - 2.0 if side == "L" else right + 2.0
    ys = list(ys)
    for _ in range(len(items) ** 2 + 1):
        lines = [LineString([(x, y), it[1]]) for it, y in zip(items, ys)]
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


# --------------------------------------------------------------- decoration
def caption(fig: str, profile: st.Profile) -> str:
    """'FIG. 1A', or '【図1A】' in the JPO profile; nothing for a blank id."""
    if not fig.strip():
        return ""
    return f"【図{fig}】" if profile.caption_above else f"FIG. {fig}"


def scale_bar(page: Page, lay: Layout, left: float, y: float) -> None:
    """A graphic scale bar of a round length (report style)."""
    target = 25.0 / lay.scale  # about 25 mm worth of µm
    exp = 10 ** math.floor(math.log10(target))
    length = max(m * exp for m in (1, 2, 5) if m * exp <= target)
    w = length * lay.scale
    segs = np.array([[(left, y), (left + w, y)], [(left, y - 1), (left, y + 1)],
                     [(left + w, y - 1), (left + w, y + 1)]])
    page.items.append(Lines(segs, 0.35, BLACK, "scale"))
    page.items.append(Text(left + w + 2.0, y + 1.2, f"{length:g} µm", st.font_size(2.5),
                           "start", "scale"))


def legend(page: Page, sections: Sequence[Section], palette: str, left: float, y: float,
           width: float) -> float:
    """Swatches and names of the materials drawn; returns the height used."""
    names: dict[str, Section] = {}
    for sec in sections:
        for r in sec.regions:
            names.setdefault(r.material, sec)
    x, row, size = left, 0, st.font_size(2.5)
    for name, sec in names.items():
        label = Text(x + 6.0, y + row * 6.0 + 3.0, name.replace("_", " "), size, "start",
                     "legend")
        w = 6.0 + (label.box()[2] - label.box()[0]) + 5.0
        if x + w > left + width and x > left:
            x, row = left, row + 1
            label = Text(x + 6.0, y + row * 6.0 + 3.0, label.text, size, "start", "legend")
        sw = np.array([[x, y + row * 6.0], [x + 4.5, y + row * 6.0],
                       [x + 4.5, y + row * 6.0 + 3.5], [x, y + row * 6.0 + 3.5],
                       [x, y + row * 6.0]])
        page.items.append(Shape([sw], colour(sec, name, palette), st.COLOR_EDGE, 0.2))
        page.items.append(label)
        x += w
    return (row + 1) * 6.0


# ---------------------------------------------------------------- documents
def sheets(snaps: Sequence[Snapshot], cfg: Settings, lay: Layout) -> list[Page]:
    """Sheets of stacked panels, numbered n/N, no frame."""
    prof = cfg.profile
    sx, sy, sw, sh = prof.sight
    per = cfg.panels_per_sheet
    groups = [list(snaps[i:i + per]) for i in range(0, len(snaps), per)]
    pages = []
    cap_size = st.font_size(prof.caption_digit)
    for n, group in enumerate(groups, start=1):
        page = Page(f"sheet-{n}", prof.sheet[0], prof.sheet[1], cfg.style, prof, is_sheet=True)
        page.items.append(Text(sx + sw / 2, sy + prof.sheet_digit + 0.5, f"{n}/{len(groups)}",
                               st.font_size(prof.sheet_digit), "middle", "sheet"))
        y = sy + prof.sheet_digit + 6.0
        left = sx + (sw - lay.width) / 2
        for snap in group:
            i = snaps.index(snap)
            if prof.caption_above:
                y += prof.caption_digit
                page.items.append(Text(sx + sw / 2, y, caption(snap.figure or "", prof),
                                       cap_size, "middle", "caption"))
                y += 4.0
            h = draw_panel(page, snap, lay, cfg, left, y, i)
            y += max(h, 0.0)
            if not prof.caption_above:
                y += 4.0 + prof.caption_digit
                page.items.append(Text(sx + sw / 2, y, caption(snap.figure or "", prof),
                                       cap_size, "middle", "caption"))
            if cfg.style == "color":
                scale_bar(page, lay, sx + 0.5, y - prof.caption_digit / 2)
            y += 6.0
        if cfg.style == "color":
            legend(page, [s.section for s in group], cfg.palette, sx + 0.5, y + 2.0, sw - 1.0)
        pages.append(page)
    return pages


def figure_pages(snaps: Sequence[Snapshot], cfg: Settings, lay: Layout) -> list[Page]:
    """One page per figure, sized to it (same scale as the sheets)."""
    prof = cfg.profile
    pages = []
    margin = 5.0
    for i, snap in enumerate(snaps):
        sec = snap.section
        w_draw = lay.width
        h_draw = (sec.zmax - sec.zmin) * lay.scale * cfg.exaggeration
        pitch = prof.numeral_digit + 2.0
        rows = max(1, len(sec.numerals()))
        h_labels = pitch * rows
        width = margin * 2 + cfg.gutter * 2 + w_draw
        page = Page(f"fig-{snap.figure}", width, 0.0, cfg.style, prof)
        cap_h = prof.caption_digit + 4.0
        top = margin + (cap_h if prof.caption_above else 0.0) + (6.0 if cfg.dimensions else 0.0)
        if prof.caption_above:
            page.items.append(Text(width / 2, margin + prof.caption_digit,
                                   caption(snap.figure or "", prof),
                                   st.font_size(prof.caption_digit), "middle", "caption"))
        draw_panel(page, snap, lay, cfg, margin + cfg.gutter, top, i)
        body = max(h_draw, h_labels)
        y = top + body
        if not prof.caption_above:
            y += 4.0 + prof.caption_digit
            page.items.append(Text(width / 2, y, caption(snap.figure or "", prof),
                                   st.font_size(prof.caption_digit), "middle", "caption"))
        if cfg.style == "color":
            scale_bar(page, lay, margin + cfg.gutter, y + 6.0)
            y += 10.0
            y += legend(page, [sec], cfg.palette, margin, y, width - 2 * margin)
        page.height = y + margin
        pages.append(page)
    return pages


__all__ = ["Drawn", "Layout", "Lead", "Lines", "Page", "Settings", "Shape", "Text",
           "figure_pages", "plan", "settings", "sheets"]


def on_sheet(page: Page, cfg: Settings) -> Page:
    """A sheet holding one figure page, centred in the sight (no scaling)."""
    prof = cfg.profile
    sx, sy, sw, sh = prof.sight
    band = prof.sheet_digit + 6.0
    if page.width > sw or page.height > sh - band:
        raise InputError(f"render: figure {page.name} ({page.width:.0f} × {page.height:.0f} mm) "
                         f"does not fit the sight of profile {prof.name!r} ({sw} × {sh} mm)")
    dx = sx + (sw - page.width) / 2
    dy = sy + band
    sheet = Page("sheet", prof.sheet[0], prof.sheet[1], cfg.style, prof, is_sheet=True)
    for item in page.items:
        if isinstance(item, Shape):
            sheet.items.append(Shape([r + (dx, dy) for r in item.rings], item.fill, item.stroke,
                                     item.width))
        elif isinstance(item, Lines):
            sheet.items.append(Lines(item.segs + (dx, dy), item.width, item.color, item.role))
        else:
            sheet.items.append(Text(item.x + dx, item.y + dy, item.text, item.size,
                                    item.anchor, item.role, item.color))
    return sheet


def number_sheet(sheet: Page, n: int, total: int) -> None:
    """Name the sheet and (re)write its 'n/N' number."""
    prof = sheet.profile
    sx, sy, sw, _ = prof.sight
    sheet.name = f"sheet-{n}"
    sheet.items = [i for i in sheet.items if not (isinstance(i, Text) and i.role == "sheet"
                                                   and "/" in i.text)]
    sheet.items.insert(0, Text(sx + sw / 2, sy + prof.sheet_digit + 0.5, f"{n}/{total}",
                               st.font_size(prof.sheet_digit), "middle", "sheet"))
