"""Figures that are not cross-sections: a plan view of a bump array with its
section line, and a binary phase diagram with the alloys used (seed 002,
Figs. 3 and 4). Both are built from the scene's primitives, so both
backends draw them and the figure check applies."""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import shapely

from .. import geometry as g
from ..errors import InputError
from ..materials import MaterialLibrary
from ..section import Region, Section
from . import style as st
from .hatch import dash_segments
from .layout import caption
from .page import BLACK, Layout, Lines, Page, Settings, Shape, Text

#: Pb–Sn (wt% Sn, °C): melting points, eutectic, limits of solubility.
PB_SN = {"pb_melt": 327.5, "sn_melt": 231.9, "eutectic_t": 183.0, "eutectic_c": 61.9,
         "alpha_max": 18.3, "beta_min": 97.8}


def _circle(cx: float, cy: float, r: float, n: int = 96) -> np.ndarray:
    t = np.linspace(0, 2 * math.pi, n + 1)
    return np.column_stack([cx + r * np.cos(t), cy + r * np.sin(t)])


def plan_page(fig: str, section: Section, spec: Mapping[str, Any], cfg: Settings,
              lay: Layout) -> Page:
    """Plan view: the device outline, the bumps of ``section`` repeated in
    ``rows`` at ``row_pitch`` (µm), and the cut line of ``section`` with its
    figure id at both ends."""
    prof = cfg.profile
    rows = int(spec.get("rows", 2))
    pitch = float(spec.get("row_pitch", section.width / 2))
    bumps = str(spec["bumps"])
    body = str(spec.get("body", ""))
    cut_fig = str(spec["of"])
    parts = g.polygons(section.union_of(numerals=[bumps]))
    if not parts:
        raise InputError(f"render: plan view {fig}: no bodies {bumps!r} in figure {cut_fig}")
    s = lay.scale
    margin, gutter = 2.0, 10.0
    width_mm = section.width * s
    depth_um = rows * pitch
    height_mm = depth_um * s
    page = Page(f"fig-{fig}", 2 * margin + 2 * gutter + width_mm, 0.0, cfg.style, prof)
    left, top = margin + gutter, margin + 6.0
    outline = np.array([[left, top], [left + width_mm, top], [left + width_mm, top + height_mm],
                        [left, top + height_mm], [left, top]])
    page.items.append(Shape([outline], None, BLACK, st.OUTLINE))
    radius = max(p.bounds[2] - p.bounds[0] for p in parts) / 2
    centres = [p.centroid.x for p in parts]
    cut_row = rows - 1
    for j in range(rows):
        y = top + (j + 0.5) * pitch * s
        for x in centres:
            page.items.append(Shape([_circle(left + (x - section.x0) * s, y, radius * s)], None,
                                    BLACK, st.OUTLINE))
    # the section line: dash-dot, arrows showing the viewing direction, labels at the ends
    yc = top + (cut_row + 0.5) * pitch * s
    x0, x1 = left - 6.0, left + width_mm + 6.0
    cut = dash_segments(np.array([[(x0, yc), (x1, yc)]]), np.array([1.0, 0.0]),
                        (6.0, 1.5, 1.0, 1.5))
    page.items.append(Lines(cut, 0.4, BLACK, "cut"))
    size = st.font_size(prof.caption_digit * 0.8)
    for x in (x0, x1):
        page.items.append(Lines(np.array([[(x, yc), (x, yc - 5.0)],
                                          [(x, yc - 5.0), (x - 1.0, yc - 3.0)],
                                          [(x, yc - 5.0), (x + 1.0, yc - 3.0)]]), 0.4, BLACK,
                                "cut"))
        page.items.append(Text(x, yc + 1.5 + size * st.DIGIT_EM, cut_fig, size, "middle",
                               "sheet"))
    # numerals: the bump array and the device
    nsize = st.font_size(prof.numeral_digit)
    first = (left + (max(centres) - section.x0) * s, top + 0.5 * pitch * s)
    label = Text(left + width_mm + 4.0, top + 2.0 + prof.numeral_digit, bumps, nsize, "start",
                 "numeral")
    page.items += [label, Lines(np.array([[(label.box()[0] - st.LEAD_GAP,
                                            top + 2.0 + prof.numeral_digit / 2), first]]),
                                st.THIN, BLACK, "lead")]
    if body:
        text = Text(left - 4.0, top + height_mm - 2.0, body, nsize, "end", "numeral")
        end = (left + 3.0, top + height_mm - 2.0 - prof.numeral_digit / 2)
        page.items += [text, Lines(np.array([[(text.box()[2] + st.LEAD_GAP, end[1]), end]]),
                                   st.THIN, BLACK, "lead")]
    y = top + height_mm + 4.0 + prof.caption_digit + 6.0
    page.items.append(Text(page.width / 2, y, caption(fig, prof),
                           st.font_size(prof.caption_digit), "middle", "caption"))
    page.height = y + margin
    return page


def phase_page(fig: str, spec: Mapping[str, Any], cfg: Settings,
               materials: MaterialLibrary) -> Page:
    """The Pb–Sn phase diagram (wt% Sn vs °C) with the alloys used marked."""
    prof = cfg.profile
    if spec.get("system", "Pb-Sn") != "Pb-Sn":
        raise InputError(f"render: phase diagram {fig}: only the 'Pb-Sn' system is known "
                         f"(got {spec.get('system')!r})")
    w, h, margin = 120.0, 90.0, 5.0
    left, top = margin + 18.0, margin + 8.0
    page = Page(f"fig-{fig}", left + w + 26.0, 0.0, cfg.style, prof)

    def pt(c: float, t: float) -> tuple[float, float]:
        return (left + c / 100.0 * w, top + h - t / 350.0 * h)

    p = PB_SN
    frame = np.array([pt(0, 0), pt(100, 0), pt(100, 350), pt(0, 350), pt(0, 0)])
    page.items.append(Shape([frame], None, BLACK, st.OUTLINE))
    curves = [
        [pt(0, p["pb_melt"]), pt(p["eutectic_c"], p["eutectic_t"]), pt(100, p["sn_melt"])],
        [pt(0, p["pb_melt"]), pt(p["alpha_max"], p["eutectic_t"])],
        [pt(100, p["sn_melt"]), pt(p["beta_min"], p["eutectic_t"])],
        [pt(p["alpha_max"], p["eutectic_t"]), pt(p["beta_min"], p["eutectic_t"])],
        [pt(p["alpha_max"], p["eutectic_t"]), pt(8.0, 100.0), pt(2.0, 0.0)],
        [pt(p["beta_min"], p["eutectic_t"]), pt(99.5, 0.0)],
    ]
    segs = [[a, b] for c in curves for a, b in itertools.pairwise(c)]
    page.items.append(Lines(np.array(segs), st.OUTLINE, BLACK, "curve"))
    small = st.font_size(3.2)
    ticks = []
    for c in range(0, 101, 20):
        x, y = pt(c, 0)
        ticks.append([(x, y), (x, y + 1.5)])
        page.items.append(Text(x, y + 2.0 + 3.2, str(c), small, "middle", "axis"))
    for t in range(0, 351, 50):
        x, y = pt(0, t)
        ticks.append([(x - 1.5, y), (x, y)])
        page.items.append(Text(x - 2.5, y + 1.6, str(t), small, "end", "axis"))
    page.items.append(Lines(np.array(ticks), st.THIN, BLACK, "tick"))
    page.items.append(Text(left + w / 2, top + h + 12.0, "Sn (wt%)", small, "middle", "axis"))
    page.items.append(Text(left - 2.0, top - 3.0, "T (°C)", small, "end", "axis"))
    for text, c, t in (("L", 45, 280), ("α", 4, 230), ("α+L", 22, 225), ("β+L", 86, 200),
                       ("α+β", 55, 90), ("β", 103, 140)):
        x, y = pt(c, t)
        page.items.append(Text(x, y, text, small, "middle", "axis"))
    # the alloys used: a dashed vertical at each composition, with its name
    for k, name in enumerate(spec.get("mark", [])):
        mat = materials[str(name)]
        sn = _sn_wt(mat.name)
        lo, hi = pt(sn, 0), pt(sn, 350)
        page.items.append(Lines(dash_segments(np.array([[lo, hi]]), np.array([0.0, -1.0]),
                                              (3.0, 1.5)), st.THIN, BLACK, "mark"))
        page.items.append(Text(hi[0] + 1.0, top + 6.0 + 5.0 * k, mat.name, small, "start",
                               "axis"))
        if mat.liquidus is not None:
            page.items.append(Shape([_circle(*pt(sn, mat.liquidus), 0.8, 24)], BLACK, BLACK, 0.1))
    y = top + h + 14.0 + prof.caption_digit + 6.0
    page.items.append(Text(page.width / 2, y, caption(fig, prof),
                           st.font_size(prof.caption_digit), "middle", "caption"))
    page.height = y + margin
    return page


def _sn_wt(name: str) -> float:
    """wt% Sn from an alloy name such as Sn63Pb37 or Pb83Sn17."""
    import re

    m = re.search(r"Sn(\d+(?:\.\d+)?)", name)
    if not m:
        raise InputError(f"render: cannot read the tin content of {name!r}")
    return float(m.group(1))


def detail_section(section: Section, window: tuple[float, float, float, float]) -> Section:
    """The part of ``section`` inside ``window`` (x0, z0, x1, z1 in µm), to be
    drawn enlarged as a detail view; the window's sides are its cut planes."""
    x0, z0, x1, z1 = window
    frame = shapely.box(x0, z0, x1, z1)
    regions = []
    for r in section.regions:
        part = g.clean(g.intersection(r.geometry, frame))
        if not part.is_empty and part.area > 0:
            regions.append(Region(part, r.material, r.numeral))
    labels = []
    for lab in section.labels:
        part = g.clean(g.intersection(lab.geometry, frame))
        if not part.is_empty and part.area > 0:
            labels.append(dataclasses.replace(lab, geometry=part))
    if not regions:
        raise InputError(f"render: the detail window {window} holds nothing of the section")
    return Section(x0, x1, tuple(regions), tuple(labels), section.materials)
