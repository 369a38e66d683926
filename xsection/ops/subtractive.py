"""Steps that remove material: etch, drill, pattern, strip, grind, roughen."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import LineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import GeometryError, InputError, require_choice, require_length, require_number
from ..numeric import bisect
from ..section import Region, Section, upward_segments
from ..tolerances import tol
from .common import (
    intervals_arg,
    materials_arg,
    numeral_arg,
    on_side,
    positions_arg,
    strips_arg,
    subtract,
    void_label,
)

ETCH_MODES = ("isotropic", "anisotropic", "tapered")


def etch(section: Section, *, target: str | Iterable[str] | None = None, depth: float,
         mode: str = "isotropic", sidewall_deg: float | None = None, side: str = "top",
         numeral: str | None = None, numerals: Iterable[str] | None = None,
         openings: Sequence[Sequence[float]] | None = None, lateral_ratio: float = 1.0,
         bias: float = 0.0) -> Section:
    """Remove ``depth`` of the ``target`` materials (or the bodies named by
    ``numerals``; both given: both apply) from their exposed surfaces.

    isotropic: the front advances equally in every direction inside the
    target only (a true geodesic offset): through a mask opening of width w
    it leaves a round-ended profile of radius ``depth`` with an undercut of
    ``depth`` under each mask edge. It never crosses another material and
    never reaches target matter that is not exposed. ``lateral_ratio`` r
    makes the front an ellipse: ``depth`` down, r · ``depth`` sideways (a
    crystal or a chemistry that etches faster across than down).
    anisotropic: straight down from surfaces facing up (on ``side``);
    ``bias`` widens the cut by that much sideways under the mask edges.
    tapered: like anisotropic, with side walls ``sidewall_deg`` from vertical
    narrowing the opening with depth. ``side`` says where the etchant
    comes from: the open space above ('top'), below ('bottom') or both (a
    dip). ``openings``: x-intervals of a virtual mask (the etch acts there
    only, as through a resist that is not drawn). ``numeral`` names the
    new void::

        before (mask M, opening w)     isotropic, depth d      anisotropic, bias b
        MMMM      MMMM                 MMMM      MMMM          MMMM      MMMM
        ####################           ###\\      /###          ###|        |###
        ####################           ####\\____/####          ###|________|###
                                       undercut r·d, depth d   b under each edge
    """
    op = "etch"
    targets, nums = _selection(op, section, "target", target, numerals)
    d = require_length(op, "depth", depth)
    require_choice(op, "mode", mode, ETCH_MODES)
    numeral = numeral_arg(op, "numeral", numeral)
    ratio = require_length(op, "lateral_ratio", lateral_ratio, allow_zero=False)
    b = require_length(op, "bias", bias)
    strips = strips_arg(op, section, openings)
    if mode != "isotropic" and ratio != 1.0:
        raise InputError(f"{op}: 'lateral_ratio' applies to mode 'isotropic' only "
                         f"(mode is {mode!r}); an anisotropic etch takes 'bias'")
    if mode == "isotropic" and b > 0:
        raise InputError(f"{op}: 'bias' applies to modes 'anisotropic' and 'tapered' only; "
                         f"an isotropic etch takes 'lateral_ratio'")
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
        solid = section.union_of(materials=targets, numerals=nums)
        source = section.exposed(solid, d * max(ratio, 1.0), side)
        ambient = section.ambient(d * max(ratio, 1.0))
        if strips is not None:
            source, ambient = g.intersection(source, strips), g.intersection(ambient, strips)
        passable = g.union([solid, ambient])
        removed = g.clean(_elliptic_offset(source, solid, d, ratio, passable))
        return _remove(section, removed, targets, numeral, nums)

    def apply(s: Section, mirrored: bool) -> Section:
        solid = s.union_of(materials=targets, numerals=nums)
        removed = directional_removal(s, solid, d, alpha, clip=strips)
        if b > 0 and not removed.is_empty:
            wide = g.sweep(shapely.affinity.translate(removed, -b, 0.0), 2 * b, 0.0)
            removed = g.clean(g.touching_parts(g.intersection(wide, solid), removed))
        return _remove(s, removed, targets, numeral, nums)

    return on_side(op, section, side, apply)


def _elliptic_offset(source: BaseGeometry, solid: BaseGeometry, d: float, ratio: float,
                     passable: BaseGeometry) -> BaseGeometry:
    """The geodesic offset of ``d`` in the metric that stretches x by ``ratio``:
    the same offset of the section scaled by 1/ratio across, scaled back
    (an ellipse of semi-axes ratio · d and d; error ``tol.arc`` times the
    larger)."""
    if ratio == 1.0:
        return g.geodesic_offset(source, solid, d, passable=passable)
    k = 1.0 / ratio

    def squeeze(geom: BaseGeometry, f: float) -> BaseGeometry:
        return shapely.affinity.scale(geom, f, 1.0, origin=(0.0, 0.0))

    out = g.geodesic_offset(squeeze(source, k), squeeze(solid, k), d,
                            passable=squeeze(passable, k))
    return g.intersection(g.clean(squeeze(out, ratio)), solid)


def _selection(op: str, section: Section, field: str, materials: object,
               numerals: Iterable[str] | None) -> tuple[tuple[str, ...] | None, list[str] | None]:
    """The materials and numerals a step acts on: at least one of them given."""
    nums = None if numerals is None else _numerals_arg(op, section, numerals)
    if materials is None:
        if nums is None:
            raise InputError(f"{op}: give '{field}' (a material or a list of them) or "
                             f"'numerals' (the bodies to act on)")
        return None, nums
    return materials_arg(op, section, field, materials), nums


def _numerals_arg(op: str, section: Section, numerals: object) -> list[str]:
    if isinstance(numerals, str) or not isinstance(numerals, Iterable):
        raise InputError(f"{op}: 'numerals' must be a list of numerals such as ['24'] "
                         f"(got {numerals!r})")
    nums = [numeral_arg(op, "numerals", n) or "" for n in numerals]
    if not nums:
        raise InputError(f"{op}: 'numerals' must name at least one body (got [])")
    section.require_numerals(op, "numerals", nums)
    return nums


def _remove(section: Section, removed: BaseGeometry, targets: Iterable[str] | None,
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
          stop_on: str | Iterable[str] | None = None, depth: float | None = None,
          side: str = "top", numeral: str | None = None) -> Section:
    """Open tapered holes through the ``through`` materials at x positions.

    Each hole runs from the top of the ``through`` material at x down to the
    first ``stop_on`` surface, or ``depth`` below its entry (a blind hole;
    with both, whichever comes first), or through the whole ``through``
    column, with ``top_width`` at the entry and ``bottom_width`` at the bottom::

        before            after (top 60, bottom 40)     blind, depth D
        PI########        PI##\\    /##                 Si##\\  /##  entry
        Cu########        Cu###‾‾‾‾###  <- stops on Cu  Si###‾‾###  D below it
    """
    op = "drill"
    thru = materials_arg(op, section, "through", through)
    stops = () if stop_on is None else materials_arg(op, section, "stop_on", stop_on)
    xs = positions_arg(op, section, "at", at)
    wt = require_length(op, "top_width", top_width, allow_zero=False)
    wb = wt if bottom_width is None else require_length(op, "bottom_width", bottom_width,
                                                         allow_zero=False)
    numeral = numeral_arg(op, "numeral", numeral)
    blind = None if depth is None else require_length(op, "depth", depth, allow_zero=False)

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
                z_bot = col[-1][0] if blind is None else -g.FAR
            if blind is not None:
                z_bot = max(z_bot, z_top - blind)
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
            numerals: Iterable[str] | None = None, numeral: str | None = None,
            side: str = "top") -> Section:
    """Pattern a layer into features: clear it (from above, down to what lies
    beneath) outside the ``keep`` x-intervals, or inside ``remove``; a wet
    etch adds ``undercut`` under the resist edges. ``numerals`` limits it to
    those bodies of ``material``; ``numeral`` names what is left of them::

        before               after keep=[(a, b)]
        ==================   ......=====......   <- feature 24a on a..b
        PI PI PI PI PI PI    PI PI PI PI PI PI
    """
    op = "pattern"
    (mat,) = materials_arg(op, section, "material", material)
    cut = require_length(op, "undercut", undercut)
    new_numeral = numeral_arg(op, "numeral", numeral)
    nums = None if numerals is None else _numerals_arg(op, section, numerals)
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


def strip(section: Section, *, material: str, numerals: Iterable[str] | None = None,
          lift_off: bool = False) -> Section:
    """Dissolve every body of ``material`` that the etchant reaches, again and
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
    (mat,) = materials_arg(op, section, "material", material)
    nums = None if numerals is None else _numerals_arg(op, section, numerals)
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


def _wetted(part: Polygon, amb: BaseGeometry) -> bool:
    """True if ``part`` shares a stretch of boundary with ``amb``."""
    return part.distance(amb) <= tol.touch and g.shared_boundary(part, amb).length > tol.touch


def grind(section: Section, *, level: float | None = None, flat_width: float | None = None,
          material: str | None = None, stop_on: str | Iterable[str] | None = None,
          target: str | Iterable[str] | None = None, numerals: Iterable[str] | None = None,
          side: str = "top") -> Section:
    """Remove what lies above a plane: at ``level``, where ``material``
    shows an exposed flat ``flat_width`` wide, or where ``stop_on`` is first
    reached (CMP stopping on a layer: the plane is its highest point). With
    ``target`` (materials) or ``numerals`` (bodies) only those are removed
    above the plane (a selective polish: copper overburden off, the
    dielectric beside it kept)::

        before           after (flat w)       after stop_on = SiN, target = Cu
         _n_   _n_       ====_====_====       ___    ___
        ##| |#| |##      ##| |#| |##          |Cu|##|Cu|  <- level with the SiN top
    """
    op = "grind"
    given = [k for k, v in (("level", level), ("flat_width", flat_width), ("stop_on", stop_on))
             if v is not None]
    if len(given) != 1:
        raise InputError(f"{op}: give exactly one of 'level' (absolute z, µm), "
                         f"'flat_width' (µm) with 'material', or 'stop_on' (materials)"
                         + (f"; got {', '.join(given)}" if given else ""))
    stops: tuple[str, ...] = ()
    if level is not None:
        require_number(op, "level", level)
    elif flat_width is not None:
        require_length(op, "flat_width", flat_width, allow_zero=False)
        if material is None:
            raise InputError(f"{op}: 'flat_width' needs 'material' (whose flat it measures)")
        materials_arg(op, section, "material", material)
    else:
        stops = materials_arg(op, section, "stop_on", stop_on)
    if material is not None and flat_width is None:
        raise InputError(f"{op}: 'material' goes with 'flat_width'; to remove only some "
                         f"materials give 'target'")
    targets = None if target is None else materials_arg(op, section, "target", target)
    nums = None if numerals is None else _numerals_arg(op, section, numerals)

    def apply(s: Section, mirrored: bool) -> Section:
        if level is not None:
            z = -float(level) if mirrored else float(level)
        elif stops:
            z = _stop_level(op, s, stops)
        else:
            z = _flat_level(op, s, str(material), float(flat_width or 0.0))
        if z <= s.zmin + tol.touch:
            raise GeometryError(f"{op}: the plane z={z} lies at or below the bottom of the "
                                f"section (z={s.zmin}); nothing would be left")
        keep = box(s.x0, s.zmin - 1, s.x1, z)
        return s.evolve([Region(g.intersection(r.geometry, keep), r.material, r.numeral)
                         if (targets is None or r.material in targets)
                         and (nums is None or r.numeral in nums) else r
                         for r in s.regions])

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


