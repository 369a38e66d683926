"""Surface Evolver reference runs for docs/validation.md (not run by CI; the
numbers it prints are kept in scripts/validate.py).

Needs the Debian package evolver-nox (``evolver-nox-d``). Lengths in mm,
surface tension 1, gravity constant 1/ℓ² (mm⁻²), body density 1::

    python scripts/evolver_reference.py cap 0.3 0.229847 0.1248 5
    python scripts/evolver_reference.py bridge 12.55 12.55 15.3 5542.73148 0 4

``cap a V G refine``: a sessile cap of volume V pinned on a circle of
radius a at z = 0 (a one-sided constraint keeps it above the pad), its top
height. ``bridge a1 a2 h V G refine``: a liquid bridge pinned on circles
of radius a1 at z = 0 and a2 at z = h, its waist, pressure and area. A
loaded joint is checked by virtual work: two held bridges at h ± δ, the
force −(A₊ − A₋)/2δ. (The gap as an optimizing parameter with the load as
an energy on the top ring gave inconsistent signs in Evolver 2.70 here.)
"""

from __future__ import annotations

import pathlib
import subprocess
import sys
import tempfile

EVOLVER = "evolver-nox-d"


def _ring(first: int, radius: float, z: float, constraints: str) -> str:
    pts = [(radius, 0.0), (0.0, radius), (-radius, 0.0), (0.0, -radius)]
    return "".join(f"{first + i}  {x} {y} {z} constraints {constraints}\n"
                   for i, (x, y) in enumerate(pts))


def _iterate(refine: int) -> str:
    """Refine and relax: gradient steps, equiangulation and averaging."""
    steps = "".join(f"r; g 200; u; V; g 500; u; V; g {1000 * (k + 1)}; " for k in range(refine))
    return "U; g 20; " + steps


def _print(formats: str, values: str) -> str:
    """The Evolver command printing the result line: volume, pressure, more."""
    return (f'printf "RESULT volume %.10g pressure %.12g area %.14g {formats}\\n", '
            f"body[1].volume, body[1].pressure, total_area, {values}")


def cap_file(a: float, volume: float, gravity: float, refine: int) -> str:
    return f"""PARAMETER AA = {a}
gravity_constant {gravity}
constraint 1
formula: x^2 + y^2 = AA^2
constraint 2
formula: z = 0
constraint 3 nonnegative
formula: z = 0
vertices
{_ring(1, a, 0.0, "1 2")}5  0 0 {a} constraint 3
edges
1 1 2 constraints 1 2
2 2 3 constraints 1 2
3 3 4 constraints 1 2
4 4 1 constraints 1 2
5 1 5 constraint 3
6 2 5 constraint 3
7 3 5 constraint 3
8 4 5 constraint 3
faces
1 1 6 -5 constraint 3
2 2 7 -6 constraint 3
3 3 8 -7 constraint 3
4 4 5 -8 constraint 3
bodies
1 1 2 3 4 volume {volume} density 1
read
{_iterate(refine)}
{_print("top %.12g", "max(vertex, z)")}
q
q
"""


def bridge_file(a1: float, a2: float, h: float, volume: float, gravity: float,
                refine: int) -> str:
    return f"""PARAMETER A1 = {a1}
PARAMETER A2 = {a2}
PARAMETER HH = {h}
gravity_constant {gravity}
constraint 1
formula: x^2 + y^2 = A1^2
constraint 2
formula: z = 0
constraint 3
formula: x^2 + y^2 = A2^2
constraint 4
formula: z = HH
content:
c1: 0
c2: -HH*x
c3: 0
vertices
{_ring(1, a1, 0.0, "1 2")}{_ring(5, a2, h, "3 4")}edges
1 1 2 constraints 1 2
2 2 3 constraints 1 2
3 3 4 constraints 1 2
4 4 1 constraints 1 2
5 5 6 constraints 3 4
6 6 7 constraints 3 4
7 7 8 constraints 3 4
8 8 5 constraints 3 4
9 1 5
10 2 6
11 3 7
12 4 8
faces
1 1 10 -5 -9
2 2 11 -6 -10
3 3 12 -7 -11
4 4 9 -8 -12
bodies
1 1 2 3 4 volume {volume} density 1
read
{_iterate(refine)}
{_print("height %.12g waist %.12g",
         "HH, 2*min(vertex where z > 0.2*HH and z < 0.8*HH, sqrt(x^2+y^2))")}
q
q
"""


def run(text: str) -> str:
    """The RESULT line of one Evolver run."""
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "run.fe"
        path.write_text(text)
        out = subprocess.run([EVOLVER, str(path)], stdin=subprocess.DEVNULL, text=True,
                             capture_output=True, check=False, timeout=3600).stdout
    lines = [line for line in out.splitlines() if line.startswith("RESULT")]
    if not lines:
        raise SystemExit(f"evolver printed no result:\n{out[-2000:]}")
    return lines[-1]


def main(argv: list[str]) -> None:
    kind, *args = argv
    if kind == "cap":
        a, volume, gravity, refine = float(args[0]), float(args[1]), float(args[2]), int(args[3])
        print(run(cap_file(a, volume, gravity, refine)))
    elif kind == "bridge":
        a1, a2, h, volume, gravity = (float(v) for v in args[:5])
        print(run(bridge_file(a1, a2, h, volume, gravity, int(args[5]))))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
