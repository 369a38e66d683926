"""Hatching as explicit line segments clipped to a region (sheet mm, y down).

Lines are anchored to the sheet origin, not to the region, so one material
continues seamlessly across touching bodies and panels look alike.
"""

from __future__ import annotations

import math

import numpy as np
from shapely.geometry.base import BaseGeometry

from ..geometry import scan
from .style import Hatch


def hatch_segments(area: BaseGeometry, spec: Hatch) -> np.ndarray:
    """Segments (n, 2, 2) of ``spec`` inside ``area`` (mm, y down)."""
    if area.is_empty:
        return np.zeros((0, 2, 2))
    out = [_family(area, spec, angle) for angle in spec.angles]
    return np.concatenate(out) if out else np.zeros((0, 2, 2))


def _family(area: BaseGeometry, spec: Hatch, angle: float) -> np.ndarray:
    th = math.radians(angle)
    d = np.array([math.cos(th), -math.sin(th)])  # visual angle, y down
    n = np.array([math.sin(th), math.cos(th)])
    minx, miny, maxx, maxy = area.bounds
    corners = np.array([[minx, miny], [minx, maxy], [maxx, miny], [maxx, maxy]])
    proj_n = corners @ n
    k0 = math.floor(proj_n.min() / spec.pitch) - 1
    k1 = math.ceil(proj_n.max() / spec.pitch) + 1
    offsets = np.concatenate([np.arange(k0, k1 + 1) * spec.pitch + b for b in spec.band])
    offsets = np.sort(offsets)
    line, s0, s1 = scan(area, n, d, offsets)
    keep = s1 > s0
    o = offsets[line[keep]][:, None] * n
    arr = np.stack([o + s0[keep, None] * d, o + s1[keep, None] * d], axis=1)
    if not len(arr):
        return np.zeros((0, 2, 2))
    if spec.dashes:
        arr = dash_segments(arr, d, spec.dashes)
    return arr


def dash_segments(segs: np.ndarray, d: np.ndarray, dashes: tuple[float, ...]) -> np.ndarray:
    """Cut segments (n, 2, 2) into dashes (on, off, on, off … mm) whose phase is
    anchored along the unit direction ``d`` on the sheet."""
    period = float(sum(dashes))
    on = []
    pos = 0.0
    for i, length in enumerate(dashes):
        if i % 2 == 0:
            on.append((pos, pos + length))
        pos += length
    out = []
    for a, b in segs:
        ta, tb = float(a @ d), float(b @ d)
        if tb < ta:
            a, b, ta, tb = b, a, tb, ta
        span = tb - ta
        if span <= 0:
            continue
        m0 = math.floor(ta / period)
        m1 = math.floor(tb / period)
        for m in range(m0, m1 + 1):
            for lo, hi in on:
                s, e = max(ta, m * period + lo), min(tb, m * period + hi)
                if e > s:
                    out.append((a + (b - a) * (s - ta) / span, a + (b - a) * (e - ta) / span))
    return np.array(out, dtype=float) if out else np.zeros((0, 2, 2))
