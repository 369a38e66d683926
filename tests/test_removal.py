"""Drill, pattern, strip, grind, roughen."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

import xsection as xs
from xsection import geometry as g

from .sections import CU_TOP, masked_copper


def test_drill_makes_a_tapered_hole_that_stops_on_copper():
    s = xs.stack(width=300, layers=[xs.Layer("copper", 35, "10"), xs.Layer("polyimide", 25, "12")])
    out = xs.drill(s, target="polyimide", at=[75, 225], top_width=60, bottom_width=40,
                   stop_on="copper", numeral="12a")
    assert out.union_of(materials=["copper"]).equals(s.union_of(materials=["copper"]))
    (top,) = g.chords(g.intersection(out.ambient(), box(0, 0, 150, 100)), 60 - 1e-6)
    (bottom,) = g.chords(g.intersection(out.ambient(), box(0, 0, 150, 100)), 35 + 1e-6)
    assert top[1] - top[0] == pytest.approx(60, abs=1e-3)
    assert bottom[1] - bottom[0] == pytest.approx(40, abs=1e-3)
    holes = [lab for lab in out.labels if lab.numeral == "12a"]
    assert holes and holes[0].geometry.area == pytest.approx(2 * 25 * 50, rel=1e-9)


def test_drill_from_the_bottom():
    s = xs.stack(width=100, layers=[xs.Layer("polyimide", 20), xs.Layer("copper", 10)])
    out = xs.drill(s, target="polyimide", at=50, top_width=30, bottom_width=10,
                   stop_on="copper", side="bottom")
    (mouth,) = g.chords(g.intersection(out.ambient(), box(0, 0, 100, 30)), 1e-6)
    assert mouth[1] - mouth[0] == pytest.approx(30, abs=1e-3)


def test_drill_errors_name_the_position():
    s = xs.stack(width=100, layers=[xs.Layer("polyimide", 20)])
    with pytest.raises(xs.GeometryError, match="copper"):
        xs.drill(s, target="polyimide", at=[50], top_width=10, stop_on="copper")
    with pytest.raises(xs.InputError, match="outside the domain"):
        xs.drill(s, target="polyimide", at=[500], top_width=10)


def test_pattern_keeps_features_and_stops_on_what_lies_beneath():
    s = xs.stack(width=300, layers=[xs.Layer("polyimide", 20, "12"), xs.Layer("copper", 12, "24")])
    out = xs.pattern(s, target="copper", keep=[(50, 100), (200, 260)], numeral="24a")
    cu = out.union_of(materials=["copper"])
    assert cu.area == pytest.approx((50 + 60) * 12, rel=1e-9)
    assert out.union_of(materials=["polyimide"]).equals(s.union_of(materials=["polyimide"]))
    assert {r.numeral for r in out.select(materials=["copper"])} == {"24a"}


def test_pattern_with_undercut_narrows_the_feature_below_the_resist():
    s = xs.stack(width=300, layers=[xs.Layer("polyimide", 20), xs.Layer("copper", 12)])
    out = xs.pattern(s, target="copper", keep=[(100, 200)], undercut=3.0)
    chords = g.chords(out.union_of(materials=["copper"]), 32 - 1e-3)
    assert chords[0][1] - chords[0][0] == pytest.approx(100 - 6, abs=1e-2)


def test_strip_removes_exposed_bodies_and_keeps_sealed_ones():
    base = box(0, 0, 100, 20)
    film = box(0, 20, 100, 22)  # exposed nickel film
    cu = box(0, 22, 100, 40)
    barrier = box(40, 30, 60, 32)  # sealed inside the copper
    cu = cu.difference(barrier)
    s = xs.Section(0, 100, (xs.Region(base, "silicon"), xs.Region(film, "nickel", "18"),
                            xs.Region(cu, "copper"), xs.Region(barrier, "nickel", "22")))
    # the film is exposed only at the cut planes: not to the bath
    assert xs.strip(s, target="nickel").regions == s.regions
    exposed = xs.strip(s, target="copper")
    out = xs.strip(exposed, target="nickel")
    assert out.select(materials=["nickel"]) == []
    # with copper kept, only the film once exposed goes: etch a window to it
    s2 = xs.Section(0, 100, (xs.Region(base, "silicon"), xs.Region(film, "nickel", "18"),
                             xs.Region(cu.difference(box(0, 22, 20, 40)), "copper"),
                             xs.Region(barrier, "nickel", "22")))
    out2 = xs.strip(s2, target="nickel")
    assert [r.numeral for r in out2.select(materials=["nickel"])] == ["22"]


def test_strip_repeats_as_removal_exposes_more():
    a = box(0, 0, 100, 10)
    b = box(20, 10, 80, 20)  # nickel on top of nickel
    c = box(0, 10, 20, 20)
    s = xs.Section(0, 100, (xs.Region(a, "silicon"), xs.Region(b, "nickel", "1"),
                            xs.Region(c, "copper"),
                            xs.Region(box(80, 10, 100, 20), "nickel", "2"),
                            xs.Region(box(20, 20, 80, 25), "nickel", "3")))
    out = xs.strip(s, target="nickel")
    assert out.select(materials=["nickel"]) == []


def test_grind_removes_everything_above_the_plane():
    s = masked_copper()
    out = xs.grind(s, level=CU_TOP + 5)
    assert out.zmax == pytest.approx(CU_TOP + 5)
    assert out.union_of(materials=["copper"]).equals(s.union_of(materials=["copper"]))


def test_grind_to_a_flat_of_given_width():
    s = xs.stack(width=400, layers=[xs.Layer("silicon", 20)])
    s = xs.place(s, material="Pb83Sn17", at=200, diameter=200, numeral="5")
    s = xs.laminate(s, material="epoxy", thickness=10, numeral="7")
    out = xs.grind(s, flat_width=160.0, flat_of="Pb83Sn17")
    (flat,) = g.chords(out.union_of(materials=["Pb83Sn17"]), out.zmax - 1e-9)
    assert flat[1] - flat[0] == pytest.approx(160.0, rel=1e-6)
    # the exact plane of a 160 chord on a 100 radius circle centred at z=120; the
    # ball's arc may lie tol.arc·R inside the circle, which moves the plane by R/60 that
    assert out.zmax == pytest.approx(120 + math.sqrt(100**2 - 80**2),
                                     abs=2 * xs.tol.arc * 100 * 100 / 60)


def test_grind_refuses_to_leave_nothing():
    with pytest.raises(xs.GeometryError, match="nothing would be left"):
        xs.grind(masked_copper(), level=-5)


def test_roughen_cuts_a_profile_of_the_given_amplitude():
    s = xs.stack(width=100, layers=[xs.Layer("copper", 20)])
    out = xs.roughen(s, target="copper", amplitude=2.0, period=10.0)
    cu = out.union_of(materials=["copper"])
    xs_ = np.arange(2.5, 98, 2.5)  # peaks at multiples of 10, valleys at 5 + 10k
    heights = []
    for x in xs_:
        col = g.intersection(cu, box(x - 1e-6, 0, x + 1e-6, 30))
        heights.append(col.bounds[3])
    assert max(heights) - min(heights) == pytest.approx(2.0, abs=0.05)
    assert cu.area == pytest.approx(100 * 20 - 100 * 1.0, rel=1e-3)
    assert xs.roughen(s, target="copper", amplitude=0, period=10) is s


@settings(deadline=None, max_examples=int(os.environ.get("XSECTION_EXAMPLES", "25")))
@given(n=st.integers(1, 60), pitch=st.floats(20.0, 300.0), frac=st.floats(0.1, 0.9),
       taper=st.floats(0.2, 1.0), h=st.floats(1.0, 80.0), offset=st.floats(0.0, 1.0))
def test_many_holes_remove_a_trapezoid_each(n, pitch, frac, taper, h, offset):
    """n holes at a real-valued pitch through resin of height h down to the
    copper: each removes the trapezoid (top + bottom) / 2 · h, and the holes'
    resin is gone down to the copper (none left under a hole's axis)."""
    top = frac * pitch
    bottom = taper * top
    s = xs.stack(width=pitch * n + pitch, layers=[xs.Layer("copper", 10.0, "10"),
                                                   xs.Layer("polyimide", h, "12")])
    at = [pitch * (i + 0.5 + offset) for i in range(n)]
    out = xs.drill(s, target="polyimide", at=at, top_width=top, bottom_width=bottom,
                   stop_on="copper", numeral="12a")
    removed = s.union_of(materials=["polyimide"]).area - out.union_of(materials=["polyimide"]).area
    # (each corner on the grid: at most a grid step times the outline)
    grid = xs.tol.grid * 2 * (top + bottom + 2 * h)
    assert removed == pytest.approx(n * (top + bottom) / 2 * h, rel=1e-9, abs=n * grid)
    resin = out.union_of(materials=["polyimide"])
    axes = shapely.multilinestrings([[(x, 10.0 + 1e-3), (x, 10.0 + h - 1e-3)] for x in at])
    assert shapely.intersection(axes, resin).length <= 1e-9


@pytest.mark.parametrize("edge", [30.0, 45.0])
def test_a_hole_centred_on_a_body_edge_drills_the_half_that_lies_in_it(edge):
    """A hole at x on the upright edge of a solder body (x = 30 its right
    edge, x = 45 the next body's left edge) takes the half of it inside the
    body: (width / 2) · height, not nothing."""
    s = xs.stack(width=60, layers=[xs.Layer("copper", 2, "10"), xs.Layer("Sn63Pb37", 2, "12")])
    s = xs.pattern(s, target="Sn63Pb37", remove=[(30.0, 45.0)])
    out = xs.drill(s, target="Sn63Pb37", at=[edge], top_width=5.0)
    removed = s.union_of(materials=["Sn63Pb37"]).area - out.union_of(materials=["Sn63Pb37"]).area
    assert removed == pytest.approx(5.0 / 2 * 2.0, abs=1e-6)
