"""Steps that remove material: etch, drill, pattern, strip, grind, roughen."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import GeometryError, InputError, require_choice, require_length, require_number
from ..section import Region, Section
from ..tolerances import tol
from .common import (
    intervals_arg,
    materials_arg,
    numeral_arg,
    on_side,
    positions_arg,
    subtract,
    upward_segments,
    void_label,
)

ETCH_MODES = ("isotropic", "anisotropic", "tapered")


def etch(section: Section, *, target: str | Iterable[str], depth: float,
         mode: str = "isotropic", sidewall_deg: float | None = None, side: str = "top",
         numeral: str | None = None) -> Section:
    """Remove ``depth`` of the ``target`` materials from their exposed surfaces.

    isotropic: the front advances equally in every direction inside the
    target only (a true geodesic offset): through a mask opening of width w
    it leaves a round-ended profile of radius ``depth`` with an undercut of
    ``depth`` under each mask edge. It never crosses another material and
    never reaches target matter that is not exposed. ``side`` says where the
    etchant comes from: the open space above ('top'), below ('bottom') or
    both (a dip).
    anisotropic: straight down from surfaces facing up (on ``side``).
    tapered: like anisotropic, with side walls ``sidewall_deg`` from vertical
    narrowing the opening with depth. ``numeral`` names the new void::

        before (mask M, opening w)     isotropic, depth d
        MMMM      MMMM                 MMMM      MMMM
        ####################           ###\\      /###   undercut d
        ####################           ####\\____/####   depth d
    """
    op = "etch"
    targets = materials_arg(op, section, "target", target)
    d = require_length(op, "depth", depth)
    require_choice(op, "mode", mode, ETCH_MODES)
    numeral = numeral_arg(op, "numeral", numeral)
    alpha = 0.0
    if mode == "tapered":
        if sidewall_deg is None:
            raise InputError(f"{op}: mode 'tapered' needs 'sidewall_deg' (degrees from "
                             f"vertical, 0 <= angle < 90)")
        alpha = require_number(op, "sidewall_deg", sidewall_deg)
        if not 0.0 <= alpha < 90.0:
            raise InputError(f"{op}: 'sidewall_deg' must be >= 0 and < 90 degrees "
                             f"(got {alpha})")
    elif sidewall_deg is not None:
        raise InputError(f"{op}: 'sidewall_deg' applies to mode 'tapered' only "
                         f"(mode is {mode!r})")
    if d <= tol.grid:  # below the coordinate precision: nothing to remove
        return section
    if mode == "isotropic":
        require_choice(op, "side", side, ("top", "bottom", "both"))
        solid = section.union_of(materials=targets)
        source = section.exposed(solid, d, side)
        passable = g.union([solid, section.ambient(d)])
        removed = g.clean(g.geodesic_offset(source, solid, d, passable=passable))
        return _remove(section, removed, targets, numeral)

    def apply(s: Section, mirrored: bool) -> Section:
        solid = s.union_of(materials=targets)
        removed = directional_removal(s, solid, d, alpha)
        return _remove(s, removed, targets, numeral)

    return on_side(op, section, side, apply)


def _remove(section: Section, removed: BaseGeometry, targets: Iterable[str],
            numeral: str | None, numerals: Iterable[str] | None = None) -> Section:
    if removed.is_empty:
        return section
    regions = subtract(section, removed, materials=targets, numerals=numerals)
    # what is removed lies inside the targets, so the union just loses it
    return section.evolve(regions, [*section.labels, *void_label(numeral, removed)],
                          solid=g.difference(section.solid, removed))


def directional_removal(section: Section, solid: BaseGeometry, depth: float,
                        sidewall_deg: float = 0.0,
                        clip: BaseGeometry | None = None) -> BaseGeometry:
    """What a vertical (or tapered) etch of ``depth`` removes from ``solid``.

    Sources are the exposed surfaces of ``solid`` facing up (within ``clip``
    if given); everything below another material is shadowed.
    """
    source = upward_segments(section, solid, depth)
    if clip is not None:
        source = g.intersection(source, clip)
    if source.is_empty:
        return g.EMPTY
    if sidewall_deg > 0:
        tan = math.tan(math.radians(sidewall_deg))
        swept = g.union(
            g.intersection(g.sweep_down(run, depth), _wedge(run, tan, depth))
            for run in g.lines(shapely.line_merge(source)))
    else:
        swept = g.sweep_down(source, depth)
    reach = g.clean(g.intersection(swept, solid))
    if reach.is_empty:
        return g.EMPTY
    minx, _, maxx, _ = reach.bounds
    others = g.difference(section.solid, solid)
    blockers = shapely.clip_by_rect(others, minx, section.zmin - 1, maxx, section.zmax + 1)
    if not blockers.is_empty:
        reach = g.difference(reach, g.sweep_down(blockers, section.zmax - section.zmin + 2))
    return g.clean(g.touching_parts(reach, source))


def _wedge(run: LineString, tan: float, depth: float) -> Polygon:
    """Half-plane intersection: side walls leaving the run's ends at angle atan(tan)."""
    (xa, za), (xb, zb) = run.coords[0], run.coords[-1]
    if xa > xb:
        (xa, za), (xb, zb) = (xb, zb), (xa, za)
    span = abs(xb - xa) + 2 * depth + abs(zb - za) + 10
    up, dn = span, depth + abs(zb - za) + 1
    left = Polygon([(xa - up * tan, za + up), (xa + dn * tan, za - dn),
                    (xa + span * 4, za - dn), (xa + span * 4, za + up)])
    right = Polygon([(xb + up * tan, zb + up), (xb - dn * tan, zb - dn),
                     (xb - span * 4, zb - dn), (xb - span * 4, zb + up)])
    return left.intersection(right)


def drill(section: Section, *, through: str | Iterable[str], at: float | Sequence[float],
          top_width: float, bottom_width: float | None = None,
          stop_on: str | Iterable[str] | None = None, side: str = "top",
          numeral: str | None = None) -> Section:
    """Open tapered holes through the ``through`` materials at x positions.

    Each hole runs from the top of the ``through`` material at x down to the
    first ``stop_on`` surface (or through the whole ``through`` column), with
    ``top_width`` at the entry and ``bottom_width`` at the bottom::

        before            after (top 60, bottom 40)
        PI########        PI##\\    /##
        Cu########        Cu###‾‾‾‾###   <- hole 12a stops on Cu
    """
    op = "drill"
    thru = materials_arg(op, section, "through", through)
    stops = () if stop_on is None else materials_arg(op, section, "stop_on", stop_on)
    xs = positions_arg(op, section, "at", at)
    wt = require_length(op, "top_width", top_width, allow_zero=False)
    wb = wt if bottom_width is None else require_length(op, "bottom_width", bottom_width,
                                                         allow_zero=False)
    numeral = numeral_arg(op, "numeral", numeral)

    def apply(s: Section, mirrored: bool) -> Section:
        solid = s.union_of(materials=thru)
        stop_solid = s.union_of(materials=stops) if stops else g.EMPTY
        holes = []
        for x in xs:
            col = _column(solid, x, s)
            if not col:
                continue
            z_top = col[-1][1]
            if stops:
                below = [b for _, b in _column(stop_solid, x, s) if b <= z_top + tol.touch]
                if not below:
                    raise GeometryError(f"{op}: no {', '.join(stops)} lies below the "
                                        f"{', '.join(thru)} at x={x} to stop on")
                z_bot = max(below)
            else:
                z_bot = col[-1][0]
            if z_top - z_bot <= tol.touch:
                continue
            holes.append(Polygon([(x - wt / 2, z_top), (x + wt / 2, z_top),
                                  (x + wb / 2, z_bot), (x - wb / 2, z_bot)]))
        if not holes:
            return s
        hole = g.union(holes)
        removed = g.clean(g.intersection(hole, solid))
        return _remove(s, removed, thru, numeral)

    out = on_side(op, section, side, apply)
    if out is section or out.regions == section.regions:
        raise GeometryError(f"{op}: no {', '.join(thru)} at x = {xs} on side {side!r} to drill")
    return out


def _column(solid: BaseGeometry, x: float, s: Section) -> list[tuple[float, float]]:
    """z-intervals (bottom, top) where the vertical line at x is inside ``solid``."""
    if solid.is_empty:
        return []
    hit = g.intersection(LineString([(x, s.zmin - 1), (x, s.zmax + 1)]), solid)
    spans = []
    for seg in g.lines(hit):
        zs = [c[1] for c in seg.coords]
        spans.append((min(zs), max(zs)))
    return sorted(spans, key=lambda ab: ab[1])


def pattern(section: Section, *, material: str, keep: Sequence[Sequence[float]] | None = None,
            remove: Sequence[Sequence[float]] | None = None, undercut: float = 0.0,
            numeral: str | None = None, new_numeral: str | None = None,
            side: str = "top") -> Section:
    """Pattern a layer into features: clear it (from above, down to what lies
    beneath) outside the ``keep`` x-intervals, or inside ``remove``; a wet
    etch adds ``undercut`` under the resist edges::

        before               after keep=[(a, b)]
        ==================   ......=====......   <- feature 24a on a..b
        PI PI PI PI PI PI    PI PI PI PI PI PI
    """
    op = "pattern"
    (mat,) = materials_arg(op, section, "material", material)
    cut = require_length(op, "undercut", undercut)
    numeral = numeral_arg(op, "numeral", numeral)
    new_numeral = numeral_arg(op, "new_numeral", new_numeral)
    if (keep is None) == (remove is None):
        raise InputError(f"{op}: give exactly one of 'keep' or 'remove' (lists of "
                         f"(x_start, x_end) pairs in µm)")
    intervals = intervals_arg(op, section, "keep" if keep is not None else "remove",
                           keep if keep is not None else remove)
    if keep is not None:
        intervals = _complement(intervals, section.x0, section.x1)
    intervals = [(a, b) for a, b in intervals if b - a > tol.grid]  # narrower: nothing to cut
    if cut <= tol.grid:
        cut = 0.0
    nums = None if numeral is None else [numeral]
    if nums:
        section.require_numerals(op, "numeral", nums)

    def apply(s: Section, mirrored: bool) -> Section:
        solid = s.union_of(materials=[mat], numerals=nums)
        if solid.is_empty:
            return s
        strips = g.union(box(a, s.zmin - 1, b, s.zmax + 1) for a, b in intervals)
        removed = directional_removal(s, solid, s.zmax - s.zmin + 1, clip=strips) \
            if intervals else g.EMPTY
        out = _remove(s, removed, [mat], None, nums)
        if cut > 0 and not removed.is_empty:
            rest = out.union_of(materials=[mat], numerals=nums)
            walls = g.intersection(out.exposed(rest), g.buffer(removed, tol.touch))
            if not walls.is_empty:
                passable = g.union([rest, out.ambient(cut)])
                more = g.clean(g.geodesic_offset(walls, rest, cut, passable=passable))
                out = _remove(out, more, [mat], None, nums)
        return out

    out = on_side(op, section, side, apply)
    if new_numeral is not None:
        out = out.evolve([
            Region(r.geometry, r.material, new_numeral)
            if r.material == mat and (nums is None or r.numeral in nums) else r
            for r in out.regions])
    return out


def _complement(items: list[tuple[float, float]], lo: float, hi: float
                ) -> list[tuple[float, float]]:
    out, x = [], lo
    for a, b in items:
        if a > x:
            out.append((x, a))
        x = max(x, b)
    if x < hi:
        out.append((x, hi))
    return out


def strip(section: Section, *, material: str, numerals: Iterable[str] | None = None) -> Section:
    """Dissolve every body of ``material`` that the etchant reaches, again and
    again as removal exposes more; bodies sealed off by others stay::

        before             after strip nickel
        ___Ni___           ________          <- exposed film gone
        Cu [Ni] Cu         Cu [Ni] Cu        <- sealed barrier stays
    """
    op = "strip"
    (mat,) = materials_arg(op, section, "material", material)
    nums = None if numerals is None else list(numerals)
    if nums:
        section.require_numerals(op, "numerals", nums)
    regions = list(section.regions)
    chosen = [r.material == mat and (nums is None or r.numeral in nums) for r in regions]
    first = True
    while True:
        amb = section.evolve(regions).open_ambient()
        shapely.prepare(amb)
        changed = False
        for k, r in enumerate(regions):
            if not chosen[k] or r.geometry.is_empty:
                continue
            kept = [part for part in r.parts if not _wetted(part, amb)]
            if len(kept) != len(r.parts):
                changed = True
                geom = g.clean(MultiPolygon(kept)) if kept else g.EMPTY
                regions[k] = Region(geom, r.material, r.numeral)
        if not changed:
            return section if first else section.evolve(regions)
        first = False


def _wetted(part: Polygon, amb: BaseGeometry) -> bool:
    """True if ``part`` shares a stretch of boundary with ``amb``."""
    return part.distance(amb) <= tol.touch and g.shared_boundary(part, amb).length > tol.touch


def grind(section: Section, *, level: float | None = None, flat_width: float | None = None,
          material: str | None = None, side: str = "top") -> Section:
    """Remove everything above a plane: at ``level``, or where ``material``
    shows an exposed flat ``flat_width`` wide::

        before           after (flat w)
         _n_   _n_       ====_====_====   <- plane; flats of width w
        ##| |#| |##      ##| |#| |##
    """
    op = "grind"
    if (level is None) == (flat_width is None):
        raise InputError(f"{op}: give exactly one of 'level' (absolute z, µm) or "
                         f"'flat_width' (µm) with 'material'")
    if level is not None:
        require_number(op, "level", level)
    else:
        require_length(op, "flat_width", flat_width, allow_zero=False)
        if material is None:
            raise InputError(f"{op}: 'flat_width' needs 'material' (whose flat it measures)")
        materials_arg(op, section, "material", material)

    def apply(s: Section, mirrored: bool) -> Section:
        if level is not None:
            z = -float(level) if mirrored else float(level)
        else:
            z = _flat_level(op, s, str(material), float(flat_width or 0.0))
        if z <= s.zmin + tol.touch:
            raise GeometryError(f"{op}: the plane z={z} lies at or below the bottom of the "
                                f"section (z={s.zmin}); nothing would be left")
        keep = box(s.x0, s.zmin - 1, s.x1, z)
        return s.evolve([Region(g.intersection(r.geometry, keep), r.material, r.numeral)
                         for r in s.regions])

    return on_side(op, section, side, apply)


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
    lo = float(levels[k])
    for _ in range(80):
        mid = (lo + hi) / 2
        if widest(mid) >= width:
            lo = mid
        else:
            hi = mid
    return lo


def roughen(section: Section, *, material: str, amplitude: float, period: float,
            numeral: str | None = None) -> Section:
    """Give the exposed flat top of ``material`` a rough profile: a cosine
    of peak-to-valley ``amplitude`` and ``period`` (phase tied to x = x0),
    cut into the surface. Sloped and vertical faces are left smooth::

        before          after
        __________      _/\\/\\/\\/\\_
        Cu Cu Cu Cu     Cu Cu Cu Cu
    """
    op = "roughen"
    (mat,) = materials_arg(op, section, "material", material)
    a = require_length(op, "amplitude", amplitude)
    p = require_length(op, "period", period, allow_zero=False)
    nums = None if numeral is None else [numeral_arg(op, "numeral", numeral) or ""]
    if a <= tol.grid:
        return section
    if section.width / p * 32 > 1e6:
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
    return _remove(section, removed, [mat], None, nums)


