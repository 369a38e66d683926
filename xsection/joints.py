"""Solder joints measured as joints: a solder body that wets a land below it
and a land above it (µm, µm³).

A land is a wettable face the solder touches: below it (facing up, the
solder on it) or above it (facing down, the solder under it). A body that
wets both is a joint, never a bump::

    upper land   [=====]   z_up       upper_width: chord just below it
    joint       (       )  waist: the narrowest chord between the lands
    lower land  _[=====]_  z_low      standoff = z_up - z_low
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass

import numpy as np
import shapely
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from . import geometry as g
from .errors import UnknownNameError
from .section import Section
from .tolerances import tol

#: Levels sampled between the lands for the waist and the widest chord.
SAMPLES = 400


@dataclass(frozen=True)
class Lands:
    """The wetted faces of one solder body: below (facing up) and above
    (facing down), and the bodies that carry them."""

    lower: list[LineString]
    upper: list[LineString]
    lower_length: float  # all the body shares with the lower lands' bodies (sides too)
    upper_length: float
    apart: bool  # no body carrying a lower land touches one carrying an upper land

    @property
    def joint(self) -> bool:
        """Lands below and above, on bodies the solder alone connects (a
        bump sealed in a lined cup under a cap of metal is no joint)."""
        return bool(self.lower and self.upper and self.apart)


@dataclass(frozen=True)
class Joint:
    """A solder joint between two lands (µm, µm³)."""

    numeral: str | None
    x: float  # the axis: the middle of the lower land
    standoff: float  # upper land minus lower land
    lower_z: float
    upper_z: float
    waist_width: float  # narrowest chord between the lands
    waist_z: float
    max_width: float  # widest chord between the lands
    max_width_z: float
    lower_width: float  # chord just above the lower land
    upper_width: float  # chord just below the upper land
    lower_wetted: float  # wetted length on the lower land's body
    upper_wetted: float
    volume: float  # revolved about the axis

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def lands(section: Section, body: BaseGeometry, material: str) -> Lands:
    """The lands of the solder ``body`` (of ``material``): the wettable faces
    of other bodies it meets along a line, split by which way they face."""
    mats = section.materials
    lower: list[LineString] = []
    upper: list[LineString] = []
    wetted = [0.0, 0.0]
    carriers: tuple[list[BaseGeometry], list[BaseGeometry]] = ([], [])
    reach = body.buffer(tol.touch, quad_segs=1)
    for r in section.regions:
        if r.material == material or not mats[r.material].wettable or \
                not r.geometry.intersects(reach):
            continue
        shared = g.shared_boundary(body, r.geometry)
        if shared.length <= 10 * tol.touch:
            continue
        faces: tuple[list[LineString], list[LineString]] = ([], [])  # under, over the solder
        for face in _flat_faces(shared):
            mid = shapely.line_interpolate_point(face, 0.5, normalized=True)
            eps = max(10 * tol.touch, tol.probe * face.length)
            if body.contains(shapely.Point(mid.x, mid.y + eps)):
                faces[0].append(face)
            elif body.contains(shapely.Point(mid.x, mid.y - eps)):
                faces[1].append(face)
        lower += faces[0]
        upper += faces[1]
        for k in (0, 1):
            if faces[k]:
                wetted[k] += shared.length
                carriers[k].append(r.geometry)
    apart = not any(a.distance(b) <= tol.touch for a in carriers[0] for b in carriers[1])
    return Lands(lower, upper, wetted[0], wetted[1], apart)


def _flat_faces(lines: BaseGeometry) -> list[LineString]:
    """The segments of ``lines`` nearer horizontal than upright."""
    out = []
    for line in g.lines(lines):
        xy = np.asarray(line.coords)
        for a, b in itertools.pairwise(xy):
            if abs(b[0] - a[0]) > abs(b[1] - a[1]) and abs(b[0] - a[0]) > tol.touch:
                out.append(LineString([a, b]))
    return out


def is_joint(section: Section, body: BaseGeometry, material: str) -> bool:
    """True if the solder ``body`` wets a land below it and one above it."""
    return lands(section, body, material).joint


def joint(section: Section, body: BaseGeometry, material: str, numeral: str | None
          ) -> Joint | None:
    """The joint a solder body makes, or None where it wets no land above
    or none below."""
    found = lands(section, body, material)
    if not found.joint:
        return None
    low = shapely.MultiLineString(found.lower)
    up = shapely.MultiLineString(found.upper)
    z_low, z_up = low.bounds[3], up.bounds[1]
    axis = (low.bounds[0] + low.bounds[2]) / 2
    eps = tol.probe * max(1.0, z_up - z_low)
    zs = np.linspace(z_low + eps, z_up - eps, SAMPLES)
    widths = np.array([_width(body, z, axis) for z in zs])
    inner = widths > 0
    if not inner.any():
        return None
    k_min = int(np.argmin(np.where(inner, widths, np.inf)))
    k_max = int(np.argmax(widths))
    waist_z, waist = _narrowest(body, axis, float(zs[max(k_min - 1, 0)]),
                                float(zs[min(k_min + 1, SAMPLES - 1)]))
    return Joint(numeral, axis, z_up - z_low, z_low, z_up, waist,
                 waist_z, float(widths[k_max]), float(zs[k_max]), float(widths[0]),
                 float(widths[-1]), found.lower_length, found.upper_length,
                 g.axisymmetric_volume(body, axis))


def _narrowest(body: BaseGeometry, axis: float, lo: float, hi: float) -> tuple[float, float]:
    """(z, width) of the narrowest chord between two sampled levels round the
    sampled minimum: the width is piecewise linear in z, so a ternary search
    closes on the corner or the neck to a grid step."""
    for _ in range(60):
        if hi - lo <= tol.grid:
            break
        a, b = lo + (hi - lo) / 3, hi - (hi - lo) / 3
        if _width(body, a, axis) <= _width(body, b, axis):
            hi = b
        else:
            lo = a
    z = (lo + hi) / 2
    return z, _width(body, z, axis)


def _width(body: BaseGeometry, z: float, axis: float) -> float:
    """The chord of ``body`` at ``z`` over ``axis`` (else the widest), µm."""
    spans = g.chords(body, z)
    for a, b in spans:
        if a - tol.slack <= axis <= b + tol.slack:
            return b - a
    return max((b - a for a, b in spans), default=0.0)


def joints(section: Section, what: str) -> list[Joint]:
    """Every joint among the bodies ``what`` names (a numeral or a
    material), left to right."""
    regions = section.select(numerals=[what]) or section.select(materials=[what])
    if not regions:
        present = sorted(set(section.numerals()) | {r.material for r in section.regions})
        raise UnknownNameError(f"measure joints: {what!r} is neither a numeral nor a material "
                               f"in this section; present: {', '.join(present)}")
    named = what if section.select(numerals=[what]) else None
    out = []
    for r in regions:
        for part in r.parts:
            j = joint(section, part, r.material, named or r.numeral)
            if j is not None:
                out.append(j)
    return sorted(out, key=lambda j: j.x)
