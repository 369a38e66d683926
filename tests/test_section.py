"""The Section value, its invariants, labels and the materials library."""

from __future__ import annotations

import pytest
from shapely.geometry import Polygon, box

import xsection as xs
from xsection import MATERIALS, Material
from xsection import geometry as g


def test_overlapping_regions_are_rejected_in_strict_mode():
    with pytest.raises(xs.GeometryError, match="overlap"):
        xs.Section(0, 10, (xs.Region(box(0, 0, 6, 1), "copper"),
                           xs.Region(box(5, 0, 10, 1), "nickel")))


def test_touching_regions_are_fine():
    s = xs.Section(0, 10, (xs.Region(box(0, 0, 5, 1), "copper"),
                           xs.Region(box(5, 0, 10, 1), "nickel")))
    assert len(s.regions) == 2


def test_invalid_polygon_is_rejected():
    bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    with pytest.raises(xs.GeometryError, match="invalid"):
        xs.Section(0, 10, (xs.Region(bowtie, "copper"),))


def test_region_outside_the_domain_is_rejected():
    with pytest.raises(xs.GeometryError, match="outside the domain"):
        xs.Section(0, 10, (xs.Region(box(5, 0, 12, 1), "copper"),))


def test_unknown_material_and_bad_domain():
    with pytest.raises(xs.UnknownNameError, match="adamantium"):
        xs.Section(0, 10, (xs.Region(box(0, 0, 1, 1), "adamantium"),))
    with pytest.raises(xs.InputError, match="x1 > x0"):
        xs.Section(5, 5)


def test_ambient_is_the_domain_minus_regions():
    s = xs.stack(width=10, layers=[xs.Layer("copper", 2)])
    amb = s.ambient(margin=3)
    assert amb.intersection(s.solid).area == 0
    assert amb.bounds[0] == 0 and amb.bounds[2] == 10


def test_void_label_lives_while_its_space_is_open():
    s = xs.stack(width=100, layers=[xs.Layer("copper", 10), xs.Layer("polyimide", 10)])
    s = xs.drill(s, target="polyimide", at=50, top_width=20, stop_on="copper", numeral="12a")
    assert [lab.numeral for lab in s.labels] == ["12a"]
    full = xs.fill(s, material="copper", on="copper", level=25)
    assert full.labels == ()


def test_numeral_errors_list_what_exists():
    s = xs.stack(width=10, layers=[xs.Layer("copper", 2, "10")])
    with pytest.raises(xs.UnknownNameError, match="present: 10"):
        s.require_numerals("strip", "numerals", ["99"])


def test_library_holds_the_required_materials():
    for name in ("copper", "nickel", "cobalt", "gold", "aluminium", "titanium", "silicon",
                 "Sn63Pb37", "Pb83Sn17", "Pb55Sn45", "SAC305", "Pb90Sn10", "polyimide",
                 "epoxy", "solder_resist", "lcp", "bt", "fr4", "bcb", "ptfe", "adhesive",
                 "photoresist"):
        assert name in MATERIALS
    eutectic = MATERIALS["Sn63Pb37"]
    assert eutectic.solidus == eutectic.liquidus == 183.0 and eutectic.cls == "solder"
    assert MATERIALS["SAC305"].solidus == 217.0 and MATERIALS["SAC305"].liquidus == 220.0
    assert MATERIALS["Pb83Sn17"].liquidus > 183.0
    assert MATERIALS["copper"].wettable and not MATERIALS["polyimide"].wettable


def test_library_is_extendable_without_touching_the_builtin():
    mine = MATERIALS.extended(Material("indium", "solder", 156.6, 156.6, True))
    assert "indium" in mine and "indium" not in MATERIALS
    s = xs.stack(width=10, layers=[xs.Layer("indium", 1)], materials=mine)
    assert s.materials["indium"].melts_at(160)


@pytest.mark.parametrize("kwargs, words", [
    ({"name": "x", "cls": "metal"}, ["'class'", "conductor"]),
    ({"name": "x", "cls": "solder", "solidus": 200.0, "liquidus": 190.0}, ["<= 'liquidus'"]),
    ({"name": "x", "cls": "solder", "solidus": 200.0}, ["both"]),
])
def test_bad_material_definitions(kwargs, words):
    with pytest.raises(xs.InputError) as err:
        Material(**kwargs)
    for w in words:
        assert w in str(err.value)


def test_errors_are_builtin_subclasses():
    assert issubclass(xs.InputError, ValueError)
    assert issubclass(xs.UnknownNameError, LookupError)
    assert issubclass(xs.GeometryError, ValueError)
    with pytest.raises(LookupError):
        MATERIALS["vibranium"]


def test_union_of_bodies_that_meet_is_one_body_and_apart_two():
    """Copper bodies stood on copper (their corners on its top edge, which
    has no vertex there) unite into one polygon of the summed area; a body
    set apart stays a second part."""
    base, cap = box(0.0, 0.0, 50.3, 10.0), box(10.7, 10.0, 30.1, 13.3)
    apart = box(60.2, 0.0, 70.9, 4.4)
    s = xs.Section(0.0, 80.0, (xs.Region(base, "copper"), xs.Region(cap, "copper"),
                               xs.Region(apart, "copper"), xs.Region(box(0, 10, 5, 12), "nickel")))
    two = s.union_of(materials=["copper"], numerals=None)
    parts = sorted(g.polygons(two), key=lambda p: p.bounds[0])
    assert len(parts) == 2 and two.is_valid
    assert parts[0].area == pytest.approx(50.3 * 10.0 + (30.1 - 10.7) * 3.3, rel=1e-12)
    assert parts[1].area == pytest.approx((70.9 - 60.2) * 4.4, rel=1e-12)
    assert len(parts[0].interiors) == 0
