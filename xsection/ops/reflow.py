"""Solder reflow: molten bodies become volume-conserving spherical caps."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import BridgeError, InputError, require_number
from ..section import Region, Section
from ..tolerances import tol
from .build import drop_ball


def cap_height(volume: float | np.ndarray, half_width: float | np.ndarray) -> np.ndarray:
    """Height h (µm) of the spherical cap of ``volume`` (µm³) on a base of
    radius ``half_width`` (µm): the real root of π h (3a² + h²) / 6 = V.

    Closed form without cancellation: h = 2a sinh(asinh(3V / (π a³)) / 3).
    Vectorised over numpy arrays.
    """
    v = np.asarray(volume, dtype=float)
    a = np.asarray(half_width, dtype=float)
    return 2.0 * a * np.sinh(np.arcsinh(3.0 * v / (math.pi * a**3)) / 3.0)


def cap_polygon(x_axis: float, z_base: float, half_width: float, height: float) -> Polygon:
    """The circular segment of ``height`` on the chord [x−a, x+a] at ``z_base``,
    its arc vertices on the true circle; the chords stray from the arc by at
    most ``tol.arc`` times the smallest of radius, height and half-width (so a
    flat cap keeps its shape too)."""
    a, h = half_width, height
    r = (a * a + h * h) / (2 * h)
    zc = z_base + h - r
    phi0 = math.atan2(z_base - zc, a)
    sweep = math.pi - 2 * phi0
    sagitta = tol.arc * min(r, h, a)
    step = 2 * math.acos(max(-1.0, 1 - sagitta / r))
    n = max(8, math.ceil(sweep / step))
    n += n % 2  # an even count puts a vertex on the apex
    phis = phi0 + np.linspace(0.0, sweep, n + 1)
    xs = x_axis + r * np.cos(phis)
    zs = zc + r * np.sin(phis)
    xs[0], zs[0], xs[-1], zs[-1] = x_axis + a, z_base, x_axis - a, z_base
    return Polygon(np.column_stack([xs, zs]))


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
    molten = [i for i, r in enumerate(section.regions) if mats[r.material].melts_at(peak)]
    if not molten:
        return section
    clusters = _clusters(section, molten)
    fixed = [r for i, r in enumerate(section.regions) if i not in set(molten)]
    new_bodies: list[Region] = []
    for members in clusters:
        bodies = [section.regions[i] for i in members]
        geom = g.union(b.geometry for b in bodies)
        others = [r for r in section.regions if r not in bodies]
        shaped = _reflow_body(section, geom, others, angle)
        lowest = min(bodies, key=lambda b: b.geometry.bounds[1])
        numeral = new_numerals.get(lowest.numeral or "", lowest.numeral)
        new_bodies.append(Region(shaped, lowest.material, numeral))
    _check_bridges(new_bodies)
    return section.evolve([*fixed, *new_bodies])


def _clusters(section: Section, molten: list[int]) -> list[list[int]]:
    """Groups of molten regions of one material that touch along a line."""
    parent = {i: i for i in molten}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for k, i in enumerate(molten):
        for j in molten[k + 1:]:
            a, b = section.regions[i], section.regions[j]
            if a.material == b.material and a.geometry.distance(b.geometry) <= tol.touch \
                    and g.shared_boundary(a.geometry, b.geometry).length > tol.touch:
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in molten:
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _reflow_body(section: Section, body: BaseGeometry, others: list[Region],
                 contact_angle: float | None) -> BaseGeometry:
    """The new shape of one molten body among fixed ``others``."""
    rest = section.evolve(others)
    volume_scale = body.area ** 0.5
    margin = 4 * volume_scale + (section.zmax - section.zmin)
    ambient = rest.ambient(margin)
    free = g.touching_parts(ambient, body, distance=0.0)
    if free.is_empty:
        return body
    wet_solid = g.union(r.geometry for r in others if section.materials[r.material].wettable)
    wet = g.lines(g.shared_boundary(free, wet_solid))
    wet = [w for w in wet if w.distance(body) <= tol.touch]
    if not wet:
        return _dewet(rest, body)
    base = shapely.MultiLineString(wet)
    xl, _, xr, _ = base.bounds
    axis = (xl + xr) / 2
    if contact_angle is not None:
        centre = body.centroid.x
        a_eq = _equilibrium_half_width(g.axisymmetric_volume(body, centre), contact_angle)
        if 2 * a_eq < xr - xl:
            axis = min(max(centre, xl + a_eq), xr - a_eq)
            xl, xr = axis - a_eq, axis + a_eq
            base = g.intersection(base, shapely.box(xl, base.bounds[1] - 1, xr,
                                                    base.bounds[3] + 1))
    volume = g.axisymmetric_volume(body, axis)
    z_left = _wall_top(free, base, xl, -1)
    z_right = _wall_top(free, base, xr, +1)
    z_rim = min(z_left, z_right)
    confined = g.touching_parts(g.intersection(free, shapely.box(
        section.x0, section.zmin - margin, section.x1, z_rim)), base)
    v_confined = g.axisymmetric_volume(confined, axis)
    if v_confined >= volume * (1 - tol.volume):
        return _partial_fill(free, base, axis, volume, z_rim)
    lo_x, hi_x = _rim_chord(free, z_rim, axis, xl, xr)
    half = (hi_x - lo_x) / 2
    centre = (lo_x + hi_x) / 2

    def shape(h: float) -> BaseGeometry:
        if h <= 0:
            return confined
        cap = g.intersection(cap_polygon(centre, z_rim, half, h), free)
        return g.clean(g.touching_parts(g.union([confined, cap]),
                                        base if confined.is_empty else confined,
                                        distance=tol.touch))

    def excess(h: float) -> float:
        return g.axisymmetric_volume(shape(h), axis) - volume

    h0 = float(cap_height(volume - v_confined, half))
    h = _solve_increasing(excess, 0.0, h0, volume)
    return g.clean(shape(h))


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


def _dewet(rest: Section, body: BaseGeometry) -> BaseGeometry:
    """Nothing wets: the solder balls up into a sphere of the same volume."""
    x = body.centroid.x
    volume = g.axisymmetric_volume(body, x)
    r = (3 * volume / (4 * math.pi)) ** (1 / 3)
    ball = g.buffer(Point(0, 0), r)
    r *= (volume / g.axisymmetric_volume(ball, 0.0)) ** (1 / 3)
    x = min(max(x, rest.x0 + r), rest.x1 - r)
    return drop_ball("reflow", rest, x, r)


def _solve_increasing(f, lo: float, guess: float, scale: float) -> float:  # type: ignore[no-untyped-def]
    """Root of increasing ``f`` with f(lo) < 0, by bracketing and the Illinois method."""
    hi = max(guess, 1e-9)
    f_hi = f(hi)
    f_lo = f(lo)
    while f_hi < 0:
        lo, f_lo = hi, f_hi
        hi *= 2
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
    for i, a in enumerate(bodies):
        for b in bodies[i + 1:]:
            if a.geometry.distance(b.geometry) <= tol.touch:
                xa, xb = a.geometry.centroid.x, b.geometry.centroid.x
                raise BridgeError(
                    f"reflow: the solder caps at x={xa:.4g} and x={xb:.4g} µm would touch "
                    f"(a bridge); reduce the solder volume or widen the pitch")


__all__ = ["cap_height", "cap_polygon", "reflow"]
