"""Benchmark xsection's operators, a seed-001-like flow and reflow solves
for N openings (bumps) of width 30 at pitch 100 under a 20 µm mask:
medians over repeats, scaling exponents, peak memory, JSON output.

    python scripts/bench.py [--quick] [--sizes 1,10,100,1000] [--repeat 3] [--json out.json]

KLayout and ViennaPS are compared when importable (``pip install klayout
viennaps``); without them the script says so and measures xsection alone.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

import xsection as xs
from xsection.ops.reflow import cap_height


def section(n: int) -> xs.Section:
    """Copper under a 20 µm polyimide mask with n slits 30 wide at pitch 100."""
    s = xs.stack(width=100.0 * n, layers=[xs.Layer("silicon", 10), xs.Layer("copper", 100, "10"),
                                           xs.Layer("polyimide", 20, "12")])
    return xs.pattern(s, material="polyimide", remove=[(100 * i + 35, 100 * i + 65)
                                                      for i in range(n)])


def flow(n: int) -> xs.Section:
    """The seed 001 pattern on one face: holes, etch, barrier, solder, cap, copper."""
    s = xs.stack(width=100.0 * n, layers=[xs.Layer("copper", 35, "10"),
                                           xs.Layer("polyimide", 25, "12")])
    s = xs.drill(s, through="polyimide", at=[100 * i + 50 for i in range(n)], top_width=40,
                 bottom_width=26, stop_on="copper", numeral="12a")
    s = xs.etch(s, target="copper", depth=20, numeral="16")
    s = xs.plate(s, material="nickel", thickness=3, on="copper", numeral="18")
    s = xs.fill(s, material="Sn63Pb37", on="nickel", height=5, above="10", numeral="20")
    s = xs.plate(s, material="nickel", thickness=2, on="Sn63Pb37", numeral="22")
    return xs.fill(s, material="copper", on="nickel", height=10, above="12", numeral="24")


def klayout_etch(n: int, depth: float = 25.0) -> Callable[[], object]:
    """The same isotropic etch done by KLayout: the openings' Minkowski sum
    with a polygonal disc (arc error as xsection's), intersected with the
    copper. It knows no walls: it etches through any other material."""
    import klayout.db as kdb

    dbu = 1000  # database units per µm
    step = 2 * math.acos(1 - xs.tol.arc)
    k = math.ceil(2 * math.pi / step)
    disc = kdb.Polygon([kdb.Point(round(depth * dbu * math.cos(2 * math.pi * j / k)),
                                  round(depth * dbu * math.sin(2 * math.pi * j / k)))
                        for j in range(k)])

    def run() -> object:
        copper = kdb.Region(kdb.Box(0, 10 * dbu, round(100 * n * dbu), 110 * dbu))
        openings = kdb.Region()
        for i in range(n):
            openings.insert(kdb.Box(round((100 * i + 35) * dbu), 110 * dbu - 1,
                                    round((100 * i + 65) * dbu), 110 * dbu))
        return copper - (openings.minkowski_sum(disc) & copper).merged()

    return run


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median seconds of ``fn`` and the process's peak resident memory so far
    (MiB; GEOS allocations included, unlike tracemalloc)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return statistics.median(times), peak


def exponent(ns: list[int], ts: list[float]) -> float | None:
    pts = [(math.log(n), math.log(t)) for n, t in zip(ns, ts) if n >= 10 and t > 0]
    if len(pts) < 2:
        return None
    x, y = np.array(pts).T
    return float(np.polyfit(x, y, 1)[0])


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small N, one repeat")
    parser.add_argument("--sizes", default="1,10,100,1000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    sizes = [1, 10] if args.quick else [int(v) for v in args.sizes.split(",")]
    repeat = 1 if args.quick else args.repeat
    peers = {}
    for name, status in (("klayout", "installed: isotropic etch compared (Minkowski route)"),
                         ("viennaps", "installed, but its comparison is not written yet")):
        try:
            __import__(name)
            peers[name] = status
        except ImportError:
            peers[name] = "not installed: measuring xsection alone"
    with_klayout = not args.quick and peers["klayout"].startswith("installed")
    results: dict[str, dict[str, list[float]]] = {}
    for n in sizes:
        base = section(n)
        etched = xs.etch(base, target="copper", depth=25.0)
        cases = {
            "etch isotropic d=25": lambda: xs.etch(base, target="copper", depth=25.0),
            "plate 3 conformal": lambda: xs.plate(etched, material="nickel", thickness=3.0,
                                                  on="copper"),
            "seed001 pattern flow": lambda: flow(n),
        }
        if with_klayout:
            cases["klayout etch (no walls)"] = klayout_etch(n)
        for name, fn in cases.items():
            t, mem = timed(fn, repeat)
            row = results.setdefault(name, {"n": [], "median_s": [], "peak_mib": []})
            row["n"].append(n)
            row["median_s"].append(t)
            row["peak_mib"].append(mem)
    caps = 10_000 if args.quick else 1_000_000
    v = np.random.default_rng(1).uniform(1e3, 1e6, caps)
    a = np.random.default_rng(2).uniform(5, 100, caps)
    t_caps, _ = timed(lambda: cap_height(v, a), repeat)
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"), "peers": peers, "results": results,
        "exponents": {k: exponent(r["n"], r["median_s"]) for k, r in results.items()},
        "reflow_caps": {"count": caps, "median_s": t_caps},
    }
    print(f"machine: {report['machine']}  ({report['date']})")
    for name, status in peers.items():
        print(f"{name}: {status}")
    for name, r in results.items():
        cells = "  ".join(f"N={n}: {t:.4f}s ({m:.0f} MiB)"
                          for n, t, m in zip(r["n"], r["median_s"], r["peak_mib"]))
        exp = report["exponents"][name]
        print(f"{name:22s} {cells}  exponent {exp:.2f}" if exp is not None
              else f"{name:22s} {cells}")
    print(f"cap heights of {caps} caps (closed-form numpy): {t_caps:.4f}s")
    if with_klayout:
        ours = results["etch isotropic d=25"]["median_s"]
        theirs = results["klayout etch (no walls)"]["median_s"]
        ratios = [a / b for a, b in zip(ours, theirs)]
        report["etch_ratio_xsection_over_klayout"] = ratios
        print("etch time xsection / klayout: " + ", ".join(
            f"N={n}: {r:.2f}" for n, r in zip(sizes, ratios)))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=2)
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
    sys.exit(0)
