"""Stack, place, bond, split, flip."""

from __future__ import annotations

import math
import os

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

import xsection as xs
from xsection import geometry as g


def test_stack_is_bottom_up():
    s = xs.stack(width=100, layers=[xs.Layer("copper", 35, "10"), xs.Layer("polyimide", 25, "12")])
    assert [r.geometry.bounds for r in s.regions] == [(0, 0, 100, 35), (0, 35, 100, 60)]
    assert s.numerals() == ["10", "12"]


def test_back_to_back_core_is_symmetric_with_adhesive_at_the_periphery():
    s = xs.stack(width=450, layers=[xs.Layer("copper", 35, "10"), xs.Layer("polyimide", 25, "12")],
                 back_to_back=xs.Layer("adhesive", 10, spans=((0, 20), (430, 450))))
    mid = (s.zmin + s.zmax) / 2
    mirrored = shapely.affinity.scale(s.solid, 1, -1, origin=(0, mid))
    assert mirrored.symmetric_difference(s.solid).area == pytest.approx(0, abs=1e-9)
    assert len(s.select(materials=["adhesive"])) == 2
    # the gap between the bases is sealed ambient, not open to any bath
    assert s.ambient().area > s.open_ambient().area
    assert s.open_ambient().intersection(box(100, mid - 1, 300, mid + 1)).area == 0


@pytest.mark.parametrize("kwargs, words", [
    ({"width": 0, "layers": [xs.Layer("copper", 1)]}, ["'width'", "> 0"]),
    ({"width": 10, "layers": []}, ["at least one layer"]),
    ({"width": 10, "layers": [xs.Layer("copper", -1)]}, ["layer 0", "'thickness'"]),
    ({"width": 10, "layers": [xs.Layer("mithril", 1)]}, ["layer 0", "mithril"]),
    ({"width": 10, "layers": [xs.Layer("copper", 1, spans=((5, 50),))]}, ["span"]),
])
def test_stack_bad_input(kwargs, words):
    with pytest.raises(xs.XsectionError) as err:
        xs.stack(**kwargs)
    for word in words:
        assert word in str(err.value)


def test_ball_drops_into_an_opening_and_rests_on_the_pad():
    s = xs.stack(width=600, layers=[xs.Layer("silicon", 50), xs.Layer("copper", 10, "4"),
                                    xs.Layer("polyimide", 20, "3")])
    s = xs.pattern(s, target="polyimide", remove=[(170, 430)])
    out = xs.place(s, material="Pb83Sn17", at=300, diameter=200, numeral="6")
    ball = out.select(numerals=["6"])[0].geometry
    assert ball.bounds[1] == pytest.approx(60.0, abs=1e-6)
    assert ball.distance(s.solid) == pytest.approx(0.0, abs=1e-6)


def test_ball_rests_on_the_rim_of_a_narrow_opening():
    s = xs.stack(width=600, layers=[xs.Layer("copper", 10), xs.Layer("polyimide", 20)])
    s = xs.pattern(s, target="polyimide", remove=[(260, 340)])
    out = xs.place(s, material="SAC305", at=300, diameter=200)
    ball = out.regions[-1].geometry
    # centre above the rim corners (260, 30), (340, 30) at distance 100; the
    # polygon touches them exactly, so it sits within the arc tolerance of the circle
    zc = 30 + (100**2 - 40**2) ** 0.5
    assert (ball.bounds[1] + ball.bounds[3]) / 2 == pytest.approx(zc, abs=xs.tol.arc * 100)
    assert ball.intersection(s.solid).area == pytest.approx(0, abs=1e-9)
    for corner in ((260, 30), (340, 30)):
        assert ball.distance(shapely.Point(corner)) <= 1e-6


def test_place_a_die_and_bad_positions():
    s = xs.stack(width=600, layers=[xs.Layer("copper", 10)])
    out = xs.place(s, material="silicon", at=300, width=200, height=50, numeral="50")
    assert out.select(numerals=["50"])[0].geometry.bounds == (200, 10, 400, 60)
    with pytest.raises(xs.InputError, match="does not fit"):
        xs.place(s, material="silicon", at=50, width=200, height=50)
    with pytest.raises(xs.InputError, match="'diameter'"):
        xs.place(s, material="silicon", at=50)


def test_bond_joins_touching_conductors():
    board = xs.stack(width=100, layers=[xs.Layer("lcp", 20, "r")])
    post = xs.Region(box(40, 20, 60, 30), "copper", "p")
    lower = board.evolve([*board.regions, post])
    upper = xs.Section(0, 100, (xs.Region(box(0, 0, 100, 20), "lcp", "r"),
                                xs.Region(box(40, -10, 60, 0), "copper", "q")))
    out = xs.bond(lower, upper)
    coppers = out.select(materials=["copper"])
    assert len(coppers) == 1 and coppers[0].geometry.area == pytest.approx(400)
    assert out.zmax == pytest.approx(60)  # resin 20 + two posts of 10 + resin 20
    # the resins meet the posts' level: the upper board fell until the posts touched
    assert g.shared_boundary(coppers[0].geometry, out.union_of(materials=["lcp"])).length > 0


def test_split_keeps_one_side_and_new_cut_planes():
    s = xs.stack(width=100, layers=[xs.Layer("copper", 10, "a"), xs.Layer("nickel", 10, "b")])
    out = xs.split(s, z=10, keep="above", x_min=10, x_max=90)
    assert (out.x0, out.x1) == (10, 90)
    assert [r.numeral for r in out.regions] == ["b"]
    with pytest.raises(xs.GeometryError, match="nothing"):
        xs.split(s, z=30, keep="above")


def test_flip_turns_the_section_over_in_place():
    s = xs.stack(width=100, layers=[xs.Layer("copper", 10, "a"), xs.Layer("nickel", 5, "b")])
    out = xs.flip(s)
    assert out.select(numerals=["b"])[0].geometry.bounds == pytest.approx((0, 0, 100, 5))
    assert xs.flip(out).solid.equals(s.solid)
    assert out.bounds == s.bounds


def test_assert_sections_equal_names_the_material_that_differs():
    from xsection.testing import assert_sections_equal

    s = xs.stack(width=100.0, layers=[xs.Layer("silicon", 5.0), xs.Layer("copper", 10.0)])
    assert_sections_equal(s, xs.stack(width=100.0, layers=[xs.Layer("silicon", 5.0),
                                                           xs.Layer("copper", 10.0)]))
    thinner = xs.etch(s, target="copper", depth=1.5)
    with pytest.raises(AssertionError, match=r"copper 150 µm²") as err:
        assert_sections_equal(thinner, s)
    assert "silicon" not in str(err.value)
    with pytest.raises(AssertionError, match="domain"):
        assert_sections_equal(s, xs.stack(width=90.0, layers=[xs.Layer("silicon", 5.0)]))


@settings(deadline=None, max_examples=int(os.environ.get("XSECTION_EXAMPLES", "60")))
@given(r1=st.floats(1.3, 80), r2=st.floats(1.3, 80), frac=st.floats(-0.97, 0.97),
       x=st.floats(-500, 500), lift=st.floats(0.0, 200.0),
       step=st.floats(0.05, 30), ledge=st.floats(0.2, 40))
def test_vertical_gap_is_the_analytic_gap_between_balls_and_steps(r1, r2, frac, x, lift, step,
                                                                    ledge):
    """Two balls whose centres are dx apart across meet when their centres are
    √((r1 + r2)² − dx²) apart in z; a box's top lies a known height below a
    step of another box. The gap is that, within the balls' polygon error."""
    import xsection.ops.contact as contact
    from xsection.ops.contact import PAIR_TABLE, ball_polygon, vertical_gap

    dx = frac * (r1 + r2)
    zc = math.sqrt((r1 + r2) ** 2 - dx ** 2) + lift
    lower, upper = ball_polygon(x, 3.0, r1), ball_polygon(x + dx, 3.0 + zc, r2)
    slack = xs.tol.arc * (r1 + r2) + 1e-9 * (abs(x) + zc)
    assert vertical_gap(lower, upper) == pytest.approx(lift, abs=slack)
    # a step: the upper box overhangs the lower box's edge; the gap is at the step's corner
    low = shapely.MultiPolygon([box(x, 0, x + ledge, step), box(x + 2 * ledge, 0, x + 3 * ledge,
                                                                 step / 2)])
    high = box(x + ledge / 2, step + lift, x + 2.5 * ledge, step + lift + 1)
    assert vertical_gap(low, high) == pytest.approx(lift, abs=1e-9 * (abs(x) + step + lift + 1))
    old = PAIR_TABLE
    try:  # the indexed route finds the same pairs
        contact.PAIR_TABLE = 0
        assert vertical_gap(lower, upper) == pytest.approx(lift, abs=slack)
    finally:
        contact.PAIR_TABLE = old
