"""The words real flows need: blind drill, numeral selection, virtual masks,
elliptic etch, lateral bias, directional deposition, lift-off, planarize.
Every expected value is computed here from the geometry, not read back."""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

import xsection as xs
from xsection import geometry as g

SETTINGS = settings(max_examples=int(os.environ.get("XSECTION_EXAMPLES", "25")), deadline=None)


def bare(width: float = 300.0, cu: float = 60.0) -> xs.Section:
    """Copper (numeral 10) on silicon (1), nothing on top."""
    return xs.stack(width=width, layers=[xs.Layer("silicon", 20.0, "1"),
                                         xs.Layer("copper", cu, "10")])


def area(s: xs.Section, **sel: list[str]) -> float:
    return s.union_of(**sel).area


# ------------------------------------------------------------ blind drill
@SETTINGS
@given(depth=st.floats(1.0, 55.0), wt=st.floats(5.0, 60.0), frac=st.floats(0.2, 1.0),
       x=st.floats(80.0, 220.0))
def test_a_blind_hole_is_the_trapezoid_of_its_depth(depth, wt, frac, x):
    s = bare()
    wb = frac * wt
    out = xs.drill(s, target="copper", at=x, top_width=wt, bottom_width=wb, depth=depth,
                   numeral="h")
    lost = area(s, materials=["copper"]) - area(out, materials=["copper"])
    assert lost == pytest.approx((wt + wb) / 2 * depth, rel=1e-7, abs=1e-5)
    (void,) = [lab for lab in out.labels if lab.numeral == "h"]
    assert void.geometry.bounds[1] == pytest.approx(80.0 - depth, abs=1e-6)


def test_a_blind_hole_stops_on_a_layer_above_its_depth():
    s = xs.stack(width=200, layers=[xs.Layer("silicon", 20.0), xs.Layer("copper", 5.0, "4"),
                                    xs.Layer("epoxy", 30.0, "13")])
    out = xs.drill(s, target="epoxy", at=100.0, top_width=20.0, depth=50.0, stop_on="copper")
    lost = area(s, materials=["epoxy"]) - area(out, materials=["epoxy"])
    assert lost == pytest.approx(20.0 * 30.0, rel=1e-9)


# ------------------------------------------------------------ numerals
def pillar_on_seed(seed: float = 0.5, pillar_w: float = 50.0) -> xs.Section:
    """A Cu seed film (s) under a Cu pillar (p): one material, two bodies."""
    s = xs.stack(width=200, layers=[xs.Layer("silicon", 20.0, "1"),
                                    xs.Layer("copper", seed, "s")])
    return xs.place(s, material="copper", at=100.0, width=pillar_w, height=40.0, numeral="p")


@pytest.mark.parametrize("d", [0.6, 1.0, 2.5])
def test_a_seed_etch_selected_by_numeral_undercuts_the_pillar_and_spares_it(d):
    t, w = 0.5, 50.0
    s = pillar_on_seed(t, w)
    out = xs.etch(s, numerals=["s"], depth=d)
    assert out.select(numerals=["p"]) == s.select(numerals=["p"])  # the pillar is spared
    left = out.union_of(numerals=["s"])
    # under the pillar the front reaches d at the top of the seed and
    # sqrt(d² − t²) at its bottom (distance from the pillar's foot corner)
    (top,) = g.chords(left, 20.0 + t - 1e-6)
    (bot,) = g.chords(left, 20.0 + 1e-6)
    u_top = math.sqrt(d * d - 1e-6**2)
    u_bot = math.sqrt(d * d - (t - 1e-6) ** 2)
    # the arc lies within tol.arc · d of the circle radially; a level chord
    # meets it at the slope u / d, so its end moves by up to that over u / d
    assert top[1] - top[0] == pytest.approx(w - 2 * u_top,
                                            abs=2 * xs.tol.arc * d * d / u_top + 1e-6)
    assert bot[1] - bot[0] == pytest.approx(w - 2 * u_bot,
                                            abs=2 * xs.tol.arc * d * d / u_bot + 1e-6)


def test_strip_grind_and_pattern_select_by_numeral():
    s = pillar_on_seed()
    stripped = xs.strip(s, target="copper", numerals=["p"])
    assert not stripped.select(numerals=["p"])
    assert stripped.select(numerals=["s"]) == s.select(numerals=["s"])
    ground = xs.grind(s, level=40.0, numerals=["p"])
    assert ground.select(numerals=["p"])[0].geometry.bounds[3] == pytest.approx(40.0)
    assert ground.select(numerals=["s"]) == s.select(numerals=["s"])
    cut = xs.pattern(s, target="copper", numerals=["p"], remove=[(90.0, 110.0)],
                     numeral="p2")
    assert area(cut, numerals=["p2"]) == pytest.approx(50.0 * 40.0 - 20.0 * 40.0, rel=1e-9)
    assert cut.select(numerals=["s"]) == s.select(numerals=["s"])
    with pytest.raises(xs.XsectionError, match="numerals"):
        xs.etch(s, numerals=["nope"], depth=1.0)
    with pytest.raises(xs.InputError, match="numerals"):
        xs.etch(s, depth=1.0)


# ------------------------------------------------------------ virtual masks
@SETTINGS
@given(a=st.floats(100.0, 150.0), w=st.floats(2.0, 50.0), d=st.floats(0.5, 30.0),
       r=st.floats(0.3, 3.0))
def test_an_isotropic_etch_through_virtual_openings_is_a_stretched_half_disc(a, w, d, r):
    s = bare()
    out = xs.etch(s, target="copper", depth=d, openings=[(a, a + w)], lateral_ratio=r)
    lost = area(s, materials=["copper"]) - area(out, materials=["copper"])
    expected = w * d + math.pi * r * d * d / 2  # the slot and two quarter ellipses
    big = max(r, 1.0) * d
    assert lost == pytest.approx(expected, abs=(w + 4 * big) * xs.tol.arc * big + 1e-6)
    (top,) = g.chords(g.difference(s.union_of(materials=["copper"]),
                                   out.union_of(materials=["copper"])), 80.0 - 1e-7)
    assert top[0] == pytest.approx(a - r * d, abs=xs.tol.arc * big + 1e-4)
    assert top[1] == pytest.approx(a + w + r * d, abs=xs.tol.arc * big + 1e-4)


@SETTINGS
@given(a=st.floats(20.0, 140.0), w=st.floats(2.0, 100.0), d=st.floats(0.5, 50.0),
       b=st.floats(0.0, 10.0))
def test_an_anisotropic_etch_with_bias_cuts_a_wider_slot(a, w, d, b):
    s = bare()
    out = xs.etch(s, target="copper", depth=d, mode="anisotropic", openings=[(a, a + w)],
                  bias=b)
    lost = area(s, materials=["copper"]) - area(out, materials=["copper"])
    assert lost == pytest.approx((w + 2 * b) * d, rel=1e-7, abs=1e-5)


@SETTINGS
@given(a=st.floats(20.0, 140.0), w=st.floats(2.0, 100.0), t=st.floats(0.1, 20.0),
       plate=st.booleans())
def test_films_through_virtual_openings_are_their_rectangles(a, w, t, plate):
    s = bare()
    op = xs.plate if plate else xs.deposit
    out = op(s, material="nickel", thickness=t, on="copper", openings=[(a, a + w)],
             numeral="n", side="top")
    film = out.union_of(numerals=["n"])
    assert film.area == pytest.approx(w * t, rel=1e-6, abs=1e-6)
    assert film.bounds[0] == pytest.approx(a, abs=1e-6)
    assert film.bounds[2] == pytest.approx(a + w, abs=1e-6)


def test_options_that_do_not_go_together_are_refused():
    s = bare()
    with pytest.raises(xs.InputError, match="lateral_ratio"):
        xs.etch(s, target="copper", depth=1, mode="anisotropic", lateral_ratio=2.0)
    with pytest.raises(xs.InputError, match="bias"):
        xs.etch(s, target="copper", depth=1, bias=1.0)
    with pytest.raises(xs.InputError, match="openings"):
        xs.etch(s, target="copper", depth=1, openings=[(10.0, 5.0)])
    with pytest.raises(xs.InputError, match="exactly one"):
        xs.grind(s, level=10.0, stop_on="copper")
    with pytest.raises(xs.InputError, match="mode"):
        xs.deposit(s, material="nickel", thickness=1, mode="sideways")


# ------------------------------------------------------------ directional deposition
def mesa() -> xs.Section:
    s = xs.stack(width=200, layers=[xs.Layer("silicon", 20.0, "1"),
                                    xs.Layer("copper", 30.0, "10")])
    return xs.pattern(s, target="copper", keep=[(60.3, 140.1)])


@SETTINGS
@given(t=st.floats(0.05, 25.0))
def test_line_of_sight_film_is_t_tall_in_every_column_and_misses_the_walls(t):
    s = mesa()
    out = xs.deposit(s, material="gold", thickness=t, mode="directional", numeral="f")
    film = out.union_of(numerals=["f"])
    assert film.area == pytest.approx(200.0 * t, rel=1e-7, abs=1e-5)
    # the mesa's walls above the film on the floor beside them
    walls = g.union([box(60.3 - 1e-3, 20.0 + t + 1e-3, 60.3 + 1e-3, 50.0 - 1e-3),
                     box(140.1 - 1e-3, 20.0 + t + 1e-3, 140.1 + 1e-3, 50.0 - 1e-3)])
    assert film.intersection(walls).area == pytest.approx(0.0, abs=1e-9)
    conformal = xs.deposit(s, material="gold", thickness=t, numeral="f")
    assert conformal.union_of(numerals=["f"]).intersection(walls).area > 0


def test_an_overhang_shadows_the_film_and_lift_off_takes_the_film_on_the_resist():
    s = xs.stack(width=200, layers=[xs.Layer("silicon", 20.0, "1"),
                                    xs.Layer("photoresist", 3.0, "r1"),
                                    xs.Layer("polyimide", 2.0, "r2")])
    s = xs.pattern(s, target="polyimide", remove=[(80.0, 120.0)])
    s = xs.pattern(s, target="photoresist", remove=[(70.0, 130.0)])  # undercut bilayer
    out = xs.deposit(s, material="gold", thickness=1.0, mode="directional", numeral="f")
    film = out.union_of(numerals=["f"])
    on_si = g.intersection(film, box(0, 20.0, 200, 21.5))
    assert on_si.area == pytest.approx(40.0 * 1.0, rel=1e-7)  # the overhang's shadow is bare
    assert on_si.bounds[0] == pytest.approx(80.0) and on_si.bounds[2] == pytest.approx(120.0)
    for mat in ("photoresist",):
        out = xs.strip(out, target=mat, lift_off=True)
    out = xs.strip(out, target="polyimide", lift_off=True)
    left = out.union_of(numerals=["f"])
    assert left.area == pytest.approx(40.0, rel=1e-7)
    kept = xs.strip(xs.strip(xs.deposit(s, material="gold", thickness=1.0,
                                        mode="directional", numeral="f"),
                             target="photoresist"), target="polyimide")
    assert kept.union_of(numerals=["f"]).area == pytest.approx(200.0, rel=1e-7)


# ------------------------------------------------------------ planarize
def damascene() -> xs.Section:
    """SiN on oxide with a trench, copper overburden over everything."""
    s = xs.stack(width=200, layers=[xs.Layer("silicon", 20.0, "1"),
                                    xs.Layer("silicon_dioxide", 10.0, "2"),
                                    xs.Layer("silicon_nitride", 1.5, "3")])
    s = xs.etch(s, target=["silicon_nitride", "silicon_dioxide"], depth=8.0,
                mode="anisotropic", openings=[(80.3, 119.9)])
    return xs.deposit(s, material="copper", thickness=12.0, numeral="cu")


def test_grind_stops_where_the_nitride_is_first_reached():
    s = damascene()
    out = xs.grind(s, stop_on="silicon_nitride")
    assert out.solid.bounds[3] == pytest.approx(31.5)
    assert area(out, numerals=["cu"]) == pytest.approx((119.9 - 80.3) * 8.0, rel=1e-7)
    selective = xs.grind(s, level=30.5, target=["copper"])
    assert area(selective, materials=["silicon_nitride"]) == \
        pytest.approx(area(s, materials=["silicon_nitride"]))
    assert selective.union_of(materials=["copper"]).bounds[3] == pytest.approx(30.5)


@pytest.mark.parametrize("t", [0.37, 8.14, 35.2])
def test_line_of_sight_film_on_one_material_covers_only_its_columns(t):
    s = mesa()
    on_cu = xs.deposit(s, material="gold", thickness=t, mode="directional", on="copper",
                       numeral="f").union_of(numerals=["f"])
    assert on_cu.area == pytest.approx((140.1 - 60.3) * t, rel=1e-7)
    assert on_cu.bounds == pytest.approx((60.3, 50.0, 140.1, 50.0 + t))
    on_si = xs.deposit(s, material="gold", thickness=t, mode="directional", on="silicon",
                       numeral="f").union_of(numerals=["f"])
    assert on_si.area == pytest.approx((200.0 - (140.1 - 60.3)) * t, rel=1e-7)
