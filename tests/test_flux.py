"""Films from an angular flux against the 2-D view factors, computed here by
hand: a cosine source sees ½ ∫ cos(θ − φ) dθ over the open directions, a
source collimated within ±β the same over |θ| ≤ β divided by 2 sin β
(µm)."""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xsection as xs
from xsection import geometry as g
from xsection.films import film

EXAMPLES = int(os.environ.get("XSECTION_EXAMPLES", "15"))


def trench(w: float, d: float, x: float = 100.0) -> xs.Section:
    """A trench w wide and d deep in silicon whose top is at z = 200."""
    s = xs.stack(width=200.0 + w, layers=[xs.Layer("silicon", 200.0, "1")])
    return xs.etch(s, target="silicon", depth=d, mode="anisotropic", openings=[(x, x + w)])


def wall_thickness(section: xs.Section, numeral: str, x_wall: float, z: float) -> float:
    """The film's width at height z against the left wall at x_wall."""
    spans = [(a, b) for a, b in g.chords(section.union_of(numerals=[numeral]), z)
             if abs(a - x_wall) < 1e-6 or a < x_wall + 1e-6 < b]
    (span,) = spans
    return span[1] - x_wall


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.floats(4.0, 60.0), st.floats(3.0, 150.0), st.floats(0.01, 0.1),
       st.floats(0.0, 1.0), st.floats(0.1, 0.9))
def test_sputtered_film_follows_the_view_factor(w, d, share, depth_at, across):
    """On the left wall y below the top: t·½(1 − y/√(w² + y²)); on the
    bottom at x from the left: t·½(x/√(x² + d²) + (w − x)/√((w − x)² + d²));
    on the field: t. The film (up to a tenth of the trench) is read where no
    corner's rounding reaches: 2t from the top and the bottom."""
    t = share * min(w, d)
    out = xs.deposit(trench(w, d), material="copper", thickness=t, mode="sputter",
                     numeral="5")
    y = 2 * t + depth_at * (d - 4 * t)
    expected = t * 0.5 * (1 - y / math.hypot(w, y))
    assert wall_thickness(out, "5", 100.0, 200.0 - y) == pytest.approx(expected, rel=1e-2,
                                                                       abs=1e-4 * t)
    x = across * w
    floor = 0.5 * (x / math.hypot(x, d) + (w - x) / math.hypot(w - x, d))
    hit = out.union_of(numerals=["5"]).intersection(
        g.domain_box(100.0 + x - 1e-7, 100.0 + x + 1e-7, 200.0 - d - 1.0, 200.0 - d + t + 1.0))
    assert hit.bounds[3] - (200.0 - d) == pytest.approx(t * floor, rel=1e-2, abs=1e-4 * t)
    assert film(out, "5").field == pytest.approx(t, rel=1e-6)


def test_a_5_to_1_trench_bottom_gets_a_tenth():
    """The issue's figure: 0.0995 of the field at the bottom of a 5:1 trench
    (sin(atan(1/10))), 0.5 on an isolated wall; the mean over the bottom,
    (√(w² + d²) − d)/w, is what ``film:N:bottom`` reads."""
    out = xs.deposit(trench(20.0, 100.0), material="copper", thickness=1.0, mode="sputter",
                     numeral="5")
    hit = out.union_of(numerals=["5"]).intersection(g.domain_box(110.0 - 1e-7, 110.0 + 1e-7,
                                                                 99.0, 102.0))
    assert hit.bounds[3] - 100.0 == pytest.approx(math.sin(math.atan(0.1)), rel=1e-3)
    f = film(out, "5")
    assert f.bottom == pytest.approx((math.hypot(20.0, 100.0) - 100.0) / 20.0, rel=2e-3)
    step = xs.etch(xs.stack(width=200.0, layers=[xs.Layer("silicon", 50.0)]), target="silicon",
                   depth=20.0, mode="anisotropic", openings=[(100.0, 200.0)])
    lone = xs.deposit(step, material="copper", thickness=1.0, mode="sputter", numeral="5")
    assert wall_thickness(lone, "5", 100.0, 40.0) == pytest.approx(0.5, rel=1e-6)


@pytest.mark.parametrize("beta", [2.0, 7.5, 30.0])
def test_evaporation_within_a_cone(beta):
    """A source within ±β: the wall gets (1 − cos b)/(2 sin β) with b =
    min(β, atan(w/y)); the bottom's middle sees the whole cone where
    tan β ≤ w/2d: the field's thickness."""
    w, d, t = 30.0, 60.0, 0.5
    out = xs.deposit(trench(w, d), material="gold", thickness=t, mode="evaporation",
                     half_angle_deg=beta, numeral="5")
    b_rad = math.radians(beta)
    for y in (5.0, 30.0, 55.0):
        b = min(b_rad, math.atan(w / y))
        expected = t * (1 - math.cos(b)) / (2 * math.sin(b_rad))
        assert wall_thickness(out, "5", 100.0, 200.0 - y) == pytest.approx(expected, rel=1e-2)
    if math.tan(b_rad) <= w / (2 * d):
        hit = out.union_of(numerals=["5"]).intersection(g.domain_box(115.0 - 1e-7,
                                                                     115.0 + 1e-7, 139.0, 142.0))
        assert hit.bounds[3] - 140.0 == pytest.approx(t, rel=1e-6)


def test_less_sticking_coats_the_trench_more_evenly():
    """Re-emission: as the sticking coefficient falls the bottom and the wall
    get more and the field keeps its thickness; s = 1 is the direct flux."""
    bottoms = []
    for s in (1.0, 0.6, 0.2):
        out = xs.deposit(trench(20.0, 60.0), material="copper", thickness=1.0,
                         mode="sputter", sticking=s, numeral="5")
        f = film(out, "5")
        assert f.field == pytest.approx(1.0, rel=1e-6)
        bottoms.append((f.bottom, f.wall))
    assert bottoms[0][0] < bottoms[1][0] < bottoms[2][0]
    assert bottoms[0][1] < bottoms[1][1] < bottoms[2][1]
    assert bottoms[0][0] == pytest.approx((math.hypot(20.0, 60.0) - 60.0) / 20.0, rel=2e-3)


def test_bad_flux_parameters_are_refused():
    s = trench(20.0, 20.0)
    with pytest.raises(xs.InputError, match="'sticking' must be > 0 and <= 1"):
        xs.deposit(s, material="copper", thickness=1.0, mode="sputter", sticking=0.0)
    with pytest.raises(xs.InputError, match="needs 'half_angle_deg'"):
        xs.deposit(s, material="copper", thickness=1.0, mode="evaporation")
    with pytest.raises(xs.InputError, match="'half_angle_deg' applies to mode 'evaporation'"):
        xs.deposit(s, material="copper", thickness=1.0, mode="sputter", half_angle_deg=5.0)
    with pytest.raises(xs.InputError, match="'sticking' applies to modes"):
        xs.deposit(s, material="copper", thickness=1.0, sticking=0.5)
