"""What planarizing leaves of a metal, and what an anneal does to it (µm):
CMP dishing that recesses each metal feature by a width-dependent depth,
and the thermal expansion that pushes a pad up to close a bonding gap.

Dishing: a feature w wide at the polished plane is recessed by
d(w) = d∞ (1 − exp(−w / w₀)), deepest in its middle, a parabola across it
(wide pads dish more, to d∞; narrow ones hardly); the recipe gives d∞
(``dishing``) and w₀ (``dishing_width``)::

    oxide |      Cu w      | oxide     plane
          |‾‾--.____.--‾‾|           d(w) at the middle

Anneal: a pad h tall in a dielectric expands by h (α − α_around) ΔT more
than what holds it (α in ppm/K from the library), up and down into the
space its faces meet; pads of one metal that then touch join (the Cu–Cu
bond of hybrid bonding)::

    upper pad  [=======]            [=======]
    gap          ‾‾ ‾‾      ->       joined       2 · Δ ≥ the gap there
    lower pad  [=======]            [=======]
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import GeometryError, InputError, require_length, require_number
from ..section import Label, Region, Section
from ..tolerances import tol
from .common import materials_arg

#: Points across one dished feature.
DISH_POINTS = 65


def dishing_depth(width: float, depth: float, width_scale: float) -> float:
    """d(w) = d∞ (1 − exp(−w / w₀)), µm."""
    return depth * (1.0 - math.exp(-width / width_scale))


def dish(section: Section, z: float, materials: tuple[str, ...], depth: float,
         width_scale: float) -> Section:
    """``section`` polished flat at z with each exposed run of ``materials``
    at the plane recessed by the parabola of depth d(w) across it."""
    if depth <= tol.grid:
        return section
    out = []
    probe = z - max(10 * tol.touch, tol.probe)
    for r in section.regions:
        if r.material not in materials or r.geometry.bounds[3] < z - tol.touch:
            out.append(r)
            continue
        cuts = []
        for a, b in g.chords(r.geometry, probe):
            w = b - a
            d = dishing_depth(w, depth, width_scale)
            if d <= tol.grid:
                continue
            x = np.linspace(a, b, DISH_POINTS)
            zs = z - d * (1.0 - (2.0 * (x - (a + b) / 2) / w) ** 2)
            ring = np.vstack([np.column_stack([x, zs]), [[b, z + 1.0], [a, z + 1.0]]])
            cuts.append(shapely.Polygon(ring))
        geom = g.difference(r.geometry, g.union(cuts)) if cuts else r.geometry
        out.append(Region(g.polygonal(geom), r.material, r.numeral))
    return section.evolve(out)


def anneal(section: Section, *, temperature: float, material: str = "copper",
           around: str = "silicon_dioxide", reference_temperature: float = 25.0) -> Section:
    """Heat to ``temperature`` (°C): every body of ``material`` expands by
    its height × (α − α_around) × (T − T_ref) more than what holds it, up
    and down into the space its top and bottom meet (a bonding gap between
    dished pads closes where twice that reaches across); bodies of
    ``material`` that then touch join, a numeral the join would lose kept
    as a part label. α from the library (``cte``, ppm/K)."""
    op = "anneal"
    (mat,) = materials_arg(op, section, "material", material)
    (host,) = materials_arg(op, section, "around", around)
    t = require_number(op, "temperature", temperature)
    t0 = require_number(op, "reference_temperature", reference_temperature)
    a_mat, a_host = section.materials[mat].cte, section.materials[host].cte
    if a_mat is None or a_host is None:
        missing = mat if a_mat is None else host
        raise InputError(f"{op}: needs the expansion of {missing}; give 'cte' (ppm/K) under "
                         f"[materials.{missing}]")
    strain = (a_mat - a_host) * 1e-6 * (t - t0)
    if strain <= 0:
        raise GeometryError(f"{op}: {mat} does not expand past {host} at {t:g} °C "
                            f"(from {t0:g} °C); nothing closes")
    room = section.ambient()
    grown: list[tuple[str | None, BaseGeometry]] = []
    for r in section.regions:
        if r.material != mat:
            continue
        for part in r.parts:
            shift = require_length(op, "expansion", (part.bounds[3] - part.bounds[1]) * strain)
            into = [g.intersection(g.sweep(part, 0.0, dz), room) for dz in (shift, -shift)]
            grown.append((r.numeral, g.union([part, *into])))
    regions, labels = _joined(grown, mat)
    rest = [r for r in section.regions if r.material != mat]
    return section.evolve([*rest, *regions], [*section.labels, *labels])


def _joined(parts: list[tuple[str | None, BaseGeometry]], material: str
            ) -> tuple[list[Region], list[Label]]:
    """The grown bodies of ``material``: those that overlap (both grew into
    one gap) or touch along a line become one; the numeral of each body a
    join takes stays as a part label."""
    parent = list(range(len(parts)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(parts)):
        for j in range(i + 1, len(parts)):
            a, b = parts[i][1], parts[j][1]
            if a.distance(b) <= tol.touch and (
                    g.intersection(a, b).area > tol.area or
                    g.shared_boundary(a, b).length > 10 * tol.touch):
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(parts)):
        groups.setdefault(find(i), []).append(i)
    joined: dict[str | None, list[BaseGeometry]] = {}
    labels = []
    for members in groups.values():
        numeral = parts[members[0]][0]
        for i in members[1:]:
            if parts[i][0] and parts[i][0] != numeral:
                labels.append(Label(str(parts[i][0]), g.polygonal(parts[i][1]), "part", material))
        joined.setdefault(numeral, []).append(g.union([parts[i][1] for i in members]))
    regions = [Region(g.polygonal(g.union(geoms)), material, numeral)
               for numeral, geoms in joined.items()]
    return regions, labels
