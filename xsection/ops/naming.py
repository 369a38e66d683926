"""Steps that only name things: a numeral for part of a body."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from shapely.geometry import box

from .. import geometry as g
from ..errors import GeometryError, InputError, require_number
from ..section import Label, Region, Section
from .common import intervals_arg, materials_arg, numeral_arg


def label(section: Section, *, numeral: str, target: str,
          x_ranges: Sequence[Sequence[float]] | None = None,
          z_range: Sequence[float] | None = None) -> Section:
    """Name the part of ``target`` inside the given x-intervals (and z-range)
    with ``numeral`` (e.g. terminal part 4 of rewiring layer 1, lands 32);
    the geometry is unchanged::

        before            after
        ====1=======      ====1==[4]==    <- numeral 4 names this stretch
    """
    op = "label"
    (mat,) = materials_arg(op, section, "target", target)
    name = numeral_arg(op, "numeral", numeral)
    if name is None:
        raise InputError(f"{op}: 'numeral' is required")
    lo, hi = section.zmin - 1, section.zmax + 1
    if z_range is not None:
        if len(z_range) != 2:
            raise InputError(f"{op}: 'z_range' must be a pair (z_low, z_high) (got {z_range!r})")
        lo, hi = (require_number(op, "z_range", v) for v in z_range)
        if not lo < hi:
            raise InputError(f"{op}: 'z_range' must have z_low < z_high (got {z_range!r})")
    spans = [(section.x0, section.x1)] if x_ranges is None else \
        intervals_arg(op, section, "x_ranges", x_ranges)
    window = g.union(box(a, lo, b, hi) for a, b in spans)
    part = g.clean(g.intersection(section.union_of(materials=[mat]), window))
    if part.is_empty:
        raise GeometryError(f"{op}: no {mat} lies in the given ranges to name {name!r}")
    return section.evolve(labels=[*section.labels, Label(name, part, "part", mat)])


def assembly(section: Section, *, numeral: str, numerals: Sequence[str]) -> Section:
    """Name a whole assembly, the bodies with ``numerals`` together, with
    ``numeral`` (the wiring substrate 40 of its layers and lands); figures
    point at it with an arrow-headed lead ending on its outline::

        40 ---->[=====12=====]
                [==13==|=30==]   <- one outline, one arrow
    """
    op = "assembly"
    name = numeral_arg(op, "numeral", numeral)
    if name is None:
        raise InputError(f"{op}: 'numeral' is required")
    if isinstance(numerals, str) or not isinstance(numerals, Sequence) or not numerals:
        raise InputError(f"{op}: 'numerals' must be a list of the bodies' numerals "
                         f"(got {numerals!r})")
    members = [numeral_arg(op, "numerals", n) or "" for n in numerals]
    section.require_numerals(op, "numerals", members)
    whole = g.clean(section.union_of(numerals=members))
    if whole.is_empty:
        raise GeometryError(f"{op}: no body has the numerals {members} to name {name!r}")
    return section.evolve(labels=[*section.labels, Label(name, whole, "assembly")])


def rename(section: Section, *, numerals: Mapping[str, str]) -> Section:
    """Give bodies and labels new numerals (bumps 20 become 20a once bare)::

        before        after {"20": "20a"}
         (20)          (20a)
    """
    op = "rename"
    if not isinstance(numerals, Mapping) or not numerals:
        raise InputError(f"{op}: 'numerals' must map old numerals to new ones (got {numerals!r})")
    section.require_numerals(op, "numerals", list(numerals))
    for new in numerals.values():
        numeral_arg(op, "numerals", new)
    regions = [Region(r.geometry, r.material, numerals.get(r.numeral or "", r.numeral))
               for r in section.regions]
    labels = [Label(numerals.get(lab.numeral, lab.numeral), lab.geometry, lab.kind, lab.material)
              for lab in section.labels]
    return section.evolve(regions, labels)
