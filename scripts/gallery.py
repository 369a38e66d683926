"""Regenerate the gallery images shown in README.md.

Renders the built-in flows (the seeds' first sheet, the other flows' last
sheet, where their result is; patent and colour) and the operator scripts in
gallery/ to gallery/images/ at 150 dpi.

    python scripts/gallery.py
"""

from __future__ import annotations

import os
import runpy
import sys

from xsection import recipe
from xsection.render import render, write

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "gallery", "images")
SCRIPTS = ("etch_isotropic", "plating_and_fill", "grind", "reflow")


def main() -> int:
    os.makedirs(OUT, exist_ok=True)
    for name in recipe.BUILTIN:
        flow = recipe.load(name)
        for style in ("patent", "color"):
            rendering = render(flow, style=style, exaggeration=flow.exaggeration)
            rendering.figures = []
            pick = 0 if name.startswith("seed") else -1
            rendering.sheets = [rendering.sheets[pick]]
            (path,) = write(rendering, OUT, "png", dpi=150)
            final = os.path.join(OUT, f"{name}-{style}.png")
            os.replace(path, final)
            print(final)
    for script in SCRIPTS:
        module = runpy.run_path(os.path.join(ROOT, "gallery", f"{script}.py"))
        snaps = module["sections"]()
        width = max(s.section.x1 for s in snaps) - min(s.section.x0 for s in snaps)
        scale = 138.0 / width  # the sight's drawing width; smaller until one sheet holds all
        rendering = module["render"](snaps, style="color", scale=scale)
        while len(rendering.sheets) > 1:
            scale *= 0.9
            rendering = module["render"](snaps, style="color", scale=scale)
        rendering.figures = []
        (path,) = write(rendering, OUT, "png", dpi=150)
        final = os.path.join(OUT, f"{script}.png")
        os.replace(path, final)
        print(final)
    return 0


if __name__ == "__main__":
    sys.exit(main())
