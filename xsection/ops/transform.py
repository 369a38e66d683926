"""Steps that cut or turn the whole section: split and flip."""

from __future__ import annotations

import shapely.affinity
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import GeometryError, InputError, require_choice, require_number
from ..section import Label, Region, Section

#: Which part of a split is kept.
SPLIT_KEEPS = ("above", "below")


def split(section: Section, *, z: float | None = None, keep: str = "above",
          x_min: float | None = None, x_max: float | None = None) -> Section:
    """Cut the section and keep one side: above or below the plane at ``z``,
    and/or between the vertical cuts ``x_min`` and ``x_max`` (which become the
    new cut planes)::

        before               after z=mid, keep above, x_min/x_max inside
        ad|==== top ====|ad       |== top ==|
        ad|== bottom ===|ad
    """
    op = "split"
    require_choice(op, "keep", keep, SPLIT_KEEPS)
    if z is None and x_min is None and x_max is None:
        raise InputError(f"{op}: give a plane: 'z' and/or 'x_min'/'x_max' (µm)")
    lo = section.x0 if x_min is None else require_number(op, "x_min", x_min)
    hi = section.x1 if x_max is None else require_number(op, "x_max", x_max)
    if not section.x0 <= lo < hi <= section.x1:
        raise InputError(f"{op}: need {section.x0} <= x_min < x_max <= {section.x1} µm "
                         f"(got x_min={lo}, x_max={hi})")
    zlo, zhi = section.zmin - 1, section.zmax + 1
    if z is not None:
        zc = require_number(op, "z", z)
        zlo, zhi = (zc, zhi) if keep == "above" else (zlo, zc)
    window = box(lo, zlo, hi, zhi)
    regions = [Region(g.polygonal(g.intersection(r.geometry, window)), r.material, r.numeral)
               for r in section.regions]
    labels = [Label(lab.numeral, g.clean(g.intersection(lab.geometry, window)), lab.kind,
                    lab.material) for lab in section.labels]
    out = Section(lo, hi, (), (), section.materials).evolve(
        regions, [lab for lab in labels if not lab.geometry.is_empty])
    if not out.regions:
        raise GeometryError(f"{op}: nothing of the section is left on the kept side")
    return out


def flip(section: Section, *, mirror_x: bool = False) -> Section:
    """Turn the section upside down in place (z mirrored about its middle;
    with ``mirror_x`` also x, as a turn about the axis normal to the cut)::

        before        after
        __n__n__      ========
        ========      ‾‾U‾‾U‾‾
    """
    if not isinstance(mirror_x, bool):
        raise InputError(f"flip: 'mirror_x' must be true or false (got {mirror_x!r})")
    zc = (section.zmin + section.zmax) / 2
    xc = (section.x0 + section.x1) / 2
    sx = -1.0 if mirror_x else 1.0

    def turn(geom: BaseGeometry) -> Polygon | MultiPolygon:
        return g.polygonal(shapely.affinity.scale(geom, sx, -1.0, origin=(xc, zc)))

    regions = [Region(turn(r.geometry), r.material, r.numeral) for r in section.regions]
    labels = [Label(lab.numeral, turn(lab.geometry), lab.kind, lab.material)
              for lab in section.labels]
    return section.evolve(regions, labels)
