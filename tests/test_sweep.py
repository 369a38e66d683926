"""Sweeps: axes and paths parse as documented; a small sweep runs in local
processes and on a real dask.distributed LocalCluster (scheduler and
workers on the loopback) with identical rows; the measured etch depth
follows the swept one; a failing point is a row with its error."""

from __future__ import annotations

import pytest
from distributed import LocalCluster

from xsection.cli import main
from xsection.errors import InputError
from xsection.recipe import load, read
from xsection.sweep import Axis, assign, grid, parse_axis, parse_measure, plot_png, sweep, to_csv


def test_axes_are_ranges_with_their_stop_or_lists() -> None:
    start, stop, step = 100.3, 101.05, 0.25
    count = round((stop - start) / step) + 1
    assert parse_axis(f"steps[0].depth={start}:{stop}:{step}").values == pytest.approx(
        [start + k * step for k in range(count)])
    assert parse_axis("steps[0].depth=1:1.9:0.5").values == (1.0, 1.5)  # 2.0 passes the stop
    assert parse_axis("layers[1].thickness=5,7.5,10").values == (5.0, 7.5, 10.0)
    for bad, message in [("depth", "must be PATH="), ("steps[0].depth=2:1:1", "STEP > 0"),
                         ("steps[0].depth=1:2", "START:STOP:STEP"),
                         ("steps[0].depth=1,nan", "finite"), ("steps[x].depth=1", r"field\[N\]")]:
        with pytest.raises(InputError, match=message):
            parse_axis(bad)


def test_grid_is_every_combination_last_axis_fastest() -> None:
    points = grid([Axis("a", (1.0, 2.0)), Axis("b", (3.0, 4.0, 5.0))])
    assert points == [{"a": a, "b": b} for a in (1.0, 2.0) for b in (3.0, 4.0, 5.0)]


def test_paths_address_the_recipe_data() -> None:
    data, _ = read("tsv")
    out = assign(data, "steps[0].openings[1][0]", 100.5)
    assert out["steps"][0]["openings"][1][0] == 100.5
    assert data["steps"][0]["openings"][1][0] != 100.5  # the original is untouched
    assert assign(data, "steps[0].lateral_ratio", 1.5)["steps"][0]["lateral_ratio"] == 1.5
    assert assign(data, "domain.width", 321.0)["domain"]["width"] == 321.0
    with pytest.raises(InputError, match=r"steps\[99\] does not exist \(steps has 9 items, "
                                         r"numbered from 0\)"):
        assign(data, "steps[99].depth", 1.0)
    with pytest.raises(InputError, match="the recipe has no 'stepz'"):
        assign(data, "stepz[0].depth", 1.0)
    with pytest.raises(InputError, match=r"steps\[0\].depth is a value, not a table"):
        assign(data, "steps[0].depth.x", 1.0)


DEPTHS = (100.3, 104.75, 109.2)
AXES = [Axis("steps[0].depth", DEPTHS)]
MEASURES = [parse_measure("1A:void:10:depth"), parse_measure("1A:void:10:top_width")]


@pytest.fixture(scope="module")
def local_rows() -> list[dict]:
    return sweep("tsv", AXES, MEASURES, workers=2)


def test_a_local_sweep_measures_what_it_set(local_rows: list[dict]) -> None:
    assert [r["steps[0].depth"] for r in local_rows] == list(DEPTHS)
    for row in local_rows:
        assert row["error"] == ""
        # DRIE is anisotropic: the void is as deep as the etch
        assert row["1A:void:10:depth"] == pytest.approx(row["steps[0].depth"], abs=1e-6)
        assert row["1A:void:10:depth spread"] == pytest.approx(0.0, abs=1e-6)  # both vias alike
    n = len(load("tsv").checks)
    assert local_rows[0]["passed"] is True and local_rows[0]["checks"] == f"{n}/{n}"
    assert local_rows[-1]["passed"] is False  # the recipe's depth check holds 100.3 only
    assert "1A:range void:10:depth" in local_rows[-1]["failed"]


def test_a_local_cluster_gives_the_same_rows(local_rows: list[dict], tmp_path) -> None:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, host="127.0.0.1") as cluster:
        rows = sweep("tsv", AXES, MEASURES, scheduler=cluster.scheduler_address)
        out = tmp_path / "cluster.csv"
        assert main(["sweep", "tsv", "--set", "steps[0].depth=100.3,104.75,109.2",
                     "--measure", "1A:void:10:depth", "--measure", "1A:void:10:top_width",
                     "-o", str(out), "--scheduler", cluster.scheduler_address, "--quiet"]) == 0
    assert rows == local_rows
    assert out.read_text() == to_csv(local_rows)


def test_a_failing_point_is_a_row_with_its_error(tmp_path) -> None:
    out, png = tmp_path / "s.csv", tmp_path / "s.png"
    assert main(["sweep", "tsv", "--set", "steps[0].depth=-5,100.3", "--measure",
                 "1A:void:10:depth", "-o", str(out), "--plot", str(png), "--workers", "1",
                 "--quiet"]) == 0
    lines = out.read_text().splitlines()
    assert lines[0].startswith("point,steps[0].depth,1A:void:10:depth,")
    assert len(lines) == 3
    assert "'depth' must be a number of µm >= 0" in lines[1]
    assert float(lines[2].split(",")[2]) == pytest.approx(100.3, abs=1e-6)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_sweeps_fail_before_running(tmp_path, capsys) -> None:
    out = tmp_path / "s.csv"
    assert main(["sweep", "tsv", "--set", "steps[0].depth=1,2", "--measure", "9Z:void:10:depth",
                 "-o", str(out)]) == 2
    assert "no figure '9Z'; figures: 1A, 1B" in capsys.readouterr().err
    assert main(["sweep", "tsv", "--set", "steps[0].depth=1,2", "--measure", "1A:vod:10",
                 "-o", str(out)]) == 2
    assert main(["sweep", "tsv", "--set", "steps[0].depth=1,2", "-o",
                 str(tmp_path / "no" / "s.csv")]) == 2
    assert not out.exists()


def test_plot_needs_a_measure() -> None:
    with pytest.raises(InputError, match="--plot needs at least one --measure"):
        plot_png([], AXES, [])
