"""Notebooks: how a ``Section``, a ``Flow`` and a ``Run`` display, and
``section.plot(ax=...)`` on the user's own matplotlib axes. Nothing here
picks a matplotlib backend: the notebook's own stays in charge.

    section          -> SVG, a colour figure with its legend
    flow             -> HTML, every patent sheet (SVG images)
    flow.run()       -> HTML, a table of the steps, each figure drawn
    section.plot(ax) -> the bodies filled in their palette colours on ax
"""

from __future__ import annotations

import base64
import html
from typing import Any

from .. import geometry as g
from ..flow import Flow, Run, Snapshot
from ..section import Section
from .page import colour


def section_svg(section: Section) -> str:
    """A section as a colour figure (SVG)."""
    from . import render, to_svg

    return to_svg(render([Snapshot(0, "", " ", section)], style="color").figures[0])


def _img(svg: str, alt: str, width: str = "100%") -> str:
    data = base64.b64encode(svg.encode()).decode()
    return (f'<img alt="{html.escape(alt)}" style="max-width:{width}" '
            f'src="data:image/svg+xml;base64,{data}"/>')


def flow_svg(flow: Flow) -> str:
    """A flow's first patent sheet (for a front end that shows SVG only)."""
    from . import render, to_svg

    return to_svg(render(flow, exaggeration=flow.exaggeration).sheets[0])


def flow_html(flow: Flow) -> str:
    """Every patent sheet of a flow, one after the other."""
    from . import render, to_svg

    sheets = render(flow, exaggeration=flow.exaggeration).sheets
    title = html.escape(flow.title or flow.name)
    body = "".join(f"<div>{_img(to_svg(p), f'sheet {k}', '720px')}</div>"
                   for k, p in enumerate(sheets, start=1))
    return f"<div><b>{title}</b> ({len(sheets)} sheets)</div>{body}"


def run_html(run: Run) -> str:
    """A run as a table: step, operator, figure, materials, and each figure
    drawn as a colour figure."""
    from . import render, to_svg

    figures = [s for s in run if s.figure]
    pages = dict(zip((s.index for s in figures), render(figures, style="color").figures)) \
        if figures else {}
    rows = []
    for snap in run:
        names = ", ".join(sorted({r.material for r in snap.section.regions}))
        cell = _img(to_svg(pages[snap.index]), f"FIG. {snap.figure}", "360px") \
            if snap.index in pages else ""
        rows.append(f"<tr><td>{snap.index}</td><td>{html.escape(snap.op)}</td>"
                    f"<td>{html.escape(snap.figure or '')}</td><td>{html.escape(names)}</td>"
                    f"<td>{cell}</td></tr>")
    head = "<tr><th>step</th><th>op</th><th>figure</th><th>materials</th><th></th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def plot(section: Section, ax: Any = None, *, palette: str = "default", numerals: bool = True,
         edgecolor: str = "black", linewidth: float = 0.6) -> Any:
    """Draw ``section`` on matplotlib axes ``ax`` (default: the current
    axes): each body filled in its palette colour and outlined, its numeral
    at a point inside it, equal aspect, x and z in µm. Returns ``ax``."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    labelled = set()
    for region in section.regions:
        fill = colour(section, region.material, palette)
        for part in region.parts:
            rings = [part.exterior, *part.interiors]
            verts = [c for r in rings for c in r.coords]
            codes = [code for r in rings for code in
                     [Path.MOVETO] + [Path.LINETO] * (len(r.coords) - 2) + [Path.CLOSEPOLY]]
            label = section.materials[region.material].display \
                if region.material not in labelled else None
            labelled.add(region.material)
            ax.add_patch(PathPatch(Path(verts, codes), facecolor=fill, edgecolor=edgecolor,
                                   linewidth=linewidth, label=label))
            if numerals and region.numeral:
                at = g.polygonal(part).representative_point()
                ax.annotate(region.numeral, (at.x, at.y), ha="center", va="center",
                            fontsize=7)
    _, z0, _, z1 = section.bounds
    ax.set_xlim(section.x0, section.x1)
    ax.set_ylim(z0 - 0.02 * (z1 - z0), z1 + 0.02 * (z1 - z0))
    ax.set_aspect("equal")
    ax.set_xlabel("x (µm)")
    ax.set_ylabel("z (µm)")
    return ax
