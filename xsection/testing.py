"""Assertions for your own flows' tests: two sections equal to an area
tolerance, material by material (XOR area), with a message that says where.

>>> import xsection as xs
>>> from xsection.testing import assert_sections_equal
>>> s = xs.stack(width=100, layers=[xs.Layer("copper", 10.0)])
>>> assert_sections_equal(xs.etch(s, target="copper", depth=0.0), s)
>>> assert_sections_equal(xs.etch(s, target="copper", depth=2.0), s)
Traceback (most recent call last):
AssertionError: sections differ: copper 200 µm² (left 800, right 1000)
"""

from __future__ import annotations

from .section import Section
from .tolerances import tol


def assert_sections_equal(left: Section, right: Section, *, area: float | None = None) -> None:
    """Raise ``AssertionError`` unless, for every material in either section,
    the area where exactly one of them holds it (the XOR) is at most
    ``area`` µm² (default ``tol.area`` plus the grid's share of the outline),
    and both share one domain."""
    if abs(left.x0 - right.x0) > tol.touch or abs(left.x1 - right.x1) > tol.touch:
        raise AssertionError(f"sections differ: domain [{left.x0:g}, {left.x1:g}] vs "
                             f"[{right.x0:g}, {right.x1:g}] µm")
    problems = []
    for material in sorted({r.material for r in (*left.regions, *right.regions)}):
        a = left.union_of(materials=[material])
        b = right.union_of(materials=[material])
        limit = area if area is not None else tol.area + (a.length + b.length) * tol.grid
        xor = a.symmetric_difference(b).area
        if xor > limit:
            problems.append(f"{material} {xor:.4g} µm² (left {a.area:.4g}, right {b.area:.4g})")
    if problems:
        raise AssertionError("sections differ: " + "; ".join(problems))
