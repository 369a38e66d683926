"""Quick colour previews of sections with matplotlib (PNG), for looking at
what the operators make. The publishable patent and report figures are the
renderer's job; this draws regions in material colours, with numerals."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import PathPatch  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

from . import geometry as g  # noqa: E402
from .section import Section  # noqa: E402

#: Material colours (figure-style.md B7, material-evocative palette).
PALETTE = {
    "silicon": "#9AA7B4", "copper": "#C87533", "aluminium": "#B0B7BF", "nickel": "#7D8896",
    "cobalt": "#6A7F99", "gold": "#D4A017", "titanium": "#4F5B66", "polyimide": "#F3D28C",
    "epoxy": "#8C8C8C", "solder_resist": "#2E7D32", "adhesive": "#DCCFB4", "bt": "#BDAE78",
    "fr4": "#BDAE78", "lcp": "#E8C27A", "bcb": "#E5D3A1", "ptfe": "#EDEDED",
    "photoresist": "#B57BB0", "silicon_dioxide": "#8DB9D8",
}
CLASS_COLOURS = {"solder": "#C3C9D0", "conductor": "#C87533", "finish_metal": "#7D8896",
                 "dielectric_polymer": "#F3D28C", "encapsulant": "#8C8C8C", "core": "#BDAE78",
                 "semiconductor": "#9AA7B4", "dielectric_inorganic": "#8DB9D8",
                 "temporary": "#B57BB0"}


def colour(section: Section, material: str) -> str:
    """The preview colour of a material (by name, else by class)."""
    return PALETTE.get(material) or CLASS_COLOURS[section.materials[material].cls]


def draw(section: Section, ax: plt.Axes, *, title: str | None = None,
         numerals: bool = True) -> None:
    """Draw ``section`` on ``ax`` in data units (µm), equal aspect."""
    for region in section.regions:
        for poly in region.parts:
            verts, codes = [], []
            for ring in (poly.exterior, *poly.interiors):
                xy = list(ring.coords)
                verts.extend(xy)
                codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2)
                             + [MplPath.CLOSEPOLY])
            ax.add_patch(PathPatch(MplPath(verts, codes), facecolor=colour(section, region.material),
                                   edgecolor="#222222", linewidth=0.4))
    if numerals:
        _numerals(section, ax)
    x0, zmin, x1, zmax = section.bounds
    pad = 0.05 * max(x1 - x0, zmax - zmin)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(zmin - pad, zmax + pad)
    ax.set_aspect("equal")
    ax.set_xlabel("x (µm)")
    ax.set_ylabel("z (µm)")
    if title:
        ax.set_title(title)


def _numerals(section: Section, ax: plt.Axes) -> None:
    seen: set[str] = set()
    items = [(r.numeral, r.geometry) for r in section.regions if r.numeral]
    items += [(lab.numeral, lab.geometry) for lab in section.labels]
    for numeral, geom in items:
        for part in g.polygons(geom)[:1]:
            if numeral in seen:
                continue
            seen.add(numeral)
            p = part.representative_point()
            ax.annotate(numeral, (p.x, p.y), fontsize=7, ha="center", va="center",
                        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                              "alpha": 0.8})


def save_png(sections: Sequence[tuple[str, Section]], path: str, *, dpi: int = 150) -> str:
    """Stack titled sections in one PNG at ``path`` (written atomically)."""
    n = len(sections)
    fig, axes = plt.subplots(n, 1, figsize=(8, 2.6 * n), squeeze=False)
    for ax, (title, section) in zip(axes[:, 0], sections):
        draw(section, ax, title=title)
    fig.tight_layout()
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(suffix=".png", dir=folder)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=dpi)
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
