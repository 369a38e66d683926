"""CMP dishing and the bonding anneal against hand values (µm, °C)."""

from __future__ import annotations

import math
import os

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

import xsection as xs
from xsection import geometry as g
from xsection import measure

EXAMPLES = int(os.environ.get("XSECTION_EXAMPLES", "20"))


def damascene(widths: list[float], depth: float = 1.5) -> xs.Section:
    """Cu pads of the given widths inlaid ``depth`` into oxide 3 thick on
    silicon, 20 apart, overburden on top (before the polish)."""
    x, spans = 10.0, []
    for w in widths:
        spans.append((x, x + w))
        x += w + 20.0
    s = xs.stack(width=x, layers=[xs.Layer("silicon", 20.0, "1"),
                                  xs.Layer("silicon_dioxide", 3.0, "2")])
    s = xs.etch(s, target="silicon_dioxide", depth=depth, mode="anisotropic", openings=spans)
    return xs.fill(s, material="copper", on=["silicon_dioxide"], level=24.0, numeral="4")


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.floats(0.5, 40.0), min_size=1, max_size=4), st.floats(0.001, 0.05),
       st.floats(0.5, 20.0))
def test_each_pad_dishes_by_the_width_law(widths, d_inf, w0):
    """Polished to the oxide (z = 23), each pad w wide is recessed by
    d∞ (1 − exp(−w/w₀)) in its middle and not at its edges; wider, deeper."""
    out = xs.grind(damascene(widths), level=23.0, dishing=d_inf, dishing_width=w0,
                   dished=["copper"])
    x = 10.0
    depths = []
    for w in widths:
        d = d_inf * (1 - math.exp(-w / w0))
        middle = measure.thickness_at(out, "copper", x + w / 2)
        assert middle == pytest.approx(1.5 - d, abs=1e-6)
        near = w / 64  # the parabola's first vertex in from the edge
        edge = measure.thickness_at(out, "copper", x + near)
        assert edge == pytest.approx(1.5 - d * (1 - (1 - 2 * near / w) ** 2), abs=1e-6)
        depths.append(d)
        x += w + 20.0
    order = sorted(range(len(widths)), key=lambda k: widths[k])
    assert [depths[k] for k in order] == sorted(depths)
    assert out.union_of(materials=["silicon_dioxide"]).bounds[3] == pytest.approx(23.0)


def test_an_anneal_closes_the_gaps_narrower_than_twice_the_expansion():
    """Two dished wafers bonded face to face: the gap at each pad's middle
    is 2 d(w). At 300 °C a pad 1.5 tall grows 1.5·(16.5 − 0.55)e-6·275 =
    6.58 nm up into it from each side: the 2 and 4 µm pads (gaps 5.3 and
    8.8 nm) join, the 9 µm one (13.4 nm) joins near its edges, where it
    dished less, and keeps a lens 0.2 nm high in its middle (the void wide
    pads leave in hybrid bonding)."""
    widths = [2.0, 4.0, 9.0]
    wafer = xs.grind(damascene(widths), level=23.0, dishing=0.008, dishing_width=5.0,
                     dished=["copper"])
    bonded = xs.bond(wafer, xs.renumber(wafer, offset=100), flip=True,
                     join=["silicon_dioxide"])
    assert len(bonded.select(materials=["copper"])) == 2  # nothing touches yet
    grow = 1.5 * (16.5 - 0.55) * 1e-6 * 275.0
    out = xs.anneal(bonded, temperature=300.0)
    x = 10.0
    for w in widths:
        gap = 2 * 0.008 * (1 - math.exp(-w / 5.0))
        column = measure.thickness_at(out, "copper", x + w / 2)
        assert column == pytest.approx(2 * 1.5 - max(gap - 2 * grow, 0.0), abs=1e-6)
        x += w + 20.0
    copper = sorted(g.polygons(out.union_of(materials=["copper"])), key=lambda p: p.bounds[0])
    assert len(copper) == 3 and [len(p.interiors) for p in copper] == [0, 0, 1]
    lens = shapely.Polygon(copper[2].interiors[0])
    assert lens.bounds[3] - lens.bounds[1] == pytest.approx(2 * 0.008 * (1 - math.exp(-1.8))
                                                          - 2 * grow, abs=1e-7)
    assert {"4", "104"} <= set(out.numerals())  # the joined upper pads keep their numeral


def test_anneal_needs_expansion_data_and_a_rise():
    s = damascene([4.0])
    with pytest.raises(xs.GeometryError, match="does not expand past"):
        xs.anneal(s, temperature=20.0)
    with pytest.raises(xs.InputError, match="needs the expansion of polyimide"):
        xs.anneal(s, temperature=300.0, around="polyimide")
