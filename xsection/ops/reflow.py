"""Solder reflow: molten bodies become volume-conserving spherical caps."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import BridgeError, GeometryError, InputError, require_choice, require_number
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

T = TypeVar("T")

#: How the body above a joint behaves: it stays, or it rests on its joints.
STANDOFFS = ("held", "free")


def reflow(section: Section, *, peak_temperature: float,
           rename: Mapping[str, str] | None = None,
           contact_angle_deg: float | None = None,
           wettable: str | Iterable[str] | None = None,
           standoff: str = "held") -> Section:
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
    of one upper body)::

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
    pads: list[BaseGeometry | None] = [None] * len(clusters)
    if standoff == "free":
        fixed, pads, riding = _settle(section, fixed, melts_of, wets)
        melts_of = [(shapely.affinity.translate(geom, 0.0, dz), volume) if dz else (geom, volume)
                    for (geom, volume), dz in zip(melts_of, riding)]
    index = g.PartIndex([r.geometry for r in fixed])
    new_bodies: list[Region] = []
    seen = Congruent()
    for members, (geom, volume), pad in zip(clusters, melts_of, pads):
        bodies = [parts[i] for i in members]
        shaped = _reflow_local(section, fixed, index, geom, volume, angle, wets, pad, seen)
        lowest = min(bodies, key=lambda rp: rp[1].bounds[1])[0]
        numeral = new_numerals.get(lowest.numeral or "", lowest.numeral)
        new_bodies.append(Region(g.polygonal(shaped), lowest.material, numeral))
    _check_bridges(new_bodies)
    return section.evolve([*fixed, *new_bodies])


def _clusters(parts: list[tuple[Region, Polygon]]) -> list[list[int]]:
    """Groups of molten parts of one material that touch, at a point or
    along a line (found through an STRtree: linear in the number of parts)."""
    geoms = [p for _, p in parts]
    return _groups(geoms, lambda i, j: parts[i][0].material == parts[j][0].material)


def _groups(geoms: list[Polygon], joins: Callable[[int, int], bool]) -> list[list[int]]:
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


def _reflow_local(section: Section, fixed: list[Region], index: g.PartIndex,
                  body: BaseGeometry, volume: float, contact_angle: float | None,
                  wets: frozenset[str] | None = None, pad: BaseGeometry | None = None,
                  seen: Congruent | None = None) -> BaseGeometry:
    """``_reflow_body`` on a window of the section around ``body`` (see
    ``_in_window``): the work is local and the answer that of the whole.
    A window congruent to one already solved (a bump array) takes that
    answer, moved across (see ``Congruent``)."""
    def solve(rest: Section) -> BaseGeometry:
        if seen is None:
            return _reflow_body(rest, body, volume, contact_angle, wets, pad)
        return seen.solve(rest, body, pad, volume,
                          lambda: _reflow_body(rest, body, volume, contact_angle, wets, pad))

    return _in_window(section, fixed, index, body, volume, solve,
                      lambda shaped: (shaped.bounds[0], shaped.bounds[2]))


class Congruent:
    """Answers of the local reflow solve kept by their input moved to x = 0.

    The solve is a pure function of the window's bodies, the molten body,
    its pad and volume, and it commutes with a shift in x. So a window that,
    moved by −x₀ (x₀ the molten body's left end) and read on the grid, equals
    one solved before gets that answer moved by +x₀ and snapped to the grid
    again: the same polygon a fresh solve gives, to a grid step. The key is
    exact (integer grid coordinates, materials, numerals, the volume to 12
    digits): a window that differs anywhere is solved afresh::

        (o) (o) (o) (o)      1,000 balls on one pad design: one solve,
        =1= =1= =1= =1=      999 moved answers
    """

    def __init__(self) -> None:
        self.answers: dict[tuple[object, ...], BaseGeometry] = {}
        self.hits = 0

    def solve(self, rest: Section, body: BaseGeometry, pad: BaseGeometry | None,
              volume: float, fresh: Callable[[], BaseGeometry]) -> BaseGeometry:
        x0 = body.bounds[0]
        geoms = [body, *(r.geometry for r in rest.regions)] + ([] if pad is None else [pad])
        key = (_grid_key(geoms, x0), tuple((r.material, r.numeral) for r in rest.regions),
               round((rest.x0 - x0) / tol.grid), round((rest.x1 - x0) / tol.grid),
               pad is None, float(f"{volume:.12g}"))
        if key in self.answers:
            self.hits += 1
            return g.clean(shapely.affinity.translate(self.answers[key], x0, 0.0))
        out = fresh()
        self.answers[key] = shapely.affinity.translate(out, -x0, 0.0)
        return out


def _grid_key(geoms: list[BaseGeometry], x0: float) -> bytes:
    """The geometries moved by −x0 as WKB of integer grid coordinates."""
    moved = shapely.transform(np.asarray(geoms, dtype=object),
                              lambda xy: np.round((xy - [x0, 0.0]) / tol.grid))
    return b"|".join(shapely.to_wkb(moved).tolist())


def _in_window(section: Section, fixed: list[Region], index: g.PartIndex, body: BaseGeometry,
               volume: float, solve: Callable[[Section], T],
               extent: Callable[[T], tuple[float, float] | None]) -> T:
    """``solve`` on the fixed bodies of a window around ``body``: the window
    starts ``_reach`` wide of the body and doubles while the ``extent`` (x0,
    x1) of the answer reaches one of its edges that is not the section's."""
    bx0, _, bx1, _ = body.bounds
    reach = _reach(volume)
    while True:
        wx0, wx1 = max(section.x0, bx0 - reach), min(section.x1, bx1 + reach)
        out = solve(_window(section, fixed, index, wx0, wx1))
        span = extent(out)
        if span is None or not ((wx0 > section.x0 and span[0] <= wx0 + tol.touch)
                                or (wx1 < section.x1 and span[1] >= wx1 - tol.touch)):
            return out
        reach *= 2.0


def _faces_extent(foot: Footing | BaseGeometry | str) -> tuple[float, float] | None:
    """The x-extent of a joint's faces, below and above (None: no joint)."""
    if not isinstance(foot, Footing) or not foot.upper:
        return None
    pad = shapely.MultiLineString(foot.upper)
    return min(pad.bounds[0], foot.base.bounds[0]), max(pad.bounds[2], foot.base.bounds[2])


def _reach(volume: float) -> float:
    """First half-width (µm) of the window around a molten body: four radii
    of the ball of its ``volume``."""
    return float(4.0 * (3.0 * volume / (4.0 * math.pi)) ** (1.0 / 3.0) + 1.0)


def _settle(section: Section, fixed: list[Region],
            melts: list[tuple[BaseGeometry, float]], wets: frozenset[str] | None
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
    group_of = {i: n for n, grp in enumerate(_groups(geoms, lambda i, j: True)) for i in grp}
    tree = shapely.STRtree(geoms)
    drops: dict[int, list[float]] = {}
    joints: list[tuple[int, int, BaseGeometry]] = []
    for c, (body, volume) in enumerate(melts):
        foot = _in_window(section, fixed, index, body, volume,
                          lambda rest: footing(rest, body, volume, None, wets, None),
                          _faces_extent)
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
        h = float(cap_height(volume - foot.v_confined, math.hypot(a1, a2)))
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


def _window(section: Section, fixed: list[Region], index: g.PartIndex, wx0: float,
            wx1: float) -> Section:
    """The fixed bodies between x = wx0 and wx1 as a section of that width."""
    owners, pieces = index.query(wx0, -g.FAR, wx1, g.FAR)
    local = [Region(g.clean(shapely.clip_by_rect(p, wx0, -g.FAR, wx1, g.FAR)),
                    fixed[k].material, fixed[k].numeral) for k, p in zip(owners, pieces)]
    return Section(wx0, wx1, tuple(r for r in local if not r.geometry.is_empty), (),
                   section.materials)


def _reflow_body(rest: Section, body: BaseGeometry, volume: float,
                 contact_angle: float | None, wets: frozenset[str] | None = None,
                 pad: BaseGeometry | None = None, hanging: bool = False) -> BaseGeometry:
    """The new shape of one molten body of ``volume`` (µm³, see
    ``geometry.own_axis_volume``) among the fixed bodies of ``rest``: a cap
    on the faces it stands on, or a joint where it also touches a wettable
    face above it (an electrode, a board pad; ``pad`` gives that face where
    the upper body was moved onto its joints). A body hanging from a face
    above it alone (a ball under a land) caps it the same way: surface
    tension, not gravity, shapes solder at this scale."""
    if pad is not None:  # the upper body moved into the old shape: what lies below the pad
        body = g.clean(g.difference(shapely.clip_by_rect(body, -g.FAR, -g.FAR, g.FAR,
                                                         pad.bounds[1]), rest.solid))
    foot = footing(rest, body, volume, contact_angle, wets, pad, hanging)
    if foot is HANGS:  # it wets only a face above it: the same cap, upside down
        flipped = _reflow_body(mirror_z(rest), mirrored_z(body), volume, contact_angle, wets,
                               hanging=True)
        return mirrored_z(flipped)
    if not isinstance(foot, Footing):
        assert not isinstance(foot, str)
        return foot
    free, base, axis, confined = foot.free, foot.base, foot.axis, foot.confined
    lo_x, hi_x, z_rim = foot.rim
    half, centre = (hi_x - lo_x) / 2, (lo_x + hi_x) / 2
    if foot.upper:
        joint = joint_shape(free, confined, base, foot.rim, shapely.MultiLineString(foot.upper),
                       axis, volume)
        if joint is not None:
            return joint
    v_confined = foot.v_confined

    h0 = float(cap_height(volume - v_confined, half))
    # one vertex count for the whole solve (the finest the likely caps need)
    vertices = max(cap_vertices(half, h) for h in (0.5 * h0, h0, 2 * h0)) if h0 > 0 else 8

    def shape(h: float) -> BaseGeometry:
        if h <= 0:
            return confined
        cap = g.intersection(cap_polygon(centre, z_rim, half, h, vertices), free)
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
