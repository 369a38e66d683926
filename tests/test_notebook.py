"""The example notebook runs top to bottom in a real kernel, and each
object displays as it should: a section as SVG, a flow as HTML with every
sheet, a run as a table with a row per snapshot; plotting on the user's
own axes gives the user's figure; importing xsection keeps the backend."""

from __future__ import annotations

import pathlib

import nbformat
from nbclient import NotebookClient

from xsection.recipe import load
from xsection.render import render

NOTEBOOK = pathlib.Path(__file__).parent.parent / "gallery" / "notebook.ipynb"


def outputs(cell) -> dict[str, str]:
    out: dict[str, str] = {}
    for o in cell.get("outputs", []):
        assert o["output_type"] != "error", o
        out.update(o.get("data", {}))
    return out


def test_the_example_notebook_runs_and_displays(tmp_path) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    section, own_axes, flow, run, caps, masks, masked, meshed = (outputs(c) for c in code)
    assert "image/svg+xml" in section and "<svg" in section["image/svg+xml"]
    assert "image/png" in own_axes  # the user's own figure, shown by the inline backend
    sheets = len(render(load("cu_pillar")).sheets)
    assert flow["text/html"].count("<img") == sheets
    snaps = len(load("cu_pillar").steps) + 1
    assert run["text/html"].count("<tr>") == snaps + 1  # a header and a row per snapshot
    # the pinned caps: h³ + 3a²h = 6V/π on a = 25.3 (the descummed opening), V = π a² 20.4
    import ast
    import math

    a = 25.3
    (h,) = [z.real for z in __import__("numpy").roots([1, 0, 3 * a * a, -6 * a * a * 20.4])
            if abs(z.imag) < 1e-9]
    shown = ast.literal_eval(caps["text/plain"])
    assert [c[1] for c in shown] == [2 * a, 2 * a]
    assert all(math.isclose(c[0], h, rel_tol=2e-3) for c in shown)
    assert "'via': [(48.25, 72.25), (128.75, 152.75)]" in masks["text/plain"]
    assert "image/svg+xml" in masked
    assert "'copper'" in meshed["text/plain"] and "'polyimide'" in meshed["text/plain"]


def test_plot_draws_every_part_on_the_users_axes() -> None:
    from matplotlib.figure import Figure

    s = load("cu_pillar").run().figure("1E").section
    ax = Figure().add_subplot()
    assert s.plot(ax=ax) is ax
    parts = sum(len(r.parts) for r in s.regions)
    assert len(ax.patches) == parts
    labels = {p.get_label() for p in ax.patches} - {None}
    assert labels == {s.materials[r.material].display for r in s.regions}
    assert ax.get_xlim() == (s.x0, s.x1)


def test_a_run_is_a_list_that_finds_its_figures() -> None:
    import pytest

    from xsection.errors import UnknownNameError

    run = load("tsv").run()
    assert isinstance(run, list) and run[0].op == "stack"
    assert [s.figure for s in run.figures] == ["1A", "1B", "1C", "1D", "1E", "1F"]
    with pytest.raises(UnknownNameError, match="figure '9Z' does not exist; figures: 1A"):
        run.figure("9Z")


def test_importing_xsection_loads_no_renderer() -> None:
    """``import xsection`` stays light (every CLI call and sweep worker pays
    it): neither matplotlib, nor the renderer, nor scipy until used."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "import sys, xsection; print(sorted("
                          "m for m in ('matplotlib', 'xsection.render', 'scipy') "
                          "if m in sys.modules))"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
