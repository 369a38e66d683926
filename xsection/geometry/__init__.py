"""Geometry on shapely for cross-sections (µm, z up): shapes, overlays that
stay linear on large sections, exact offsets and geodesic fronts, volumes.
Every polygon a step stores goes through ``clean``."""

from .boundaries import (
    boundary_edges,
    chords_at,
    scan,
    shared_boundary,
    shared_lengths,
)
from .index import PartIndex
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
    chords,
    coverage_union,
    difference,
    intersection,
    robust,
    split_x,
    stitch,
    stitch_strips,
    tile_edges,
    tiled,
    touching_parts,
    union,
    union_disjoint,
)
from .rings import splice, union_touching, with_vertices
from .shapes import (
    EMPTY,
    FAR,
    as_array,
    buffer,
    clean,
    domain_box,
    hline,
    lines,
    merge_intervals,
    polygonal,
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
    "as_array",
    "axisymmetric_volume",
    "boundary_edges",
    "buffer",
    "chords",
    "chords_at",
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
    "polygonal",
    "polygons",
    "robust",
    "scan",
    "shared_boundary",
    "shared_lengths",
    "splice",
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
    "union_disjoint",
    "union_touching",
    "with_vertices",
]
