"""The benchmark still runs (quick mode: small N, no peers, timings not asserted)."""

from __future__ import annotations

import os
import runpy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_bench_quick_mode_runs(capsys):
    bench = runpy.run_path(os.path.join(ROOT, "scripts", "bench.py"))
    report = bench["main"](["--quick"])
    assert set(report["results"]) == {"etch isotropic d=25", "plate 3 conformal",
                                      "seed001 pattern flow"}
    assert report["results"]["etch isotropic d=25"]["n"] == [1, 10]
    assert report["balls"]["n"] == [10, 30] and len(report["balls"]["reflow_s"]) == 2
    assert report["films"]["films"] == [1, 2, 5]
    assert "machine" in capsys.readouterr().out
