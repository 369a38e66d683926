"""Axisymmetric Young–Laplace shapes of molten solder under gravity and load
(µm, µm³, µN): a cap pinned on a pad, a joint between two pads.

The meridian of a surface of revolution, by arc length s, with ψ the angle
of its tangent from the r axis and the liquid on the left of the way it
runs (z up, gravity down, ℓ = √(γ / ρg) the capillary length)::

    dr/ds = cos ψ    dz/ds = sin ψ    dψ/ds = q − z / ℓ² − sin ψ / r

q = Δp(0) / γ is the pressure at the lower pad over the surface tension.
Without gravity (ℓ = ∞) a cap is a sphere and a free joint the truncated
sphere; a joint held at a gap is the constant-mean-curvature meniscus
between the pad edges (Delaunay's unduloid, a catenoid at q = 0). The
force a joint puts on the upper pad (up) is π a₂² Δp(h) − 2π a₂ γ sin ψ(h).

    upper pad   ___[a₂]___  h      ψ(h)
    meniscus      (      )         dψ/ds = q − z/ℓ² − sin ψ / r
    lower pad   ___[a₁]___  0      ψ(0)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..numeric import solve_increasing

#: Relative accuracy of the shooting solves (radius, height, volume).
SHOOT_REL = 1e-10
#: Newton steps for a joint's meniscus at most (it converges in a handful;
#: three without headway end it).
NEWTON_STEPS = 30
#: Points along a profile (enough for the arc tolerance on every shape here).
PROFILE_POINTS = 513


def _solve_ivp() -> Any:
    """scipy's solve_ivp, loaded where it is used (``import xsection`` stays light)."""
    from scipy.integrate import solve_ivp

    return solve_ivp


def capillary_length(density: float, surface_tension: float, gravity: float = 9.80665) -> float:
    """ℓ = √(γ / ρg) in µm, from ρ in g/cm³, γ in N/m and g in m/s²
    (∞ without gravity): 2.6 mm for SAC305."""
    if gravity <= 0.0:
        return math.inf
    return math.sqrt(surface_tension / (density * 1e3 * gravity)) * 1e6


def cap_profile(a: float, h: float, ell: float) -> np.ndarray:
    """The meridian (r, z) of a sessile cap of height h pinned at radius a
    on a pad at z = 0, from the edge (a, 0) to the apex (0, h); a sphere
    when ℓ is ∞. The apex curvature 1/b is shot for r(h) = a: r at a given
    depth below the apex grows with b."""
    if not math.isfinite(ell):
        return _sphere_cap(a, h)
    b0 = (a * a + h * h) / (2 * h)  # the sphere's radius
    found: dict[float, np.ndarray | None] = {}

    def excess(b: float) -> float:
        found[b] = _apex_down(b, ell, h)
        sol = found[b]
        return (float(sol[0, -1]) if sol is not None else 0.0) - a

    lo = 0.5 * b0
    while excess(lo) >= 0:
        lo *= 0.5
    b = solve_increasing(excess, lo, b0, SHOOT_REL * a)
    sol = found.get(b) if b is not None else None
    if sol is None:
        raise ArithmeticError(f"cap meniscus: no cap {h:g} high on a {2 * a:g} wide base")
    r, depth = sol[0], sol[1]
    r = r * (a / r[-1])  # the last step lands on the edge to SHOOT_REL; make it exact
    return np.column_stack([r[::-1], (h - depth)[::-1]])


def _sphere_cap(a: float, h: float) -> np.ndarray:
    radius = (a * a + h * h) / (2 * h)
    top = math.atan2(a, radius - h) if h < radius else math.pi - math.atan2(a, h - radius)
    t = np.linspace(top, 0.0, PROFILE_POINTS)
    r = radius * np.sin(t)
    z = h - radius + radius * np.cos(t)
    r[0], z[0] = a, 0.0
    return np.column_stack([r, z])


def _apex_down(b: float, ell: float, depth: float) -> np.ndarray | None:
    """(r, depth below the apex) from the apex of radius b down to ``depth``;
    None if the meridian turns back up before it gets there."""
    solve_ivp = _solve_ivp()
    k = 1.0 / (ell * ell)

    def rhs(s: float, y: np.ndarray) -> list[float]:
        r, d, phi = y
        curl = 1.0 / b + k * d if r < 1e-12 * b else 2.0 / b + k * d - math.sin(phi) / r
        return [math.cos(phi), math.sin(phi), curl]

    def reach(s: float, y: np.ndarray) -> float:
        return float(y[1] - depth)

    def turns(s: float, y: np.ndarray) -> float:
        return float(math.pi - y[2])

    reach.terminal = True  # type: ignore[attr-defined]
    turns.terminal = True  # type: ignore[attr-defined]
    s0 = 1e-6 * b
    y0 = [s0, s0 * s0 / (2 * b), s0 / b]
    span = 4 * (depth + b) + 10 * b
    sol = solve_ivp(rhs, (s0, span), y0, events=(reach, turns), rtol=1e-11, atol=1e-12 * b,
                    max_step=b / 50, dense_output=True)
    if not len(sol.t_events[0]):
        return None
    s_end = float(sol.t_events[0][0])
    s = np.linspace(0.0, s_end, PROFILE_POINTS)
    s[0] = s0
    y = sol.sol(s)
    y[:, 0] = [0.0, 0.0, 0.0]
    return np.asarray(y[:2], dtype=float)


def _bridge(a1: float, q: float, psi0: float, h: float, ell: float,
            points: int = PROFILE_POINTS) -> tuple[np.ndarray, float, float] | None:
    """The meridian from (a1, 0) at angle psi0 with pressure q up to z = h:
    (profile, volume, psi at the top); None if it does not get there."""
    solve_ivp = _solve_ivp()
    k = 0.0 if not math.isfinite(ell) else 1.0 / (ell * ell)

    def rhs(s: float, y: np.ndarray) -> list[float]:
        r, z, psi, _ = y
        r = max(r, 1e-12 * a1)
        return [math.cos(psi), math.sin(psi), q - k * z - math.sin(psi) / r,
                math.pi * r * r * math.sin(psi)]

    def top(s: float, y: np.ndarray) -> float:
        return float(y[1] - h)

    def axis(s: float, y: np.ndarray) -> float:
        return float(y[0] - 1e-9 * a1)

    def down(s: float, y: np.ndarray) -> float:
        return float(y[1] + 1e-9 * h)

    for ev in (top, axis, down):
        ev.terminal = True  # type: ignore[attr-defined]
    span = 20.0 * (h + a1)
    sol = solve_ivp(rhs, (0.0, span), [a1, 0.0, psi0, 0.0], events=(top, axis, down),
                    rtol=1e-11, atol=1e-12 * (h + a1), max_step=(h + a1) / 40,
                    dense_output=True)
    if not len(sol.t_events[0]):
        return None
    s_end = float(sol.t_events[0][0])
    y = sol.sol(np.linspace(0.0, s_end, points))
    return np.column_stack([y[0], y[1]]), float(y[3, -1]), float(y[2, -1])


def joint_profile(a1: float, a2: float, h: float, volume: float, ell: float
                  ) -> tuple[np.ndarray, float, float]:
    """The meniscus of ``volume`` between a pad of radius a1 at z = 0 and one
    of radius a2 at z = h, pinned at both edges: (profile from (a1, 0) to
    (a2, h), q, the force on the upper pad over γ, µm). Two unknowns, the
    angle at the lower edge and q, shot by Newton's method from the sphere
    (or the cylinder) through both edges for the top point and the volume."""
    psi, q = _start(a1, a2, h, volume)
    scale = (a1 + a2 + h) / 3

    def residual(p: float, c: float) -> np.ndarray | None:
        found = _bridge(a1, c, p, h, ell, points=65)
        if found is None:
            return None
        prof, vol, _ = found
        return np.array([(prof[-1, 0] - a2) / scale, (vol - volume) / volume])

    best, stalls = math.inf, 0
    for _ in range(NEWTON_STEPS):
        f = residual(psi, q)
        if f is None:
            raise ArithmeticError("joint meniscus: the profile does not reach the upper pad")
        size = float(np.linalg.norm(f))
        if np.all(np.abs(f) <= SHOOT_REL * 10):
            break
        stalls = stalls + 1 if size > 0.9 * best else 0
        if stalls >= 3:  # no headway: converged as far as differences go, or nothing to find
            if size <= 1e-7:
                break
            raise ArithmeticError("joint meniscus: Newton's method stalls")
        best = min(best, size)
        dp, dq = 1e-7, 1e-7 / scale
        fp, fq = residual(psi + dp, q), residual(psi, q + dq)
        if fp is None or fq is None:
            raise ArithmeticError("joint meniscus: no profile near the solution")
        jac = np.column_stack([(fp - f) / dp, (fq - f) / dq])
        step = np.linalg.solve(jac, -f)
        shrink = 1.0
        while shrink > 1e-2:
            trial = residual(psi + shrink * step[0], q + shrink * step[1])
            if trial is not None and np.linalg.norm(trial) < size:
                break
            shrink /= 2
        psi, q = psi + shrink * step[0], q + shrink * step[1]
    else:
        raise ArithmeticError("joint meniscus: Newton's method did not converge")
    found = _bridge(a1, q, psi, h, ell)
    assert found is not None
    prof, _, psi_top = found
    prof[-1, 0], prof[-1, 1] = a2, h
    k = 0.0 if not math.isfinite(ell) else 1.0 / (ell * ell)
    force = math.pi * a2 * a2 * (q - k * h) - 2 * math.pi * a2 * math.sin(psi_top)
    return prof, q, force


def _start(a1: float, a2: float, h: float, volume: float) -> tuple[float, float]:
    """(ψ at the lower edge, q) of the sphere through both edges whose
    truncated volume is nearest ``volume``: the zero-gravity free joint."""
    # centre on the axis at z0: a1² + z0² = a2² + (h − z0)²
    z0 = (a2 * a2 - a1 * a1 + h * h) / (2 * h)
    # the tangent at (a1, 0) of the circle about (0, z0), running up: the
    # radius (a1, −z0) turned a quarter left
    return math.atan2(a1, z0), 2.0 / math.hypot(a1, z0)


def standoff(a1: float, a2: float, volume: float, ell: float, load: float) -> float:
    """The gap h at which a joint of ``volume`` between pads a1 and a2
    carries ``load`` (over γ, µm: a weight W is W / γ): the force on the
    upper pad falls as the gap closes; bisection on h from the truncated
    sphere's standoff (where it carries nothing without gravity)."""
    h0 = _sphere_standoff(a1, a2, volume)

    def excess(h: float) -> float:
        return joint_profile(a1, a2, h, volume, ell)[2] - load

    lo, hi = h0, h0
    f_lo = f_hi = excess(h0)
    while f_lo < 0:  # too little push: lower the gap
        hi, f_hi = lo, f_lo
        lo *= 0.9
        f_lo = excess(lo)
    while f_hi > 0:
        lo, f_lo = hi, f_hi
        hi *= 1.1
        f_hi = excess(hi)
    for _ in range(80):
        mid = (lo + hi) / 2
        if excess(mid) > 0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= SHOOT_REL * h0 * 100:
            break
    return (lo + hi) / 2


def _sphere_standoff(a1: float, a2: float, volume: float) -> float:
    """h³ + 3(a₁² + a₂²)h = 6V/π: the truncated sphere through both edges."""
    roots = np.roots([1.0, 0.0, 3 * (a1 * a1 + a2 * a2), -6 * volume / math.pi])
    return float(max(z.real for z in roots if abs(z.imag) < 1e-9 * abs(z)))
