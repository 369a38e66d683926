"""Axisymmetric volumes of sections revolved about a vertical axis (µm³)."""

from __future__ import annotations

import math

import shapely
import shapely.affinity
import shapely.errors
from shapely.geometry.base import BaseGeometry

from .shapes import (
    polygons,
)


def axisymmetric_volume(geom: BaseGeometry, axis_x: float) -> float:
    """Volume (µm³) of ``geom`` revolved about the vertical line x = ``axis_x``.

    V = π ∫ |x − axis_x| dA over the section (so each half counts once and a
    disk centred on the axis gives 4/3 π r³).

    >>> import math
    >>> from shapely.geometry import box
    >>> round(axisymmetric_volume(box(-2, 0, 2, 5), 0.0) / (math.pi * 2**2 * 5), 12)
    1.0
    """
    if geom.is_empty:
        return 0.0
    minx, miny, maxx, maxy = geom.bounds
    total = 0.0
    right = shapely.clip_by_rect(geom, axis_x, miny - 1, max(maxx, axis_x) + 1, maxy + 1)
    left = shapely.clip_by_rect(geom, min(minx, axis_x) - 1, miny - 1, axis_x, maxy + 1)
    for part, sign in ((right, 1.0), (left, -1.0)):
        if not part.is_empty and part.area > 0:
            total += sign * part.area * (part.centroid.x - axis_x)
    return math.pi * total


def own_axis_volume(geom: BaseGeometry) -> float:
    """Volume (µm³) of each connected part of ``geom`` revolved about the
    vertical axis through its own centroid, summed: a ball counts as its
    sphere πD³/6, a cap on its pad as the cap. What reflow conserves."""
    return sum(axisymmetric_volume(p, p.centroid.x) for p in polygons(geom))
