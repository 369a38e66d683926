"""Young–Laplace caps and joints as polygons of a section (µm, µm³): the
meridians of ``laplace`` revolved into the plane, pinned where the spherical
ones are, holding the volume to ``tol.volume``.

    cap    .-‾‾-.       profile from the pad edge to the apex, mirrored
    pad  ___[==]___

    pad    [=====]      meniscus from the rim chord to the pad, mirrored;
    joint  (     )      corrected by δ·sin(πz/h), zero at both edges, to
    rim  ___[===]___    hold the volume exactly
"""

from __future__ import annotations

import math

import numpy as np
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..tolerances import tol
from .laplace import cap_profile, joint_profile


def laplace_cap(x_axis: float, z_base: float, half_width: float, height: float,
                ell: float) -> Polygon:
    """The cap of ``height`` on the chord [x−a, x+a] at ``z_base`` whose
    surface is the Young–Laplace meridian for the capillary length ``ell``
    (µm; negative: gravity pulls away from the pad, a hanging cap)."""
    a, h = float(half_width), float(height)
    if not (a > tol.grid and h > tol.grid):
        return Polygon()
    prof = cap_profile(a, h, ell)
    right = np.column_stack([x_axis + prof[:, 0], z_base + prof[:, 1]])
    left = np.column_stack([x_axis - prof[::-1, 0], z_base + prof[::-1, 1]])[1:]
    return Polygon(np.vstack([right, left]))


def meniscus_joint(free: BaseGeometry, confined: BaseGeometry, rim: tuple[float, float, float],
                   pad: BaseGeometry, axis: float, volume: float, ell: float
                   ) -> BaseGeometry | None:
    """The constant-mean-curvature (with gravity: Young–Laplace) joint of
    ``volume`` less what ``confined`` holds, between the rim chord (lo, hi at
    z) and the pad above; None where it does not apply: pads not on one
    axis, no meniscus of that volume, or one a wall would cut (the arcs of
    ``caps.joint_shape`` then meet the wall)."""
    lo, hi, z_rim = rim
    ul, z_up, ur, _ = pad.bounds
    h = z_up - z_rim
    centre = (lo + hi) / 2
    size = hi - lo + ur - ul + h
    if h <= tol.touch or abs(centre - (ul + ur) / 2) > 1e-6 * size or \
            abs(centre - axis) > 1e-6 * size:
        return None
    target = volume - g.axisymmetric_volume(confined, axis)
    try:
        prof, _, _ = joint_profile((hi - lo) / 2, (ur - ul) / 2, h, target, ell)
    except ArithmeticError:
        return None
    bump = np.sin(math.pi * np.clip(prof[:, 1] / h, 0.0, 1.0))

    def shape(delta: float) -> Polygon:
        r = prof[:, 0] + delta * bump
        right = np.column_stack([centre + r, z_rim + prof[:, 1]])
        left = np.column_stack([centre - r[::-1], z_rim + prof[::-1, 1]])
        return Polygon(np.vstack([right, left]))

    delta = 0.0
    for _ in range(3):  # the polygon's chords hold a little less than the meridian
        v0 = g.axisymmetric_volume(shape(delta), centre)
        if abs(v0 - target) <= tol.volume * volume:
            break
        step = 1e-6 * size
        slope = (g.axisymmetric_volume(shape(delta + step), centre) - v0) / step
        delta += (target - v0) / slope
    body = shape(delta)
    if not body.is_valid:
        return None
    inside = g.intersection(body, free)
    if body.area - inside.area > tol.area + tol.volume * body.area:
        return None  # a wall is in the way
    return g.clean(g.union([confined, inside]))
