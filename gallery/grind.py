"""Planar grind to a flat of given width.

Solder balls buried in epoxy are ground until each shows an exposed flat
160 µm wide: the plane is found from the geometry, not given.
"""

from __future__ import annotations

import sys

import xsection as xs
from xsection.flow import Snapshot
from xsection.render import render, write


def sections() -> list[Snapshot]:
    s = xs.stack(width=500, layers=[xs.Layer("silicon", 40, "2")])
    s = xs.place(s, material="Pb83Sn17", at=[125, 375], diameter=200, numeral="5")
    s = xs.laminate(s, material="epoxy", thickness=10, numeral="7")
    ground = xs.grind(s, flat_width=160, flat_of="Pb83Sn17")
    return [Snapshot(0, "", "A", s), Snapshot(1, "grind", "B", ground)]


if __name__ == "__main__":
    folder = sys.argv[1] if len(sys.argv) > 1 else "gallery/images"
    rendering = render(sections(), style="color")
    for path in write(rendering, folder, "png", dpi=150):
        print(path)
