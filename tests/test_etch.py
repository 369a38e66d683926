"""Etch: analytic isotropic profile, selectivity, directional modes, bad input."""

from __future__ import annotations

import itertools
import math
import sys

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

import xsection as xs
from xsection import geometry as g
from xsection import tol

from .sections import CU_TOP, SLIT_W, SLIT_X, force_strips, masked_copper, with_wall


def copper(s: xs.Section):
    return s.union_of(materials=["copper"])


def test_isotropic_slit_is_semicircle_ended():
    d, w = 25.0, SLIT_W
    s = masked_copper()
    out = xs.etch(s, target="copper", depth=d, numeral="16")
    removed = copper(s).area - copper(out).area
    exact = w * d + math.pi * d * d / 2
    # an inscribed arc loses at most (2/3)·sagitta·arc length = (2/3)·tol.arc·d·πd
    assert removed == pytest.approx(exact, abs=(2 / 3) * tol.arc * d * math.pi * d + 1e-6)
    assert removed < exact + 1e-6
    # width at the interface is w + 2d (undercut d under each mask edge)
    (interface,) = g.chords(out.ambient(), CU_TOP - 1e-4)
    assert interface[1] - interface[0] == pytest.approx(w + 2 * d, abs=1e-3)
    # depth d below the interface, the flat bottom spans the opening
    void = out.labels[0].geometry
    assert void.bounds[1] == pytest.approx(CU_TOP - d, abs=1e-6)
    # every point of the new surface lies at distance d from the opening (Hausdorff)
    opening = shapely.LineString([(SLIT_X - w / 2, CU_TOP), (SLIT_X + w / 2, CU_TOP)])
    surface = g.shared_boundary(copper(out), out.ambient())
    dist = [opening.distance(Point(c)) for c in shapely.get_coordinates(surface)]
    assert max(dist) == pytest.approx(d, abs=1e-6)
    assert min(d for d in dist if d > 1e-3) >= d * (1 - tol.arc) - 1e-6


def test_isotropic_does_not_etch_the_mask_or_carrier():
    s = masked_copper()
    out = xs.etch(s, target="copper", depth=25.0)
    for mat in ("polyimide", "silicon"):
        assert out.union_of(materials=[mat]).equals(s.union_of(materials=[mat]))


def test_isotropic_stops_at_a_1um_wall_deeper_than_the_etch():
    s = with_wall(masked_copper(), SLIT_X + 20.0, 1.0, 40.0)
    out = xs.etch(s, target="copper", depth=25.0)
    beyond = box(SLIT_X + 21.0, 0, 200, CU_TOP)
    assert g.intersection(copper(out), beyond).area == pytest.approx(
        g.intersection(copper(s), beyond).area, abs=1e-6)
    assert out.union_of(materials=["nickel"]).equals(s.union_of(materials=["nickel"]))


def test_isotropic_goes_around_a_shallow_wall_geodesically():
    # wall 1 µm thick, 10 deep, 5 µm right of the opening edge; etch 15
    s = with_wall(masked_copper(), SLIT_X + 20.0, 1.0, 10.0)
    out = xs.etch(s, target="copper", depth=15.0)
    behind = Point(SLIT_X + 21.2, CU_TOP - 0.2)  # 6.2 µm straight, ~22 µm around the wall
    assert copper(out).contains(behind)
    # below the wall the front does arrive: 11.2 + 1 + 2 < 15
    assert not copper(out).contains(Point(SLIT_X + 21.0, CU_TOP - 12.0))


def test_sealed_copper_is_not_etched():
    s = masked_copper()
    sealed = box(150, 20, 170, 40)
    regions = [xs.Region(r.geometry.difference(sealed.buffer(2, join_style="mitre")), r.material,
                         r.numeral) for r in s.regions]
    ring = sealed.buffer(2, join_style="mitre").difference(sealed)
    s = s.evolve([*regions, xs.Region(ring, "nickel"), xs.Region(sealed, "copper", "99")])
    out = xs.etch(s, target="copper", depth=25.0)
    assert out.select(numerals=["99"])[0].geometry.equals(sealed)


def test_isotropic_side_chooses_where_the_etchant_comes_from():
    s = xs.stack(width=100, layers=[xs.Layer("copper", 50)])
    top = xs.etch(s, target="copper", depth=5, side="top")
    both = xs.etch(s, target="copper", depth=5, side="both")
    assert copper(top).bounds[1:4:2] == pytest.approx((0.0, 45.0))
    assert copper(both).bounds[1:4:2] == pytest.approx((5.0, 45.0))


def test_anisotropic_goes_straight_down():
    d = 25.0
    s = masked_copper()
    out = xs.etch(s, target="copper", depth=d, mode="anisotropic")
    removed = copper(s).area - copper(out).area
    assert removed == pytest.approx(SLIT_W * d, rel=1e-9)
    (chord,) = g.chords(out.ambient(), CU_TOP - d / 2)
    assert chord == pytest.approx((SLIT_X - SLIT_W / 2, SLIT_X + SLIT_W / 2), abs=1e-6)


def test_anisotropic_is_shadowed_by_an_embedded_layer():
    s = masked_copper()
    stop = box(SLIT_X - 5, CU_TOP - 12, SLIT_X + 5, CU_TOP - 10)
    regions = [xs.Region(r.geometry.difference(stop), r.material, r.numeral) for r in s.regions]
    s = s.evolve([*regions, xs.Region(stop, "nickel")])
    out = xs.etch(s, target="copper", depth=30.0, mode="anisotropic")
    assert copper(out).contains(Point(SLIT_X, CU_TOP - 20))  # under the nickel
    assert not copper(out).contains(Point(SLIT_X - 10, CU_TOP - 20))


def test_tapered_etch_narrows_with_depth():
    d, angle = 10.0, 30.0
    s = masked_copper()
    out = xs.etch(s, target="copper", depth=d, mode="tapered", sidewall_deg=angle)
    (bottom,) = g.chords(out.ambient(), CU_TOP - d + 1e-4)
    shrink = d * math.tan(math.radians(angle))
    assert bottom[1] - bottom[0] == pytest.approx(SLIT_W - 2 * shrink, abs=1e-3)
    removed = copper(s).area - copper(out).area
    assert removed == pytest.approx((SLIT_W - shrink) * d, rel=1e-6)


def test_zero_depth_is_identity():
    s = masked_copper()
    assert xs.etch(s, target="copper", depth=0.0) is s


@pytest.mark.parametrize("kwargs, words", [
    ({"target": "copper", "depth": -1.0}, ["'depth'", ">= 0", "-1.0"]),
    ({"target": "copper", "depth": float("nan")}, ["'depth'", "finite"]),
    ({"target": "unobtainium", "depth": 1.0}, ["unknown material", "'target'"]),
    ({"target": "copper", "depth": 1.0, "mode": "plasma"}, ["'mode'", "isotropic"]),
    ({"target": "copper", "depth": 1.0, "mode": "tapered"}, ["sidewall_deg"]),
    ({"target": "copper", "depth": 1.0, "side": "left"}, ["'side'"]),
])
def test_bad_input_names_the_field(kwargs, words):
    with pytest.raises(xs.XsectionError) as err:
        xs.etch(masked_copper(), **kwargs)
    for word in words:
        assert word in str(err.value)
    assert isinstance(err.value, (ValueError, LookupError))


@pytest.mark.parametrize("op", ["etch", "plate"])
def test_tiled_fronts_equal_the_direct_ones(monkeypatch, op):
    s = xs.stack(width=2000, layers=[xs.Layer("silicon", 10), xs.Layer("copper", 100, "10"),
                                      xs.Layer("polyimide", 20, "12")])
    s = xs.pattern(s, target="polyimide", remove=[(100 * i + 35, 100 * i + 65)
                                                    for i in range(20)])
    s = with_wall(s, 170.0, 1.0, 12.0)

    def run():
        if op == "etch":
            return xs.etch(s, target="copper", depth=25.0).union_of(materials=["copper"])
        e = xs.etch(s, target="copper", depth=25.0)
        return xs.plate(e, material="nickel", thickness=3.0, on="copper").union_of(
            materials=["nickel"])

    direct = run()
    calls = force_strips(monkeypatch, 200)
    tiled = run()
    assert calls  # the tiled path ran
    assert tiled.symmetric_difference(direct).area < 1e-4 * direct.area


PITS = sys.modules["xsection.ops.pits"]


def general_etch(section: xs.Section, **kwargs) -> xs.Section:
    """The etch by the general (geodesic, overlay) route only."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sys.modules["xsection.ops.etch"], "straight_etch", lambda *a, **k: None)
        return xs.etch(section, **kwargs)


@settings(deadline=None, max_examples=int(__import__("os").environ.get("XSECTION_EXAMPLES",
                                                                         "25")))
@given(cu=st.floats(5.0, 80.0), mask=st.floats(0.5, 30.0), d=st.floats(0.05, 60.0),
       slits=st.lists(st.tuples(st.floats(0.0, 1.0), st.floats(0.5, 40.0)), min_size=1,
                      max_size=6),
       width=st.floats(80.0, 900.0))
def test_straight_openings_etch_in_closed_form_as_the_general_route_does(cu, mask, d, slits,
                                                                         width):
    """Slits of real widths at real places in a mask on copper, any depth:
    the closed form, where it applies, gives the general route's copper
    (symmetric difference under a grid step times the surface), and where
    pits are apart and inside the copper it must apply and remove the
    half-stadia: Σ (w·d + πd²/2), less what the chords of the arcs cut off."""
    s = xs.stack(width=width, layers=[xs.Layer("silicon", 5.0), xs.Layer("copper", cu, "10"),
                                      xs.Layer("polyimide", mask, "12")])
    cuts = g.merge_intervals([(a * (width - w), min(a * (width - w) + w, width))
                              for a, w in slits])
    s = xs.pattern(s, target="polyimide", remove=cuts)
    top = 5.0 + cu
    fast = PITS.straight_etch(s, s.exposed(s.union_of(materials=["copper"]), d, "top"),
                              ("copper",), None, d, "16")
    general = general_etch(s, target="copper", depth=d, numeral="16")
    via_etch = xs.etch(s, target="copper", depth=d, numeral="16")
    want = copper(general)
    if fast is not None:
        got = copper(fast)
        assert got.symmetric_difference(want).area <= 1e-6 * (1 + want.length)
        assert fast.labels[-1].numeral == "16"
        assert copper(via_etch).equals(got)
    apart = all(b1 + 2 * d < a2 for (_, b1), (a2, _) in itertools.pairwise(cuts))
    inside = d < cu and cuts[0][0] - d > 0 and cuts[-1][1] + d < width
    if apart and inside and all(b - a > 2 * tol.touch for a, b in cuts):
        assert fast is not None, "a plain case took the general route"
        exact = sum((b - a) * d + math.pi * d * d / 2 for a, b in cuts)
        lost = copper(s).area - copper(fast).area
        chords = (2 / 3) * tol.arc * d * math.pi * d * len(cuts)
        assert exact - chords - 1e-6 * len(cuts) <= lost <= exact + 1e-6 * len(cuts)
        pits = copper(s).difference(copper(fast))
        assert pits.bounds[1] == pytest.approx(top - d, abs=1e-6)  # d deep
        assert pits.bounds[0] == pytest.approx(cuts[0][0] - d, abs=1e-6)  # d under the mask


def test_the_closed_form_declines_a_wall_a_near_step_and_merging_pits():
    """A wall of nickel in the copper under the slit, a step of copper rising
    beside it within the depth, or slits closer than twice the depth: the
    closed form does not apply, and the general route is taken."""
    wall = with_wall(masked_copper(), SLIT_X + 3.0, 1.0, 30.0)
    src = wall.exposed(copper(wall), 25.0, "top")
    assert PITS.straight_etch(wall, src, ("copper",), None, 25.0, None) is None
    s = xs.stack(width=300.0, layers=[xs.Layer("copper", 40.0), xs.Layer("polyimide", 10.0)])
    near = xs.pattern(s, target="polyimide", remove=[(100.0, 130.0), (150.0, 180.0)])
    src = near.exposed(copper(near), 25.0, "top")
    assert PITS.straight_etch(near, src, ("copper",), None, 25.0, None) is None
    step = xs.Section(0.0, 300.0, (xs.Region(box(0, 0, 300, 40), "copper"),
                                   xs.Region(box(0, 40, 120, 50), "polyimide"),
                                   xs.Region(box(160, 40, 300, 60), "copper")))
    src = step.exposed(copper(step), 25.0, "top")
    assert PITS.straight_etch(step, src, ("copper",), None, 25.0, None) is None
