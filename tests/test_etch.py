"""Etch: analytic isotropic profile, selectivity, directional modes, bad input."""

from __future__ import annotations

import math

import pytest
import shapely
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
