"""How a ``Section``, a ``Flow`` and a ``Run`` show in a notebook, and
``section.plot(ax=...)``: attached here, the renderer (and matplotlib)
loaded only when something is shown, so ``import xsection`` stays light.

    section          -> SVG        flow.run() -> HTML table
    flow             -> SVG, HTML  section.plot(ax) -> the user's axes
"""

from __future__ import annotations

from typing import Any

from .flow import Flow, Run
from .section import Section


def _section_svg(section: Section) -> str:
    from .render.notebook import section_svg

    return section_svg(section)


def _plot(section: Section, ax: Any = None, **options: Any) -> Any:
    """Draw the section on matplotlib axes ``ax`` (``render.notebook.plot``)."""
    from .render.notebook import plot

    return plot(section, ax, **options)


def _flow_svg(flow: Flow) -> str:
    from .render.notebook import flow_svg

    return flow_svg(flow)


def _flow_html(flow: Flow) -> str:
    from .render.notebook import flow_html

    return flow_html(flow)


def _run_html(run: Run) -> str:
    from .render.notebook import run_html

    return run_html(run)


# attached from above: section and flow never import the renderer
setattr(Section, "_repr_svg_", _section_svg)  # noqa: B010 - not declared on the class
setattr(Section, "plot", _plot)  # noqa: B010
setattr(Flow, "_repr_svg_", _flow_svg)  # noqa: B010
setattr(Flow, "_repr_html_", _flow_html)  # noqa: B010
setattr(Run, "_repr_html_", _run_html)  # noqa: B010
