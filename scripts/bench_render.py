"""Benchmark: lay out and write seed 001's figure sequence (14 figures,
5 sheets) as SVG and PNG sheets, and one figure of N reflowed bumps on
pads (N = 10, 100, 1,000); prints medians over repeats, and, as the
baseline, the time to draw the same region polygons with matplotlib's own
hatching (one PathPatch with ``hatch=`` per body, the same sheets and dpi).
Each repeat runs xsection and the baseline one after the other.

    python scripts/bench_render.py [--repeat 3] [--bumps 10,100,1000]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time

from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from xsection import recipe
from xsection.flow import Snapshot
from xsection.geometry import polygons
from xsection.render import render, write

HATCHES = ("////", "\\\\", "xx", "..", "--", "++", "oo", "||")


def matplotlib_hatching(snaps: list[Snapshot], per_sheet: int, folder: str,
                        dpi: int = 400) -> None:
    """The baseline: every body drawn as a hatched PathPatch, figures stacked
    ``per_sheet`` to an A4 sheet, saved as PNG at ``dpi``."""
    hatch: dict[str, str] = {}
    for k in range(0, len(snaps), per_sheet):
        fig = Figure(figsize=(210 / 25.4, 297 / 25.4))
        group = snaps[k:k + per_sheet]
        for j, snap in enumerate(group):
            ax = fig.add_axes((0.15, 0.7 - 0.3 * j, 0.7, 0.2))
            ax.set_axis_off()
            for r in snap.section.regions:
                h = hatch.setdefault(r.material, HATCHES[len(hatch) % len(HATCHES)])
                for poly in polygons(r.geometry):
                    rings = [poly.exterior, *poly.interiors]
                    verts = [c for ring in rings for c in ring.coords]
                    codes = [code for ring in rings for code in
                             [Path.MOVETO] + [Path.LINETO] * (len(ring.coords) - 2)
                             + [Path.CLOSEPOLY]]
                    ax.add_patch(PathPatch(Path(verts, codes), facecolor="white",
                                           edgecolor="black", hatch=h, linewidth=0.6))
            ax.autoscale_view()
            ax.set_aspect("equal")
        fig.savefig(os.path.join(folder, f"mpl-{k}.png"), dpi=dpi)


def bump_figure(n: int) -> list[Snapshot]:
    """One figure: n SAC305 balls (D 45) reflowed on copper pads at pitch 100
    in a polyimide layer on silicon (``bench.ball_array``)."""
    import xsection as xs
    s = xs.stack(width=100.0 * n, layers=[xs.Layer("silicon", 50), xs.Layer("copper", 10, "4")])
    s = xs.pattern(s, target="copper", keep=[(100 * i + 25, 100 * i + 75) for i in range(n)])
    s = xs.laminate(s, material="polyimide", top=60.0, numeral="3")
    s = xs.place(s, material="SAC305", at=[100 * i + 50.0 for i in range(n)], diameter=45.0,
                 numeral="6")
    return [Snapshot(1, "reflow", "1", xs.reflow(s, peak_temperature=250, rename={"6": "5"}))]


def bumps(sizes: list[int], repeat: int) -> None:
    """Layout + PNG of one bump figure against the baseline, per size."""
    for n in sizes:
        snaps = bump_figure(n)
        ours, theirs = [], []
        for _ in range(repeat):
            with tempfile.TemporaryDirectory() as folder:
                t0 = time.perf_counter()
                rendering = render(snaps)
                rendering.figures = []
                write(rendering, folder, "png")
                t1 = time.perf_counter()
                matplotlib_hatching(snaps, 1, folder)
                t2 = time.perf_counter()
            ours.append(t1 - t0)
            theirs.append(t2 - t1)
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"{n:5d} bumps: layout + PNG median {a:7.3f} s, baseline {b:7.3f} s, "
              f"ratio {a / b:.2f} (goal <= 0.5)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bumps", default="10,100,1000")
    args = parser.parse_args()
    flow = recipe.load("seed001")
    snaps = flow.figures()
    times: dict[str, list[float]] = {"layout": [], "svg sheets": [], "png sheets": []}
    baseline: list[float] = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        rendering = render(snaps)
        t1 = time.perf_counter()
        rendering.figures = []
        with tempfile.TemporaryDirectory() as folder:
            write(rendering, folder, "svg")
            t2 = time.perf_counter()
            write(rendering, folder, "png")
            t3 = time.perf_counter()
            assert len(os.listdir(folder)) == 2 * len(rendering.sheets)
        times["layout"].append(t1 - t0)
        times["svg sheets"].append(t2 - t1)
        times["png sheets"].append(t3 - t2)
        with tempfile.TemporaryDirectory() as folder:
            t4 = time.perf_counter()
            matplotlib_hatching(snaps, 3, folder)
            baseline.append(time.perf_counter() - t4)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; {len(snaps)} figures, {len(rendering.sheets)} sheets")
    for name, values in times.items():
        print(f"{name:12s} median {statistics.median(values):7.3f} s  (n={len(values)})")
    total = [sum(v) for v in zip(*times.values())]
    print(f"{'total':12s} median {statistics.median(total):7.3f} s")
    base = statistics.median(baseline)
    png = statistics.median([a + b for a, b in zip(times["layout"], times["png sheets"])])
    print(f"{'baseline':12s} median {base:7.3f} s  (matplotlib's own hatching, PNG sheets "
          f"of the same polygons)")
    print(f"layout + PNG sheets / baseline: {png / base:.2f} (goal <= 0.5)")
    print(f"load average before the bump figures: {os.getloadavg()[0]:.2f}")
    bumps([int(v) for v in args.bumps.split(",") if v], args.repeat)


if __name__ == "__main__":
    main()
