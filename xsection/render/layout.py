"""Sheets and figure pages (mm, y down) from the snapshots of a flow: one
scale for the sequence, panels stacked per sheet, captions, sheet numbers,
legend and scale bar."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
import shapely.affinity

from ..errors import InputError
from ..flow import Snapshot
from ..section import Section
from ..tolerances import tol
from . import style as st
from .drawing_rules import check_sheets
from .packing import (
    BLOCK_GAP,
    FILL_MIN_SCALE,
    FILL_SLACK,
    FILL_SPARE,
    FILL_TARGET,
    FULLER_TRIES,
    caption_figure,
    fills,
    group_of,
    pack,
)
from .page import (
    BLACK,
    Layout,
    Lines,
    Page,
    Settings,
    Shape,
    Text,
    colour,
    ink_boxes,
)
from .panel import (
    draw_panel,
)

#: Texts of a figure (caption, scale bar, notes) keep this far apart (mm).
TEXT_GAP = 0.5
#: A standalone figure page's margin round its content (mm).
PAGE_MARGIN = 5.0


def fit_layout(snaps: Sequence[Snapshot], cfg: Settings) -> Layout:
    """One scale for the whole sequence: the widest drawing uses the sight's
    width, unless the tallest figure (with its caption) would not fit one
    sheet's height; ``cfg.scale`` is used as given if it fits."""
    if not snaps:
        raise InputError("render: nothing to draw (the flow marks no figures)")
    prof = cfg.profile
    _, _, sw, _ = prof.sight
    x_ref = min(s.section.x0 for s in snaps)
    width = max(s.section.x1 for s in snaps) - x_ref
    height = max(max(s.section.zmax - s.section.zmin, tol.grid) for s in snaps)
    slot = _room(snaps, cfg) - _caption_room(cfg)
    draw_w = sw - 2 * cfg.gutter
    fit = min(draw_w / width, slot / (height * cfg.exaggeration))
    scale = fit if cfg.scale is None else cfg.scale
    if scale > fit * (1 + tol.slack):
        need_w, need_h = width * scale, height * scale * cfg.exaggeration
        raise InputError(
            f"render: at 'scale' {scale} mm/µm a figure needs {need_w:.1f} × {need_h:.1f} mm "
            f"but a sheet of profile {prof.name!r} has {draw_w:.1f} × {slot:.1f} mm for a "
            f"drawing; lower 'scale'")
    return Layout(scale, x_ref, width * scale, slot, _hatches(snaps), {})


def _room(snaps: Sequence[Snapshot], cfg: Settings) -> float:
    """The sight's height (mm) left for figures: less the sheet number band
    and, in colour, the legend of every material of the sequence."""
    prof = cfg.profile
    _, _, sw, sh = prof.sight
    band = prof.sheet_digit + 6.0
    if cfg.style == "color":
        scratch = Page("", prof.sheet[0], prof.sheet[1], cfg.style, prof)
        band += 2.0 + legend(scratch, [s.section for s in snaps], cfg.palette, 0.0, 0.0, sw - 1.0)
    return sh - band


def _caption_room(cfg: Settings) -> float:
    return cfg.profile.caption_digit + 4.0 + BLOCK_GAP


def fuller(snaps: Sequence[Snapshot], cfg: Settings, lay: Layout, drawn: list[Page],
           ) -> tuple[Layout, list[Page]]:
    """The largest scale, down to FILL_MIN_SCALE of ``lay``'s, at which every
    sheet but the last is at least FILL_TARGET full (each block's height
    predicted as its drawing scaled plus what does not scale: captions,
    numeral rows). A scale whose predicted packing fills the sheets with
    FILL_SPARE left on each (failing that, with none) is drawn and kept if
    its real blocks fill them; else the prediction learns their heights and
    the next smaller scale is tried, at most FULLER_TRIES times. If none
    fills them, the drawing with the fewest sheets under the target (the
    larger scale of equals). A
    drawing whose blocks fill the sheets must also pass the sheets' own check
    (ink measured on the sheets, legend included), which a packing of block
    heights can miss by a few per cent."""
    room = _room(snaps, cfg)
    groups = [group_of(s.figure or "") for s in snaps]

    def under(heights: Sequence[float], spare: float = 0.0) -> int:
        """Sheets under the target, packed with ``spare`` mm left on each."""
        used = fills(heights, pack(heights, groups, room - spare, cfg.panels_per_sheet), room)
        return sum(u < FILL_TARGET - FILL_SLACK for u in used[:-1])

    def missed(scaled: Layout, again: list[Page]) -> int:
        """Sheets under the target, or failing the check where none is."""
        return under([b.height for b in again]) or \
            len(check_sheets(sheets(snaps, cfg, scaled, again)))

    best = (missed(lay, drawn), 1.0, lay, drawn)
    if best[0] == 0:
        return lay, drawn
    drawing = [(s.section.zmax - s.section.zmin) * lay.scale * cfg.exaggeration for s in snaps]
    fixed = [max(b.height - d, 0.0) for b, d in zip(drawn, drawing)]
    scales = [1.0 - 0.02 * k for k in range(1, round((1 - FILL_MIN_SCALE) / 0.02) + 1)]
    for _ in range(FULLER_TRIES):
        # the largest scale predicted to fill them with room to spare, else exactly
        f = next((f for spare in (FILL_SPARE, 0.0) for f in scales
                  if not under([c + d * f for c, d in zip(fixed, drawing)], spare)), None)
        if f is None:
            break
        scaled = dataclasses.replace(lay, scale=lay.scale * f, width=lay.width * f, sides={})
        again = blocks(snaps, cfg, scaled)
        short = missed(scaled, again)
        if (short, -f) < (best[0], -best[1]):
            best = (short, f, scaled, again)
        if short == 0:
            break
        # numerals moved in or out of the bands: predict from what was drawn
        fixed = [max(b.height - d * f, 0.0) for b, d in zip(again, drawing)]
        scales = [s for s in scales if s < f]
    return best[2], best[3]


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


# --------------------------------------------------------------- decoration
def caption(fig: str, profile: st.Profile) -> str:
    """'FIG. 1A', or '【図1A】' in the JPO profile; nothing for a blank id."""
    if not fig.strip():
        return ""
    return f"【図{fig}】" if profile.caption_above else f"FIG. {fig}"


def scale_bar(page: Page, lay: Layout, left: float, y: float, exaggeration: float = 1.0,
              thickened: bool = False) -> None:
    """A graphic scale bar of a round length (report style); with heights
    exaggerated it says so ("heights ×4"), since the bar holds across only,
    and with films drawn thicker than they are, below what thickness."""
    target = 25.0 / lay.scale  # about 25 mm worth of µm
    exp = 10 ** math.floor(math.log10(target))
    length = max(m * exp for m in (1, 2, 5) if m * exp <= target)
    w = length * lay.scale
    segs = np.array([[(left, y), (left + w, y)], [(left, y - 1), (left, y + 1)],
                     [(left + w, y - 1), (left + w, y + 1)]])
    page.items.append(Lines(segs, 0.35, BLACK, "scale"))
    page.items.append(Text(left + w + 2.0, y + 1.2, f"{length:g} µm", st.font_size(2.5),
                           "start", "scale"))
    notes = [f"heights ×{exaggeration:g}"] if exaggeration != 1.0 else []
    if thickened:
        below = st.MIN_LAYER / (lay.scale * exaggeration)
        notes += [f"films under {below:.2g} µm", f"drawn {st.MIN_LAYER:g} mm thick"]
    for k, note in enumerate(notes):  # under the bar, clear of a centred caption
        page.items.append(Text(left, y + 4.6 + 3.8 * k, note, st.font_size(2.5), "start",
                               "scale"))


def legend(page: Page, sections: Sequence[Section], palette: str, left: float, y: float,
           width: float) -> float:
    """Swatches and names of the materials drawn; returns the height used."""
    names: dict[str, Section] = {}
    for sec in sections:
        for r in sec.regions:
            names.setdefault(r.material, sec)
    x, row, size = left, 0, st.font_size(2.5)
    for name, sec in names.items():
        label = Text(x + 6.0, y + row * 6.0 + 3.0, sec.materials[name].display, size, "start",
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
def blocks(snaps: Sequence[Snapshot], cfg: Settings, lay: Layout) -> list[Page]:
    """Each figure drawn once on a page of its own: the numeral gutters from
    x = 0, the drawing's top at y = 0 (below the caption in the JPO profile),
    then its caption and, in colour, its scale bar; ``height`` is where the
    ink ends."""
    prof = cfg.profile
    out = []
    cap_size = st.font_size(prof.caption_digit)
    for i, snap in enumerate(snaps):
        page = Page(f"fig-{snap.figure}", cfg.gutter * 2 + lay.width, 0.0, cfg.style, prof)
        y = 0.0
        if prof.caption_above:
            y += prof.caption_digit
            page.items.append(Text(page.width / 2, y, caption(snap.figure or "", prof), cap_size,
                                   "middle", "caption"))
            y += 4.0
        h = draw_panel(page, snap, lay, cfg, cfg.gutter, y, i)
        # the caption sits under the ink (drawing, numerals, leads)
        y = max(y + max(h, 0.0), _ink_bottom(page))
        if not prof.caption_above:
            y += 4.0 + prof.caption_digit
            page.items.append(Text(page.width / 2, y, caption(snap.figure or "", prof),
                                   cap_size, "middle", "caption"))
        if cfg.style == "color":  # beside the caption, at its left, or under it
            thick = any(d.thickened for d in page.drawn)
            first = len(page.items)
            scale_bar(page, lay, 0.5, y - prof.caption_digit / 2, cfg.exaggeration, thick)
            cap = next(i for i in reversed(page.items[:first]) if isinstance(i, Text)
                       and i.role == "caption")
            if any(isinstance(i, Text) and _overlap(i.box(), cap.box(), TEXT_GAP)
                   for i in page.items[first:]):
                del page.items[first:]
                scale_bar(page, lay, 0.5, y + 4.0, cfg.exaggeration, thick)
        top = min(0.0, min((b[1] for b in ink_boxes(page)), default=0.0))
        if top < 0:  # numerals or leads above the drawing: the block starts there
            moved = Page(page.name, page.width, 0.0, cfg.style, prof,
                         exaggeration=page.exaggeration)
            paste(page, moved, 0.0, -top)
            page, y = moved, y - top
        page.height = max(y, _ink_bottom(page))
        out.append(page)
    return out


def sheets(snaps: Sequence[Snapshot], cfg: Settings, lay: Layout,
           drawn: Sequence[Page]) -> list[Page]:
    """Sheets numbered n/N, no frame: the figures' blocks stacked and centred,
    packed by their real heights with figure groups kept together."""
    prof = cfg.profile
    sx, sy, sw, _sh = prof.sight
    room = _room(snaps, cfg)
    heights = [b.height for b in drawn]
    layout = pack(heights, [group_of(s.figure or "") for s in snaps], room,
                  cfg.panels_per_sheet)
    pages = []
    for n, members in enumerate(layout, start=1):
        page = Page(f"sheet-{n}", prof.sheet[0], prof.sheet[1], cfg.style, prof, is_sheet=True,
                    exaggeration=cfg.exaggeration)
        page.items.append(Text(sx + sw / 2, sy + prof.sheet_digit + 0.5, f"{n}/{len(layout)}",
                               st.font_size(prof.sheet_digit), "middle", "sheet"))
        y = sy + prof.sheet_digit + 6.0
        for j in members:
            paste(drawn[j], page, sx + (sw - drawn[j].width) / 2, y)
            y += drawn[j].height + BLOCK_GAP
        if cfg.style == "color":
            legend(page, [snaps[j].section for j in members], cfg.palette, sx + 0.5,
                   y - BLOCK_GAP + 2.0, sw - 1.0)
        pages.append(page)
    return pages


def figure_pages(snaps: Sequence[Snapshot], cfg: Settings, lay: Layout,
                 drawn: Sequence[Page]) -> list[Page]:
    """One page per figure, trimmed to its content (same scale as the
    sheets), with a legend in colour."""
    margin = PAGE_MARGIN
    pages = []
    for snap, block in zip(snaps, drawn):
        page = Page(block.name, block.width + 2 * margin, 0.0, cfg.style, cfg.profile,
                    exaggeration=cfg.exaggeration)
        paste(block, page, margin, margin)
        y = margin + block.height
        if cfg.style == "color":
            y += 4.0 + legend(page, [snap.section], cfg.palette, margin, y + 4.0, block.width)
        page.height = y + margin
        pages.append(page)
    return pages


def paste(src: Page, dst: Page, dx: float, dy: float) -> None:
    """Everything drawn on ``src`` (items, leads, drawn regions, panels) onto
    ``dst``, moved by (dx, dy) mm."""
    for item in src.items:
        if isinstance(item, Shape):
            dst.items.append(Shape([r + (dx, dy) for r in item.rings], item.fill, item.stroke,
                                   item.width))
        elif isinstance(item, Lines):
            dst.items.append(Lines(item.segs + (dx, dy), item.width, item.color, item.role))
        else:
            dst.items.append(dataclasses.replace(item, x=item.x + dx, y=item.y + dy))
    for lead in src.leads:
        dst.leads.append(dataclasses.replace(
            lead, start=(lead.start[0] + dx, lead.start[1] + dy),
            end=(lead.end[0] + dx, lead.end[1] + dy),
            target=shapely.affinity.translate(lead.target, dx, dy),
            before=None if lead.before is None else
            (lead.before[0], (lead.before[1][0] + dx, lead.before[1][1] + dy)),
            label=dataclasses.replace(lead.label, x=lead.label.x + dx, y=lead.label.y + dy)))
    for d in src.drawn:
        dst.drawn.append(dataclasses.replace(d, area=shapely.affinity.translate(d.area, dx, dy)))
    for p in src.panels:
        x0, y0, x1, y1 = p.frame
        dst.panels.append(dataclasses.replace(
            p, frame=(x0 + dx, y0 + dy, x1 + dx, y1 + dy),
            parts={n: shapely.affinity.translate(geom, dx, dy) for n, geom in p.parts.items()}))


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float],
             gap: float) -> bool:
    """Whether boxes ``a`` and ``b`` (x0, y0, x1, y1) come within ``gap``."""
    return not (a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1]
                or b[3] + gap <= a[1])


def _ink_bottom(page: Page) -> float:
    """The lowest y (mm, y down) that anything on ``page`` reaches."""
    return max((b[3] for b in ink_boxes(page)), default=0.0)


def on_sheet(page: Page, cfg: Settings) -> Page:
    """A sheet holding one figure page, centred in the sight (no scaling)."""
    prof = cfg.profile
    sx, sy, sw, sh = prof.sight
    band = prof.sheet_digit + 6.0
    if page.width > sw or page.height > sh - band:
        raise InputError(f"render: figure {page.name} ({page.width:.0f} × {page.height:.0f} mm) "
                         f"does not fit the sight of profile {prof.name!r} ({sw} × {sh} mm)")
    sheet = Page("sheet", prof.sheet[0], prof.sheet[1], cfg.style, prof, is_sheet=True,
                 exaggeration=page.exaggeration)
    paste(page, sheet, sx + (sw - page.width) / 2, sy + band)
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


__all__ = ["blocks", "caption", "caption_figure", "figure_pages", "fills", "fit_layout",
           "group_of", "legend", "number_sheet", "on_sheet", "pack", "paste", "scale_bar", "sheets"]
