"""Shapes of molten solder: spherical caps, joints between two pads, partial
fills, each solved for its volume (µm, µm³)."""

from __future__ import annotations

import math

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import GeometryError
from ..numeric import bisect, solve_increasing
from ..tolerances import tol

#: Pockets narrower than this fraction of a joint's side are closed.
POCKET_REL = 1e-4

#: A fill may fall short of its volume by this much (relative) before it is an error.
FIT_REL = 1e-6

#: Vertices of one cap at most (a tall cap on a narrow base needs many).
MAX_CAP_VERTICES = 20_000


def cap_height(volume: float | np.ndarray, half_width: float | np.ndarray) -> np.ndarray:
    """Height h (µm) of the spherical cap of ``volume`` (µm³) on a base of
    radius ``half_width`` (µm): the real root of π h (3a² + h²) / 6 = V.

    Closed form without cancellation: h = 2a sinh(asinh(3V / (π a³)) / 3).
    Vectorised over numpy arrays.

    >>> import math
    >>> round(float(cap_height(2 / 3 * math.pi * 10**3, 10.0)), 9)  # a hemisphere
    10.0
    """
    v = np.asarray(volume, dtype=float)
    a = np.asarray(half_width, dtype=float)
    return 2.0 * a * np.sinh(np.arcsinh(3.0 * v / (math.pi * a**3)) / 3.0)


def cap_polygon(x_axis: float, z_base: float, half_width: float, height: float,
                vertices: int | None = None) -> Polygon:
    r"""The circular segment of ``height`` h on the chord [x−a, x+a] at ``z_base``,
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


def joint_shape(free: BaseGeometry, confined: BaseGeometry, base: BaseGeometry,
           rim: tuple[float, float, float], pad: BaseGeometry, axis: float,
           volume: float) -> BaseGeometry | None:
    """The joint between the rim chord (lo, hi at z) below and the wetted
    ``pad`` above: the chords joined by two circular arcs of one sagitta s,
    solved so that the body revolved about ``axis`` holds ``volume``. None
    if even the narrowest neck holds too much (the solder cannot reach up)::

        pad      [=======]     z_up, from ul to ur
                (         )    arcs of sagitta s (s < 0: a neck)
        rim    ___[=====]___   z_rim, from lo to hi
    """
    lo, hi, z_rim = rim
    ul, z_up, ur, _ = pad.bounds
    if z_up - z_rim <= tol.touch:
        return None
    corners = ((lo, z_rim), (hi, z_rim), (ur, z_up), (ul, z_up))
    reach = min(hi - lo, ur - ul) / 2
    sides = (_side(corners[1], corners[2], +1), _side(corners[0], corners[3], -1))
    span = max(math.dist(*sides[0][:2]), math.dist(*sides[1][:2]))
    vertices = max(cap_vertices(span / 2, s) for s in (0.05 * span, 0.5 * span, 2 * span))
    seed = base if confined.is_empty else confined

    def shape(s: float) -> BaseGeometry:
        body: BaseGeometry = Polygon(corners)
        for p, q, out in sides:
            seg = _segment(p, q, s, out, vertices)
            body = body.union(seg) if s > 0 else body.difference(seg)
        body = g.intersection(body, free)
        return g.clean(g.touching_parts(g.union([confined, body]), seed, distance=tol.touch))

    def excess(s: float) -> float:
        return g.axisymmetric_volume(shape(s), axis) - volume

    lowest = -0.95 * reach
    if excess(lowest) > 0:
        return None
    s = solve_increasing(excess, lowest, 0.25 * span, tol.volume * volume,
                         limit=4 * span + 1.0)
    return None if s is None else closed(g.clean(shape(s)), free, POCKET_REL * span)


def closed(body: BaseGeometry, free: BaseGeometry, width: float) -> BaseGeometry:
    """``body`` with the pockets narrower than ``width`` between it and the
    walls filled (where an arc leaves a cavity's corner a few nm off it):
    solder, pressed on a wall that does not wet, leaves no sealed sliver.
    The area added is of order width² per corner, far below the volume's
    tolerance."""
    grown = g.intersection(body.buffer(width, quad_segs=2).buffer(-width, quad_segs=2), free)
    return g.clean(g.union([body, grown]))


def _side(p: tuple[float, float], q: tuple[float, float], sign: int
          ) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
    """A joint side from p (below) to q (above) and its outward unit normal
    (to the right for ``sign`` +1, to the left for -1)."""
    ux, uz = q[0] - p[0], q[1] - p[1]
    n = math.hypot(ux, uz)
    return p, q, (sign * uz / n, -sign * ux / n)


def _segment(p: tuple[float, float], q: tuple[float, float], s: float,
             out: tuple[float, float], vertices: int) -> Polygon:
    """The circular segment on chord pq with sagitta |s|, bulging along
    ``out`` for s > 0 and against it for s < 0."""
    length = math.dist(p, q)
    seg = cap_polygon(0.0, 0.0, length / 2, abs(s), vertices)
    if seg.is_empty:
        return seg
    ux, uz = (q[0] - p[0]) / length, (q[1] - p[1]) / length
    nx, nz = (out[0], out[1]) if s > 0 else (-out[0], -out[1])
    mx, mz = (p[0] + q[0]) / 2, (p[1] + q[1]) / 2
    return shapely.affinity.affine_transform(seg, [ux, nx, uz, nz, mx, mz])


def equilibrium_half_width(volume: float, angle_deg: float) -> float:
    """Base radius (µm) of the cap of ``volume`` meeting its base at ``angle_deg``."""
    c = math.cos(math.radians(angle_deg))
    radius = (3 * volume / (math.pi * (1 - c) ** 2 * (2 + c))) ** (1 / 3)
    return float(radius * math.sin(math.radians(angle_deg)))


def partial_fill(free: BaseGeometry, base: BaseGeometry, axis: float, volume: float,
                  z_rim: float) -> BaseGeometry:
    """Not enough solder to fill the cup: fill it bottom-up to the level that
    holds it. Space that cannot hold the volume at all (a cavity closed all
    round, a joint squeezed shut) is an error, never solder lost."""
    z_lo = base.bounds[1]

    def fill_to(z: float) -> BaseGeometry:
        below = g.intersection(free, shapely.box(free.bounds[0], free.bounds[1],
                                                 free.bounds[2], z))
        return g.touching_parts(below, base)

    room = g.axisymmetric_volume(fill_to(z_rim), axis)
    if room < volume * (1 - FIT_REL):
        x = (base.bounds[0] + base.bounds[2]) / 2
        raise GeometryError(f"reflow: the solder at x={x:.6g} µm ({volume:.6g} µm³) does not "
                            f"fit in the space it can reach ({room:.6g} µm³ up to z="
                            f"{z_rim:.6g} µm); it would squeeze out between the bodies round "
                            f"it. Give it room (a larger gap, standoff = 'held' higher) or "
                            f"less solder")
    _, hi = bisect(lambda z: g.axisymmetric_volume(fill_to(z), axis) < volume, z_lo, z_rim)
    return g.clean(fill_to(hi))
