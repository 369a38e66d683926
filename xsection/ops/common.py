"""Shared plumbing of the operators: sides, selections, void and part labels."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import (
    InputError,
    UnknownNameError,
    is_printable_name,
    require_choice,
    require_number,
)
from ..section import Label, Region, Section, mirror_z
from ..tolerances import tol

SIDES = ("top", "bottom", "both")






def on_side(op: str, section: Section, side: str,
            apply: Callable[[Section, bool], Section]) -> Section:
    """Run a top-side step on the chosen side ('top', 'bottom' or 'both').

    ``apply(section, mirrored)`` works on the top face; for the bottom face it
    gets the section mirrored about z = 0 and ``mirrored=True``.
    """
    require_choice(op, "side", side, SIDES)
    out = section
    if side in ("top", "both"):
        out = apply(out, False)
    if side in ("bottom", "both"):
        out = mirror_z(apply(mirror_z(out), True))
    return out


def materials_arg(op: str, section: Section, field: str,
                  names: str | Iterable[str] | None) -> tuple[str, ...]:
    """Validate a material name or list of names against the section's library."""
    if names is None:
        raise InputError(f"{op}: '{field}' is required (a material name or a list of them)")
    if isinstance(names, str):
        names = (names,)
    out = tuple(names)
    if not out:
        raise InputError(f"{op}: '{field}' must name at least one material (got [])")
    for n in out:
        if not isinstance(n, str):
            raise InputError(f"{op}: '{field}' must hold material names (got {n!r})")
    return section.materials.require(op, field, out)


def numeral_arg(op: str, field: str, numeral: object) -> str | None:
    """Validate an optional reference numeral (a short non-empty string)."""
    if numeral is None:
        return None
    if not is_printable_name(numeral):
        raise InputError(f"{op}: '{field}' must be 1 to 64 printable characters such as "
                         f"'12a' (got {numeral!r})")
    return str(numeral)


def positions_arg(op: str, section: Section, field: str, at: object) -> list[float]:
    """Validate x positions inside the domain."""
    if isinstance(at, (int, float)) and not isinstance(at, bool):
        at = [at]
    if not isinstance(at, Sequence) or isinstance(at, str) or not at:
        raise InputError(f"{op}: '{field}' must be a non-empty list of x positions in µm "
                         f"(got {at!r})")
    out = []
    for x in at:
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not (x == x) \
                or x in (float("inf"), float("-inf")):
            raise InputError(f"{op}: '{field}' must hold finite numbers in µm (got {x!r})")
        if not section.x0 <= x <= section.x1:
            raise InputError(f"{op}: position {x} in '{field}' is outside the domain "
                             f"[{section.x0}, {section.x1}] µm")
        out.append(float(x))
    return out


def intervals_arg(op: str, section: Section, field: str, items: object
                  ) -> list[tuple[float, float]]:
    """Validate x-intervals (x_start, x_end) inside the domain; merged and sorted."""
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise InputError(f"{op}: '{field}' must be a list of (x_start, x_end) pairs in µm "
                         f"(got {items!r})")
    out = []
    for item in items:
        if not isinstance(item, Sequence) or isinstance(item, str) or len(item) != 2:
            raise InputError(f"{op}: each entry of '{field}' must be a pair (x_start, x_end) "
                             f"(got {item!r})")
        a = require_number(op, field, item[0])
        b = require_number(op, field, item[1])
        if not (section.x0 <= a < b <= section.x1):
            raise InputError(f"{op}: interval ({a}, {b}) in '{field}' must lie inside the "
                             f"domain [{section.x0}, {section.x1}] µm with x_start < x_end")
        out.append((a, b))
    return g.merge_intervals(out)


def strips_arg(op: str, section: Section, openings: object) -> BaseGeometry | None:
    """The virtual mask's openings as full-height strips (None: no mask)."""
    if openings is None:
        return None
    spans = intervals_arg(op, section, "openings", openings)
    if not spans:
        raise InputError(f"{op}: 'openings' must hold at least one (x_start, x_end) pair")
    return g.union(box(a, -g.FAR, b, g.FAR) for a, b in spans)


def reference_height(op: str, section: Section, above: str) -> float:
    """Top z of the regions named by numeral or material ``above``."""
    regions = section.select(numerals=[above]) or (
        section.select(materials=[above]) if above in section.materials else [])
    if not regions:
        raise UnknownNameError(
            f"{op}: 'above' names {above!r}, which is neither a numeral nor a material "
            f"present in the section; numerals: {', '.join(section.numerals()) or 'none'}")
    return max(r.geometry.bounds[3] for r in regions)


def subtract(section: Section, removed: BaseGeometry, *, materials: Iterable[str] | None = None,
             numerals: Iterable[str] | None = None) -> list[Region]:
    """Regions with ``removed`` cut out of the selected ones."""
    mats = None if materials is None else set(materials)
    nums = None if numerals is None else set(numerals)
    out = []
    for r in section.regions:
        hit = (mats is None or r.material in mats) and (nums is None or r.numeral in nums)
        geom = g.difference(r.geometry, removed) if hit and r.geometry.intersects(removed) \
            else r.geometry
        out.append(Region(g.polygonal(geom), r.material, r.numeral))
    return out


def void_label(numeral: str | None, removed: BaseGeometry) -> list[Label]:
    """A void label for what a step removed, if it was given a numeral."""
    if numeral is None or removed.is_empty or removed.area <= tol.area:
        return []
    return [Label(numeral, g.clean(removed), "void")]


def part_labels(section: Section, grown: BaseGeometry, material: str,
                part_numerals: Mapping[str, str] | None, op: str) -> list[Label]:
    """Part labels for new material inside named voids (e.g. via hole 26 → via 28)."""
    if not part_numerals:
        return []
    if not isinstance(part_numerals, Mapping):
        raise InputError(f"{op}: 'part_numerals' must map void numerals to part numerals "
                         f"(got {part_numerals!r})")
    out = []
    voids = [lab for lab in section.labels if lab.kind == "void"]
    for void, part in part_numerals.items():
        named = [lab for lab in voids if lab.numeral == void]
        if not named:
            raise UnknownNameError(
                f"{op}: 'part_numerals' names void {void!r}, which is not in the section; "
                f"voids: {', '.join(sorted({v.numeral for v in voids})) or 'none'}")
        for lab in named:
            inside = g.clean(g.intersection(lab.geometry, grown))
            if not inside.is_empty:
                out.append(Label(str(part), inside, "part", material))
    return out




def add_body(section: Section, geom: BaseGeometry, material: str, numeral: str | None,
             labels: Iterable[Label] | None = None) -> Section:
    """The section with a new body, trimmed to ambient so nothing can overlap.

    A body grown in the ambient (a film, a fill) only touches the matter: then
    the new solid is the two glued edge to edge (``union_touching``), and no
    overlay is needed; else the body is cut to the ambient by one."""
    body = g.clean(geom)
    solid = g.union_touching([section.solid, body])
    if solid is None:
        body = g.clean(g.difference(body, section.solid))
        solid = g.union([section.solid, body])
    if body.is_empty:
        return section
    return section.evolve([*section.regions, Region(body, material, numeral)],
                          section.labels if labels is None else labels, solid=solid)


def selection_arg(op: str, section: Section, field: str,
                  materials: str | Iterable[str] | None,
               numerals: Iterable[str] | None) -> tuple[tuple[str, ...] | None, list[str] | None]:
    """The materials and numerals a step acts on: at least one of them given."""
    nums = None if numerals is None else numerals_arg(op, section, numerals)
    if materials is None:
        if nums is None:
            raise InputError(f"{op}: give '{field}' (a material or a list of them) or "
                             f"'numerals' (the bodies to act on)")
        return None, nums
    return materials_arg(op, section, field, materials), nums


def numerals_arg(op: str, section: Section, numerals: object) -> list[str]:
    if isinstance(numerals, str) or not isinstance(numerals, Iterable):
        raise InputError(f"{op}: 'numerals' must be a list of numerals such as ['24'] "
                         f"(got {numerals!r})")
    nums = [numeral_arg(op, "numerals", n) or "" for n in numerals]
    if not nums:
        raise InputError(f"{op}: 'numerals' must name at least one body (got [])")
    section.require_numerals(op, "numerals", nums)
    return nums


def remove_from(section: Section, removed: BaseGeometry, targets: Iterable[str] | None,
            numeral: str | None, numerals: Iterable[str] | None = None) -> Section:
    if removed.is_empty:
        return section
    regions = subtract(section, removed, materials=targets, numerals=numerals)
    # what is removed lies inside the targets, so the union just loses it
    return section.evolve(regions, [*section.labels, *void_label(numeral, removed)],
                          solid=g.difference(section.solid, removed))
