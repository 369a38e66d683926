"""Geometry on shapely for cross-sections (µm, z up): shapes, overlays that
stay linear on large sections, exact offsets and geodesic fronts, volumes.
Every polygon a step stores goes through ``clean``."""

from .offsets import (
    GEOS_SIMPLIFY,
    advance_front,
    geodesic_offset,
    offset_lines,
    sweep,
    sweep_down,
    thin_arcs,
)
from .overlay import (
    PartIndex,
    chords,
    coverage_union,
    difference,
    intersection,
    robust,
    shared_boundary,
    split_x,
    stitch,
    stitch_strips,
    tile_edges,
    tiled,
    touching_parts,
    union,
)
from .shapes import (
    EMPTY,
    FAR,
    buffer,
    clean,
    domain_box,
    hline,
    lines,
    merge_intervals,
    polygons,
)
from .volumes import (
    axisymmetric_volume,
    own_axis_volume,
)

__all__ = [
    "EMPTY",
    "FAR",
    "GEOS_SIMPLIFY",
    "PartIndex",
    "advance_front",
    "axisymmetric_volume",
    "buffer",
    "chords",
    "clean",
    "coverage_union",
    "difference",
    "domain_box",
    "geodesic_offset",
    "hline",
    "intersection",
    "lines",
    "merge_intervals",
    "offset_lines",
    "own_axis_volume",
    "polygons",
    "robust",
    "shared_boundary",
    "split_x",
    "stitch",
    "stitch_strips",
    "sweep",
    "sweep_down",
    "thin_arcs",
    "tile_edges",
    "tiled",
    "touching_parts",
    "union",
]
