"""Assembling parts made apart: mount a part (a die, an interposer, a top
package) on the section, bond two sections face to face, renumber a part."""

from __future__ import annotations

import re
from collections.abc import Sequence

import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import GeometryError, InputError, require_choice, require_length, require_number
from ..materials import MaterialLibrary
from ..section import Label, Region, Section, mirror_z
from ..tolerances import tol
from .common import SIDES, materials_arg
from .contact import vertical_gap
from .transform import flip as flipped

_LEADING_DIGITS = re.compile(r"^(\d+)(.*)$")


def renumber(section: Section, *, offset: int = 0, prefix: str = "", op: str = "renumber"
             ) -> Section:
    """Every numeral of ``section`` with ``offset`` added to its leading
    number and ``prefix`` put before it ("12a" + 100 → "112a")::

        part as built    numeral_offset = 100
          [12]  [14a]      [112]  [114a]
    """
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise InputError(f"{op}: 'numeral_offset' must be a whole number >= 0 (got {offset!r})")
    if not isinstance(prefix, str):
        raise InputError(f"{op}: 'numeral_prefix' must be a string (got {prefix!r})")
    if not offset and not prefix:
        return section

    def new(numeral: str) -> str:
        if offset:
            match = _LEADING_DIGITS.match(numeral)
            if match is None:
                raise InputError(f"{op}: 'numeral_offset' adds to a numeral's leading "
                                 f"number, and {numeral!r} has none; rename it first or use "
                                 f"'numeral_prefix'")
            numeral = f"{int(match.group(1)) + offset}{match.group(2)}"
        return prefix + numeral

    regions = [Region(r.geometry, r.material, None if r.numeral is None else new(r.numeral))
               for r in section.regions]
    labels = [Label(new(lab.numeral), lab.geometry, lab.kind, lab.material)
              for lab in section.labels]
    return section.evolve(regions, labels)


def mount(section: Section, part: Section, *, at: float | Sequence[float] | None = None,
          flip: bool = False, gap: float = 0.0, side: str = "top",
          numeral_offset: int = 0, numeral_prefix: str = "") -> Section:
    """Set a part made apart on the section: its domain centred at each x of
    ``at`` (µm; default the section's centre), turned face down first with
    ``flip``, lowered until it rests on what lies below it, then lifted by
    ``gap`` (µm: held at that standoff). ``side = "bottom"`` sets it under
    the section, its top facing the section's bottom. The domain grows to
    hold the part; the part's numerals get ``numeral_offset`` and
    ``numeral_prefix`` (see ``renumber``). Nothing joins: bodies of the part
    only touch those below (reflow or ``bond`` joins them)::

        part (flip)     [====die====]          [====die====]
                          o   o   o     ->        o   o   o    rests on
        section        ===[]==[]==[]===       ===[]==[]==[]=== the pads
    """
    op = "mount"
    require_choice(op, "side", side, SIDES[:2])
    if not isinstance(flip, bool):
        raise InputError(f"{op}: 'flip' must be true or false (got {flip!r})")
    lift = require_length(op, "gap", gap)
    if not isinstance(part, Section) or not part.regions:
        raise InputError(f"{op}: 'part' must be a section that holds material (got "
                         f"{type(part).__name__})")
    if not section.regions:
        raise InputError(f"{op}: the section holds no material to mount the part on")
    xs = _centres(op, section, at)
    materials = _merged_materials(op, section.materials, part.materials)
    piece = renumber(part, offset=numeral_offset, prefix=numeral_prefix, op=op)
    if flip:
        piece = flipped(piece)
    if side == "bottom":
        section, piece = mirror_z(section), mirror_z(piece)
    _no_clash(op, section, piece)
    half = piece.width / 2
    out = section
    for x in xs:
        moved = _moved(piece, x - (piece.x0 + half), 0.0)
        out = _rest_on(op, out, moved, lift, materials)
    return mirror_z(out) if side == "bottom" else out


def _centres(op: str, section: Section, at: object) -> list[float]:
    if at is None:
        return [(section.x0 + section.x1) / 2]
    items = [at] if isinstance(at, (int, float)) and not isinstance(at, bool) else at
    if not isinstance(items, Sequence) or isinstance(items, str) or not items:
        raise InputError(f"{op}: 'at' must be an x position in µm or a list of them "
                         f"(got {at!r})")
    return [require_number(op, "at", x) for x in items]


def _merged_materials(op: str, lower: MaterialLibrary, upper: MaterialLibrary
                      ) -> MaterialLibrary:
    """One library for both; a name the two define differently is an error."""
    for name, mat in upper.items():
        if name in lower and lower[name] != mat:
            raise InputError(f"{op}: material {name!r} is defined differently in the two "
                             f"parts ({lower[name]} and {mat}); give one definition")
    return lower if all(n in lower for n in upper) else lower.extended(*upper.values())


def _moved(section: Section, dx: float, dz: float) -> Section:
    """``section`` shifted by (dx, dz) µm, its domain with it."""
    def move(geom: BaseGeometry) -> BaseGeometry:
        return shapely.affinity.translate(geom, dx, dz)

    regions = [Region(g.polygonal(move(r.geometry)), r.material, r.numeral)
               for r in section.regions]
    labels = [Label(lab.numeral, g.polygonal(move(lab.geometry)), lab.kind, lab.material)
              for lab in section.labels]
    return Section(section.x0 + dx, section.x1 + dx, (), (), section.materials).evolve(
        regions, labels)


def _rest_on(op: str, section: Section, part: Section, gap: float,
             materials: MaterialLibrary) -> Section:
    """``part`` lowered onto ``section`` until it touches, then lifted by ``gap``."""
    below = g.intersection(section.solid, shapely.box(part.x0, -g.FAR, part.x1, g.FAR))
    if below.is_empty or below.area <= tol.area:
        raise GeometryError(f"{op}: nothing of the section lies under the part's domain "
                            f"[{part.x0:.6g}, {part.x1:.6g}] µm to rest it on")
    raised = _moved(part, 0.0, section.zmax - part.zmin + 1.0)
    drop = vertical_gap(below, raised.solid) - gap
    placed = _moved(raised, 0.0, -drop)
    x0, x1 = min(section.x0, placed.x0), max(section.x1, placed.x1)
    return Section(x0, x1, (), (), materials).evolve(
        [*section.regions, *placed.regions], [*section.labels, *placed.labels])


def _no_clash(op: str, section: Section, part: Section) -> None:
    """A numeral the part brings may not name another material in the section."""
    mine: dict[str, set[str]] = {}
    for r in section.regions:
        if r.numeral:
            mine.setdefault(r.numeral, set()).add(r.material)
    for r in part.regions:
        if r.numeral and r.numeral in mine and r.material not in mine[r.numeral]:
            raise InputError(
                f"{op}: numeral {r.numeral!r} names {', '.join(sorted(mine[r.numeral]))} in "
                f"the section and {r.material} in the part; give 'numeral_offset' or "
                f"'numeral_prefix' so that each numeral names one thing")


def bond(lower: Section, upper: Section, *, gap: float = 0.0, overlay: float = 0.0,
         flip: bool = False, join: str | Sequence[str] | None = None,
         numeral_offset: int = 0, numeral_prefix: str = "") -> Section:
    """Stack ``upper`` on ``lower`` over one domain and press (wafer to
    wafer, hybrid bonding): ``upper`` turned face down with ``flip``, shifted
    by ``overlay`` (µm, the alignment error; what leaves the domain is cut
    off) and lowered until it touches, then lifted by ``gap``. Touching
    bodies of one material that joins (``join``; by default every
    conductor: solid-phase diffusion or melting) become one body; the upper
    one's numeral, if another, stays as a part label, so nothing named is
    lost::

        upper   ===#===          ===#===
                                    #      <- posts meet and merge
        lower   ===#===   ->     ===#===
    """
    op = "bond"
    gap = require_length(op, "gap", gap)
    shift = require_number(op, "overlay", overlay)
    if not isinstance(flip, bool):
        raise InputError(f"{op}: 'flip' must be true or false (got {flip!r})")
    if abs(lower.x0 - upper.x0) > tol.touch or abs(lower.x1 - upper.x1) > tol.touch:
        raise InputError(f"{op}: the two sections must share one domain (got "
                         f"[{lower.x0}, {lower.x1}] and [{upper.x0}, {upper.x1}] µm); "
                         f"use 'mount' for a part of its own size")
    if abs(shift) >= lower.width:
        raise InputError(f"{op}: 'overlay' {shift:g} µm shifts the upper section off the "
                         f"domain ({lower.width:g} µm wide)")
    if lower.solid.is_empty or upper.solid.is_empty:
        raise InputError(f"{op}: both sections must hold material")
    materials = _merged_materials(op, lower.materials, upper.materials)
    piece = renumber(upper, offset=numeral_offset, prefix=numeral_prefix, op=op)
    if flip:
        piece = flipped(piece)
    if shift:
        piece = _clipped(_continued(_moved(piece, shift, 0.0), lower.x0, lower.x1),
                         lower.x0, lower.x1)
    lift = lower.zmax - piece.zmin + 1.0
    raised = [Region(shapely.affinity.translate(r.geometry, 0, lift), r.material, r.numeral)
              for r in piece.regions]
    drop = vertical_gap(lower.solid, g.union(r.geometry for r in raised)) - gap
    moved = [Region(shapely.affinity.translate(r.geometry, 0, -drop), r.material, r.numeral)
             for r in raised]
    labels = [*lower.labels, *(Label(lab.numeral, shapely.affinity.translate(
        lab.geometry, 0, lift - drop), lab.kind, lab.material) for lab in piece.labels)]
    joined = None if join is None else frozenset(materials_arg(op, lower, "join", join))
    merged, kept = _merge_touching(list(lower.regions), moved, materials, joined)
    return Section(lower.x0, lower.x1, (), (), materials).evolve(merged, [*labels, *kept])


def _continued(section: Section, x0: float, x1: float) -> Section:
    """``section`` reaching out to x0 and x1: what crosses a cut plane goes
    on past it unchanged (a layer of a wafer is cut, not ended, there)::

        cut at x0+d     continued to x0
          |=====          ======
          |  [#]            |  [#]
    """
    strips = [(x0, section.x0, section.x0), (section.x1, x1, section.x1)]
    regions = []
    for r in section.regions:
        parts = [r.geometry]
        for a, b, x in strips:
            if b - a <= tol.grid:
                continue
            profile = g.intersection(r.geometry, shapely.LineString([(x, -g.FAR), (x, g.FAR)]))
            parts += [shapely.box(a, min(za, zb), b, max(za, zb))
                      for line in g.lines(profile)
                      for (_, za), (_, zb) in [(line.coords[0], line.coords[-1])]
                      if abs(zb - za) > tol.grid]
        regions.append(Region(g.polygonal(g.union(parts)) if len(parts) > 1 else r.geometry,
                              r.material, r.numeral))
    return Section(min(x0, section.x0), max(x1, section.x1), (), (), section.materials).evolve(
        regions, section.labels)


def _clipped(section: Section, x0: float, x1: float) -> Section:
    """``section`` cut to the domain [x0, x1] (its new cut planes)."""
    def cut(geom: BaseGeometry) -> Polygon | MultiPolygon:
        return g.clean(shapely.clip_by_rect(geom, x0, -g.FAR, x1, g.FAR))

    regions = [Region(cut(r.geometry), r.material, r.numeral) for r in section.regions]
    labels = [Label(lab.numeral, cut(lab.geometry), lab.kind, lab.material)
              for lab in section.labels]
    return Section(x0, x1, (), (), section.materials).evolve(
        regions, [lab for lab in labels if not lab.geometry.is_empty])


def _merge_touching(lower: list[Region], upper: list[Region], materials: MaterialLibrary,
                    join: frozenset[str] | None) -> tuple[list[Region], list[Label]]:
    """The bodies after pressing: each upper body of a material that joins
    (``join``; None: every conductor) merges with a lower body of its
    material it touches along a line. A numeral the merge would lose stays
    as a part label on what the upper body was."""
    out = list(lower)
    kept: list[Label] = []
    for r in upper:
        joins = r.material in join if join is not None else materials[r.material].conductive
        for i, q in enumerate(out):
            if joins and q.material == r.material and \
                    g.shared_boundary(q.geometry, r.geometry).length > tol.touch:
                out[i] = Region(g.polygonal(g.union([q.geometry, r.geometry])), q.material,
                                q.numeral or r.numeral)
                if r.numeral and r.numeral != out[i].numeral:
                    kept.append(Label(r.numeral, r.geometry, "part", r.material))
                break
        else:
            out.append(r)
    return out, kept
