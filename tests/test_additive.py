"""Plate, deposit, fill, laminate: analytic bands, selectivity, no jumps."""

from __future__ import annotations

import math

import pytest
import shapely
from shapely.geometry import Point, box

import xsection as xs
from xsection import geometry as g

from .sections import CU_TOP, SLIT_X, floating_rect, masked_copper


def test_plating_a_rectangle_gives_perimeter_times_t_plus_pi_t2():
    t = 3.0
    s = floating_rect(80.0, 40.0)
    out = xs.plate(s, material="nickel", thickness=t, on="copper", numeral="18")
    film = out.union_of(materials=["nickel"])
    exact = 2 * (80 + 40) * t + math.pi * t * t
    assert film.area == pytest.approx(exact, rel=2e-3)
    assert film.area <= exact + 1e-6
    # a uniform band: every outer vertex is t from the rectangle
    rect = s.solid
    outer = [rect.distance(Point(c)) for c in film.exterior.coords]
    assert min(outer) == pytest.approx(t, abs=1e-5)
    assert max(outer) == pytest.approx(t, abs=1e-5)


def test_plating_never_grows_on_the_cut_planes():
    s = xs.stack(width=100, layers=[xs.Layer("silicon", 10), xs.Layer("copper", 10)])
    out = xs.plate(s, material="nickel", thickness=2.0, on="copper")
    film = out.union_of(materials=["nickel"])
    assert film.bounds == pytest.approx((0.0, 20.0, 100.0, 22.0))
    assert film.area == pytest.approx(200.0, rel=1e-9)


def test_plating_only_on_the_named_conductor():
    s = xs.etch(masked_copper(), target="copper", depth=20.0, numeral="16")
    out = xs.plate(s, material="nickel", thickness=3.0, on="copper", numeral="18")
    film = out.union_of(materials=["nickel"])
    pi = s.union_of(materials=["polyimide"])
    # the film touches the polyimide only where it meets the copper under the overhang
    assert g.shared_boundary(film, pi).length < 2 * 3.0 * (1 + 2e-3)
    # and lines the concavity with t everywhere: its inner surface is 3 from the copper
    cu = s.union_of(materials=["copper"])
    inner = g.shared_boundary(film, out.ambient())
    d = [cu.distance(Point(c)) for c in shapely.get_coordinates(inner)
         if c[1] < CU_TOP - 0.5]
    assert min(d) == pytest.approx(3.0, abs=1e-3) and max(d) == pytest.approx(3.0, abs=1e-3)


def test_plating_does_not_jump_a_thin_wall():
    # a copper post, a 1 µm polyimide wall 5 µm away, copper again behind the wall;
    # all on a silicon carrier. Plating 8 µm fills the 5 µm gap but never reaches
    # the right-hand copper's far side through the wall.
    carrier = box(0, -10, 100, 0)
    left = box(0, 0, 40, 40)
    wall = box(45, 0, 46, 60)
    right = box(46, 0, 100, 40)
    s = xs.Section(0, 100, (xs.Region(carrier, "silicon"), xs.Region(left, "copper", "L"),
                            xs.Region(wall, "polyimide"), xs.Region(right, "silicon")))
    out = xs.plate(s, material="nickel", thickness=8.0, on="copper")
    film = out.union_of(materials=["nickel"])
    assert film.bounds[2] <= 45.0 + 1e-6
    assert film.bounds[3] == pytest.approx(48.0)


def test_electroplating_refuses_a_dielectric():
    with pytest.raises(xs.InputError, match="conductors"):
        xs.plate(masked_copper(), material="nickel", thickness=1.0, on="polyimide")


def test_deposit_covers_the_top_face_by_default_and_both_faces_in_a_dip():
    s = masked_copper()
    top = g.shared_boundary(s.solid, s.open_ambient(side="top"))
    bottom = g.shared_boundary(s.solid, s.open_ambient(side="bottom"))
    assert top.length > 0 and bottom.length > 0
    one = xs.deposit(s, material="titanium", thickness=1.0).union_of(materials=["titanium"])
    assert g.shared_boundary(one, s.solid).length == pytest.approx(top.length, rel=1e-6)
    assert one.bounds[1] >= s.solid.bounds[3] - 100  # nothing on the back side
    assert g.shared_boundary(one, g.buffer(bottom, 1e-3)).length == pytest.approx(0, abs=1e-6)
    dip = xs.deposit(s, material="titanium", thickness=1.0, side="both")
    film = dip.union_of(materials=["titanium"])
    assert g.shared_boundary(film, s.solid).length == pytest.approx(
        top.length + bottom.length, rel=1e-6)


def test_zero_thickness_is_identity():
    s = masked_copper()
    assert xs.plate(s, material="nickel", thickness=0.0, on="copper") is s


def test_fill_stops_at_the_level_and_only_where_on_is_exposed():
    s = xs.etch(masked_copper(), target="copper", depth=20.0, numeral="16")
    s = xs.plate(s, material="nickel", thickness=3.0, on="copper", numeral="18")
    out = xs.fill(s, material="Sn63Pb37", on="nickel", level=CU_TOP + 8, numeral="20")
    solder = out.union_of(materials=["Sn63Pb37"])
    assert solder.bounds[3] == pytest.approx(CU_TOP + 8)
    # nothing left open in the concavity below the level
    below = g.intersection(out.ambient(), box(0, 0, 200, CU_TOP + 8))
    assert below.area == pytest.approx(0.0, abs=1e-6)
    # the solder does not spread over the mask
    assert solder.bounds[0] > SLIT_X - 40 and solder.bounds[2] < SLIT_X + 40
    assert not out.labels or all(lab.numeral != "16" for lab in out.labels)


def test_fill_height_above_a_reference_numeral():
    s = xs.plate(xs.etch(masked_copper(), target="copper", depth=20.0), material="nickel",
                 thickness=3.0, on="copper")
    out = xs.fill(s, material="Sn63Pb37", on="nickel", height=8.0, above="10")
    assert out.union_of(materials=["Sn63Pb37"]).bounds[3] == pytest.approx(CU_TOP + 8)


def test_fill_names_its_parts_in_voids():
    s = xs.drill(masked_copper(), target="polyimide", at=[40.0], top_width=20,
                 bottom_width=10, stop_on="copper", numeral="26")
    out = xs.fill(s, material="copper", on="copper", height=5.0, above="12",
                  numeral="24b", part_numerals={"26": "28"})
    parts = [lab for lab in out.labels if lab.numeral == "28"]
    assert len(parts) == 1 and parts[0].kind == "part"
    assert parts[0].geometry.area == pytest.approx((20 + 10) / 2 * 20, rel=1e-6)


def test_laminate_fills_to_a_flat_top():
    s = masked_copper()
    out = xs.laminate(s, material="epoxy", thickness=30.0, numeral="13")
    film = out.union_of(materials=["epoxy"])
    assert film.bounds[3] == pytest.approx(CU_TOP + 20 + 30)
    assert g.intersection(out.ambient(), box(0, 0, 200, CU_TOP + 50)).area == \
        pytest.approx(0.0, abs=1e-6)


def test_laminate_bottom_side_and_absolute_top():
    s = xs.stack(width=100, layers=[xs.Layer("copper", 10)])
    out = xs.laminate(s, material="polyimide", thickness=5.0, side="bottom")
    assert out.union_of(materials=["polyimide"]).bounds == pytest.approx((0, -5, 100, 0))
    out = xs.laminate(s, material="polyimide", top=25.0)
    assert out.union_of(materials=["polyimide"]).bounds == pytest.approx((0, 10, 100, 25))


@pytest.mark.parametrize("call, words", [
    (lambda s: xs.plate(s, material="nickel", thickness=-2, on="copper"), ["'thickness'", "-2"]),
    (lambda s: xs.deposit(s, material="kryptonite", thickness=1), ["unknown material"]),
    (lambda s: xs.fill(s, material="copper", on="copper"), ["'level'", "'height'"]),
    (lambda s: xs.fill(s, material="copper", on="copper", height=1, above="99"), ["'99'"]),
    (lambda s: xs.laminate(s, material="epoxy"), ["'thickness'", "'top'"]),
    (lambda s: xs.laminate(s, material="epoxy", thickness=float("inf")), ["finite"]),
])
def test_bad_input(call, words):
    with pytest.raises(xs.XsectionError) as err:
        call(masked_copper())
    for word in words:
        assert word in str(err.value)


def test_plating_does_not_reach_through_a_wall_from_a_source_behind_it():
    """Copper on both sides of a 1 µm polyimide wall taller than the film: in
    the left pocket the film grows from the left copper only. A point 6.3 µm
    from the right copper (through the wall) but 9.2 µm from the left copper
    stays bare; the straight exact offset would have filled it."""
    from xsection.section import Region, Section

    regions = (Region(box(30, 0, 41, 10), "copper", "1"),
               Region(box(50, 0, 100, 10), "copper", "2"),
               Region(box(0, 0, 30, 10), "polyimide", "3"),
               Region(box(41, 0, 49, 10), "polyimide", "4"),
               Region(box(49, 0, 50, 40), "polyimide", "5"))
    out = xs.plate(Section(0.0, 100.0, regions), material="nickel", thickness=8.0,
                   on="copper")
    film = out.union_of(materials=["nickel"])
    assert not film.contains(Point(48, 16))  # reachable only through the wall
    assert film.contains(Point(48, 12))      # 7.3 µm from the left copper
    assert film.contains(Point(55, 17.5))    # 7.5 µm above the right copper


def test_seventy_films_keep_their_arcs_at_the_tolerance():
    """Each conformal film over a mesa rounds its corners with arcs of radius
    up to k · t; thinned at the arc tolerance, film k holds at most about a
    full circle's worth of arc steps (2π / step at that radius, doubled for
    the straight runs' ends), however many films lie under it. Without the
    thinning every film would carry the last one's vertices and more."""
    t = 1.3
    s = xs.stack(width=200, layers=[xs.Layer("silicon", 10.0), xs.Layer("copper", 30.0)])
    s = xs.pattern(s, target="copper", keep=[(60.3, 140.7)])
    for k in range(1, 71):  # (a film that kept the fillets blew up from about 60 on)
        s = xs.deposit(s, material=("titanium", "nickel")[k % 2], thickness=t,
                       numeral=f"f{k}")
        film = s.select(numerals=[f"f{k}"])[0].geometry
        step = 2 * math.acos(1 - xs.tol.arc * t / (k * t))
        assert shapely.get_num_coordinates(film) <= 2 * (2 * math.pi / step) + 20, k
    assert sum(shapely.get_num_coordinates(r.geometry) for r in s.regions) < 40_000
