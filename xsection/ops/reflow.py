"""Solder reflow: molten bodies become volume-conserving spherical caps."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import BridgeError, InputError, require_number
from ..section import Region, Section
from ..tolerances import tol
from .build import Obstacles, drop_ball


#: Vertices of one cap at most (a tall cap on a narrow base needs many).
MAX_CAP_VERTICES = 20_000


def cap_height(volume: float | np.ndarray, half_width: float | np.ndarray) -> np.ndarray:
    """Height h (µm) of the spherical cap of ``volume`` (µm³) on a base of
    radius ``half_width`` (µm): the real root of π h (3a² + h²) / 6 = V.

    Closed form without cancellation: h = 2a sinh(asinh(3V / (π a³)) / 3).
    Vectorised over numpy arrays.
    """
    v = np.asarray(volume, dtype=float)
    a = np.asarray(half_width, dtype=float)
    return 2.0 * a * np.sinh(np.arcsinh(3.0 * v / (math.pi * a**3)) / 3.0)


def cap_polygon(x_axis: float, z_base: float, half_width: float, height: float,
                vertices: int | None = None) -> Polygon:
    """The circular segment of ``height`` h on the chord [x−a, x+a] at ``z_base``,
    its arc vertices on the true circle; the chords stray from the arc by at
    most ``tol.arc`` times the smallest of radius, height and half-width (so a
    flat cap keeps its shape too). Empty where h or a is not above the grid.
    ``vertices`` fixes the count (a volume solve needs the area to change
    smoothly with h, not jump where the count would).

    Points are placed by the angle ψ from the apex, z = z_base + h − 2r sin²(ψ/2),
    so a cap 1e-7 high on a 1e7 wide base loses nothing to cancellation::

            apex (x, z_base + h)
           .-‾‾‾-.
        __/_______\__  z_base, from x − a to x + a
    """
    a, h = float(half_width), float(height)
    if not (a > tol.grid and h > tol.grid):
        return Polygon()
    r = (a * a + h * h) / (2 * h)
    half_sweep = math.atan2(a, (a * a - h * h) / (2 * h))  # ψ at the base corners
    n = cap_vertices(a, h) if vertices is None else max(8, int(vertices))
    n += n % 2  # an even count puts a vertex on the apex
    psi = np.linspace(half_sweep, -half_sweep, n + 1)
    xs = x_axis + r * np.sin(psi)
    zs = z_base + h - 2 * r * np.sin(psi / 2) ** 2
    xs[0], zs[0], xs[-1], zs[-1] = x_axis + a, z_base, x_axis - a, z_base
    return Polygon(np.column_stack([xs, zs]))


def cap_vertices(half_width: float, height: float) -> int:
    """Arc vertices a cap needs at ``tol.arc`` of the smallest of its radius,
    height and half-width (8 at least, ``MAX_CAP_VERTICES`` at most)."""
    a, h = half_width, height
    r = (a * a + h * h) / (2 * h)
    half_sweep = math.atan2(a, (a * a - h * h) / (2 * h))
    step = 4 * math.asin(min(1.0, math.sqrt(tol.arc * min(r, h, a) / (2 * r))))
    return min(max(8, math.ceil(2 * half_sweep / step)), MAX_CAP_VERTICES)


def reflow(section: Section, *, peak_temperature: float,
           rename: Mapping[str, str] | None = None,
           contact_angle_deg: float | None = None) -> Section:
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
    the body (a ball on a wide copper plane)::

        before        after
          ( 6 )        _5_
        ==[   ]==    ==/   \\==   <- cap on the wetted pad
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
    mats = section.materials
    melts = [mats[r.material].melts_at(peak) for r in section.regions]
    if not any(melts):
        return section
    fixed = [r for r, m in zip(section.regions, melts) if not m]
    parts = [(r, p) for r, m in zip(section.regions, melts) if m for p in r.parts]
    index = g.PartIndex([r.geometry for r in fixed])
    new_bodies: list[Region] = []
    for members in _clusters(parts):
        bodies = [parts[i] for i in members]
        geom = g.union(p for _, p in bodies)
        volume = sum(g.own_axis_volume(p) for _, p in bodies)  # before they join
        shaped = _reflow_local(section, fixed, index, geom, volume, angle)
        lowest = min(bodies, key=lambda rp: rp[1].bounds[1])[0]
        numeral = new_numerals.get(lowest.numeral or "", lowest.numeral)
        new_bodies.append(Region(shaped, lowest.material, numeral))
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
                  body: BaseGeometry, volume: float, contact_angle: float | None
                  ) -> BaseGeometry:
    """``_reflow_body`` on a window of the section around ``body``: the window
    starts four ball radii wide of the body and doubles while the new shape
    reaches its edge, so the work is local and the answer that of the whole."""
    bx0, _, bx1, _ = body.bounds
    reach = 4.0 * (3.0 * volume / (4.0 * math.pi)) ** (1.0 / 3.0) + 1.0
    while True:
        wx0, wx1 = max(section.x0, bx0 - reach), min(section.x1, bx1 + reach)
        owners, pieces = index.query(wx0, -1e12, wx1, 1e12)
        local = [Region(g.clean(shapely.clip_by_rect(p, wx0, -1e12, wx1, 1e12)),
                        fixed[k].material, fixed[k].numeral) for k, p in zip(owners, pieces)]
        rest = Section(wx0, wx1, tuple(r for r in local if not r.geometry.is_empty), (),
                       section.materials)
        shaped = _reflow_body(rest, body, volume, contact_angle)
        x0, _, x1, _ = shaped.bounds
        cut_left = wx0 > section.x0 and x0 <= wx0 + tol.touch
        cut_right = wx1 < section.x1 and x1 >= wx1 - tol.touch
        if not (cut_left or cut_right):
            return shaped
        reach *= 2.0


def _reflow_body(rest: Section, body: BaseGeometry, volume: float,
                 contact_angle: float | None) -> BaseGeometry:
    """The new shape of one molten body of ``volume`` (µm³, see
    ``geometry.own_axis_volume``) among the fixed bodies of ``rest``."""
    others = rest.regions
    volume_scale = body.area ** 0.5
    margin = 4 * volume_scale + (rest.zmax - rest.zmin)
    ambient = rest.ambient(margin)
    free = g.touching_parts(ambient, body, distance=0.0)
    if free.is_empty:
        return body
    wet_solid = g.union(r.geometry for r in others if rest.materials[r.material].wettable)
    wet = _wetted_faces(g.lines(g.shared_boundary(free, wet_solid)), body)
    if not wet:
        return _dewet(rest, body, volume)
    base = shapely.MultiLineString(wet)
    xl, _, xr, _ = base.bounds
    if xr - xl <= tol.touch:  # it wets walls only (no width to stand on): it stays
        return body
    axis = (xl + xr) / 2
    if contact_angle is not None:
        centre = body.centroid.x
        a_eq = _equilibrium_half_width(volume, contact_angle)
        if 2 * a_eq < xr - xl:
            narrow_axis = min(max(centre, xl + a_eq), xr - a_eq)
            narrow = g.intersection(base, shapely.box(narrow_axis - a_eq, base.bounds[1] - 1,
                                                      narrow_axis + a_eq, base.bounds[3] + 1))
            if not narrow.is_empty:  # (a gap in the faces there: keep them whole)
                axis, base = narrow_axis, narrow
                xl, xr = axis - a_eq, axis + a_eq
    z_left = _wall_top(free, base, xl, -1)
    z_right = _wall_top(free, base, xr, +1)
    z_rim = min(z_left, z_right)
    below_rim = g.intersection(free, shapely.box(rest.x0, rest.zmin - margin, rest.x1, z_rim))
    confined = _on_lines(below_rim, base)
    v_confined = g.axisymmetric_volume(confined, axis)
    if v_confined >= volume * (1 - tol.volume):
        return _partial_fill(free, base, axis, volume, z_rim)
    lo_x, hi_x = _rim_chord(free, z_rim, axis, xl, xr)
    half = (hi_x - lo_x) / 2
    centre = (lo_x + hi_x) / 2
    if half <= tol.grid:  # no width at the rim: the solder fills what it has
        return _partial_fill(free, base, axis, volume, free.bounds[3])

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
    h = _solve_increasing(excess, 0.0, h0, volume, limit=max(4 * h0, 2 * room) + 1.0)
    if h is None:
        return _partial_fill(free, base, axis, volume, free.bounds[3])
    return g.clean(shape(h))


#: Wettable surface turning by more than this (degrees) at a vertex is an
#: edge the molten solder stays pinned at (the top edge of a pillar).
EDGE_DEG = 30.0


def _wetted_faces(lines: list[LineString], body: BaseGeometry) -> list[LineString]:
    """The faces of the wettable surface the molten ``body`` stands on.

    The surface is cut at its edges (turns over ``EDGE_DEG``); a face counts
    where the body lies on it along a line or, for a ball that touches at a
    point, where it touches inside the face. A face that meets the body only
    at its end (the side of a pillar below the solder on its top) does not::

        solder  ####         cap on the top face only; the side faces
        Ni top  ====         beyond the edge stay dry
        Cu side |  |
    """
    faces = [f for line in lines for f in _faces(line)]
    touching = [f for f in faces if f.distance(body) <= tol.touch]
    along = [f for f in touching if _contact(f, body) > 10 * tol.touch]
    if along:
        return along
    # a point contact: the face counts where it is touched inside, not at an end
    return [f for f in touching
            if shapely.line_interpolate_point(f, 0.5, normalized=True).distance(body) <= tol.touch
            or not any(shapely.Point(f.coords[i]).distance(body) <= tol.touch for i in (0, -1))]


def _contact(line: BaseGeometry, geom: BaseGeometry) -> float:
    """Length (µm) of ``line`` that lies on ``geom`` (within ``tol.touch``)."""
    return float(shapely.intersection(line, geom.buffer(tol.touch, quad_segs=1)).length)


def _faces(line: LineString) -> list[LineString]:
    """``line`` cut at vertices where it turns by more than ``EDGE_DEG``."""
    xy = np.asarray(line.coords)
    if len(xy) < 3:
        return [line]
    d = np.diff(xy, axis=0)
    heading = np.arctan2(d[:, 1], d[:, 0])
    turn = np.abs((np.diff(heading) + math.pi) % (2 * math.pi) - math.pi)
    cuts = [0, *(np.flatnonzero(turn > math.radians(EDGE_DEG)) + 1).tolist(), len(xy) - 1]
    return [LineString(xy[a:b + 1]) for a, b in zip(cuts[:-1], cuts[1:]) if b > a]


def _on_lines(region: BaseGeometry, base: BaseGeometry) -> BaseGeometry:
    """The parts of ``region`` that rest on ``base`` along a line (space that
    only meets the base at a corner point is not a cup)."""
    keep = [p for p in g.polygons(region) if _contact(base, p) > 10 * tol.touch]
    return g.clean(shapely.MultiPolygon(keep)) if keep else g.EMPTY


def _equilibrium_half_width(volume: float, angle_deg: float) -> float:
    """Base radius (µm) of the cap of ``volume`` meeting its base at ``angle_deg``."""
    c = math.cos(math.radians(angle_deg))
    radius = (3 * volume / (math.pi * (1 - c) ** 2 * (2 + c))) ** (1 / 3)
    return radius * math.sin(math.radians(angle_deg))


def _wall_top(free: BaseGeometry, base: BaseGeometry, x_edge: float, sign: int) -> float:
    """Top of the wall just outside the wetted base at ``x_edge``, µm."""
    ends = [c for line in g.lines(base) for c in line.coords if abs(c[0] - x_edge) <= tol.touch]
    z0 = min(c[1] for c in ends) if ends else base.bounds[1]
    x = x_edge + sign * max(10 * tol.touch, 1e-4 * (base.bounds[2] - base.bounds[0]))
    _, _, _, ztop = free.bounds
    hit = g.intersection(LineString([(x, z0), (x, ztop)]), free)
    starts = [min(c[1] for c in seg.coords) for seg in g.lines(hit)]
    return min(starts) if starts else z0


def _rim_chord(free: BaseGeometry, z_rim: float, axis: float, xl: float, xr: float
               ) -> tuple[float, float]:
    """The chord the cap stands on: the open width of the cup just below its rim,
    or the wetted width where there is no cup."""
    eps = max(10 * tol.touch, 1e-6 * (xr - xl))
    for a, b in g.chords(free, z_rim - eps):
        if a - eps <= axis <= b + eps and b - a > eps:
            return a, b
    return xl, xr


def _partial_fill(free: BaseGeometry, base: BaseGeometry, axis: float, volume: float,
                  z_rim: float) -> BaseGeometry:
    """Not enough solder to fill the cup: fill it bottom-up to the level that holds it."""
    z_lo = base.bounds[1]

    def fill_to(z: float) -> BaseGeometry:
        below = g.intersection(free, shapely.box(free.bounds[0], free.bounds[1],
                                                 free.bounds[2], z))
        return g.touching_parts(below, base)

    lo, hi = z_lo, z_rim
    for _ in range(100):
        mid = (lo + hi) / 2
        if g.axisymmetric_volume(fill_to(mid), axis) < volume:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-12 * max(1.0, abs(hi)):
            break
    return g.clean(fill_to(hi))


def _dewet(rest: Section, body: BaseGeometry, volume: float) -> BaseGeometry:
    """Nothing wets: the solder balls up into a sphere of the same volume."""
    x = body.centroid.x
    r = (3 * volume / (4 * math.pi)) ** (1 / 3)  # the ball polygon holds exactly this
    x = min(max(x, rest.x0 + r), rest.x1 - r)
    return drop_ball("reflow", Obstacles(rest), x, r)


def _solve_increasing(f, lo: float, guess: float, scale: float,  # type: ignore[no-untyped-def]
                      limit: float = math.inf) -> float | None:
    """Root of increasing ``f`` with f(lo) < 0, by bracketing and the Illinois
    method; None if f is still negative at ``limit``."""
    hi = min(max(guess, 1e-9), limit)
    f_hi = f(hi)
    f_lo = f(lo)
    while f_hi < 0:
        if hi >= limit:
            return None
        lo, f_lo = hi, f_hi
        hi = min(hi * 2, limit)
        f_hi = f(hi)
    side = 0
    for _ in range(100):
        if abs(f_hi) <= tol.volume * scale:
            return hi
        if abs(f_lo) <= tol.volume * scale:
            return lo
        if hi - lo <= 1e-15 * max(1.0, hi):
            break
        mid = (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
        f_mid = f(mid)
        if f_mid > 0:
            hi, f_hi = mid, f_mid
            if side == +1:
                f_lo /= 2
            side = +1
        else:
            lo, f_lo = mid, f_mid
            if side == -1:
                f_hi /= 2
            side = -1
    return hi if abs(f_hi) <= abs(f_lo) else lo


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
