"""Write the layouts the built-in recipes cut (xsection/recipes/*.gds),
byte for byte the same on every run (fixed timestamp).

wlcsp.gds, cell TOP (µm): a wafer-level bump row along a line at 20° from
x: three axis-aligned squares per site, centred on the line at pitch 130.25
from (100, 50): Al pad 62.4 (layer 1/0), passivation opening 38.2 (2/0),
UBM / resist opening 50.6 (3/0), each as a cell placed by reference; and a
seal ring (4/0) the cut does not cross.

    python scripts/make_layouts.py
"""

from __future__ import annotations

import datetime
import math
import os

import gdstk

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANGLE_DEG, PITCH, ORIGIN = 20.0, 130.25, (100.0, 50.0)
SIDES = {"PAD": (62.4, 1), "OPENING": (38.2, 2), "UBM": (50.6, 3)}


def wlcsp(path: str) -> None:
    lib = gdstk.Library("WLCSP", unit=1e-6, precision=1e-9)
    cells = {}
    for name, (side, layer) in SIDES.items():
        cell = lib.new_cell(name)
        cell.add(gdstk.rectangle((-side / 2, -side / 2), (side / 2, side / 2), layer=layer))
        cells[name] = cell
    top = lib.new_cell("TOP")
    ux, uy = math.cos(math.radians(ANGLE_DEG)), math.sin(math.radians(ANGLE_DEG))
    for k in range(3):
        at = (ORIGIN[0] + k * PITCH * ux, ORIGIN[1] + k * PITCH * uy)
        for cell in cells.values():
            top.add(gdstk.Reference(cell, at))
    ring = gdstk.rectangle((-200, 400), (700, 410), layer=4)
    top.add(ring)
    lib.write_gds(path, timestamp=datetime.datetime(2026, 12, 1))


if __name__ == "__main__":
    out = os.path.join(ROOT, "xsection", "recipes", "wlcsp.gds")
    wlcsp(out)
    print(out)
