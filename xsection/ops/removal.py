"""Steps that remove whole bodies or what lies above a plane: strip (with
lift-off), grind (to a level, a flat or a stop layer), roughen."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Polygon, box

from .. import geometry as g
from ..errors import GeometryError, InputError, require_length, require_number
from ..numeric import bisect
from ..section import Region, Section, upward_segments
from ..tolerances import tol
from .common import (
    materials_arg,
    numeral_arg,
    numerals_arg,
    on_side,
    remove_from,
)
from .planarize import dish

#: Most points a roughened profile may have.
MAX_PROFILE_POINTS = 1_000_000


def strip(section: Section, *, target: str, numerals: Iterable[str] | None = None,
          lift_off: bool = False) -> Section:
    """Dissolve every body of ``target`` that the etchant reaches, again and
    again as removal exposes more; bodies sealed off by others stay.
    ``numerals`` limits it to those bodies. ``lift_off``: parts that rested
    on the dissolved bodies only and now touch nothing go with them (a film
    evaporated on resist); without it they stay where they were (a build-up
    released from its carrier)::

        before             after strip nickel
        ___Ni___           ________          <- exposed film gone
        Cu [Ni] Cu         Cu [Ni] Cu        <- sealed barrier stays
    """
    op = "strip"
    (mat,) = materials_arg(op, section, "target", target)
    nums = None if numerals is None else numerals_arg(op, section, numerals)
    regions = list(section.regions)
    chosen = [r.material == mat and (nums is None or r.numeral in nums) for r in regions]
    first = True
    while True:
        amb = section.evolve(regions).open_ambient()
        changed = False
        todo = [k for k, r in enumerate(regions) if chosen[k] and not r.geometry.is_empty]
        parts = [p for k in todo for p in regions[k].parts]
        wet = iter(g.shared_lengths(parts, amb) > tol.touch)  # every part in one pass
        for k in todo:
            r = regions[k]
            kept = [part for part in r.parts if not next(wet)]
            if len(kept) != len(r.parts):
                changed = True
                geom = g.clean(MultiPolygon(kept)) if kept else g.EMPTY
                regions[k] = Region(geom, r.material, r.numeral)
        if not changed:
            if first:
                return section
            return section.evolve(_lift_off(section, regions, chosen) if lift_off else regions)
        first = False


def _lift_off(section: Section, regions: list[Region], chosen: list[bool]) -> list[Region]:
    """Drop the parts that rested on dissolved bodies only and now touch
    nothing: lift-off (a film on resist goes with the resist)::

        before strip resist      after
          ___       ___
        [RRR]_____[RRR]          ______      <- film on the resist lifted off
        ==============          ==============
    """
    gone = g.union(g.difference(old.geometry, new.geometry)
                   for old, new, c in zip(section.regions, regions, chosen) if c)
    if gone.is_empty:
        return regions
    parts = [(k, p) for k, r in enumerate(regions) for p in r.parts]
    if len(parts) < 2:
        return regions
    geoms = [p for _, p in parts]
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=tol.touch)
    touching = {i for i, j in zip(left.tolist(), right.tolist()) if i != j}
    loose = [i for i, p in enumerate(geoms)
             if i not in touching and p.distance(gone) <= tol.touch]
    if not loose:
        return regions
    drop = set(loose)
    out = []
    for k, r in enumerate(regions):
        kept = [p for i, (kk, p) in enumerate(parts) if kk == k and i not in drop]
        if len(kept) == len(r.parts):
            out.append(r)
        else:
            out.append(Region(g.clean(MultiPolygon(kept)) if kept else g.EMPTY,
                              r.material, r.numeral))
    return out


def grind(section: Section, *, level: float | None = None, flat_width: float | None = None,
          flat_of: str | None = None, stop_on: str | Iterable[str] | None = None,
          target: str | Iterable[str] | None = None, numerals: Iterable[str] | None = None,
          side: str = "top", dishing: float = 0.0, dishing_width: float = 10.0,
          dished: str | Iterable[str] | None = None) -> Section:
    """Remove what lies above a plane: at ``level``, where ``flat_of``
    shows an exposed flat ``flat_width`` wide, or where ``stop_on`` is first
    reached (CMP stopping on a layer: the plane is its highest point). With
    ``target`` (materials) or ``numerals`` (bodies) only those are removed
    above the plane (a selective polish: copper overburden off, the
    dielectric beside it kept). ``dishing`` d∞ (µm) recesses each run of the
    ``dished`` materials (default: the conductors) at the plane by
    d∞ (1 − exp(−w / ``dishing_width``)), a parabola across its width w
    (``ops.planarize``)::

        before           after (flat w)       after stop_on = SiN, target = Cu
         _n_   _n_       ====_====_====       ___    ___
        ##| |#| |##      ##| |#| |##          |Cu|##|Cu|  <- level with the SiN top
    """
    op = "grind"
    given = [k for k, v in (("level", level), ("flat_width", flat_width), ("stop_on", stop_on))
             if v is not None]
    if len(given) != 1:
        raise InputError(f"{op}: give exactly one of 'level' (absolute z, µm), "
                         f"'flat_width' (µm) with 'flat_of', or 'stop_on' (materials)"
                         + (f"; got {', '.join(given)}" if given else ""))
    stops: tuple[str, ...] = ()
    if level is not None:
        require_number(op, "level", level)
    elif flat_width is not None:
        require_length(op, "flat_width", flat_width, allow_zero=False)
        if flat_of is None:
            raise InputError(f"{op}: 'flat_width' needs 'flat_of' (whose flat it measures)")
        materials_arg(op, section, "flat_of", flat_of)
    else:
        stops = materials_arg(op, section, "stop_on", stop_on)
    if flat_of is not None and flat_width is None:
        raise InputError(f"{op}: 'flat_of' goes with 'flat_width'; to remove only some "
                         f"materials give 'target'")
    targets = None if target is None else materials_arg(op, section, "target", target)
    nums = None if numerals is None else numerals_arg(op, section, numerals)
    d_inf = require_length(op, "dishing", dishing)
    w0 = require_length(op, "dishing_width", dishing_width, allow_zero=False)
    soft = tuple(m for m in section.materials if section.materials[m].cls == "conductor") \
        if dished is None else materials_arg(op, section, "dished", dished)

    def apply(s: Section, mirrored: bool) -> Section:
        if level is not None:
            z = -float(level) if mirrored else float(level)
        elif stops:
            z = _stop_level(op, s, stops)
        else:
            z = _flat_level(op, s, str(flat_of), float(flat_width or 0.0))
        if z <= s.zmin + tol.touch:
            raise GeometryError(f"{op}: the plane z={z} lies at or below the bottom of the "
                                f"section (z={s.zmin}); nothing would be left")
        keep = box(s.x0, s.zmin - 1, s.x1, z)
        flat = s.evolve([Region(g.polygonal(g.intersection(r.geometry, keep)), r.material,
                                r.numeral)
                         if (targets is None or r.material in targets)
                         and (nums is None or r.numeral in nums) else r
                         for r in s.regions])
        return dish(flat, z, soft, d_inf, w0) if d_inf > 0 else flat

    return on_side(op, section, side, apply)


def _stop_level(op: str, s: Section, stops: tuple[str, ...]) -> float:
    """z (µm) where grinding down from above first reaches ``stops``."""
    solid = s.union_of(materials=stops)
    if solid.is_empty:
        raise GeometryError(f"{op}: no {', '.join(stops)} in the section to stop on")
    return float(solid.bounds[3])


def _flat_level(op: str, s: Section, material: str, width: float) -> float:
    """Highest z where the widest chord through ``material`` is ``width`` long."""
    solid = s.union_of(materials=[material])
    if solid.is_empty:
        raise GeometryError(f"{op}: no {material} in the section to grind a flat on")
    _, lo, _, hi = solid.bounds

    def widest(z: float) -> float:
        return max((b - a for a, b in g.chords(solid, z)), default=0.0)

    levels = np.linspace(lo, hi, 129)[1:-1]
    widths = [widest(z) for z in levels]
    k = int(np.argmax(widths))
    if widths[k] < width:
        raise GeometryError(f"{op}: {material} is never {width} µm wide (widest "
                            f"{widths[k]:.4g} µm); no plane gives that flat")
    lo, _ = bisect(lambda z: widest(z) >= width, float(levels[k]), hi)
    return lo


def roughen(section: Section, *, target: str, amplitude: float, period: float,
            numeral: str | None = None) -> Section:
    """Give the exposed flat top of ``target`` a rough profile: a cosine
    of peak-to-valley ``amplitude`` and ``period`` (phase tied to x = x0),
    cut into the surface. Sloped and vertical faces are left smooth::

        before          after
        __________      _/\\/\\/\\/\\_
        Cu Cu Cu Cu     Cu Cu Cu Cu
    """
    op = "roughen"
    (mat,) = materials_arg(op, section, "target", target)
    a = require_length(op, "amplitude", amplitude)
    p = require_length(op, "period", period, allow_zero=False)
    nums = None if numeral is None else [numeral_arg(op, "numeral", numeral) or ""]
    if a <= tol.grid:
        return section
    if section.width / p * 32 > MAX_PROFILE_POINTS:
        raise InputError(f"{op}: 'period' {p} µm is too small for a {section.width} µm wide "
                         f"section (over a million profile points)")
    solid = section.union_of(materials=[mat], numerals=nums)
    cuts = []
    n_per = 32
    for run in g.lines(upward_segments(section, solid, a)):
        for (xa, za), (xb, zb) in zip(run.coords[:-1], run.coords[1:]):
            if abs(zb - za) > tol.touch:
                continue
            lo, hi = min(xa, xb), max(xa, xb)
            n = max(2, math.ceil((hi - lo) / p * n_per) + 1)
            xs = np.linspace(lo, hi, n)
            zs = za - a * (1 - np.cos(2 * math.pi * (xs - section.x0) / p)) / 2
            ring = [(lo, za + tol.touch), *zip(xs, zs), (hi, za + tol.touch)]
            cuts.append(Polygon(ring))
    if not cuts:
        raise GeometryError(f"{op}: {mat} has no exposed flat top surface to roughen")
    removed = g.clean(g.intersection(g.union(cuts), solid))
    return remove_from(section, removed, [mat], None, nums)
