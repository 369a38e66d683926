"""Conformal plating and bottom-up fill in an undercut concavity.

The concavity etched under a mask opening is lined with a 3 µm nickel film
(a uniform band on the copper only, not on the mask), then solder fills it
bottom-up to 8 µm above the copper surface, partly into the mask opening.
"""

from __future__ import annotations

import sys

import xsection as xs
from xsection.flow import Snapshot
from xsection.render import render, write


def sections() -> list[Snapshot]:
    s = xs.stack(width=200, layers=[xs.Layer("silicon", 10, "1"), xs.Layer("copper", 60, "10"),
                                     xs.Layer("polyimide", 25, "12")])
    s = xs.drill(s, target="polyimide", at=[100], top_width=60, bottom_width=40,
                 stop_on="copper", numeral="12a")
    a = xs.etch(s, target="copper", depth=30, numeral="16")
    b = xs.plate(a, material="nickel", thickness=3, on="copper", numeral="18")
    c = xs.fill(b, material="Sn63Pb37", on="nickel", height=8, above="10", numeral="20")
    return [Snapshot(i, "", fig, sec) for i, (fig, sec) in enumerate(zip("ABC", (a, b, c)))]


if __name__ == "__main__":
    folder = sys.argv[1] if len(sys.argv) > 1 else "gallery/images"
    rendering = render(sections(), style="color")
    for path in write(rendering, folder, "png", dpi=150):
        print(path)
