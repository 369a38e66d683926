"""Upper bodies resting on their molten joints (a chip on its bumps, a
package on its balls), and the physics of a molten solder in a step (µm)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import shapely
import shapely.affinity
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import GeometryError, InputError
from ..materials import Material
from ..section import Region, Section
from ..tolerances import tol
from .caps import cap_height
from .footing import Footing, footing
from .laplace import capillary_length
from .laplace import standoff as standoff_under
from .windows import faces_extent, in_window


@dataclass(frozen=True)
class Physics:
    """What shapes one molten solder in a step: the contact angle it spreads
    to, the materials that wet, its capillary length (µm; ∞ without gravity)
    and the load per joint over its surface tension (µm)."""

    angle: float | None = None
    wets: frozenset[str] | None = None
    ell: float = math.inf
    lift: float = 0.0

    @property
    def plain(self) -> bool:
        """No gravity and no load: spherical caps and truncated spheres."""
        return not math.isfinite(self.ell) and self.lift == 0.0


def physics_of(op: str, mat: Material, angle: float | None, wets: frozenset[str] | None,
             gravity: bool, load: float) -> Physics:
    """The physics of molten ``mat``: gravity and load need its density and
    surface tension."""
    if (gravity or load > 0) and (mat.density is None or mat.surface_tension is None):
        raise InputError(f"{op}: 'gravity' and 'load' need the density and surface tension "
                         f"of {mat.name}; give them under [materials.{mat.name}] (density in "
                         f"g/cm³, surface_tension in N/m)")
    ell = capillary_length(mat.density or 1.0, mat.surface_tension or 1.0) if gravity \
        else math.inf
    lift = load * 1e3 / mat.surface_tension if load > 0 and mat.surface_tension else 0.0
    return Physics(angle, wets, ell, lift)


def groups(geoms: list[Polygon], joins: Callable[[int, int], bool]) -> list[list[int]]:
    """Connected groups of ``geoms`` under ``joins`` among those within
    ``tol.touch`` of each other (union-find over an STRtree query)."""
    parent = list(range(len(geoms)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    left, right = shapely.STRtree(geoms).query(geoms, predicate="dwithin",
                                               distance=tol.touch)
    for i, j in zip(left.tolist(), right.tolist()):
        if i < j and find(i) != find(j) and joins(i, j):
            parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(geoms)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def settle(section: Section, fixed: list[Region],
            melts: list[tuple[BaseGeometry, float]], phys: list[Physics]
            ) -> tuple[list[Region], list[BaseGeometry | None], list[float]]:
    """Rest every rigid group of fixed bodies that hangs on joints alone at
    the mean standoff of its joints: the truncated sphere through the rim
    chord (half-width a₁) and the pad (a₂) that holds the joint's free
    volume V: h³ + 3(a₁² + a₂²)h = 6V/π. Returns the moved bodies, per
    molten body the pad face it joins (None where it forms no joint), and
    how far each molten body rides with a group that moves (a joint between
    two bodies of that group, the micro-joints of a chip on an interposer
    that itself settles on its balls)::

        chip        [====]        moves with the interposer: so do the
        micro-joint  o  o         micro-joints between the two
        interposer [========]  <- rests on its balls
        balls        O    O
    """
    index = g.PartIndex([r.geometry for r in fixed])
    pieces = [(k, p) for k, r in enumerate(fixed) for p in r.parts]
    geoms = [p for _, p in pieces]
    pads: list[BaseGeometry | None] = [None] * len(melts)
    riding = [0.0] * len(melts)
    if not geoms:
        return fixed, pads, riding
    group_of = {i: n for n, grp in enumerate(groups(geoms, lambda i, j: True)) for i in grp}
    tree = shapely.STRtree(geoms)
    drops: dict[int, list[float]] = {}
    joints: list[tuple[int, int, BaseGeometry]] = []
    for c, (body, volume) in enumerate(melts):
        foot = in_window(section, fixed, index, body, volume,
                          lambda rest: footing(rest, body, volume, None, phys[c].wets, None),
                          faces_extent)
        if not isinstance(foot, Footing) or not foot.upper:
            continue
        pad = shapely.MultiLineString(foot.upper)
        near = tol.touch * 10
        ups = {group_of[i] for i in tree.query(pad, predicate="dwithin", distance=near)}
        lows = {group_of[i] for i in tree.query(foot.base, predicate="dwithin", distance=near)}
        if len(ups) != 1 or ups & lows:  # held by something else, or by two bodies
            continue
        lo, hi, z_rim = foot.rim
        a1, a2 = (hi - lo) / 2, (pad.bounds[2] - pad.bounds[0]) / 2
        if phys[c].plain:  # the truncated sphere
            h = float(cap_height(volume - foot.v_confined, math.hypot(a1, a2)))
        else:  # where the joint's push balances the load, under gravity
            h = standoff_under(a1, a2, volume - foot.v_confined, phys[c].ell, phys[c].lift)
        (grp,) = ups
        drops.setdefault(grp, []).append(z_rim + h - pad.bounds[1])
        joints.append((c, grp, pad))
    if not drops:
        return fixed, pads, riding
    shift = {grp: sum(d) / len(d) for grp, d in drops.items()}
    driving = {c for c, _, _ in joints}
    for c, (body, _) in enumerate(melts):
        touched = {group_of[i] for i in tree.query(body, predicate="dwithin",
                                                    distance=tol.touch * 10)}
        moves = {shift.get(grp, 0.0) for grp in touched}
        if c not in driving and touched and len(moves) == 1:
            riding[c] = moves.pop()
    moved = [shapely.affinity.translate(p, 0.0, shift.get(group_of[i], 0.0))
             for i, p in enumerate(geoms)]
    staying = [i for i in range(len(geoms)) if group_of[i] not in shift]
    if staying:
        still = shapely.STRtree([moved[i] for i in staying])
        for i, p in enumerate(moved):
            if group_of[i] in shift:
                for j in still.query(p, predicate="intersects").tolist():
                    if p.intersection(moved[staying[j]]).area > tol.area:
                        k = pieces[i][0]
                        raise GeometryError(
                            f"reflow: resting on its joints, {fixed[k].material} "
                            f"{fixed[k].numeral or ''} would sink "
                            f"{-shift[group_of[i]]:.4g} µm into "
                            f"{fixed[pieces[staying[j]][0]].material}; use standoff = 'held'")
    by_region: dict[int, list[Polygon]] = {}
    for (k, _), p in zip(pieces, moved):
        by_region.setdefault(k, []).append(p)
    out = [Region(g.clean(shapely.MultiPolygon(by_region[k])) if len(by_region[k]) > 1
                  else g.polygonal(by_region[k][0]), r.material, r.numeral)
           if k in by_region else r for k, r in enumerate(fixed)]
    for c, grp, face in joints:
        pads[c] = shapely.affinity.translate(face, 0.0, shift[grp])
    return out, pads, riding
