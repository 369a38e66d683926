"""Young–Laplace solder (issue 26): closed forms without gravity, Surface
Evolver runs with it, and the reflow operator using them (µm, µm³, mN)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import box

import xsection as xs
from xsection import measure
from xsection.materials import MATERIALS
from xsection.ops.laplace import cap_profile, capillary_length, joint_profile, standoff
from xsection.section import Region, Section

#: Surface Evolver 2.70 runs (scripts/evolver_reference.py): a sessile cap of
#: volume V (mm³) pinned at radius a (mm) on a flat pad, surface tension 1,
#: gravity 1/ℓ² = 0.1248 mm⁻² (SAC305, ℓ = 2.8307 mm), the height ratio with
#: and without gravity on one mesh (five refinements, 4,096 facets), which
#: cancels the mesh's own bias: (a, V, ratio).
EVOLVER_CAPS = [(0.3, 0.229847, 0.640499864678 / 0.642730573043),
                (0.6, 1.767146, 1.24595712329 / 1.26245937161)]


def cap_height(a: float, volume: float) -> float:
    """The spherical cap's height: the real root of h³ + 3a²h = 6V/π."""
    (h,) = [z.real for z in np.roots([1.0, 0.0, 3 * a * a, -6 * volume / math.pi])
            if abs(z.imag) < 1e-9 and z.real > 0]
    return float(h)


def profile_volume(prof: np.ndarray) -> float:
    return float(math.pi * np.trapezoid(prof[:, 0] ** 2, prof[:, 1]))


@pytest.mark.parametrize(("a", "h"), [(30.0, 20.0), (12.5, 31.7), (300.0, 0.37)])
def test_a_cap_without_gravity_is_the_sphere(a, h):
    prof = cap_profile(a, h, math.inf)
    radius = (a * a + h * h) / (2 * h)
    assert np.allclose(np.hypot(prof[:, 0], prof[:, 1] - (h - radius)), radius, rtol=1e-12)
    assert prof[0] == pytest.approx([a, 0.0]) and prof[-1] == pytest.approx([0.0, h])


def test_a_cap_under_gravity_is_as_high_as_surface_evolver_finds():
    """Within 0.01 % of Surface Evolver's ratio times the closed-form height
    (the issue asks for 1 %): a 0.76 mm ball on a 0.6 mm pad sits 0.347 %
    lower, a 1.5 mm ball on 1.2 mm 1.31 % lower."""
    ell = 1.0 / math.sqrt(0.1248)  # mm
    for a, volume, ratio in EVOLVER_CAPS:
        lo, hi = 0.5 * a, 4.0 * a
        for _ in range(36):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if profile_volume(cap_profile(a, mid, ell)) < volume else (lo, mid)
        assert hi == pytest.approx(ratio * cap_height(a, volume), rel=1e-4)


def test_the_catenoid_is_the_bridge_without_pressure():
    """Between two discs of radius c·cosh(h/2c), the volume of the catenoid
    r = c·cosh(z/c) (πc²(h/2 + c·sinh(h/c)/2)) is held at q = 0, waist c."""
    c, h = 10.0, 15.0
    a = c * math.cosh(h / (2 * c))
    volume = math.pi * c * c * (h / 2 + c * math.sinh(h / c) / 2)
    prof, q, force = joint_profile(a, a, h, volume, math.inf)
    assert abs(q) < 1e-9
    assert prof[:, 0].min() == pytest.approx(c, rel=1e-7)
    assert force == pytest.approx(-2 * math.pi * c, rel=1e-7)  # the tension at the neck


@pytest.mark.parametrize(("a1", "a2", "volume"), [(25.0, 30.0, 2.7e5), (12.55, 12.55, 9.1e3)])
def test_a_free_joint_without_gravity_carries_nothing_at_the_truncated_sphere(a1, a2, volume):
    h = cap_height(math.hypot(a1, a2), volume)  # h³ + 3(a₁² + a₂²)h = 6V/π
    _, q, force = joint_profile(a1, a2, h, volume, math.inf)
    radius = 2.0 / q
    z0 = (a2 * a2 - a1 * a1 + h * h) / (2 * h)
    assert radius == pytest.approx(math.hypot(a1, z0), rel=1e-7)
    assert abs(force) < 1e-6 * a1
    assert standoff(a1, a2, volume, math.inf, 0.0) == pytest.approx(h, rel=1e-6)


def test_a_load_lowers_the_standoff_and_the_joint_then_carries_it():
    """More load, a lower standoff; at it, the meniscus pushes up with the load."""
    a, volume = 125.0, math.pi * 300.0**3 / 6
    ell = capillary_length(7.0, 0.55)
    heights = [standoff(a, a, volume, ell, w) for w in (0.0, 50.0, 150.0)]
    assert heights[0] > heights[1] > heights[2]
    for w, h in zip((0.0, 50.0, 150.0), heights):
        assert joint_profile(a, a, h, volume, ell)[2] == pytest.approx(w, abs=1e-6 * a)


def ball_on_pad(d: float, a: float) -> Section:
    """A ball of diameter d resting on a Cu pad 2a wide (10 thick) on BT."""
    s = Section(0.0, 4 * a + 2 * d, (
        Region(box(0, 0, 4 * a + 2 * d, 100), "bt", "1"),
        Region(box(2 * a + d - a, 100, 2 * a + d + a, 110), "copper", "2"),
    ), (), MATERIALS)
    return xs.place(s, material="SAC305", at=[2 * a + d], diameter=d, numeral="5")


def test_reflow_with_gravity_lowers_a_bga_ball_as_surface_evolver_does():
    """A 760 µm SAC305 ball on a 600 µm pad: the cap is 0.347 % lower with
    gravity (ℓ = 2.83 mm from the library's ρ and γ) than the sphere, as in
    the Surface Evolver run; without gravity it is the sphere, as before."""
    d, a = 760.0, 300.0
    volume = math.pi * d**3 / 6
    (plain,) = measure.bumps(xs.reflow(ball_on_pad(d, a), peak_temperature=250.0), "5")
    (heavy,) = measure.bumps(xs.reflow(ball_on_pad(d, a), peak_temperature=250.0,
                                       gravity=True), "5")
    assert plain.height == pytest.approx(cap_height(a, volume), rel=2e-3)
    ratio = EVOLVER_CAPS[0][2]
    assert heavy.height == pytest.approx(ratio * cap_height(a, volume), rel=1e-4)
    assert heavy.volume == pytest.approx(volume, rel=1e-6)


def test_gravity_needs_the_solder_s_density_and_surface_tension():
    lib = MATERIALS.extended(xs.Material("mystery", "solder", 200.0, 210.0, wettable=True))
    s = ball_on_pad(100.0, 40.0)
    s = Section(s.x0, s.x1, tuple(Region(r.geometry, "mystery" if r.numeral == "5" else
                                         r.material, r.numeral) for r in s.regions), (), lib)
    with pytest.raises(xs.InputError, match=r"need the density and surface tension of mystery"):
        xs.reflow(s, peak_temperature=250.0, gravity=True)
    with pytest.raises(xs.InputError, match=r"'load' must be >= 0 mN"):
        xs.reflow(s, peak_temperature=250.0, load=-1.0)


@pytest.mark.parametrize("h", [0.17, 0.2, 0.23])
def test_the_force_on_the_upper_pad_is_virtual_work(h):
    """At fixed volume the force the meniscus puts on the upper pad is
    −γ dA/dh (γ = 1 here): the area of the menisci at h ± 1e-4, revolved."""
    a1, a2, volume = 0.125, 0.14, math.pi * 0.3**3 / 6

    def area(gap: float) -> float:
        prof = joint_profile(a1, a2, gap, volume, math.inf)[0]
        r, z = prof[:, 0], prof[:, 1]
        return float(2 * math.pi * np.sum((r[1:] + r[:-1]) / 2 * np.hypot(np.diff(r),
                                                                           np.diff(z))))

    force = joint_profile(a1, a2, h, volume, math.inf)[2]
    assert force == pytest.approx(-(area(h + 1e-4) - area(h - 1e-4)) / 2e-4, abs=2e-4)
