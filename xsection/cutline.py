"""Masks from a layout: a GDSII or OASIS cell cut along a line.

Each layer (``"1/0"``: number/datatype) becomes the x-intervals where the cut
line crosses its shapes; x is the distance along the cut from its start, in
µm, so the cut is the section's domain [0, length]::

    plan view (layout)                 cross-section masks along the cut
        +------+      +--+             pad  [a, b]        [c, d]
    A --|------|------|--|-- B         x:   0 ---- a==b ---- c==d ---- |AB|
        +------+      +--+

Shapes of sub-cells (references, arrays) count, placed as the layout places
them; paths count as the polygons they outline. Reading uses gdstk (a small,
permissively licensed C++ library that reads both GDSII and OASIS and writes
GDSII for the export).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shapely import LineString, Point, Polygon, unary_union

from .errors import InputError

#: A layer key: "number/datatype".
LAYER_KEY = re.compile(r"(\d{1,5})/(\d{1,5})")
_OASIS_MAGIC = b"%SEMI-OASIS\r\n"


@dataclass(frozen=True)
class Cut:
    """A cut line from ``start`` to ``end`` (layout coordinates, µm)."""

    start: tuple[float, float]
    end: tuple[float, float]

    @property
    def length(self) -> float:
        """|end − start| (µm): the section's width."""
        return math.dist(self.start, self.end)


def layer_key(where: str, value: object) -> tuple[int, int]:
    """``"1/0"`` or ``(1, 0)`` as (layer, datatype)."""
    if isinstance(value, str) and (m := LAYER_KEY.fullmatch(value.strip())):
        return int(m.group(1)), int(m.group(2))
    if (isinstance(value, (tuple, list)) and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)):
        return int(value[0]), int(value[1])
    raise InputError(f"{where}: a layer must be 'number/datatype' such as '1/0' "
                     f"(got {value!r})")


def _library(path: str) -> Any:
    """The gdstk library of a GDSII or OASIS file, in µm."""
    try:
        import gdstk
    except ImportError:
        raise InputError(f"{path}: reading layouts needs gdstk: pip install "
                         f"'xsection[layout]'") from None
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_OASIS_MAGIC))
    except FileNotFoundError:
        raise InputError(f"{path}: no such layout file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read the layout: {err.strerror}") from None
    reader = gdstk.read_oas if head == _OASIS_MAGIC else gdstk.read_gds
    try:
        return reader(path, unit=1e-6)
    except (RuntimeError, OSError, ValueError) as err:
        kind = "OASIS" if head == _OASIS_MAGIC else "GDSII"
        raise InputError(f"{path}: not a readable {kind} layout ({err})") from None


def _cell(path: str, library: Any, name: str | None) -> Any:
    cells = {c.name: c for c in library.cells}
    if name is None:
        tops = library.top_level()
        if len(tops) != 1:
            raise InputError(f"{path}: 'cell' must name one of the top cells "
                             f"({', '.join(sorted(c.name for c in tops)) or 'none'}); "
                             f"the layout has {len(tops)}")
        return tops[0]
    if name not in cells:
        raise InputError(f"{path}: no cell {name!r}; cells: {', '.join(sorted(cells))}")
    return cells[name]


def cut_layout(path: str | os.PathLike[str], *, cut: Cut | Sequence[Sequence[float]],
               layers: Mapping[str, str | tuple[int, int]], cell: str | None = None,
               ) -> dict[str, list[tuple[float, float]]]:
    """The x-intervals (µm along the cut) of each named layer of ``cell``
    (default: the only top cell) where the cut line crosses its shapes.

    ``layers`` maps a name to its ``"number/datatype"``. A layer the cut
    misses gives ``[]``; a layer with no shapes in the cell at all is an
    error (a wrong number, not a missed feature).
    """
    where = os.fspath(path)
    line = cut if isinstance(cut, Cut) else as_cut(where, cut)
    if line.length <= 0:
        raise InputError(f"{where}: 'cut' must have two different points (got {line})")
    library = _library(where)
    top = _cell(where, library, cell)
    shapes: dict[tuple[int, int], list[Polygon]] = {}
    for poly in top.get_polygons():
        shapes.setdefault((poly.layer, poly.datatype), []).append(Polygon(poly.points))
    for path_ in top.get_paths():
        for poly in path_.to_polygons():
            shapes.setdefault((poly.layer, poly.datatype), []).append(Polygon(poly.points))
    out = {}
    for name, spec in layers.items():
        key = layer_key(f"{where}: layer {name!r}", spec)
        if key not in shapes:
            have = ", ".join(f"{a}/{b}" for a, b in sorted(shapes)) or "none"
            raise InputError(f"{where}: layer {name!r} ({key[0]}/{key[1]}) has no shapes in "
                             f"cell {top.name!r}; layers present: {have}")
        out[name] = crossings(line, shapes[key])
    return out


def as_cut(where: str, value: object) -> Cut:
    """``[[x0, y0], [x1, y1]]`` (finite µm) as a ``Cut``; else an error
    naming ``where``."""
    def point(p: object) -> bool:
        return isinstance(p, (list, tuple)) and len(p) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
            for v in p)

    if not (isinstance(value, (list, tuple)) and len(value) == 2 and all(map(point, value))):
        raise InputError(f"{where}: 'cut' must be [[x0, y0], [x1, y1]] in µm (got {value!r})")
    (x0, y0), (x1, y1) = value
    return Cut((float(x0), float(y0)), (float(x1), float(y1)))


def crossings(cut: Cut, polygons: Sequence[Polygon]) -> list[tuple[float, float]]:
    """Sorted, disjoint intervals (µm along ``cut``) where it lies inside the
    union of ``polygons``; touching at a point or along an edge's end counts
    as no crossing."""
    line = LineString([cut.start, cut.end])
    area = unary_union([p.buffer(0) if not p.is_valid else p for p in polygons])
    hit = line.intersection(area)
    pieces = getattr(hit, "geoms", [hit])
    out = []
    for piece in pieces:
        if isinstance(piece, LineString) and piece.length > 0:
            a, b = (line.project(Point(c[0], c[1])) for c in (piece.coords[0], piece.coords[-1]))
            out.append((min(a, b), max(a, b)))
    out.sort()
    merged: list[tuple[float, float]] = []
    for a, b in out:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def complement(intervals: Sequence[tuple[float, float]], width: float,
               ) -> list[tuple[float, float]]:
    """The gaps of ``intervals`` in [0, width] (a dark-field mask)."""
    out, x = [], 0.0
    for a, b in intervals:
        if a > x:
            out.append((x, min(a, width)))
        x = max(x, b)
    if x < width:
        out.append((x, width))
    return [(a, b) for a, b in out if b > a]


def centres(intervals: Sequence[tuple[float, float]]) -> list[float]:
    """The midpoints of ``intervals`` (drill or place at a layer's features)."""
    return [(a + b) / 2 for a, b in intervals]
