"""Operators on real-valued inputs: each case here once failed silently.

Expected values come from the formulas in each test (lengths in µm)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Polygon, box

import xsection as xs
from xsection import geometry as g
from xsection.ops.contact import ball_polygon
from xsection.ops.reflow import cap_height, cap_polygon

from .sections import SLIT_W, masked_copper, with_wall


def copper_area(s: xs.Section) -> float:
    return s.union_of(materials=["copper"]).area


@pytest.mark.parametrize("depth", [8.13, 8.14, 8.15, 10.03, 10.28, 11.78, 3.3333])
def test_isotropic_etch_through_a_slit_removes_the_analytic_area(depth):
    """Under a slit of width w the front is the segment offset by d inside the
    copper: a w × d rectangle and two quarter discs, w·d + π d²/2."""
    s = masked_copper()
    out = xs.etch(s, target="copper", depth=depth, numeral="16")
    removed = copper_area(s) - copper_area(out)
    expected = SLIT_W * depth + math.pi * depth**2 / 2
    # chords of the arcs lie inside the circle by at most tol.arc · d
    assert removed == pytest.approx(expected, abs=xs.tol.arc * depth * math.pi * depth + 1e-6)
    assert "16" in out.numerals()


def real_stack() -> xs.Section:
    s = xs.stack(width=200, layers=[xs.Layer("silicon", 10.0), xs.Layer("copper", 12.34),
                                    xs.Layer("polyimide", 5.67)])
    return xs.pattern(s, target="polyimide", remove=[(91.3, 108.9)])


@pytest.mark.parametrize("t", [1.073, 1.147, 1.258, 1.887, 0.4321])
def test_plate_in_a_real_valued_opening_makes_the_analytic_film(t):
    """The film over the exposed copper between the mask walls is w × t."""
    out = xs.plate(real_stack(), material="nickel", thickness=t, on="copper", numeral="18")
    film = out.union_of(numerals=["18"])
    assert film.area == pytest.approx((108.9 - 91.3) * t, rel=1e-9, abs=1e-6)


def test_anisotropic_etch_laminate_fill_and_pattern_act_on_real_inputs():
    s = real_stack()
    w = 108.9 - 91.3
    etched = xs.etch(s, target="copper", depth=4.321, mode="anisotropic")
    assert copper_area(s) - copper_area(etched) == pytest.approx(w * 4.321, rel=1e-9)
    lam = xs.laminate(s, material="epoxy", thickness=2.345, numeral="13")
    top = 10.0 + 12.34 + 5.67 + 2.345
    # fills the opening (w × 5.67) and covers the mask 2.345 thick
    assert lam.union_of(numerals=["13"]).area == pytest.approx(w * 5.67 + 200 * 2.345, rel=1e-9)
    assert lam.zmax == pytest.approx(top, abs=1e-7)
    filled = xs.fill(s, material="Sn63Pb37", on="copper", level=10.0 + 12.34 + 3.21,
                     numeral="20")
    assert filled.union_of(numerals=["20"]).area == pytest.approx(w * 3.21, rel=1e-9)
    cut = xs.pattern(s, target="polyimide", remove=[(20.123, 40.987)])
    pi = s.union_of(materials=["polyimide"]).area - cut.union_of(materials=["polyimide"]).area
    assert pi == pytest.approx((40.987 - 20.123) * 5.67, rel=1e-9)


def offset_error(top: list[tuple[float, float]], d: float, etch: bool) -> float:
    """Largest distance between the new surface and the true one: a film t = d
    on silicon, z(x) = max over surface points within d of z_s + √(d² − (x − x_s)²),
    or an etch d into copper, z(x) = min of z_s − √(…)."""
    body = Polygon([(0, 0), (100, 0), *top[::-1]])
    material = "copper" if etch else "silicon"
    s = xs.Section(0.0, 100.0, (xs.Region(body, material, "1"),))
    if etch:
        new = xs.etch(s, target="copper", depth=d).union_of(materials=["copper"])
    else:
        new = xs.deposit(s, material="titanium", thickness=d).union_of(materials=["titanium"])
    xsurf = np.linspace(0, 100, 40001)
    zsurf = np.interp(xsurf, [p[0] for p in top], [p[1] for p in top])
    sign = -1.0 if etch else 1.0
    worst = 0.0
    for x in np.linspace(20, 80, 241):
        z_new = g.intersection(LineString([(x, 1 if etch else 5), (x, 30)]), new).bounds[3]
        near = np.abs(xsurf - x) <= d
        reach = zsurf[near] + sign * np.sqrt(np.maximum(d**2 - (xsurf[near] - x) ** 2, 0))
        expected = np.min(reach) if etch else np.max(reach)
        worst = max(worst, abs(z_new - expected))
    return worst


STEPS = [
    [(0, 10), (50, 10), (50, 10.017), (100, 10.017)],                          # step up
    [(0, 10.017), (50, 10.017), (50, 10), (100, 10)],                          # step down
    [(0, 10), (48, 10), (48, 10.017), (52, 10.017), (52, 10), (100, 10)],      # bump
    [(0, 10.017), (48, 10.017), (48, 10), (52, 10), (52, 10.017), (100, 10.017)],  # trench
]


@pytest.mark.parametrize("top", STEPS)
def test_film_over_a_17_nm_step_is_exact_to_the_arc_tolerance(top):
    t = 3.0
    assert offset_error(top, t, etch=False) <= xs.tol.arc * t + 1e-6


@pytest.mark.parametrize("top", STEPS)
def test_etch_below_a_17_nm_step_is_exact_to_the_arc_tolerance(top):
    d = 3.0
    assert offset_error(top, d, etch=True) <= xs.tol.arc * d + 1e-6


def test_repeated_films_grow_linearly_in_vertices():
    s = xs.stack(width=200, layers=[xs.Layer("silicon", 10.0), xs.Layer("copper", 30.0)])
    s = xs.pattern(s, target="copper", keep=[(60.3, 140.7)])
    counts = []
    for k in range(30):
        top = s.zmax
        s = xs.deposit(s, material=("titanium", "nickel")[k % 2], thickness=1.3)
        counts.append(sum(int(shapely.get_num_coordinates(r.geometry)) for r in s.regions))
        # each film covers the whole stack, the top of the mesa included (a union
        # of the bodies and the ambient once disagreed there by round-off, and
        # the top was taken for unexposed from film 19 on)
        assert s.regions[-1].geometry.contains(shapely.Point(100.5, top + 0.65)), k
        assert s.zmax == pytest.approx(top + 1.3, abs=1e-6)
    steps = np.diff(counts)
    # each film adds about the same number of vertices (its own arcs), never a
    # multiple of the previous film's
    assert steps.max() <= 2 * steps[:3].max(), counts
    assert counts[-1] <= 30 * (counts[1] - counts[0]) * 2 + counts[0], counts


def test_a_placed_ball_holds_the_exact_volume_and_area():
    for d in (100.0, 37.21):
        ball = ball_polygon(0.0, 0.0, d / 2)
        assert g.axisymmetric_volume(ball, 0.0) == pytest.approx(math.pi * d**3 / 6, rel=1e-9)
        assert ball.area == pytest.approx(math.pi * d**2 / 4, rel=1e-9)
        # and stays within the arc tolerance of the circle
        r = np.hypot(*shapely.get_coordinates(ball).T)
        assert np.all(np.abs(r - d / 2) <= xs.tol.arc * d / 2)
    s = xs.stack(width=300, layers=[xs.Layer("copper", 10.3)])
    out = xs.place(s, material="SAC305", at=[150.0], diameter=100.0, numeral="b")
    placed = out.union_of(numerals=["b"])
    assert g.axisymmetric_volume(placed, 150.0) == pytest.approx(math.pi * 1e6 / 6, rel=1e-6)
    assert placed.bounds[1] == pytest.approx(10.3, abs=1e-7)  # resting, no gap


def plane(width: float = 300.0) -> xs.Section:
    return xs.stack(width=width, layers=[xs.Layer("silicon", 50.0), xs.Layer("copper", 10.0)])


def ball_volume(d: float) -> float:
    return math.pi * d**3 / 6


def test_five_touching_balls_on_a_plane_merge_into_one_body():
    s = xs.place(plane(), material="SAC305", at=[110.0, 130.0, 150.0, 170.0, 190.0],
                 diameter=20.0, numeral="b")
    out = xs.reflow(s, peak_temperature=250)
    (body,) = out.select(numerals=["b"])
    a, b = g.chords(body.geometry, 60.0 + 1e-6)[0]
    v = g.axisymmetric_volume(body.geometry, (a + b) / 2)
    assert v == pytest.approx(5 * ball_volume(20.0), rel=1e-6)


def pads(centres: list[float], width: float, domain: float = 300.0) -> xs.Section:
    """Copper pads flush with polyimide on silicon; pad tops at z = 60."""
    s = xs.stack(width=domain, layers=[xs.Layer("silicon", 50.0), xs.Layer("copper", 10.0, "4")])
    s = xs.pattern(s, target="copper", keep=[(c - width / 2, c + width / 2) for c in centres])
    return xs.laminate(s, material="polyimide", top=60.0, numeral="3")


def test_two_overlapping_balls_on_neighbouring_pads_merge():
    s = xs.place(pads([105.0, 195.0], 80.0), material="SAC305", at=[105.0, 195.0],
                 diameter=100.0, numeral="b")
    first, second = s.select(numerals=["b"])
    assert first.geometry.distance(second.geometry) <= 1e-6  # the second rests on the first
    out = xs.reflow(s, peak_temperature=250)
    (body,) = out.select(numerals=["b"])
    base = g.chords(body.geometry, 60.0 + 1e-6)
    axis = (base[0][0] + base[-1][1]) / 2
    assert g.axisymmetric_volume(body.geometry, axis) == pytest.approx(
        2 * ball_volume(100.0), rel=1e-6)


def test_two_balls_stacked_on_one_pad_merge_without_a_bridge_error():
    s = xs.place(pads([150.0], 80.0), material="SAC305", at=[150.0, 150.0], diameter=60.0,
                 numeral="b")
    low, high = s.select(numerals=["b"])
    assert high.geometry.bounds[1] == pytest.approx(low.geometry.bounds[3], abs=1e-6)
    out = xs.reflow(s, peak_temperature=250)
    (body,) = out.select(numerals=["b"])
    v = 2 * ball_volume(60.0)
    assert g.axisymmetric_volume(body.geometry, 150.0) == pytest.approx(v, rel=1e-6)
    # a cap on the 80-wide pad: π h (3a² + h²)/6 = V with a = 40
    h = 2 * 40 * math.sinh(math.asinh(3 * v / (math.pi * 40**3)) / 3)
    assert body.geometry.bounds[3] - 60.0 == pytest.approx(h, rel=2 * xs.tol.arc)


def test_balls_on_separate_pads_each_make_the_analytic_cap():
    centres = [60.123, 150.0, 239.877]
    s = xs.place(pads(centres, 50.0), material="SAC305", at=centres, diameter=45.0,
                 numeral="b")
    out = xs.reflow(s, peak_temperature=250)
    bodies = sorted(out.select(numerals=["b"]), key=lambda r: r.geometry.centroid.x)
    assert len(bodies) == 3
    v = ball_volume(45.0)
    h = 2 * 25 * math.sinh(math.asinh(3 * v / (math.pi * 25**3)) / 3)
    for c, body in zip(centres, bodies):
        assert g.axisymmetric_volume(body.geometry, c) == pytest.approx(v, rel=1e-6)
        assert body.geometry.bounds[3] - 60.0 == pytest.approx(h, rel=2 * xs.tol.arc)


def test_solder_spreads_over_a_plane_wider_than_the_first_window():
    """No contact angle: the solder wets the whole 3000 µm plane; the local
    window must grow to hold it."""
    s = xs.place(plane(3000.0), material="SAC305", at=[1500.0], diameter=40.0, numeral="b")
    out = xs.reflow(s, peak_temperature=250)
    (body,) = out.select(numerals=["b"])
    assert body.geometry.bounds[0] == pytest.approx(0.0, abs=1e-6)
    assert body.geometry.bounds[2] == pytest.approx(3000.0, abs=1e-6)
    assert g.axisymmetric_volume(body.geometry, 1500.0) == pytest.approx(ball_volume(40.0),
                                                                        rel=1e-6)


def test_degenerate_caps():
    assert cap_polygon(0, 0, 10, 1e-7).is_empty  # not above the grid
    thin = cap_polygon(0, 0, 10, 2e-7)
    assert thin.is_valid and thin.area == pytest.approx(2 / 3 * 20 * 2e-7, rel=1e-2)
    wide = cap_polygon(0, 0, 5e6, 1e-3)  # a 1e7 wide section, 1 nm high
    assert wide.is_valid
    assert wide.area == pytest.approx(4 / 3 * 5e6 * 1e-3, rel=2 * xs.tol.arc)
    assert wide.bounds[3] == pytest.approx(1e-3, rel=1e-9)
    assert float(cap_height(math.pi * 5e6**2 * 1e-3 / 2, 5e6)) == pytest.approx(1e-3, rel=1e-3)


def test_etch_front_stops_when_nothing_more_is_reached(monkeypatch):
    s = with_wall(masked_copper(), 110.0, 1.0, 30.0)
    calls = []
    buffer = g.buffer
    monkeypatch.setattr(g, "buffer", lambda *a, **k: calls.append(1) or buffer(*a, **k))
    out = xs.etch(s, target="copper", depth=1e4)
    # every copper point is reached through the slit; the front stops once the
    # copper (200 × 100 µm) is full, far short of 1e4 / front_step = 20000 steps
    assert copper_area(out) == pytest.approx(0.0, abs=1e-6)
    assert len(calls) < (200 + 100) / xs.tol.front_step
    room = box(0, 0, 10, 10)
    full = g.advance_front(box(0, 0, 1, 1), room, 0.5, 10**9)
    assert full.area == pytest.approx(100.0)


@pytest.mark.parametrize("call, field", [
    (lambda: xs.stack(width=1.8e301, layers=[xs.Layer("copper", 1.0)]), "width"),
    (lambda: xs.stack(width=100, layers=[xs.Layer("copper", 1e300)]), "thickness"),
    (lambda: xs.stack(width=100, layers=[xs.Layer("copper", 10**401)]), "thickness"),
    (lambda: xs.stack(width=2e9, layers=[xs.Layer("copper", 1.0)]), "width"),
    (lambda: xs.etch(masked_copper(), target="copper", depth=1e300), "depth"),
    (lambda: xs.deposit(masked_copper(), material="titanium", thickness=3e8), "thickness"),
    (lambda: xs.grind(masked_copper(), level=-1e300), "level"),
])
def test_lengths_beyond_the_grid_are_refused_naming_the_field(call, field):
    with pytest.raises(xs.InputError) as err:
        call()
    assert field in str(err.value)
    assert f"{xs.tol.max_length:g}" in str(err.value) or "digits" in str(err.value)


def test_strips_of_a_domain_a_hair_over_a_grid_line(monkeypatch):
    """A domain 60.00000000000001 wide once cut a strip 1e-14 wide, whose
    overlay came out as a line and emptied the whole ambient."""
    monkeypatch.setattr(xs.tol, "tile_vertices", 12)
    s = xs.Section(0.0, 60.00000000000001, (
        xs.Region(box(0, 0, 60, 2), "copper", "10"),
        xs.Region(shapely.MultiPolygon([box(45, 2, 60, 4), box(0, 2, 30, 4)]), "copper", "12")))
    assert s.ambient().area > 0
    out = xs.plate(xs.etch(s, target="copper", depth=1.0), material="gold", thickness=0.25,
                   on="copper", numeral="g")
    assert out.union_of(numerals=["g"]).area > 0


def test_plating_a_roughened_ground_surface_does_not_break_geos():
    """Found by the random-flow test: plating the cosine top of a thin ground
    layer lost a ring edge inside GEOS while snapping to the grid."""
    s = xs.stack(width=182.05206961546497, layers=[xs.Layer("Sn63Pb37", 14.675960388483444)])
    s = xs.grind(s, level=3.7819288536420834)
    s = xs.roughen(s, target="Sn63Pb37", amplitude=1.461496018479954,
                   period=16.61496018479954)
    with pytest.raises(xs.GeometryError, match="no exposed flat top"):  # nothing flat left
        xs.roughen(s, target="Sn63Pb37", amplitude=1.92528, period=21.2528)
    out = xs.plate(s, material="nickel", thickness=6.28429590054671, on="Sn63Pb37",
                   numeral="n")
    # the film covers the rough top and the bottom face: at least w·t each
    assert out.union_of(numerals=["n"]).area >= 2 * 182.05 * 6.284 * (1 - 1e-3)


def test_reflow_of_solder_sealed_under_a_film_stays_in_its_pocket():
    """Found by the random-flow test: solder sealed under a deposited film has
    no room above it, and the cap solver doubled its height without end (a
    20 GB cap polygon). The molten solder keeps filling the pocket it has."""
    s = xs.stack(width=110.83062038989453, layers=[xs.Layer("nickel", 14.908278678328298),
                                                    xs.Layer("Sn63Pb37", 30.050642060359184)])
    s = xs.pattern(s, target="Sn63Pb37", remove=[(86.88072765093463, 94.58466145523525)])
    s = xs.deposit(s, material="titanium", thickness=4.581236275436512)
    before = s.union_of(materials=["Sn63Pb37"])
    out = xs.reflow(s, peak_temperature=216.78998559432517)
    after = out.union_of(materials=["Sn63Pb37"])
    assert after.area == pytest.approx(before.area, rel=1e-6)
    assert g.own_axis_volume(after) == pytest.approx(g.own_axis_volume(before), rel=1e-6)


@pytest.mark.parametrize("kwargs", [{"diameter": 2.2250738585072014e-308},
                                    {"width": 1e-9, "height": 5.0},
                                    {"width": 5.0, "height": 1e-12}])
def test_bodies_below_the_grid_are_refused(kwargs):
    with pytest.raises(xs.InputError, match="below what the"):
        xs.place(plane(), material="SAC305", at=[150.0], **kwargs)
