"""Solder reflow: one ball volume on pads of three widths.

The same 150 µm ball melts on pads 80, 160 and 240 µm wide: on the narrow
pad it stands taller than a hemisphere and bulges; on the wide pad it is a
low cap that tapers upward. Volume is conserved to 1e-6 in every case.
"""

from __future__ import annotations

import sys

from shapely.geometry import box

import xsection as xs
from xsection.flow import Snapshot
from xsection.render import render, write


def sections() -> list[Snapshot]:
    xs_ = (150.0, 450.0, 750.0)
    pads = [box(x - w / 2, 40, x + w / 2, 50) for x, w in zip(xs_, (80.0, 160.0, 240.0))]
    resist = box(0, 40, 900, 50)
    for pad in pads:
        resist = resist.difference(pad)
    s = xs.Section(0, 900, (xs.Region(box(0, 0, 900, 40), "silicon", "2"),
                            *(xs.Region(p, "copper", "4") for p in pads),
                            xs.Region(resist, "solder_resist", "3")))
    placed = xs.place(s, material="Sn63Pb37", at=list(xs_), diameter=150, numeral="6")
    melted = xs.reflow(placed, peak_temperature=220, rename={"6": "5"})
    return [Snapshot(0, "place", "A", placed), Snapshot(1, "reflow", "B", melted)]


if __name__ == "__main__":
    folder = sys.argv[1] if len(sys.argv) > 1 else "gallery/images"
    rendering = render(sections(), style="color")
    for path in write(rendering, folder, "png", dpi=150):
        print(path)
