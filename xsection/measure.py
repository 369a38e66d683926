"""Measurements on a section's own polygons: bumps, voids (concavities and
holes), films, layers and materials. Lengths in µm, volumes in µm³, angles
in degrees. Volumes of bodies are axisymmetric about their axis."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from . import geometry as g
from .errors import InputError, UnknownNameError
from .joints import is_joint
from .section import Section, mirror_z, upward_segments
from .tolerances import tol


class _Record:
    """A measurement result that turns into a plain dict (JSON, tables)."""

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = asdict(self)  # type: ignore[call-overload]
        return out


@dataclass(frozen=True)
class Bump(_Record):
    """A body protruding from a reference surface (``direction`` up or down)."""

    numeral: str | None
    x: float
    height: float
    base_width: float
    top_width: float
    max_width: float
    max_width_z: float
    neck_width: float
    volume: float
    apex_z: float
    cap_radius: float | None
    contact_angle_deg: float | None


@dataclass(frozen=True)
class Void(_Record):
    """A named void: a concavity (etched under a mask) or a hole."""

    numeral: str
    x: float
    depth: float
    top_width: float
    bottom_width: float
    opening_width: float
    interface_width: float | None
    undercut_left: float | None
    undercut_right: float | None
    max_width: float
    taper_deg: float
    aspect_ratio: float
    radius: float | None
    radius_residual: float | None
    landing_width: float | None  # how wide the bottom meets the landing material
    mouth_z: float  # z of the interface (or the top) where the void opens
    opens: str  # "up" or "down"


def named(section: Section, what: str, op: str) -> BaseGeometry:
    """Geometry named by a numeral (regions or labels) or a material."""
    regions = section.select(numerals=[what])
    if regions:
        return g.union(r.geometry for r in regions)
    labels = [lab for lab in section.labels if lab.numeral == what]
    if labels:
        return g.union(lab.geometry for lab in labels)
    if what in section.materials and section.select(materials=[what]):
        return section.union_of(materials=[what])
    present = sorted(set(section.numerals()) | {r.material for r in section.regions})
    raise UnknownNameError(f"{op}: {what!r} is neither a numeral nor a material in this "
                           f"section; present: {', '.join(present)}")


def _width_at(body: BaseGeometry, z: float, axis: float | None = None) -> float:
    """Width of the chord of ``body`` at ``z`` (the one over ``axis`` if given)."""
    spans = g.chords(body, z)
    if not spans:
        return 0.0
    if axis is not None:
        for a, b in spans:
            if a - tol.slack <= axis <= b + tol.slack:
                return b - a
        return 0.0
    return max(b - a for a, b in spans)


def bumps(section: Section, what: str, *, reference: str | float | None = None,
          direction: str = "up") -> list[Bump]:
    """Measure every body named by ``what`` that protrudes from the top of
    ``reference`` (a numeral, a material, or an absolute z, µm). By default
    each body's own base: the top of the highest other body it stands on
    (``base_of``), so heights mean the same in checks and in ``measure``, and
    on the bottom face (``direction="down"``, the section mirrored) as on the top."""
    op = "measure bumps"
    if direction not in ("up", "down"):
        raise InputError(f"{op}: 'direction' must be 'up' or 'down' (got {direction!r})")
    s = mirror_z(section) if direction == "down" else section
    geom = named(s, what, op)
    ref_geom = None if reference is None or isinstance(reference, (int, float)) else \
        named(s, str(reference), op)
    numeral = what if s.select(numerals=[what]) or any(
        lab.numeral == what for lab in s.labels) else None
    out = []
    own = _materials_of(s, what)
    for body in sorted(g.polygons(geom), key=lambda p: p.centroid.x):
        _not_a_joint(s, body, own, what)
        z_ref = (base_of(s, body, own) if reference is None else
                 _reference_z(body, ref_geom, reference))
        out.append(bump(body, numeral, body.bounds[1] if z_ref is None else z_ref))
    return out


def _not_a_joint(section: Section, body: BaseGeometry, own: set[str], what: str) -> None:
    """Refuse to measure a joint between two lands as a bump."""
    for material in own:
        if section.materials[material].cls == "solder" and is_joint(section, body, material):
            raise InputError(f"{what!r}: the body at x={body.centroid.x:.6g} µm is a joint "
                             f"between a land below and a land above, not a bump; read "
                             f"joint:{what}:<field> (standoff, waist_width, ...)")


def base_of(section: Section, body: BaseGeometry, own: set[str]) -> float | None:
    """Top (µm) of the highest body not of the materials ``own`` that ``body``
    touches, between its bottom and its apex: the surface it stands on (None
    if it stands on nothing)."""
    _, zmin, _, apex = body.bounds
    tops = []
    for r in section.regions:
        if r.material in own or r.geometry.distance(body) > tol.probe:
            continue
        for part in r.parts:
            top = part.bounds[3]
            if part.distance(body) <= tol.probe and zmin - tol.slack <= top < apex:
                tops.append(top)
    return max(tops) if tops else None


def _materials_of(section: Section, what: str) -> set[str]:
    """The materials of the bodies ``what`` names (a numeral or a material)."""
    return {r.material for r in section.select(numerals=[what])} or {what}


def _reference_z(body: BaseGeometry, ref: BaseGeometry | None, value: str | float) -> float:
    if ref is None:
        return float(value)
    minx, _, maxx, _ = body.bounds
    pad = (maxx - minx) * 0.5 + 1.0
    near = shapely.clip_by_rect(ref, minx - pad, -g.FAR, maxx + pad, g.FAR)
    if near.is_empty:
        raise UnknownNameError(f"measure bumps: reference {value!r} does not lie beside the "
                               f"body at x={body.centroid.x:.4g}")
    return near.bounds[3]


def bump(body: BaseGeometry, numeral: str | None, z_ref: float) -> Bump:
    _, zmin, _, apex = body.bounds
    eps = tol.probe * max(1.0, apex - zmin)
    base_z = min(max(z_ref, zmin) + eps, apex - eps)
    spans = g.chords(body, base_z) or g.chords(body, (zmin + apex) / 2)
    widest = max(spans, key=lambda ab: ab[1] - ab[0])
    axis = (widest[0] + widest[1]) / 2
    zs = np.linspace(zmin + eps, apex - eps, 400)
    widths = np.array([_width_at(body, z, axis) for z in zs])
    above = zs >= z_ref
    k = int(np.argmax(np.where(above, widths, -1.0))) if above.any() else int(np.argmax(widths))
    # the neck: narrowest section between the deepest point and the widest protruding one
    lower = widths[: k + 1]
    neck = float(lower.min()) if len(lower) else float(widths[k])
    radius, angle = _cap(body, axis, z_ref, float(zs[k]))
    top_w = _width_at(body, apex - max(eps, 1e-4 * (apex - zmin)))
    return Bump(numeral, axis, apex - z_ref, widest[1] - widest[0], top_w, float(widths[k]),
                float(zs[k]), neck, g.axisymmetric_volume(body, axis), apex, radius, angle)


def _cap(body: BaseGeometry, axis: float, z_ref: float, z_wide: float
         ) -> tuple[float | None, float | None]:
    """Radius and contact angle of a spherical top, if the top is one (fit residual < 1 %)."""
    ring = np.asarray(g.polygons(body)[0].exterior.coords)
    top = ring[ring[:, 1] > max(z_wide, z_ref) + tol.slack]
    if len(top) < 5:
        return None, None
    _xc, zc, r, resid = fit_circle(top)
    if r <= 0 or resid > 0.01 * r:
        return None, None
    s = max(-1.0, min(1.0, (z_ref - zc) / r))
    return r, 90.0 - math.degrees(math.asin(s))


def fit_circle(points: np.ndarray) -> tuple[float, float, float, float]:
    """Least-squares circle (xc, zc, r) through points and its rms residual."""
    x, z = points[:, 0], points[:, 1]
    a = np.column_stack([x, z, np.ones_like(x)])
    b = x * x + z * z
    (c0, c1, c2), *_ = np.linalg.lstsq(a, b, rcond=None)
    xc, zc = c0 / 2, c1 / 2
    r = math.sqrt(max(c2 + xc * xc + zc * zc, 0.0))
    resid = float(np.sqrt(np.mean((np.hypot(x - xc, z - zc) - r) ** 2)))
    return float(xc), float(zc), r, resid


def voids(section: Section, numeral: str, *, material: str | None = None,
          landing: Iterable[str] = ()) -> list[Void]:
    """Measure each part of the void ``numeral`` (its open space now).

    material: the etched material, whose top is the interface (for
    concavities: interface width and undercut); landing: materials a hole
    should reach at its bottom.
    """
    op = "measure voids"
    labels = [lab for lab in section.labels if lab.numeral == numeral and lab.kind == "void"]
    if not labels:
        known = sorted({lab.numeral for lab in section.labels if lab.kind == "void"})
        raise UnknownNameError(f"{op}: no void {numeral!r} in this section; voids: "
                               f"{', '.join(known) or 'none'}")
    open_space = g.intersection(g.union(lab.geometry for lab in labels), section.ambient())
    flipped = mirror_z(section)
    out = []
    for part in sorted(g.polygons(g.clean(open_space)), key=lambda p: p.centroid.x):
        s, piece, up = section, part, _opens_upward(section, part)
        if not up:
            s, piece = flipped, shapely.affinity.scale(part, 1.0, -1.0, origin=(0.0, 0.0))
        mat_geom = s.union_of(materials=[material]) if material else None
        land = s.union_of(materials=list(landing)) if landing else None
        v = _void(s, numeral, piece, mat_geom, land, list(landing))
        if not up:
            v = replace(v, mouth_z=-v.mouth_z, opens="down")
        out.append(v)
    return out


def _opens_upward(section: Section, part: BaseGeometry) -> bool:
    """True if the void meets the rest of the open space at its upper side."""
    rest = g.difference(section.open_ambient(), part.buffer(tol.touch))
    mouth = g.shared_boundary(part.buffer(2 * tol.touch), rest.buffer(tol.touch))
    if mouth.is_empty:
        mouth = g.intersection(part.boundary, rest.buffer(4 * tol.touch))
    if mouth.is_empty:
        return True
    return mouth.centroid.y >= part.centroid.y


def _void(section: Section, numeral: str, part: BaseGeometry, mat: BaseGeometry | None,
          land: BaseGeometry | None, landing: list[str]) -> Void:
    minx, zmin, maxx, ztop = part.bounds
    depth = ztop - zmin
    eps = tol.probe * max(depth, 1.0)
    zs = np.linspace(zmin + eps, ztop - eps, 300)
    widths = np.array([_width_at(part, z) for z in zs])
    x = (minx + maxx) / 2
    top_w, bottom_w = float(widths[-1]), float(widths[0])
    interface_w = under_l = under_r = radius = resid = None
    opening = float(widths.min())
    if mat is not None and not mat.is_empty:
        near = shapely.clip_by_rect(mat, minx - 1, zmin - 1, maxx + 1, ztop + 1)
        z_if = near.bounds[3] if not near.is_empty else ztop
        inside = zs <= z_if
        above = zs > z_if
        spans = g.chords(part, z_if - eps)
        if spans:
            a, b = max(spans, key=lambda ab: ab[1] - ab[0])
            interface_w = b - a
            passage = [(pa, pb) for pa, pb in g.chords(section.ambient(), z_if + eps)
                       if pb > a and pa < b]
            if passage:
                pa, pb = min(passage, key=lambda ab: ab[1] - ab[0])
                opening = pb - pa
                under_l, under_r = pa - a, b - pb
        if above.any() and under_l is None:
            opening = float(widths[above].min())
        depth = z_if - zmin
        wall = g.shared_boundary(part, mat)
        pts = shapely.get_coordinates(wall)
        if len(pts) >= 5:
            _, _, radius, resid = fit_circle(pts)
        widths = widths[inside] if inside.any() else widths
    taper = math.degrees(math.atan2((top_w - bottom_w) / 2, max(depth, tol.grid)))
    reach = None
    if land is not None:
        bottom = shapely.box(minx - 1, zmin - tol.touch, maxx + 1, zmin + tol.touch)
        reach = float(g.intersection(g.shared_boundary(part, land), bottom).length)
    return Void(numeral, x, depth, top_w, bottom_w, opening, interface_w, under_l, under_r,
                float(widths.max()), taper, depth / max(top_w, tol.grid), radius, resid, reach,
                zmin + depth, "up")


def thickness_at(section: Section, what: str, x: float) -> float:
    """Total vertical thickness of ``what`` (numeral or material) at ``x``."""
    geom = named(section, what, "measure thickness")
    hit = g.intersection(LineString([(x, section.zmin - 1), (x, section.zmax + 1)]), geom)
    return float(hit.length)


def exposed_width(section: Section, material: str, direction: str = "up") -> float:
    """Length (µm) of ``material``'s surface that faces open ambient from
    above (``direction="up"``) or from below (``"down"``, a backside reveal)."""

    if direction not in ("up", "down"):
        raise InputError(f"exposed: 'direction' must be 'up' or 'down' (got {direction!r})")
    if direction == "down":
        section = mirror_z(section)
    geom = named(section, material, "measure exposed")
    return float(upward_segments(section, geom, 1.0).length)


def materials(section: Section) -> dict[str, dict[str, float]]:
    """Area (µm²) and body count per material."""
    out: dict[str, dict[str, float]] = {}
    for r in section.regions:
        item = out.setdefault(r.material, {"area": 0.0, "bodies": 0})
        item["area"] += r.geometry.area
        item["bodies"] += len(r.parts)
    return out


def tapers_upward(body: BaseGeometry, z_from: float) -> bool:
    """True if every horizontal chord above ``z_from`` is no longer than the one below."""
    _, _, _, apex = body.bounds
    zs = np.linspace(z_from + tol.probe, apex - tol.probe, 200)
    widths = [_width_at(body, z) for z in zs]
    return all(b <= a + tol.probe for a, b in itertools.pairwise(widths))
