"""Joints: molten solder between a pad below and a pad above (truncated sphere)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

import xsection as xs
from xsection import geometry as g
from xsection.materials import MATERIALS
from xsection.ops.reflow import cap_height
from xsection.section import Region, Section


def sandwich(a1: float, a2: float, gap: float, solder_half: float, x: float = 100.0,
             width: float = 200.0) -> Section:
    """Si below, pad of half-width a1 on it (z 10..12), solder column from the
    pad up to a pad of half-width a2 under a chip (pad bottom at 12 + gap)."""
    top = 12.0 + gap
    return Section(0.0, width, (
        Region(box(0, 0, width, 10), "silicon", "1"),
        Region(box(x - a1, 10, x + a1, 12), "copper", "p"),
        Region(box(x - a2, top, x + a2, top + 2), "copper", "q"),
        Region(box(0, top + 2, width, top + 20), "silicon", "chip"),
        Region(box(x - solder_half, 12, x + solder_half, top), "SAC305", "s"),
    ), (), MATERIALS)


def real_root(coeffs: list[float]) -> float:
    (root,) = [r.real for r in np.roots(coeffs) if abs(r.imag) < 1e-9 and r.real > 0]
    return float(root)


def joint_of(s: Section) -> BaseGeometry:
    (body,) = s.select(numerals=["s"])
    return body.geometry


def test_equal_pads_resting_on_the_joint_give_the_truncated_sphere():
    a, gap, w = 25.0, 48.0, 20.0
    s = sandwich(a, a, gap, w)
    volume = math.pi * w**2 * gap
    out = xs.reflow(s, peak_temperature=250, standoff="free")
    # truncated sphere through both pad edges: V = π h (6a² + h²)/6
    h = real_root([1.0, 0.0, 6 * a * a, -6 * volume / math.pi])
    (chip_pad,) = out.select(numerals=["q"])
    assert chip_pad.geometry.bounds[1] - 12.0 == pytest.approx(h, abs=1e-6)
    joint = joint_of(out)
    assert g.own_axis_volume(joint) == pytest.approx(volume, rel=1e-6)
    radius = math.sqrt(a * a + h * h / 4)  # the sphere's equator
    half = (joint.bounds[2] - joint.bounds[0]) / 2
    assert half == pytest.approx(radius, abs=2 * xs.tol.arc * radius)
    assert joint.bounds[1] == pytest.approx(12.0) and joint.bounds[3] == pytest.approx(12.0 + h)
    # the chip moved with its pad, by the same amount
    (chip,) = out.select(numerals=["chip"])
    assert chip.geometry.bounds[1] - (12.0 + h + 2.0) == pytest.approx(0.0, abs=1e-6)


def test_unequal_pads_rest_on_the_zone_of_one_sphere():
    a1, a2, gap, w = 30.0, 18.0, 40.0, 20.0
    out = xs.reflow(sandwich(a1, a2, gap, w), peak_temperature=250, standoff="free")
    volume = math.pi * w**2 * gap
    h = real_root([1.0, 0.0, 3 * (a1**2 + a2**2), -6 * volume / math.pi])
    (chip_pad,) = out.select(numerals=["q"])
    assert chip_pad.geometry.bounds[1] - 12.0 == pytest.approx(h, abs=1e-6)
    zc = (a2**2 - a1**2 + h * h) / (2 * h)  # sphere centre above the lower pad
    radius = math.hypot(a1, zc)
    joint = joint_of(out)
    assert g.own_axis_volume(joint) == pytest.approx(volume, rel=1e-6)
    if 0 < zc < h:  # the equator lies inside the joint
        assert (joint.bounds[2] - joint.bounds[0]) / 2 == pytest.approx(
            radius, abs=3 * xs.tol.arc * radius)
    (lo,) = g.chords(joint, 12.0 + 1e-6)
    (hi,) = g.chords(joint, 12.0 + h - 1e-6)
    assert lo[1] - lo[0] == pytest.approx(2 * a1, abs=1e-3)
    assert hi[1] - hi[0] == pytest.approx(2 * a2, abs=1e-3)


def test_a_held_joint_keeps_the_standoff_and_wets_both_pads():
    a, gap, w = 25.0, 48.0, 20.0
    s = sandwich(a, a, gap, w)
    out = xs.reflow(s, peak_temperature=250)
    assert out.select(numerals=["q"]) == s.select(numerals=["q"])
    joint = joint_of(out)
    assert g.own_axis_volume(joint) == pytest.approx(math.pi * w**2 * gap, rel=1e-6)
    for z in (12.0 + 1e-6, 12.0 + gap - 1e-6):
        (c,) = g.chords(joint, z)
        assert c[1] - c[0] == pytest.approx(2 * a, abs=1e-3)
    # less solder than the straight column between the pads: a neck
    (mid,) = g.chords(joint, 12.0 + gap / 2)
    assert mid[1] - mid[0] < 2 * a - 1.0


def test_a_ball_touching_a_pad_above_at_a_point_becomes_a_joint():
    s = xs.stack(width=300, layers=[xs.Layer("silicon", 20), xs.Layer("copper", 5, "4")])
    s = xs.pattern(s, target="copper", keep=[(125.3, 174.7)])
    s = xs.place(s, material="SAC305", at=150.0, diameter=61.7, numeral="s")
    s = xs.place(s, material="copper", at=150.0, width=40.2, height=3.1, numeral="q")
    s = xs.place(s, material="silicon", at=150.0, width=280.0, height=30.0, numeral="chip")
    volume = math.pi * 61.7**3 / 6
    out = xs.reflow(s, peak_temperature=250, standoff="free")
    a1, a2 = (174.7 - 125.3) / 2, 40.2 / 2
    h = real_root([1.0, 0.0, 3 * (a1**2 + a2**2), -6 * volume / math.pi])
    (pad,) = out.select(numerals=["q"])
    assert pad.geometry.bounds[1] - 25.0 == pytest.approx(h, abs=1e-6)
    assert g.own_axis_volume(joint_of(out)) == pytest.approx(volume, rel=1e-6)


def test_too_little_solder_for_the_gap_stays_a_cap_on_the_lower_pad():
    s = sandwich(25.0, 25.0, 200.0, 5.0)
    out = xs.reflow(s, peak_temperature=250)
    joint = joint_of(out)
    v = math.pi * 25.0 * 200.0
    assert joint.bounds[3] - 12.0 == pytest.approx(
        float(cap_height(v, 25.0)), rel=2 * xs.tol.arc)
    assert joint.distance(out.select(numerals=["q"])[0].geometry) > 1.0


def test_resting_that_would_sink_the_chip_into_something_is_refused():
    s = sandwich(25.0, 25.0, 48.0, 5.0)  # little solder: the chip would drop a lot
    spacer = Region(box(10, 10, 30, 30), "silicon", "post")
    s = s.evolve([*s.regions, spacer])
    with pytest.raises(xs.GeometryError, match="sink"):
        xs.reflow(s, peak_temperature=250, standoff="free")


@settings(max_examples=int(__import__("os").environ.get("XSECTION_EXAMPLES", "25")),
          deadline=None)
@given(a1=st.floats(8.0, 40.0), a2=st.floats(8.0, 40.0), gap=st.floats(10.0, 80.0),
       frac=st.floats(0.3, 0.95), x=st.floats(60.0, 140.0))
def test_resting_joints_follow_the_zone_cubic(a1, a2, gap, frac, x):
    w = frac * min(a1, a2)
    s = sandwich(a1, a2, gap, w, x=x)
    out = xs.reflow(s, peak_temperature=250, standoff="free")
    volume = math.pi * w**2 * gap
    h = real_root([1.0, 0.0, 3 * (a1**2 + a2**2), -6 * volume / math.pi])
    (pad,) = out.select(numerals=["q"])
    assert pad.geometry.bounds[1] - 12.0 == pytest.approx(h, abs=1e-6)
    joint = joint_of(out)
    assert g.own_axis_volume(joint) == pytest.approx(volume, rel=1e-6)
    assert joint.distance(pad.geometry) <= xs.tol.touch


def test_wettable_override_keeps_solder_off_an_oxidised_material():
    s = xs.stack(width=300, layers=[xs.Layer("silicon", 20), xs.Layer("copper", 5, "4")])
    s = xs.pattern(s, target="copper", keep=[(100.0, 200.0)])
    s = xs.place(s, material="SAC305", at=150.0, diameter=40.0, numeral="s")
    volume = math.pi * 40.0**3 / 6
    wet = xs.reflow(s, peak_temperature=250)
    dry = xs.reflow(s, peak_temperature=250, wettable=["nickel"])
    cap = joint_of(wet)
    ball = joint_of(dry)
    assert g.own_axis_volume(cap) == pytest.approx(volume, rel=1e-6)
    assert g.own_axis_volume(ball) == pytest.approx(volume, rel=1e-6)
    assert cap.bounds[2] - cap.bounds[0] == pytest.approx(100.0, abs=1e-3)  # spread on Cu
    assert ball.bounds[2] - ball.bounds[0] == pytest.approx(40.0, abs=2 * xs.tol.arc * 20)


def test_reflow_refuses_an_unknown_standoff_and_wettable():
    s = sandwich(25.0, 25.0, 48.0, 20.0)
    with pytest.raises(xs.InputError, match="standoff"):
        xs.reflow(s, peak_temperature=250, standoff="floating")
    with pytest.raises(xs.XsectionError, match="wettable"):
        xs.reflow(s, peak_temperature=250, wettable=["unobtainium"])
