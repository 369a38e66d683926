"""Benchmark: a 10 × 10 sweep of seed 001 (etch depth × hole bottom width,
measuring the bumps' neck width and height) run in one process, in local
processes (dask's default here) and on a dask.distributed LocalCluster;
checks that the three give identical rows and prints the times, the
machine and its load.

    python scripts/bench_sweep.py [--recipe seed001] [--workers 2] [--no-serial]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from distributed import LocalCluster

from xsection.recipe import read
from xsection.sweep import Axis, grid, parse_measure, run_point, sweep

GRIDS = {
    "seed001": ([Axis("steps[1].depth", tuple(30.0 + k for k in range(10))),
                 Axis("steps[0].bottom_width", tuple(16.0 + k for k in range(10)))],
                ["1M:bump:20a:neck_width", "1M:bump:20a:height"]),
    "cu_pillar": ([Axis("steps[9].height", tuple(30.0 + 2.5 * k for k in range(10))),
                   Axis("steps[11].height", tuple(15.0 + k for k in range(10)))],
                  ["1E:bump:10:height"]),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--recipe", default="seed001", choices=sorted(GRIDS))
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-serial", action="store_true")
    args = ap.parse_args()
    axes, texts = GRIDS[args.recipe]
    measures = [parse_measure(t) for t in texts]
    points = grid(axes)
    print(f"{args.recipe}: {len(points)} points; {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load before {os.getloadavg()[0]:.2f}")
    times, results = {}, {}
    if not args.no_serial:
        data, path = read(args.recipe)
        t = time.perf_counter()
        results["one process"] = [run_point(data, path, p, measures) for p in points]
        times["one process"] = time.perf_counter() - t
    t = time.perf_counter()
    results["local processes"] = sweep(args.recipe, axes, measures, workers=args.workers)
    times["local processes"] = time.perf_counter() - t
    t = time.perf_counter()
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, host="127.0.0.1") as cluster:
        started = time.perf_counter() - t
        results["LocalCluster"] = sweep(args.recipe, axes, measures,
                                        scheduler=cluster.scheduler_address)
    times["LocalCluster"] = time.perf_counter() - t
    first = next(iter(results.values()))
    same = all(rows == first for rows in results.values())
    errors = sum(1 for r in first if r["error"])
    passed = sum(1 for r in first if r["passed"] is True)
    for name, seconds in times.items():
        extra = f" (cluster start {started:.1f} s)" if name == "LocalCluster" else ""
        print(f"  {name:<16} {seconds:7.1f} s  {seconds / len(points):.2f} s/point{extra}")
    print(f"  identical rows: {same}; {errors} points with errors, {passed} passing the checks; "
          f"load after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
