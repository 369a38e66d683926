"""Measurements against analytic shapes (0.1 %), and every check kind failing
on a deliberately wrong section."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

import xsection as xs
from xsection import films, measure
from xsection.check_specs import KINDS
from xsection.checks import check
from xsection.ops.reflow import cap_polygon

from .sections import CU_TOP, SLIT_W, floating_rect, masked_copper

REL = 1e-3


def cap_on_pad(a: float, h: float, arc: float = 1e-3) -> xs.Section:
    """A spherical cap on a flat pad; ``arc`` sets how close its polygon is to the circle."""
    base = xs.stack(width=600, layers=[xs.Layer("silicon", 50, "2")])
    saved, xs.tol.arc = xs.tol.arc, arc
    try:
        cap = cap_polygon(300.0, 50.0, a, h)
    finally:
        xs.tol.arc = saved
    return base.evolve([*base.regions, xs.Region(cap, "SAC305", "5")])


@pytest.mark.parametrize("a, h", [(100.0, 60.0), (50.0, 50.0), (40.0, 75.0)])
def test_spherical_cap(a, h):
    # a polygon 1e-6 of the radius from the circle: what is left is the measurement's error
    (b,) = measure.bumps(cap_on_pad(a, h, arc=1e-6), "5", reference="2")
    r = (a * a + h * h) / (2 * h)
    assert b.height == pytest.approx(h, rel=REL)
    assert b.base_width == pytest.approx(2 * a, rel=REL)
    assert b.volume == pytest.approx(math.pi * h * (3 * a * a + h * h) / 6, rel=REL)
    assert b.cap_radius == pytest.approx(r, rel=REL)
    assert b.contact_angle_deg == pytest.approx(math.degrees(2 * math.atan2(h, a)), rel=REL)
    assert b.x == pytest.approx(300.0)
    assert b.max_width == pytest.approx(2 * a if h <= a else 2 * r, rel=REL)


def test_slit_etched_isotropically():
    d = 25.0
    s = xs.etch(masked_copper(), target="copper", depth=d, numeral="16")
    (v,) = measure.voids(s, "16", material="copper")
    assert v.depth == pytest.approx(d, rel=REL)
    assert v.interface_width == pytest.approx(SLIT_W + 2 * d, rel=REL)
    assert v.opening_width == pytest.approx(SLIT_W, rel=REL)
    assert v.undercut_left == pytest.approx(d, rel=REL)
    assert v.undercut_right == pytest.approx(d, rel=REL)


def test_semicircle_fit_of_a_point_opening():
    d = 20.0
    s = xs.etch(masked_copper(slit=0.5), target="copper", depth=d, numeral="16")
    (v,) = measure.voids(s, "16", material="copper")
    assert v.radius == pytest.approx(d, rel=0.02)
    assert v.radius_residual < 0.02 * d


def test_plated_rectangle_film_thickness():
    s = xs.plate(floating_rect(), material="nickel", thickness=3.0, on="copper", numeral="18")
    f = films.film(s, "18")
    assert f.min == pytest.approx(3.0, rel=REL) and f.max == pytest.approx(3.0, rel=REL)


def test_tapered_hole():
    s = xs.stack(width=300, layers=[xs.Layer("copper", 35), xs.Layer("polyimide", 25)])
    s = xs.drill(s, target="polyimide", at=[150], top_width=60, bottom_width=40,
                 stop_on="copper", numeral="12a")
    (v,) = measure.voids(s, "12a", landing=["copper"])
    assert v.top_width == pytest.approx(60, rel=REL)
    assert v.bottom_width == pytest.approx(40, rel=REL)
    assert v.depth == pytest.approx(25, rel=REL)
    assert v.taper_deg == pytest.approx(math.degrees(math.atan2(10, 25)), rel=REL)
    assert v.aspect_ratio == pytest.approx(25 / 60, rel=REL)
    assert v.landing_width == pytest.approx(40, rel=REL)


def test_thickness_and_materials():
    s = masked_copper()
    assert measure.thickness_at(s, "copper", 50) == pytest.approx(100)
    assert measure.thickness_at(s, "polyimide", 100) == pytest.approx(0)
    assert measure.materials(s)["polyimide"]["bodies"] == 2
    assert measure.exposed_width(s, "copper") == pytest.approx(SLIT_W)


def test_unknown_names_list_what_exists():
    with pytest.raises(xs.UnknownNameError, match="present"):
        measure.bumps(masked_copper(), "99", reference="12")
    with pytest.raises(xs.UnknownNameError, match="voids"):
        measure.voids(masked_copper(), "16")


# ----------------------------------------------------------------- checks
GOOD = masked_copper()
ETCHED = xs.etch(GOOD, target="copper", depth=20.0, numeral="16")
CAP = cap_on_pad(100.0, 60.0)
TWO = cap_on_pad(100.0, 60.0).evolve([*cap_on_pad(100.0, 60.0).regions[:1],
                                      xs.Region(cap_polygon(150.0, 50.0, 40, 30), "SAC305", "5"),
                                      xs.Region(cap_polygon(300.0, 50.0, 40, 30), "SAC305", "5"),
                                      xs.Region(cap_polygon(500.0, 50.0, 40, 36), "SAC305", "5")])

FAILING = {
    "compare": ({"left": "void:16:depth", "op": ">", "right": 25.0, "material": "copper"},
                {"E": ETCHED}),
    "range": ({"value": "top:12", "min": 200.0}, {"E": GOOD}),
    "present": ({"names": ["16"]}, {"E": GOOD}),
    "absent": ({"names": ["12"]}, {"E": GOOD}),
    "unchanged": ({"name": "copper", "from_figure": "G"}, {"E": ETCHED, "G": GOOD}),
    "volume_conserved": ({"name": "5", "from_figure": "G", "rel": 1e-6},
                         {"E": cap_on_pad(100.0, 61.0), "G": CAP}),
    "coplanar": ({"name": "5", "reference": "2"}, {"E": TWO}),
    "equal_pitch": ({"name": "5", "reference": "2"}, {"E": TWO}),
    "tapers_upward": ({"name": "5", "above": "2"}, {"E": cap_on_pad(40.0, 75.0)}),
    "flat_top": ({"name": "copper"}, {"E": xs.Section(0, 100, (
        xs.Region(box(0, 0, 50, 10), "copper"), xs.Region(box(50, 0, 100, 12), "copper")))}),
    "filled": ({"name": "16"}, {"E": ETCHED}),
    "touches": ({"name": "12", "other": "1"}, {"E": GOOD}),
    "covered": ({"name": "10"}, {"E": GOOD}),
    "exposed": ({"name": "copper", "min_width": 100.0}, {"E": GOOD}),
}


def test_every_check_kind_has_a_failing_case():
    assert set(FAILING) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(FAILING))
def test_check_fails_on_a_wrong_section(kind):
    params, figures = FAILING[kind]
    result = check(figures, {"figure": "E", "check": kind, **params})
    assert not result.passed, result


@pytest.mark.parametrize("kind, params, figures", [
    ("compare", {"left": "void:16:depth", "op": "<", "right": 25.0, "material": "copper"},
     {"E": ETCHED}),
    ("coplanar", {"name": "5", "reference": "2"}, {"E": CAP}),
    ("tapers_upward", {"name": "5", "above": "2"}, {"E": CAP}),
    ("filled", {"name": "16", "from_figure": "G"},
     {"E": xs.fill(ETCHED, material="copper", on="copper", level=CU_TOP), "G": ETCHED}),
    ("covered", {"name": "10"}, {"E": xs.fill(GOOD, material="nickel", on="copper",
                                              level=CU_TOP + 20)}),
])
def test_check_passes_on_a_right_section(kind, params, figures):
    assert check(figures, {"figure": "E", "check": kind, **params}).passed


def test_check_errors_name_what_exists():
    with pytest.raises(xs.UnknownNameError, match="figures: E"):
        check({"E": GOOD}, {"figure": "Q", "check": "present", "names": ["1"]})
    with pytest.raises(xs.InputError, match="fields"):
        check({"E": ETCHED}, {"figure": "E", "check": "range", "value": "void:16:colour",
                              "material": "copper"})
    assert box(0, 0, 1, 1).area == 1


def test_report_writes_html_markdown_and_figures_with_relative_links(tmp_path):
    from xsection import recipe
    from xsection.report import write_report

    paths = write_report(recipe.load("seed002"), str(tmp_path))
    page = (tmp_path / "index.html").read_text()
    assert 'src="figures/fig-1C.png"' in page and "/tmp" not in page
    assert "14/14 checks pass" in page
    assert (tmp_path / "figures" / "fig-2C.png").exists()
    md = (tmp_path / "report.md").read_text()
    assert "| 5 |" in md and "contact_angle_deg" in md
    assert len(paths) == 9


def test_dimension_lines_carry_the_measured_values():
    from xsection import recipe
    from xsection.render import check_page, render
    from xsection.render.page import Text

    r = render(recipe.load("seed002"), style="color", dimensions=True)
    page = next(p for p in r.figures if p.name == "fig-1C")
    dims = [t.text for t in page.items if isinstance(t, Text) and t.role == "dimension"]
    assert dims and all(t.endswith(" µm") for t in dims)  # every value carries its unit
    values = [float(t.removesuffix(" µm")) for t in dims]
    # ball 6 (D = 200) fills the 260 × 20 opening over pad 4, the rest is a cap
    # of height h on a = 130 above the rim: π h (3a² + h²) / 6 = V − π a² 20
    rest = math.pi * 200**3 / 6 - math.pi * 130**2 * 20
    h = 2 * 130 * math.sinh(math.asinh(3 * rest / (math.pi * 130**3)) / 3)
    # drawn to 0.1 µm; the cap polygon lies within the arc tolerance of the sphere
    assert any(abs(v - h) <= 0.05 + 2 * xs.tol.arc * h for v in values), (h, values)
    assert any(abs(v - 260) <= 0.05 + xs.tol.arc * 260 for v in values), values
    assert check_page(page) == []
    from xsection.render.page import Lines

    for item in (i for i in page.items if isinstance(i, Lines) and i.role == "dimension"):
        line, *heads = item.segs  # the line and two strokes of an arrowhead at each end
        assert len(heads) == 4
        for stroke in heads:
            assert min(np.hypot(*(stroke[0] - end)) for end in line) < 1e-9
    # leads keep clear of dimension lines and their values (in FIG. 1D and 2B
    # three leads crossed them when the numerals were placed first)
    from shapely.geometry import LineString, box

    for page in r.figures:
        dim_lines = [LineString(seg) for i in page.items if isinstance(i, Lines)
                     and i.role == "dimension" for seg in i.segs]
        dim_boxes = [box(*t.box()) for t in page.items if isinstance(t, Text)
                     and t.role == "dimension"]
        for lead in page.leads:
            path = LineString([lead.start, lead.end])
            assert not any(path.intersects(d) for d in [*dim_lines, *dim_boxes]), (
                page.name, lead.numeral)


def test_step_coverage_of_a_conformal_film_is_one():
    s = xs.deposit(floating_rect(), material="titanium", thickness=2.0, numeral="t")
    f = films.film(s, "t")
    assert f.step_coverage == pytest.approx(1.0, rel=REL)


def test_bump_sets_report_coplanarity_and_pitch():
    from xsection.tables import figure_measurements

    data = figure_measurements(TWO)
    (group,) = data["bump_sets"]
    assert group["count"] == 3
    assert group["coplanarity"] == pytest.approx(6.0, rel=REL)
    assert group["pitch"] == pytest.approx(175.0, rel=REL)


def test_a_buried_barrier_reads_its_own_thickness():
    """Case 3 of issue 25: a 0.031 µm Ta barrier under 2 µm of Cu read 1.885."""
    s = xs.stack(width=100.0, layers=[xs.Layer("silicon", 10.0, "1"),
                                      xs.Layer("tantalum", 0.031, "b"),
                                      xs.Layer("copper", 2.0, "c")])
    f = films.film(s, "b")
    assert f.min == pytest.approx(0.031, rel=1e-6) and f.max == pytest.approx(0.031, rel=1e-6)


@settings(max_examples=int(os.environ.get("XSECTION_EXAMPLES", "25")), deadline=None)
@given(st.floats(0.02, 3.0), st.floats(1.0, 10.0), st.floats(3.0, 30.0), st.floats(0.05, 0.4))
def test_a_lining_buried_in_a_trench_reads_its_thickness(t, room, depth, where):
    """A conformal barrier of real thickness t in a trench 4t + room wide
    (the film lines it, leaving room), buried under a copper fill: the
    thinnest normal thickness is t, the mean a little more (corners, where
    the film turns round the trench's mouth, read more)."""
    width = 4 * t + room
    s = xs.stack(width=200.0, layers=[xs.Layer("silicon", 50.0, "1")])
    x = 20.0 + where * 150.0
    s = xs.etch(s, target="silicon", depth=depth, mode="anisotropic",
                openings=[(x, x + width)], numeral="10")
    s = xs.deposit(s, material="tantalum", thickness=t, numeral="b")
    s = xs.laminate(s, material="copper", thickness=2.0, numeral="c")
    f = films.film(s, "b")
    assert f.min == pytest.approx(t, rel=2 * xs.tol.arc)  # arcs' chords lie within tol.arc
    assert t * (1 - 2 * xs.tol.arc) <= f.mean <= 1.1 * t
