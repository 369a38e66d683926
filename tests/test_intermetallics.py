"""Intermetallic growth by the parabolic law, against hand values (µm, °C)."""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xsection as xs
from xsection.films import film

EXAMPLES = int(os.environ.get("XSECTION_EXAMPLES", "20"))
K0, Q, R = 1.85e-9, 65.4e3, 8.314462618  # Sn–3.5Ag on Cu, the module's source


def grown(temperature: float, hours: float) -> float:
    """x = √(k₀ exp(−Q/RT) t), µm."""
    return math.sqrt(K0 * math.exp(-Q / (R * (temperature + 273.15))) * hours * 3600) * 1e6


def pad(cu: float, solder: float) -> xs.Section:
    return xs.stack(width=120.0, layers=[xs.Layer("silicon", 10.0, "1"),
                                         xs.Layer("copper", cu, "2"),
                                         xs.Layer("SAC305", solder, "3")])


def test_the_source_s_figure_is_reproduced():
    """9 µm after 60 days at 150 °C (the calibration point)."""
    assert grown(150.0, 60 * 24) == pytest.approx(9.0, rel=1e-3)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.floats(60.0, 200.0), st.floats(1.0, 3000.0), st.floats(20.0, 60.0))
def test_a_layer_grows_by_the_law_and_eats_both_sides_by_molar_volume(temp, hours, thick):
    """The Cu6Sn5 layer is x thick; the copper loses 6·7.11/117.7 of x, the
    solder the rest; nothing else moves."""
    x = grown(temp, hours)
    out = xs.age(pad(thick, thick), temperature=temp, hours=hours, numeral="4")
    f = film(out, "4")
    assert f.mean == pytest.approx(x, rel=1e-6, abs=2 * xs.tol.grid)  # the grid holds it
    share = 6 * 7.11 / 117.7
    assert out.union_of(materials=["copper"]).bounds[3] == pytest.approx(10 + thick - share * x)
    assert out.union_of(materials=["SAC305"]).bounds[1] == pytest.approx(
        10 + thick + (1 - share) * x)
    assert out.union_of(materials=["Cu6Sn5"]).area == pytest.approx(120.0 * x, rel=1e-6,
                                                                     abs=240 * xs.tol.grid)


def test_warmer_grows_faster_by_the_arrhenius_ratio():
    a = film(xs.age(pad(20.0, 20.0), temperature=125.0, hours=500.0, numeral="4"), "4").mean
    b = film(xs.age(pad(20.0, 20.0), temperature=175.0, hours=500.0, numeral="4"), "4").mean
    assert b / a == pytest.approx(math.exp(-Q / (2 * R) * (1 / 448.15 - 1 / 398.15)), rel=1e-6)


def test_bad_ageing_is_refused():
    with pytest.raises(xs.InputError, match="'metal' must be one of copper, nickel"):
        xs.age(pad(5.0, 5.0), temperature=150.0, hours=10.0, metal="silicon")
    with pytest.raises(xs.InputError, match="no built-in kinetics for solder on nickel"):
        xs.age(pad(5.0, 5.0), temperature=150.0, hours=10.0, metal="nickel")
    with pytest.raises(xs.InputError, match="'hours' must be >= 0"):
        xs.age(pad(5.0, 5.0), temperature=150.0, hours=-1.0)
