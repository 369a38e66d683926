"""Root finding shared by the operators: one bisection, one bracketing
solver for increasing functions (the volume solves of reflow)."""

from __future__ import annotations

import math
from collections.abc import Callable

#: Relative width at which a bisection stops (a double's resolution is 2.2e-16).
BISECT_REL = 1e-12
#: Relative bracket width at which the Illinois solver gives up refining.
SOLVE_REL = 1e-15
#: The smallest first bracket end of ``solve_increasing``.
SOLVE_FLOOR = 1e-9


def bisect(holds: Callable[[float], bool], lo: float, hi: float, *,
           iterations: int = 100) -> tuple[float, float]:
    """Shrink [lo, hi] around the switch of ``holds`` (true at lo, false at
    hi) to ``BISECT_REL`` of its size; returns the last (lo, hi).

    >>> lo, hi = bisect(lambda x: x * x < 2.0, 0.0, 2.0)
    >>> round(hi, 9)
    1.414213562
    """
    for _ in range(iterations):
        mid = (lo + hi) / 2
        if holds(mid):
            lo = mid
        else:
            hi = mid
        if hi - lo <= BISECT_REL * max(1.0, abs(hi)):
            break
    return lo, hi


def solve_increasing(f: Callable[[float], float], lo: float, guess: float, tolerance: float,
                     limit: float = math.inf) -> float | None:
    """Root of increasing ``f`` with f(lo) < 0, to |f| <= ``tolerance``, by
    doubling a bracket from ``guess`` and the Illinois method; None if f is
    still negative at ``limit``.

    >>> round(solve_increasing(lambda h: h ** 3 - 8.0, 0.0, 1.0, 1e-12), 9)
    2.0
    """
    hi = min(max(guess, SOLVE_FLOOR), limit)
    f_hi = f(hi)
    f_lo = f(lo)
    while f_hi < 0:
        if hi >= limit:
            return None
        lo, f_lo = hi, f_hi
        hi = min(hi * 2, limit)
        f_hi = f(hi)
    side = 0
    for _ in range(100):
        if abs(f_hi) <= tolerance:
            return hi
        if abs(f_lo) <= tolerance:
            return lo
        if hi - lo <= SOLVE_REL * max(1.0, hi):
            break
        mid = (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
        f_mid = f(mid)
        if f_mid > 0:
            hi, f_hi = mid, f_mid
            if side == +1:
                f_lo /= 2
            side = +1
        else:
            lo, f_lo = mid, f_mid
            if side == -1:
                f_hi /= 2
            side = -1
    return hi if abs(f_hi) <= abs(f_lo) else lo
