"""Solder reflow: molten bodies become volume-conserving spherical caps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TypeVar

import shapely
import shapely.affinity
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import BridgeError, InputError, require_choice, require_number
from ..numeric import solve_increasing
from ..section import Region, Section, mirror_z, mirrored_z
from ..tolerances import tol
from .caps import (
    cap_height,
    cap_polygon,
    cap_vertices,
    joint_shape,
    partial_fill,
)
from .common import materials_arg
from .footing import HANGS, Footing, footing
from .menisci import laplace_cap, meniscus_joint
from .settle import Physics, groups, physics_of, settle
from .windows import Congruent, in_window

T = TypeVar("T")

#: How the body above a joint behaves: it stays, or it rests on its joints.
STANDOFFS = ("held", "free")


def reflow(section: Section, *, peak_temperature: float,
           rename: Mapping[str, str] | None = None,
           contact_angle_deg: float | None = None,
           wettable: str | Iterable[str] | None = None,
           standoff: str = "held", gravity: bool = False, load: float = 0.0) -> Section:
    """Melt every solder body whose liquidus is at or below ``peak_temperature``
    (°C) and let it form a spherical cap on the width it wets.

    The volume V = π ∫ |x − x_axis| dA about the axis through the centre of
    the wetted base is conserved (to ``tol.volume``). Solder confined below
    the rim of a hole or cavity stays there; the free part forms the cap on
    the rim's width. Touching bodies of one molten solder merge; bodies that
    do not melt do not change. Caps that would touch raise ``BridgeError``.
    ``rename`` maps the numerals of molten bodies to new ones (ball 6 →
    terminal 5).

    By default solder spreads over the whole wettable surface it touches
    (a pad bounded by resist or resin). With ``contact_angle_deg`` it spreads
    no wider than the cap that meets the surface at that angle, centred on
    the body (a ball on a wide copper plane). ``wettable`` names the
    materials that wet in this step, overriding the library (an oxidised
    copper side wall: ``wettable = ["nickel"]``).

    A molten body that also touches a wettable face above it (an electrode,
    a board's pad) becomes a joint wetting both faces: two circular arcs
    joining the pads' edges, holding the volume. ``standoff`` 'held' keeps
    the upper body where it is; 'free' lets it rest on its joints, moving it
    to the standoff of the truncated sphere through both pad edges that
    holds the volume (h³ + 3(a₁² + a₂²)h = 6V/π; the mean over the joints
    of one upper body). A held joint is the constant-mean-curvature
    meniscus between its pad edges (two arcs only where a wall cuts it).

    ``gravity`` pulls on the solder (its density and surface tension from
    the library: caps and joints are axisymmetric Young–Laplace shapes);
    ``load`` (mN) is the force each joint carries, the upper body's weight
    shared among its joints plus any applied force: a free standoff is
    where the joints' push balances it (``ops.laplace``)::

        before        after          joint
          ( 6 )        _5_            [=52=]
        ==[   ]==    ==/   \\==         (   )
                    cap on the pad  ==[ 20a ]==
    """
    op = "reflow"
    peak = require_number(op, "peak_temperature", peak_temperature)
    if rename is not None and not isinstance(rename, Mapping):
        raise InputError(f"{op}: 'rename' must map old numerals to new ones "
                         f"(got {rename!r})")
    new_numerals = dict(rename or {})
    angle = None
    if contact_angle_deg is not None:
        angle = require_number(op, "contact_angle_deg", contact_angle_deg)
        if not 0.0 < angle < 180.0:
            raise InputError(f"{op}: 'contact_angle_deg' must be > 0 and < 180 degrees "
                             f"(got {angle})")
    wets = None if wettable is None else frozenset(
        materials_arg(op, section, "wettable", wettable))
    require_choice(op, "standoff", standoff, STANDOFFS)
    if not isinstance(gravity, bool):
        raise InputError(f"{op}: 'gravity' must be true or false (got {gravity!r})")
    weight = require_number(op, "load", load)
    if weight < 0:
        raise InputError(f"{op}: 'load' must be >= 0 mN (got {weight})")
    mats = section.materials
    melts = [mats[r.material].melts_at(peak) for r in section.regions]
    if not any(melts):
        return section
    fixed = [r for r, m in zip(section.regions, melts) if not m]
    parts = [(r, p) for r, m in zip(section.regions, melts) if m for p in r.parts]
    clusters = _clusters(parts)
    melts_of = [(g.union(parts[i][1] for i in members),
                 sum(g.own_axis_volume(parts[i][1]) for i in members))  # before they join
                for members in clusters]
    physics = {m: physics_of(op, mats[m], angle, wets, gravity, weight)
               for m in {parts[members[0]][0].material for members in clusters}}
    phys = [physics[parts[members[0]][0].material] for members in clusters]
    pads: list[BaseGeometry | None] = [None] * len(clusters)
    if standoff == "free":
        fixed, pads, riding = settle(section, fixed, melts_of, phys)
        melts_of = [(shapely.affinity.translate(geom, 0.0, dz), volume) if dz else (geom, volume)
                    for (geom, volume), dz in zip(melts_of, riding)]
    index = g.PartIndex([r.geometry for r in fixed])
    new_bodies: list[Region] = []
    seen = Congruent()
    for members, (geom, volume), pad, ph in zip(clusters, melts_of, pads, phys):
        bodies = [parts[i] for i in members]
        shaped = _reflow_local(section, fixed, index, geom, volume, ph, pad, seen)
        lowest = min(bodies, key=lambda rp: rp[1].bounds[1])[0]
        numeral = new_numerals.get(lowest.numeral or "", lowest.numeral)
        new_bodies.append(Region(g.polygonal(shaped), lowest.material, numeral))
    _check_bridges(new_bodies)
    return section.evolve([*fixed, *new_bodies])


def _clusters(parts: list[tuple[Region, Polygon]]) -> list[list[int]]:
    """Groups of molten parts of one material that touch, at a point or
    along a line (found through an STRtree: linear in the number of parts)."""
    geoms = [p for _, p in parts]
    return groups(geoms, lambda i, j: parts[i][0].material == parts[j][0].material)


def _reflow_local(section: Section, fixed: list[Region], index: g.PartIndex,
                  body: BaseGeometry, volume: float, phys: Physics,
                  pad: BaseGeometry | None = None,
                  seen: Congruent | None = None) -> BaseGeometry:
    """``_reflow_body`` on a window of the section around ``body`` (see
    ``windows.in_window``): the work is local and the answer that of the whole.
    A window congruent to one already solved (a bump array) takes that
    answer, moved across (see ``Congruent``)."""
    def solve(rest: Section) -> BaseGeometry:
        if seen is None:
            return _reflow_body(rest, body, volume, phys, pad)
        return seen.solve(rest, body, pad, volume, phys,
                          lambda: _reflow_body(rest, body, volume, phys, pad))

    return in_window(section, fixed, index, body, volume, solve,
                      lambda shaped: (shaped.bounds[0], shaped.bounds[2]))


def _reflow_body(rest: Section, body: BaseGeometry, volume: float, phys: Physics,
                 pad: BaseGeometry | None = None, hanging: bool = False) -> BaseGeometry:
    """The new shape of one molten body of ``volume`` (µm³, see
    ``geometry.own_axis_volume``) among the fixed bodies of ``rest``: a cap
    on the faces it stands on, or a joint where it also touches a wettable
    face above it (an electrode, a board pad; ``pad`` gives that face where
    the upper body was moved onto its joints). A body hanging from a face
    above it alone (a ball under a land) caps it the same way, gravity (if
    on) pulling it away from its land. A joint held where it is, or under
    gravity or a load, is the meniscus (``menisci``); a free one without
    either is the truncated sphere of the two arcs."""
    if pad is not None:  # the upper body moved into the old shape: what lies below the pad
        body = g.clean(g.difference(shapely.clip_by_rect(body, -g.FAR, -g.FAR, g.FAR,
                                                         pad.bounds[1]), rest.solid))
    foot = footing(rest, body, volume, phys.angle, phys.wets, pad, hanging)
    if foot is HANGS:  # it wets only a face above it: the same cap, upside down
        flipped = _reflow_body(mirror_z(rest), mirrored_z(body), volume,
                               replace(phys, ell=-phys.ell), hanging=True)
        return mirrored_z(flipped)
    if not isinstance(foot, Footing):
        assert not isinstance(foot, str)
        return foot
    free, base, axis, confined = foot.free, foot.base, foot.axis, foot.confined
    lo_x, hi_x, z_rim = foot.rim
    half, centre = (hi_x - lo_x) / 2, (lo_x + hi_x) / 2
    if foot.upper:
        face = shapely.MultiLineString(foot.upper)
        joint = None
        if pad is None or not phys.plain:
            joint = meniscus_joint(free, confined, foot.rim, face, axis, volume, phys.ell)
        if joint is None:
            joint = joint_shape(free, confined, base, foot.rim, face, axis, volume)
        if joint is not None:
            return joint
    v_confined = foot.v_confined

    h0 = float(cap_height(volume - v_confined, half))
    # one vertex count for the whole solve (the finest the likely caps need)
    vertices = max(cap_vertices(half, h) for h in (0.5 * h0, h0, 2 * h0)) if h0 > 0 else 8

    def shape(h: float) -> BaseGeometry:
        if h <= 0:
            return confined
        drawn = cap_polygon(centre, z_rim, half, h, vertices) if phys.plain else \
            laplace_cap(centre, z_rim, half, h, phys.ell)
        cap = g.intersection(drawn, free)
        return g.clean(g.touching_parts(g.union([confined, cap]),
                                        base if confined.is_empty else confined,
                                        distance=tol.touch))

    def excess(h: float) -> float:
        return g.axisymmetric_volume(shape(h), axis) - volume

    # a cap taller than the free space above the rim is clipped by it and can
    # hold no more: then the solder fills the space it has, bottom-up
    room = free.bounds[3] - z_rim
    h = solve_increasing(excess, 0.0, h0, tol.volume * volume,
                         limit=max(4 * h0, 2 * room) + 1.0)
    if h is None:
        return partial_fill(free, base, axis, volume, free.bounds[3])
    return g.clean(shape(h))


def _check_bridges(bodies: list[Region]) -> None:
    geoms = [b.geometry for b in bodies]
    if len(geoms) < 2:
        return
    left, right = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=tol.touch)
    for i, j in zip(left.tolist(), right.tolist()):
        if i < j:
            xa, xb = geoms[i].centroid.x, geoms[j].centroid.x
            raise BridgeError(
                f"reflow: the solder caps at x={xa:.4g} and x={xb:.4g} µm would touch "
                f"(a bridge); reduce the solder volume or widen the pitch")


__all__ = ["cap_height", "cap_polygon", "reflow"]
