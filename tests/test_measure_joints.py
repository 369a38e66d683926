"""Joints measured as joints: standoff land to land, waist, widths at the
lands, wetted lengths, volume; never as a bump (µm, µm³)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import box

import xsection as xs
from xsection import recipe
from xsection.checks import values
from xsection.joints import joints
from xsection.materials import MATERIALS
from xsection.section import Region, Section
from xsection.tables import figure_measurements


def neck_volume(a: float, h: float, s: float) -> float:
    """Volume of the body between two discs of radius a, h apart, whose side
    is a circular arc through both rims sagging s inward at mid-height:
    V = π ∫ r(z)² dz, r(z) = xc − √(R² − (z − h/2)²), R = (h²/4 + s²) / 2s."""
    radius = (h * h / 4 + s * s) / (2 * s)
    xc = a - s + radius
    z = np.linspace(0.0, h, 400_001)
    r = xc - np.sqrt(radius**2 - (z - h / 2) ** 2)
    return float(math.pi * np.trapezoid(r * r, z))


def pillars(a: float, gap: float, volume: float) -> Section:
    """Cu pillars 2a wide and 20 tall below and above (thermocompression),
    a solder column of ``volume`` between their tops."""
    w = math.sqrt(volume / (math.pi * gap))
    top = 30.0 + gap
    return Section(0.0, 200.0, (
        Region(box(0, 0, 200, 10), "silicon", "1"),
        Region(box(100 - a, 10, 100 + a, 30), "copper", "2"),
        Region(box(100 - w, 30, 100 + w, top), "SnAg", "5"),
        Region(box(100 - a, top, 100 + a, top + 20), "copper", "3"),
        Region(box(0, top + 20, 200, top + 40), "silicon", "4"),
    ), (), MATERIALS)


def meniscus_waist(a: float, h: float, volume: float) -> float:
    """The waist radius of the constant-mean-curvature bridge of ``volume``
    between two discs of radius a, h apart (zero gravity), solved here on
    its own: symmetric about mid-height, the meridian from the waist (r_w,
    vertical) up to z = h/2 by RK4 in z, dr/dz = cot ψ, dψ/dz = (q − sin ψ /
    r) / sin ψ; q bisected for r(h/2) = a, r_w bisected for the volume."""
    def climb(rw: float, q: float) -> tuple[float, float]:
        n = 600
        dz = h / 2 / n
        r, psi, vol = rw, math.pi / 2, 0.0

        def f(r: float, psi: float) -> tuple[float, float]:
            return math.cos(psi) / math.sin(psi), (q - math.sin(psi) / r) / math.sin(psi)

        for _ in range(n):
            k1 = f(r, psi)
            k2 = f(r + dz / 2 * k1[0], psi + dz / 2 * k1[1])
            k3 = f(r + dz / 2 * k2[0], psi + dz / 2 * k2[1])
            k4 = f(r + dz * k3[0], psi + dz * k3[1])
            r_new = r + dz / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
            vol += math.pi * dz * (r * r + r_new * r_new) / 2
            psi += dz / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
            r = r_new
            if not 0.0 < psi < math.pi:  # it turned flat: flared out past any pad
                return math.inf, math.inf
        return r, 2 * vol

    def pressure(rw: float) -> float:  # larger q turns the meridian in sooner: r(h/2) falls
        lo, hi = -1.0, 1.0 / rw
        for _ in range(56):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if climb(rw, mid)[0] > a else (lo, mid)
        return (lo + hi) / 2

    lo, hi = 0.5 * a, 0.999 * a
    for _ in range(36):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if climb(mid, pressure(mid))[1] < volume else (lo, mid)
    return (lo + hi) / 2


def test_a_joint_between_two_pillars_has_its_waist_not_the_pad_width():
    """Case 5 of issue 25: 25.1 pads held 15.3 apart, the volume of two arcs
    of sagitta 2.695 (whose waist would be 25.1 − 2 · 2.695 = 19.71): the
    joint is the constant-mean-curvature meniscus, its waist 0.57 % narrower
    (issue 26), computed here on its own; bump:5:neck_width refuses."""
    a, h, s = 12.55, 15.3, 2.695
    out = xs.reflow(pillars(a, h, neck_volume(a, h, s)), peak_temperature=250.0)
    (j,) = joints(out, "5")
    waist = 2 * meniscus_waist(a, h, neck_volume(a, h, s))
    assert waist == pytest.approx(19.597, abs=2e-3)  # and a Surface Evolver run: docs
    assert j.waist_width == pytest.approx(waist, rel=1e-4)
    assert j.waist_z == pytest.approx(30.0 + h / 2, abs=0.05)
    assert j.standoff == pytest.approx(h)
    assert j.lower_width == pytest.approx(2 * a, abs=1e-3)
    assert j.upper_width == pytest.approx(2 * a, abs=1e-3)
    assert j.lower_wetted == pytest.approx(2 * a) and j.upper_wetted == pytest.approx(2 * a)
    assert j.volume == pytest.approx(neck_volume(a, h, s), rel=1e-5)
    assert values(out, "joint:5:waist_width", {}) == pytest.approx([waist], rel=1e-4)
    with pytest.raises(xs.InputError, match=r"is a joint between a land below and a land "
                                            r"above, not a bump; read joint:5:"):
        values(out, "bump:5:neck_width", {})
    data = figure_measurements(out)
    assert [j["numeral"] for j in data["joints"]] == ["5"] and data["bumps"] == []


def test_c4_joints_stand_off_land_to_land_by_the_truncated_sphere():
    """c4_joint: the lands are the Ni finish in a 4.9 deep cup (z 80.1) and
    the UBM; the joint above the rim is the truncated sphere through the rim
    chord (a₁ = 25.2) and the UBM (a₂ = 30.2) holding what the cup does not:
    h³ + 3(a₁² + a₂²)h = 6V/π, V = πD³/6 − π a₁² 4.9; standoff = 4.9 + h."""
    section = recipe.load("c4_joint").run().figure("1C").section
    v = math.pi * 80.3**3 / 6 - math.pi * 25.2**2 * 4.9
    (h,) = [r.real for r in np.roots([1, 0, 3 * (25.2**2 + 30.2**2), -6 * v / math.pi])
            if abs(r.imag) < 1e-12 and r.real > 0]
    found = joints(section, "5")
    assert [j.x for j in found] == pytest.approx([100.0, 300.0])
    for j in found:
        assert j.standoff == pytest.approx(4.9 + h, abs=2e-3)
        assert j.lower_width == pytest.approx(50.4, abs=1e-3)  # the cup's floor
        assert j.upper_width == pytest.approx(60.4, abs=1e-3)  # the UBM it wets
        assert j.volume == pytest.approx(math.pi * 80.3**3 / 6, rel=1e-5)
    data = figure_measurements(section)
    assert len(data["joints"]) == 2 and data["bumps"] == []


def test_seed001_fig2_reports_joints_and_hanging_balls_are_no_joints():
    section = recipe.load("seed001").run().figure("2").section
    data = figure_measurements(section)
    assert [j["numeral"] for j in data["joints"]] == ["20a"] * 3
    assert all(j["upper_width"] == pytest.approx(40.0, abs=1e-3) for j in data["joints"])
    assert joints(section, "42") == []  # they hang from the lands alone


def test_a_sealed_bump_under_a_cap_of_metal_is_no_joint():
    """Solder plated into a Ni-lined cup and capped by Cu that touches the
    lining: the lands' bodies touch each other, so it is no joint."""
    s = Section(0.0, 100.0, (
        Region(box(0, 0, 100, 20).difference(box(40, 0, 60, 20)), "polyimide", "1"),
        Region(box(40, 0, 60, 20).difference(box(42, 2, 58, 20)), "nickel", "2"),
        Region(box(42, 2, 58, 20), "SAC305", "3"),
        Region(box(30, 20, 70, 25), "copper", "4"),
    ), (), MATERIALS)
    assert joints(s, "3") == []
    assert figure_measurements(s)["joints"] == []
