"""Benchmark xsection's operators, a seed-001-like flow and reflow solves
for N openings (bumps) of width 30 at pitch 100 under a 20 µm mask (etch,
plate, deposit, fill, drill, strip, grind, the flow): medians over
repeats, scaling exponents, peak memory, JSON output.

    python scripts/bench.py [--quick] [--sizes 1,10,100,1000,10000] [--repeat 3] [--json out.json]

KLayout and ViennaPS are compared in the same run when importable
(``pip install ".[bench]"``): KLayout's two isotropic-etch routes at every N,
ViennaPS on one opening at several grid spacings, each with its error (the
Hausdorff distance of the new surface to the analytic one). Without them the
script says so and measures xsection alone.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np
import shapely

import xsection as xs
from xsection.ops.reflow import cap_height


def section(n: int) -> xs.Section:
    """Copper under a 20 µm polyimide mask with n slits 30 wide at pitch 100."""
    s = xs.stack(width=100.0 * n, layers=[xs.Layer("silicon", 10), xs.Layer("copper", 100, "10"),
                                           xs.Layer("polyimide", 20, "12")])
    return xs.pattern(s, target="polyimide", remove=[(100 * i + 35, 100 * i + 65)
                                                      for i in range(n)])


def flow(n: int) -> xs.Section:
    """The seed 001 pattern on one face: holes, etch, barrier, solder, cap, copper."""
    s = xs.stack(width=100.0 * n, layers=[xs.Layer("copper", 35, "10"),
                                           xs.Layer("polyimide", 25, "12")])
    s = xs.drill(s, target="polyimide", at=[100 * i + 50 for i in range(n)], top_width=40,
                 bottom_width=26, stop_on="copper", numeral="12a")
    s = xs.etch(s, target="copper", depth=20, numeral="16")
    s = xs.plate(s, material="nickel", thickness=3, on="copper", numeral="18")
    s = xs.fill(s, material="Sn63Pb37", on="nickel", height=5, above="10", numeral="20")
    s = xs.plate(s, material="nickel", thickness=2, on="Sn63Pb37", numeral="22")
    return xs.fill(s, material="copper", on="nickel", height=10, above="12", numeral="24")


def ball_array(n: int) -> xs.Section:
    """n copper pads 50 wide at pitch 100, flush with polyimide on silicon."""
    s = xs.stack(width=100.0 * n, layers=[xs.Layer("silicon", 50), xs.Layer("copper", 10, "4")])
    s = xs.pattern(s, target="copper", keep=[(100 * i + 25, 100 * i + 75) for i in range(n)])
    return xs.laminate(s, material="polyimide", top=60.0, numeral="3")


def balls(sizes: list[int], repeat: int) -> dict[str, list[float]]:
    """Place n balls (D = 45) on the pads, then reflow them: medians, s."""
    out: dict[str, list[float]] = {"n": [], "place_s": [], "reflow_s": []}
    for n in sizes:
        pads = ball_array(n)
        at = [100 * i + 50.0 for i in range(n)]
        t_place, _ = timed(lambda: xs.place(pads, material="SAC305", at=at, diameter=45.0,
                                            numeral="6"), repeat)
        placed = xs.place(pads, material="SAC305", at=at, diameter=45.0, numeral="6")
        t_reflow, _ = timed(lambda: xs.reflow(placed, peak_temperature=250), repeat)
        out["n"].append(n)
        out["place_s"].append(t_place)
        out["reflow_s"].append(t_reflow)
    return out


def films(counts: list[int]) -> dict[str, list[float]]:
    """Vertices of the section and seconds after k conformal 1.3 µm films
    over a copper mesa (alternating titanium and nickel)."""
    s = xs.stack(width=200, layers=[xs.Layer("silicon", 10.0), xs.Layer("copper", 30.0)])
    s = xs.pattern(s, target="copper", keep=[(60.3, 140.7)])
    out: dict[str, list[float]] = {"films": [], "vertices": [], "seconds": []}
    start = time.perf_counter()
    for k in range(1, max(counts) + 1):
        s = xs.deposit(s, material=("titanium", "nickel")[k % 2], thickness=1.3)
        if k in counts:
            out["films"].append(k)
            out["vertices"].append(sum(int(shapely.get_num_coordinates(r.geometry))
                                       for r in s.regions))
            out["seconds"].append(time.perf_counter() - start)
    return out


OPENING_Z = 110.0  # top of the copper, µm


def exact_etch(n: int, depth: float = 25.0) -> shapely.Geometry:
    """The analytic isotropic etch of ``section(n)``: copper within ``depth``
    of an opening (arcs to 1e-6 of the depth)."""
    slots = shapely.multilinestrings([[(100 * i + 35, OPENING_Z), (100 * i + 65, OPENING_Z)]
                                      for i in range(n)])
    copper = shapely.box(0, 10, 100 * n, OPENING_Z)
    return shapely.intersection(shapely.buffer(slots, depth, quad_segs=2048), copper)


def surface_error(removed: shapely.Geometry, exact: shapely.Geometry) -> float:
    """Hausdorff distance (µm) between the new surfaces (boundaries below the
    mask) of an etch and of the analytic etch."""
    def surface(geom: shapely.Geometry) -> shapely.Geometry:
        return shapely.clip_by_rect(shapely.boundary(geom), -1e9, -1e9, 1e9, OPENING_Z - 0.05)
    return float(shapely.hausdorff_distance(surface(removed), surface(exact), densify=0.02))


def xsection_removed(n: int, depth: float = 25.0) -> shapely.Geometry:
    base = section(n)
    after = xs.etch(base, target="copper", depth=depth)
    return shapely.difference(base.union_of(materials=["copper"]),
                              after.union_of(materials=["copper"]))


def klayout_etch(n: int, route: str, depth: float = 25.0) -> Callable[[], object]:
    """The same isotropic etch done by KLayout (klayout.db), by ``route``:
    'minkowski' (the openings' Minkowski sum with a polygonal disc of
    xsection's arc error) or 'sizing' (openings sized by the depth, corners
    rounded to the depth). Neither knows walls: both etch through any other
    material. The callable returns the removed copper as a shapely geometry
    when called with ``geometry=True``."""
    import klayout.db as kdb

    dbu = 1000  # database units per µm
    step = 2 * math.acos(1 - xs.tol.arc)
    k = math.ceil(2 * math.pi / step)
    d = round(depth * dbu)
    disc = kdb.Polygon([kdb.Point(round(d * math.cos(2 * math.pi * j / k)),
                                  round(d * math.sin(2 * math.pi * j / k))) for j in range(k)])

    def run(geometry: bool = False) -> object:
        top = round(OPENING_Z * dbu)
        copper = kdb.Region(kdb.Box(0, 10 * dbu, round(100 * n * dbu), top))
        openings = kdb.Region()
        for i in range(n):
            openings.insert(kdb.Box(round((100 * i + 35) * dbu), top - 1,
                                    round((100 * i + 65) * dbu), top))
        if route == "minkowski":
            grown = openings.minkowski_sum(disc)
        else:
            grown = openings.sized(d).rounded_corners(0, d, k)
        removed = (grown & copper).merged()
        out = copper - removed
        if not geometry:
            return out
        return shapely.union_all([shapely.Polygon([(pt.x / dbu, pt.y / dbu)
                                                   for pt in poly.each_point_hull()])
                                  for poly in removed.each()])

    return run


def viennaps_etch(grid: float, depth: float = 25.0) -> tuple[float, float]:
    """ViennaPS (level set) isotropic etch of one opening 30 wide in a 20 µm
    mask on copper at grid spacing ``grid`` µm: (seconds, Hausdorff error µm)."""
    import viennaps
    import viennaps.d2 as vd

    viennaps.Logger.setLogLevel(viennaps.LogLevel.ERROR)
    t = time.perf_counter()
    domain = vd.Domain()
    vd.MakeTrench(domain, grid, 100.0, 100.0, 30.0, 20.0, 0.0, 0.0, False, True,
                  viennaps.Material.Cu).apply()
    vd.Process(domain, vd.IsotropicProcess(rate=-1.0, maskMaterial=viennaps.Material.Mask),
               depth).apply()
    seconds = time.perf_counter() - t
    mesh = domain.getSurfaceMesh()
    nodes = np.asarray(mesh.getNodes())[:, :2]
    segs = [nodes[[a, b]] for a, b in mesh.getLines()]
    # its domain runs x in [-50, 50] with the copper top at z = 0: move it onto ours
    surface = shapely.multilinestrings([seg + [50.0, OPENING_Z] for seg in segs])
    surface = shapely.clip_by_rect(surface, 0.5, -1e9, 99.5, OPENING_Z - 0.05)
    exact = shapely.clip_by_rect(shapely.boundary(exact_etch(1, depth)), 0.5, -1e9, 99.5,
                                 OPENING_Z - 0.05)
    return seconds, float(shapely.hausdorff_distance(surface, exact, densify=0.02))


def plain_shapely_plating(section_: xs.Section, thickness: float) -> Callable[[], object]:
    """Plating done plainly with shapely: buffer all matter, subtract it (grows
    on every material, across walls and on the cut planes)."""
    solid = section_.solid

    def run() -> object:
        return shapely.difference(shapely.buffer(solid, thickness,
                                                 quad_segs=xs.tol.quad_segs()), solid)

    return run


def numpy_cap_heights(volume: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """Cap heights by Cardano's formula for h³ + 3a²h − 6V/π = 0 (plain numpy)."""
    q = 3.0 * volume / np.pi
    root = np.sqrt(q * q + radius ** 6)
    return np.cbrt(q + root) + np.cbrt(q - root)


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
    """Slope of log time over log N, from N=100 up (from N=10 with fewer points)."""
    for lo in (100, 10):
        pts = [(math.log(n), math.log(t)) for n, t in zip(ns, ts) if n >= lo and t > 0]
        if len(pts) >= 2:
            x, y = np.array(pts).T
            return float(np.polyfit(x, y, 1)[0])
    return None


def installed(name: str) -> bool:
    try:
        __import__(name)
        return True
    except ImportError:
        return False


class Inputs:
    """The sections the cases start from at N = n, each built on first use
    (so a case measured alone for memory builds only what it needs)."""

    def __init__(self, n: int) -> None:
        self.n = n

    @functools.cached_property
    def base(self) -> xs.Section:
        return section(self.n)

    @functools.cached_property
    def etched(self) -> xs.Section:
        return xs.etch(self.base, target="copper", depth=25.0)

    @functools.cached_property
    def plated(self) -> xs.Section:
        return xs.plate(self.etched, material="nickel", thickness=3.0, on="copper")

    @functools.cached_property
    def plain_plating(self) -> Callable[[], object]:
        return plain_shapely_plating(self.etched, 3.0)

    @functools.cached_property
    def board(self) -> xs.Section:
        return xs.stack(width=100.0 * self.n, layers=[xs.Layer("copper", 35, "10"),
                                                       xs.Layer("polyimide", 25, "12")])


def cases_for(n: int) -> tuple[dict[str, tuple[tuple[str, ...], Callable[[], object]]], Inputs]:
    """Every xsection case at N = n (and plain shapely plating): the inputs
    it needs (``Inputs`` attributes) and the call to time."""
    inp = Inputs(n)
    at = [100 * i + 50.0 for i in range(n)]
    return {
        "etch isotropic d=25": (("base",), lambda: xs.etch(inp.base, target="copper",
                                                            depth=25.0)),
        "plate 3 conformal": (("etched",), lambda: xs.plate(inp.etched, material="nickel",
                                                             thickness=3.0, on="copper")),
        "deposit 1 conformal": (("etched",), lambda: xs.deposit(inp.etched, material="titanium",
                                                                 thickness=1.0)),
        "fill to the mask top": (("plated",), lambda: xs.fill(
            inp.plated, material="Sn63Pb37", on="nickel", level=130.0)),
        "drill to copper": (("board",), lambda: xs.drill(inp.board, target="polyimide", at=at,
                                                          top_width=40, bottom_width=26,
                                                          stop_on="copper")),
        "strip the mask": (("plated",), lambda: xs.strip(inp.plated, target="polyimide")),
        "grind 5 off": (("etched",), lambda: xs.grind(inp.etched, level=125.0)),
        "seed001 pattern flow": ((), lambda: flow(n)),
        "plain shapely plating": (("plain_plating",), lambda: inp.plain_plating()),
    }, inp


def peak_memory(n: int, names: list[str]) -> dict[str, tuple[float, float]]:
    """For each case: (peak resident MiB of a fresh process once the inputs
    are built, and once the case has run), each case in its own process."""
    out = {}
    for name in names:
        done = subprocess.run([sys.executable, os.path.abspath(__file__), "--peak", name,
                               "--sizes", str(n)], capture_output=True, text=True, check=True)
        before, after = (float(v) for v in done.stdout.split()[-2:])
        out[name] = (before, after)
    return out


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small N, one repeat, no peers")
    parser.add_argument("--sizes", default="1,10,100,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", default=None)
    parser.add_argument("--memory", action="store_true",
                        help="peak memory of every case at the largest N, each in a fresh process")
    parser.add_argument("--peak", default=None, help=argparse.SUPPRESS)  # one case, one process
    args = parser.parse_args(argv)
    if args.peak:
        table, inputs = cases_for(int(args.sizes))
        needs, fn = table[args.peak]
        for name in needs:
            getattr(inputs, name)
        before = _rss_mib()
        fn()
        print(f"{before:.1f} {_rss_mib():.1f}")
        return {}
    sizes = [1, 10] if args.quick else [int(v) for v in args.sizes.split(",")]
    repeat = 1 if args.quick else args.repeat
    peers = {name: (installed(name) and not args.quick) for name in ("klayout", "viennaps")}
    results: dict[str, dict[str, list[float]]] = {}
    for n in sizes:
        table, inputs = cases_for(n)
        for needs, _ in table.values():  # built before any timing
            for name in needs:
                getattr(inputs, name)
        cases = {name: fn for name, (_, fn) in table.items()}
        if args.quick:
            del cases["plain shapely plating"]
        if peers["klayout"]:
            cases["klayout etch minkowski"] = klayout_etch(n, "minkowski")
            cases["klayout etch sizing"] = klayout_etch(n, "sizing")
        # interleaved: every case once per round, so a busy spell of the
        # machine falls on all of them alike
        times: dict[str, list[float]] = {name: [] for name in cases}
        peaks: dict[str, float] = {}
        for _ in range(repeat):
            for name, fn in cases.items():
                t, peaks[name] = timed(fn, 1)
                times[name].append(t)
        for name in cases:
            row = results.setdefault(name, {"n": [], "median_s": [], "peak_mib": []})
            row["n"].append(n)
            row["median_s"].append(statistics.median(times[name]))
            row["peak_mib"].append(peaks[name])
    ball_sizes = [10, 30] if args.quick else [10, 30, 100, 300, 1000]
    ball_times = balls(ball_sizes, repeat)
    film_counts = films([1, 2, 5] if args.quick else [1, 5, 10, 20, 30, 50, 100])
    caps = 10_000 if args.quick else 1_000_000
    v = np.random.default_rng(1).uniform(1e3, 1e6, caps)
    a = np.random.default_rng(2).uniform(5, 100, caps)
    t_caps, _ = timed(lambda: cap_height(v, a), repeat)
    t_numpy, _ = timed(lambda: numpy_cap_heights(v, a), repeat)
    accuracy = {"xsection": surface_error(xsection_removed(10), exact_etch(10))}
    if peers["klayout"]:
        for route in ("minkowski", "sizing"):
            accuracy[f"klayout {route}"] = surface_error(
                klayout_etch(10, route)(geometry=True), exact_etch(10))
    vienna = {}
    if peers["viennaps"]:
        for grid in (1.0, 0.5, 0.25, 0.125):
            vienna[grid] = viennaps_etch(grid)
    memory = peak_memory(max(sizes), [k for k in results if not k.startswith("klayout")]) \
        if args.memory else {}
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"), "repeat": repeat,
        "peers": {k: "compared" if on else "not installed (or --quick): xsection alone"
                  for k, on in peers.items()},
        "results": results,
        "exponents": {k: exponent(r["n"], r["median_s"]) for k, r in results.items()},
        "reflow_caps": {"count": caps, "xsection_s": t_caps, "plain_numpy_s": t_numpy},
        "balls": {**ball_times,
                  "place_exponent": exponent(ball_times["n"], ball_times["place_s"]),
                  "reflow_exponent": exponent(ball_times["n"], ball_times["reflow_s"])},
        "films": film_counts,
        "etch_error_um_d25": accuracy,
        "viennaps_single_opening": {str(k): {"seconds": t, "error_um": e}
                                    for k, (t, e) in vienna.items()},
        "peak_memory_mib": {"n": max(sizes), **{k: {"inputs": a, "after": b}
                                                for k, (a, b) in memory.items()}},
    }
    report["ratios"] = ratios(results, report)
    print_report(report)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=2)
    return report


def ratios(results: dict[str, dict[str, list[float]]], report: dict) -> dict[str, object]:
    """Issue 17's goals as ratios, at the largest N both sides measured."""
    def at(name: str, n: int) -> float | None:
        row = results.get(name)
        return row["median_s"][row["n"].index(n)] if row and n in row["n"] else None

    out: dict[str, object] = {}
    for n in (10000, 1000, 100):
        etch, plate, flow_ = (at("etch isotropic d=25", n), at("plate 3 conformal", n),
                              at("seed001 pattern flow", n))
        plain = at("plain shapely plating", n)
        if etch is None:
            continue
        routes = [t for t in (at("klayout etch sizing", n), at("klayout etch minkowski", n)) if t]
        if routes:
            out[f"N={n}: etch / KLayout's fastest etch (goal <= 0.5)"] = etch / min(routes)
            if n == 1000 and flow_:
                out[f"N={n}: flow / one KLayout etch (goal <= 10)"] = flow_ / min(routes)
        if plain:
            out[f"N={n}: plate / plain shapely (goal <= 0.5)"] = plate / plain
    caps = report["reflow_caps"]
    out["reflow caps / plain numpy (goal <= 1.5)"] = caps["xsection_s"] / caps["plain_numpy_s"]
    balls = report["balls"]
    if 1000 in balls["n"]:
        k = balls["n"].index(1000)
        out["place 1,000 balls, s (goal <= 1)"] = balls["place_s"][k]
        out["reflow 1,000 balls, s (goal <= 1)"] = balls["reflow_s"][k]
    return out


def print_report(report: dict) -> None:
    print(f"machine: {report['machine']}  ({report['date']}, medians of {report['repeat']})")
    for name, status in report["peers"].items():
        print(f"{name}: {status}")
    for name, r in report["results"].items():
        cells = "  ".join(f"N={n}: {t:.4f}s ({m:.0f} MiB)"
                          for n, t, m in zip(r["n"], r["median_s"], r["peak_mib"]))
        exp = report["exponents"][name]
        print(f"{name:24s} {cells}" + (f"  exponent {exp:.2f}" if exp is not None else ""))
    caps = report["reflow_caps"]
    print(f"cap heights of {caps['count']} caps: xsection {caps['xsection_s']:.4f}s, "
          f"plain numpy Cardano {caps['plain_numpy_s']:.4f}s")
    b = report["balls"]
    for key in ("place", "reflow"):
        cells = "  ".join(f"N={n}: {t:.3f}s" for n, t in zip(b["n"], b[f"{key}_s"]))
        exp = b[f"{key}_exponent"]
        print(f"{key} balls D=45 on pads  {cells}" + (f"  exponent {exp:.2f}" if exp else ""))
    f = report["films"]
    print("conformal films: " + "  ".join(f"{k} films: {v} vertices, {t:.2f}s" for k, v, t in
                                          zip(f["films"], f["vertices"], f["seconds"])))
    for name, err in report["etch_error_um_d25"].items():
        print(f"etch surface error (Hausdorff to the analytic, d=25): {name} {err:.4f} µm "
              f"({100 * err / 25:.3f} %)")
    for grid, row in report["viennaps_single_opening"].items():
        print(f"viennaps one opening, grid {grid} µm: {row['seconds']:.4f}s, error "
              f"{row['error_um']:.3f} µm ({100 * row['error_um'] / 25:.2f} %)")
    mem = report["peak_memory_mib"]
    for name, row in mem.items():
        if name != "n":
            print(f"peak memory at N={mem['n']}, fresh process: {name}: {row['after']:.0f} MiB "
                  f"({row['inputs']:.0f} MiB with the inputs built)")
    for name, value in report["ratios"].items():
        print(f"{name}: {value:.3g}" if isinstance(value, float) else f"{name}: {value}")


if __name__ == "__main__":
    main(sys.argv[1:])
    sys.exit(0)
