"""Shape helpers: cleaning, parts, lines, chords, intervals (µm, z up)."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import shapely
import shapely.affinity
import shapely.errors
from shapely.geometry import LineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from ..tolerances import tol

EMPTY = Polygon()

#: A z (µm) beyond any section: the bound of clips that keep all of z.
FAR = 1e12


def clean(geom: BaseGeometry | None) -> Polygon | MultiPolygon:
    """Snap to the grid, make valid, keep the polygonal parts above the sliver area."""
    if geom is None or geom.is_empty:
        return EMPTY
    geom = shapely.set_precision(geom, tol.grid, mode="pointwise")
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = [p for p in polygons(geom) if p.area > tol.area]
    if not parts:
        return EMPTY
    if len(parts) == 1:
        return parts[0]
    return MultiPolygon(parts)


def as_array(result: object) -> np.ndarray[Any, np.dtype[np.object_]]:
    """A vectorised shapely result (one geometry or an array of them) as a
    1-d object array."""
    return np.atleast_1d(np.asarray(result, dtype=object))


def polygonal(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """``geom`` as the areal type a region stores: itself where it is a
    polygon or multipolygon already, else its cleaned areal part."""
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    return clean(geom)


def polygons(geom: BaseGeometry | None) -> list[Polygon]:
    """The polygon parts of any geometry (collections flattened, lines dropped)."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    out: list[Polygon] = []
    for part in getattr(geom, "geoms", ()):
        out.extend(polygons(part))
    return out


def lines(geom: BaseGeometry | None) -> list[LineString]:
    """The line parts of any geometry (points and polygons dropped)."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, LineString):
        return [geom]
    if geom.geom_type == "LinearRing":
        return [LineString(geom.coords)]
    out: list[LineString] = []
    for part in getattr(geom, "geoms", ()):
        out.extend(lines(part))
    return out


def _is_areal(geom: BaseGeometry) -> bool:
    return geom.geom_type in ("Polygon", "MultiPolygon")


def _areal_if(geom: BaseGeometry, areal: bool) -> BaseGeometry:
    """``geom`` reduced to its polygons where the overlay was of areas."""
    if not areal or (_is_areal(geom) and not geom.is_empty):
        return geom
    polys = polygons(geom)
    if not polys:
        return EMPTY
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def _single_dim(geom: BaseGeometry) -> BaseGeometry:
    """A collection reduced to its highest-dimension parts (overlay needs one)."""
    if geom.geom_type != "GeometryCollection":
        return geom
    polys = polygons(geom)
    if polys:
        return MultiPolygon(polys)
    parts = lines(geom)
    return shapely.MultiLineString(parts) if parts else geom


def buffer(geom: BaseGeometry, distance: float, *, quad_segs: int | None = None) -> BaseGeometry:
    """Round buffer whose arcs keep the arc tolerance."""
    return shapely.buffer(geom, distance, quad_segs=quad_segs or tol.quad_segs())


def _rings_and_lines(geom: BaseGeometry) -> list[BaseGeometry]:
    out: list[BaseGeometry] = []
    for p in polygons(geom):
        out.append(p.exterior)
        out.extend(p.interiors)
    out.extend(lines(geom))
    return out


def hline(z: float, x0: float, x1: float) -> LineString:
    """Horizontal line from x0 to x1 at height z."""
    return LineString([(x0, z), (x1, z)])


def merge_intervals(items: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for a, b in sorted(items):
        if merged and a <= merged[-1][1] + tol.touch:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def in_spans(values: np.ndarray, lo: np.ndarray, hi: np.ndarray, *,
             low: Literal["left", "right"] = "left", high: Literal["left", "right"] = "right"
             ) -> tuple[np.ndarray, np.ndarray]:
    """Every (span, value) pair with sorted ``values[j]`` inside span i from
    lo[i] to hi[i], by two binary searches and no loop: ``low`` / ``high``
    are ``searchsorted`` sides ('left' keeps a value equal to lo, 'right'
    one equal to hi)::

        values  1   3   5   7        spans [2, 6], [6, 8]
        pairs   (0, 1) (0, 2) (1, 3)
    """
    first = np.searchsorted(values, lo, side=low)
    count = np.maximum(np.searchsorted(values, hi, side=high) - first, 0)
    span = np.repeat(np.arange(len(lo)), count)
    at = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count) \
        + np.repeat(first, count)
    return span, at


def domain_box(x0: float, x1: float, z0: float, z1: float) -> Polygon:
    """Axis-aligned box (x0, z0)–(x1, z1)."""
    return box(x0, z0, x1, z1)
