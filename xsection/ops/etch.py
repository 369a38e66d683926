"""Steps that cut through masks: etch (isotropic, anisotropic, tapered),
drill, pattern."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import LineString, Polygon, box
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import GeometryError, InputError, require_choice, require_length, require_number
from ..section import Region, Section, upward_segments
from ..tolerances import tol
from .common import (
    intervals_arg,
    materials_arg,
    numeral_arg,
    numerals_arg,
    on_side,
    positions_arg,
    remove_from,
    selection_arg,
    strips_arg,
)
from .pits import straight_etch

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

    >>> import xsection as xs
    >>> s = xs.stack(width=200, layers=[xs.Layer("copper", 50.0)])
    >>> out = etch(s, target="copper", depth=4.0, mode="anisotropic", openings=[(90, 110)],
    ...            bias=1.0)
    >>> round(s.union_of().area - out.union_of().area, 6)  # (20 + 2·1) · 4
    88.0
    """
    op = "etch"
    targets, nums = selection_arg(op, section, "target", target, numerals)
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
        if strips is None and ratio == 1.0:  # straight runs on flat faces: closed form
            pits = straight_etch(section, source, targets, nums, d, numeral)
            if pits is not None:
                return pits
        ambient = section.ambient(d * max(ratio, 1.0))
        if strips is not None:
            source, ambient = g.intersection(source, strips), g.intersection(ambient, strips)
        passable = g.glued([solid, ambient])  # they only touch
        removed = g.clean(_elliptic_offset(source, solid, d, ratio, passable))
        return remove_from(section, removed, targets, numeral, nums)

    def apply(s: Section, mirrored: bool) -> Section:
        solid = s.union_of(materials=targets, numerals=nums)
        removed = directional_removal(s, solid, d, alpha, clip=strips)
        if b > 0 and not removed.is_empty:
            wide = g.sweep(shapely.affinity.translate(removed, -b, 0.0), 2 * b, 0.0)
            removed = g.clean(g.touching_parts(g.intersection(wide, solid), removed))
        return remove_from(s, removed, targets, numeral, nums)

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
    reach: BaseGeometry = g.clean(g.intersection(swept, solid))
    if reach.is_empty:
        return g.EMPTY
    minx, _, maxx, _ = reach.bounds
    others = g.difference(section.solid, solid)
    blockers = shapely.clip_by_rect(others, minx, section.zmin - 1, maxx, section.zmax + 1)
    if not blockers.is_empty:
        reach = g.difference(reach, g.sweep_down(blockers, section.zmax - section.zmin + 2))
    return g.clean(g.touching_parts(reach, source))


def _wedge(run: LineString, tan: float, depth: float) -> BaseGeometry:
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


def drill(section: Section, *, target: str | Iterable[str], at: float | Sequence[float],
          top_width: float, bottom_width: float | None = None,
          stop_on: str | Iterable[str] | None = None, depth: float | None = None,
          side: str = "top", numeral: str | None = None) -> Section:
    """Open tapered holes through the ``target`` materials at x positions.

    Each hole runs from the top of the ``target`` material at x down to the
    ``stop_on`` surface, or ``depth`` below its entry (a blind hole; with
    both, whichever comes first), or through the whole ``target`` column,
    with ``top_width`` at the entry and ``bottom_width`` at the bottom. A
    laser stops on ``stop_on`` wherever its beam meets it: the hole goes
    down until its bottom rests on that surface across its width (the
    lowest point of the surface under it), so a ball under mould is bared
    to a cap as wide as the bottom::

        before            after (top 60, bottom 40)     blind, depth D
        PI########        PI##\\    /##                 Si##\\  /##  entry
        Cu########        Cu###‾‾‾‾###  <- stops on Cu  Si###‾‾###  D below it

        mould over a ball        laser opening, stop_on solder
        ##########               ##\\ .-. /##   the cap bared as wide as
        ###( o )##               ###(  o  )##  the bottom (z where the
                                               ball's chord is bottom_width)
    """
    op = "drill"
    thru = materials_arg(op, section, "target", target)
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
        cols, stop_cols = _columns(solid, xs), _columns(stop_solid, xs)
        stop_parts = g.polygons(stop_solid)
        holes = []
        for x, col, stop_col in zip(xs, cols, stop_cols):
            if not col:
                continue
            z_top = col[-1][1]
            if stops:
                below = [b for _, b in stop_col if b <= z_top + tol.touch]
                if not below:
                    raise GeometryError(f"{op}: no {', '.join(stops)} lies below the "
                                        f"{', '.join(thru)} at x={x} to stop on")
                z_bot = _stop_level(stop_parts, x, max(below), wb)
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
        hole = g.union_disjoint(holes)  # side by side where they do not meet
        removed = g.clean(g.intersection(hole, solid))
        return remove_from(s, removed, thru, numeral)

    out = on_side(op, section, side, apply)
    if out is section or out.regions == section.regions:
        shown = ", ".join(f"{x:g}" for x in xs[:5]) + (f", … ({len(xs)} in all)"
                                                        if len(xs) > 5 else "")
        raise GeometryError(f"{op}: no {', '.join(thru)} at x = {shown} on side {side!r} "
                            f"to drill")
    return out


def _stop_level(parts: list[Polygon], x: float, z_hit: float, width: float) -> float:
    """Where a hole ``width`` wide at its bottom, centred at x, stops: the
    centre reaches the stop body at ``z_hit``; the beam goes on round it
    until the bottom rests on that body across its width, at the lowest of
    the body's tops under the bottom (columns past the body's sides do not
    count). The outline is piecewise linear, so that lowest top lies at a
    corner or at an end of the bottom: those columns are enough."""
    hit = [p for p in parts if p.bounds[0] - tol.touch <= x <= p.bounds[2] + tol.touch and
           p.distance(shapely.Point(x, z_hit)) <= tol.touch]
    if not hit:
        return z_hit
    body = hit[0]
    lo, hi = x - width / 2, x + width / 2
    corners = np.unique(shapely.get_coordinates(body)[:, 0])
    inside = corners[np.searchsorted(corners, lo, "right"):np.searchsorted(corners, hi)]
    at = np.unique(np.concatenate([[lo + tol.grid, x, hi - tol.grid], inside]))
    tops = [max((b for _, b in col if b <= z_hit + tol.touch), default=None)
            for col in _columns(body, at.tolist())]
    return min([t for t in tops if t is not None], default=z_hit)


def _columns(solid: BaseGeometry, xs: Sequence[float]) -> list[list[tuple[float, float]]]:
    """For each x: the z-intervals (bottom, top) where the vertical line at x
    meets ``solid`` (its upright edges too), by their tops; one scanline for
    all x, so a thousand holes cost what one does, not a thousand overlays."""
    cols = g.chords_at(solid, np.array([1.0, 0.0]), np.array([0.0, 1.0]), xs, closed=True)
    return [sorted(spans, key=lambda ab: ab[1]) for spans in cols]


def pattern(section: Section, *, target: str, keep: Sequence[Sequence[float]] | None = None,
            remove: Sequence[Sequence[float]] | None = None, undercut: float = 0.0,
            numerals: Iterable[str] | None = None, numeral: str | None = None,
            side: str = "top") -> Section:
    """Pattern a layer into features: clear it (from above, down to what lies
    beneath) outside the ``keep`` x-intervals, or inside ``remove``; a wet
    etch adds ``undercut`` under the resist edges. ``numerals`` limits it to
    those bodies of ``target``; ``numeral`` names what is left of them::

        before               after keep=[(a, b)]
        ==================   ......=====......   <- feature 24a on a..b
        PI PI PI PI PI PI    PI PI PI PI PI PI
    """
    op = "pattern"
    (mat,) = materials_arg(op, section, "target", target)
    cut = require_length(op, "undercut", undercut)
    new_numeral = numeral_arg(op, "numeral", numeral)
    nums = None if numerals is None else numerals_arg(op, section, numerals)
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
        strips = g.union_disjoint([box(a, s.zmin - 1, b, s.zmax + 1) for a, b in intervals])
        removed = directional_removal(s, solid, s.zmax - s.zmin + 1, clip=strips) \
            if intervals else g.EMPTY
        out = remove_from(s, removed, [mat], None, nums)
        if cut > 0 and not removed.is_empty:
            rest = out.union_of(materials=[mat], numerals=nums)
            walls = g.intersection(out.exposed(rest), g.buffer(removed, tol.touch))
            if not walls.is_empty:
                passable = g.union([rest, out.ambient(cut)])
                more = g.clean(g.geodesic_offset(walls, rest, cut, passable=passable))
                out = remove_from(out, more, [mat], None, nums)
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
