"""Isotropic etch through a mask slit: the front is a true offset.

A 30 µm opening in a 20 µm polyimide mask over copper, etched 10, 20 and
30 µm: each profile is a half-disc of radius d stretched by the opening,
undercutting the mask by d on each side. A 1 µm nickel wall right of the
slit is never crossed; the front bends around its foot instead.
"""

from __future__ import annotations

import sys

from shapely.geometry import box

import xsection as xs
from xsection.flow import Snapshot
from xsection.render import render, write


def sections() -> list[Snapshot]:
    s = xs.stack(width=200, layers=[xs.Layer("silicon", 10, "1"), xs.Layer("copper", 100, "10"),
                                     xs.Layer("polyimide", 20, "12")])
    wall = box(120, 95, 121, 110)
    s = s.evolve([xs.Region(r.geometry.difference(wall), r.material, r.numeral)
                  for r in s.regions] + [xs.Region(wall, "nickel", "14")])
    s = xs.pattern(s, target="polyimide", remove=[(85, 115)])
    out = [Snapshot(0, "stack", "A", s)]
    for i, depth in enumerate((10.0, 20.0, 30.0), start=1):
        out.append(Snapshot(i, "etch", "ABCD"[i],
                            xs.etch(s, target="copper", depth=depth, numeral="16")))
    return out


if __name__ == "__main__":
    folder = sys.argv[1] if len(sys.argv) > 1 else "gallery/images"
    rendering = render(sections(), style="color", panels_per_sheet=4)
    for path in write(rendering, folder, "png", dpi=150):
        print(path)
