"""The benchmark still runs (quick mode: small N, no peers, timings not asserted)."""

from __future__ import annotations

import os
import runpy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_bench_quick_mode_runs(capsys):
    bench = runpy.run_path(os.path.join(ROOT, "scripts", "bench.py"))
    report = bench["main"](["--quick"])
    assert set(report["results"]) == {"etch isotropic d=25", "plate 3 conformal",
                                      "deposit 1 conformal", "fill to the mask top",
                                      "drill to copper", "strip the mask", "grind 5 off",
                                      "seed001 pattern flow"}
    assert report["results"]["etch isotropic d=25"]["n"] == [1, 10]
    assert report["balls"]["n"] == [10, 30] and len(report["balls"]["reflow_s"]) == 2
    assert report["films"]["films"] == [1, 2, 5]
    assert "machine" in capsys.readouterr().out


def test_render_bench_draws_a_bump_figure(capsys):
    bench = runpy.run_path(os.path.join(ROOT, "scripts", "bench_render.py"))
    snaps = bench["bump_figure"](3)
    assert len(snaps[0].section.select(numerals=["5"])) == 3  # three reflowed bumps
    bench["bumps"]([3], 1)
    assert "3 bumps: layout + PNG" in capsys.readouterr().out


def test_bench_measures_peak_memory_in_a_fresh_process():
    bench = runpy.run_path(os.path.join(ROOT, "scripts", "bench.py"))
    (before, after), = bench["peak_memory"](10, ["etch isotropic d=25"]).values()
    assert 0 < before <= after
