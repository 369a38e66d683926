"""Sheets and figure pages (mm, y down) from the snapshots of a flow: one
scale for the sequence, panels stacked per sheet, captions, sheet numbers,
legend and scale bar."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..errors import InputError
from ..flow import Snapshot
from ..section import Section
from ..tolerances import tol
from . import style as st
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


def fit_layout(snaps: Sequence[Snapshot], cfg: Settings) -> Layout:
    """One scale for the whole sequence, fitted to the sheet (or checked)."""
    if not snaps:
        raise InputError("render: nothing to draw (the flow marks no figures)")
    prof = cfg.profile
    _, _, sw, sh = prof.sight
    x_ref = min(s.section.x0 for s in snaps)
    x_end = max(s.section.x1 for s in snaps)
    width = x_end - x_ref
    height = max(max(s.section.zmax - s.section.zmin, tol.grid) for s in snaps)
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
    if scale > fit * (1 + tol.slack):
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


# --------------------------------------------------------------- decoration
def caption(fig: str, profile: st.Profile) -> str:
    """'FIG. 1A', or '【図1A】' in the JPO profile; nothing for a blank id."""
    if not fig.strip():
        return ""
    return f"【図{fig}】" if profile.caption_above else f"FIG. {fig}"


def scale_bar(page: Page, lay: Layout, left: float, y: float, exaggeration: float = 1.0) -> None:
    """A graphic scale bar of a round length (report style); with heights
    exaggerated it says so ("heights ×4"), since the bar holds across only."""
    target = 25.0 / lay.scale  # about 25 mm worth of µm
    exp = 10 ** math.floor(math.log10(target))
    length = max(m * exp for m in (1, 2, 5) if m * exp <= target)
    w = length * lay.scale
    segs = np.array([[(left, y), (left + w, y)], [(left, y - 1), (left, y + 1)],
                     [(left + w, y - 1), (left + w, y + 1)]])
    page.items.append(Lines(segs, 0.35, BLACK, "scale"))
    page.items.append(Text(left + w + 2.0, y + 1.2, f"{length:g} µm", st.font_size(2.5),
                           "start", "scale"))
    if exaggeration != 1.0:
        note = Text(left + w + 2.0, y + 4.2, f"heights ×{exaggeration:g}", st.font_size(2.5),
                    "start", "scale")
        page.items.append(note)


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
def sheets(snaps: Sequence[Snapshot], cfg: Settings, lay: Layout) -> list[Page]:
    """Sheets of stacked panels, numbered n/N, no frame."""
    prof = cfg.profile
    sx, sy, sw, _sh = prof.sight
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
                scale_bar(page, lay, sx + 0.5, y - prof.caption_digit / 2, cfg.exaggeration)
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
        width = margin * 2 + cfg.gutter * 2 + w_draw
        page = Page(f"fig-{snap.figure}", width, 0.0, cfg.style, prof)
        cap_h = prof.caption_digit + 4.0
        top = margin + (cap_h if prof.caption_above else 0.0) + (6.0 if cfg.dimensions else 0.0)
        if prof.caption_above:
            page.items.append(Text(width / 2, margin + prof.caption_digit,
                                   caption(snap.figure or "", prof),
                                   st.font_size(prof.caption_digit), "middle", "caption"))
        draw_panel(page, snap, lay, cfg, margin + cfg.gutter, top, i)
        # the caption sits under the ink (drawing, numerals, leads), not under
        # a column of every numeral stacked on one side
        y = max(top + h_draw, _ink_bottom(page))
        if not prof.caption_above:
            y += 4.0 + prof.caption_digit
            page.items.append(Text(width / 2, y, caption(snap.figure or "", prof),
                                   st.font_size(prof.caption_digit), "middle", "caption"))
        if cfg.style == "color":
            scale_bar(page, lay, margin + cfg.gutter, y + 6.0, cfg.exaggeration)
            y += 10.0
            y += legend(page, [sec], cfg.palette, margin, y, width - 2 * margin)
        page.height = y + margin
        pages.append(page)
    return pages




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
    dx = sx + (sw - page.width) / 2
    dy = sy + band
    sheet = Page("sheet", prof.sheet[0], prof.sheet[1], cfg.style, prof, is_sheet=True,
                 exaggeration=page.exaggeration)
    sheet.drawn = list(page.drawn)
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


__all__ = ["caption", "figure_pages", "fit_layout", "legend", "number_sheet", "on_sheet",
           "scale_bar", "sheets"]
