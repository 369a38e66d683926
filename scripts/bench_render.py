"""Benchmark: lay out and write seed 001's figure sequence (14 figures,
5 sheets) as SVG and PNG sheets; prints medians over repeats.

    python scripts/bench_render.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time

from xsection import recipe
from xsection.render import render, write


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    flow = recipe.load("seed001")
    snaps = flow.figures()
    times: dict[str, list[float]] = {"layout": [], "svg sheets": [], "png sheets": []}
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
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; {len(snaps)} figures, {len(rendering.sheets)} sheets")
    for name, values in times.items():
        print(f"{name:12s} median {statistics.median(values):7.3f} s  (n={len(values)})")
    total = [sum(v) for v in zip(*times.values())]
    print(f"{'total':12s} median {statistics.median(total):7.3f} s")


if __name__ == "__main__":
    main()
