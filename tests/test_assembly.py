"""Parts made apart and assembled: mount, bond with an overlay, renumbering,
and recipes with [[parts]] (lengths in µm)."""

from __future__ import annotations

import os
import tomllib

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

import xsection as xs
from xsection import geometry as g
from xsection import recipe

EXAMPLES = int(os.environ.get("XSECTION_EXAMPLES", "40"))


def _substrate(width: float = 400.0) -> xs.Section:
    s = xs.stack(width=width, layers=[xs.Layer("bt", 60.0, "1"), xs.Layer("copper", 15.0, "2")])
    return xs.pattern(s, target="copper", keep=[(70.0, 130.0), (270.0, 330.0)])


def _die() -> xs.Section:
    """A die 300 wide: silicon 50, Cu pads 3 thick at 20–80 and 220–280."""
    d = xs.stack(width=300.0, layers=[xs.Layer("silicon", 50.0, "7"), xs.Layer("copper", 3.0, "6")])
    return xs.pattern(d, target="copper", keep=[(20.0, 80.0), (220.0, 280.0)])


def test_a_flipped_die_rests_on_its_pads_at_the_given_centre():
    out = xs.mount(_substrate(), _die(), flip=True, at=200.0, numeral_offset=100)
    # face down: pads 106 at the bottom, centred at 200 → die from 50 to 350
    (pads,) = out.select(numerals=["106"])
    (si,) = out.select(numerals=["107"])
    assert si.geometry.bounds == pytest.approx((50.0, 78.0, 350.0, 128.0))
    # the pads (3 thick) rest on the substrate's Cu pads, whose top is 60 + 15
    assert pads.geometry.bounds[1] == pytest.approx(75.0)
    assert (out.x0, out.x1) == (0.0, 400.0)
    assert {r.numeral for r in out.regions} == {"1", "2", "106", "107"}


def test_gap_holds_the_part_above_contact_and_bottom_side_faces_the_section():
    held = xs.mount(_substrate(), _die(), flip=True, gap=12.5, numeral_prefix="T")
    assert held.select(numerals=["T6"])[0].geometry.bounds[1] == pytest.approx(75.0 + 12.5)
    under = xs.mount(_substrate(), _die(), side="bottom", at=100.0)
    pads = under.select(numerals=["6"])[0].geometry
    # not flipped: its pads face up, toward the substrate's bottom at z = 0
    assert pads.bounds[3] == pytest.approx(0.0)
    assert under.select(numerals=["7"])[0].geometry.bounds == pytest.approx(
        (-50.0, -53.0, 250.0, -3.0))
    assert (under.x0, under.x1) == (-50.0, 400.0)  # the domain grows to hold the part


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.tuples(st.floats(0.0, 0.9), st.floats(0.02, 0.3), st.floats(0.5, 40.0)),
                min_size=1, max_size=4),
       st.lists(st.tuples(st.floats(0.0, 0.9), st.floats(0.02, 0.3), st.floats(0.5, 30.0)),
                min_size=1, max_size=4),
       st.floats(37.0, 520.0), st.floats(20.0, 300.0), st.floats(0.0, 1.0), st.floats(0.0, 9.0))
def test_a_mounted_part_moves_rigidly_and_touches_what_it_rests_on(
        bumps, posts, width, part_width, where, gap):
    """Real-valued bumps on the section and posts under the part: the part
    moves as one rigid body to its centre, touches the section (or stands
    ``gap`` above it) and overlaps nothing (strict mode checks that)."""
    base = xs.stack(width=width, layers=[xs.Layer("bt", 20.0, "1")])
    bodies = [xs.Region(box(width * a, 20.0, min(width * (a + b), width), 20.0 + h), "copper")
              for a, b, h in bumps]
    base = base.evolve([*base.regions, *[xs.Region(geom, "copper", "2") for geom in
                                         g.polygons(g.union(r.geometry for r in bodies))]])
    part = xs.stack(width=part_width, layers=[xs.Layer("silicon", 10.0, "7")])
    under = [box(part_width * a, -h, min(part_width * (a + b), part_width), 0.0)
             for a, b, h in posts]
    part = part.evolve([*part.regions, *[xs.Region(p, "nickel", "6") for p in
                                         g.polygons(g.union(under))]])
    at = width * where
    out = xs.mount(base, part, at=at, gap=gap, numeral_offset=100)
    moved = g.union(r.geometry for r in out.regions if r.numeral in ("106", "107"))
    # rigid: the part's union equals the original moved by one vector
    dx = at - part_width / 2
    dz = moved.bounds[1] - part.zmin
    assert moved.symmetric_difference(shapely.affinity.translate(part.solid, dx, dz)).area \
        <= 1e-6 * part.solid.area
    lower = g.union(r.geometry for r in out.regions if r.numeral in ("1", "2"))
    # it stands exactly ``gap`` above: a little less lowered, still clear; a little more, in
    if gap > 1e-5:
        assert shapely.affinity.translate(moved, 0.0, -(gap - 1e-5)).distance(lower) > 0
    assert shapely.affinity.translate(moved, 0.0, -(gap + 1e-4)).intersection(lower).area > 0
    assert out.x0 == pytest.approx(min(0.0, dx)) and out.x1 == pytest.approx(
        max(width, dx + part_width))


def test_mount_refuses_a_part_over_nothing_and_numerals_that_clash():
    with pytest.raises(xs.GeometryError, match="nothing of the section lies under"):
        xs.mount(_substrate(), _die(), at=900.0)
    clash = xs.stack(width=50.0, layers=[xs.Layer("epoxy", 5.0, "2")])
    with pytest.raises(xs.InputError, match="numeral '2' names copper in the section and "
                                            "epoxy in the part"):
        xs.mount(_substrate(), clash)
    with pytest.raises(xs.InputError, match="leading number"):
        xs.mount(_substrate(), xs.stack(width=50.0, layers=[xs.Layer("epoxy", 5.0, "M")]),
                 numeral_offset=10)


def test_renumber_adds_the_offset_to_the_leading_number_and_prefixes():
    s = xs.stack(width=10.0, layers=[xs.Layer("copper", 1.0, "12a"), xs.Layer("epoxy", 1.0, "3")])
    out = xs.renumber(s, offset=100, prefix="P")
    assert [r.numeral for r in out.regions] == ["P112a", "P103"]


def test_bond_with_overlay_joins_pads_and_keeps_both_numerals():
    """Hybrid bonding face to face with a 0.37 µm overlay error: the Cu pads
    join into one body, the upper pad's numeral stays as a part label; the
    oxide (not a conductor) stays two bodies; the upper is shifted and goes
    on past the cut planes."""
    lower = xs.stack(width=100.0, layers=[xs.Layer("silicon_dioxide", 5.0, "3")])
    lower = lower.evolve([xs.Region(g.clean(box(0, 0, 100, 5).difference(box(40, 2, 60, 5))),
                                    "silicon_dioxide", "3"),
                          xs.Region(box(40, 2, 60, 5), "copper", "4")])
    out = xs.bond(lower, xs.renumber(lower, offset=10), overlay=0.37, flip=True)
    (pad,) = out.select(materials=["copper"])
    assert pad.numeral == "4"
    assert pad.geometry.area == pytest.approx(2 * 20 * 3)
    (upper,) = [lab for lab in out.labels if lab.numeral == "14"]
    assert upper.kind == "part" and upper.geometry.bounds == pytest.approx(
        (40.37, 5.0, 60.37, 8.0))
    # the upper oxide reaches both cut planes though shifted
    assert out.select(numerals=["13"])[0].geometry.bounds == pytest.approx(
        (0.0, 5.0, 100.0, 10.0))
    assert out.select(numerals=["13"])[0].geometry.area == pytest.approx(100 * 5 - 20 * 3)
    apart = xs.bond(lower, xs.renumber(lower, offset=10), flip=True, join=["tantalum"])
    assert sorted(r.numeral for r in apart.select(materials=["copper"])) == ["14", "4"]
    with pytest.raises(xs.InputError, match="off the domain"):
        xs.bond(lower, lower, overlay=100.0)


PARTS = """
name = "fc"
base = "substrate"

[[parts]]
name = "substrate"
stack_figure = "1A"
domain = {width = 400.0}
[[parts.layers]]
material = "bt"
thickness = 60.0
numeral = "1"
[[parts.layers]]
material = "copper"
thickness = 15.0
numeral = "2"
[[parts.steps]]
op = "pattern"
target = "copper"
keep = [[70.0, 130.0], [270.0, 330.0]]
figure = "1B"

[[parts]]
name = "die"
domain = {width = 300.0}
[[parts.layers]]
material = "silicon"
thickness = 50.0
numeral = "7"
[[parts.layers]]
material = "copper"
thickness = 3.0
numeral = "6"
[[parts.steps]]
op = "pattern"
target = "copper"
keep = [[20.0, 80.0], [220.0, 280.0]]
figure = "2A"

[[steps]]
op = "mount"
part = "die"
flip = true
numeral_offset = 100
figure = "2B"

[[checks]]
figure = "2B"
check = "touches"
name = "106"
other = "2"
"""


def test_a_recipe_builds_its_parts_apart_then_mounts_one_on_the_other():
    from xsection.checks import run_checks

    flow = recipe.parse(tomllib.loads(PARTS), "fc.toml")
    run = flow.run()
    assert [(s.part, s.figure) for s in run if s.figure] == [
        ("substrate", "1A"), ("substrate", "1B"), ("die", "2A"), ("", "2B")]
    assert flow.figure_ids() == ["1A", "1B", "2A", "2B"]
    # the die alone, as built, and the assembly
    assert run.figure("2A").section.width == 300.0
    assert run.figure("2B").section.select(numerals=["107"])
    assert all(r.passed for r in run_checks(flow, run))
    assert recipe.parse(tomllib.loads(recipe.dump(flow))) == flow


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace('part = "die"', 'part = "dye"'),
     r"step 1 \(mount\): 'part' must be a part \(substrate, die\) or an earlier figure"),
    (lambda t: t.replace('base = "substrate"', 'base = "board"'),
     r"'base' must name a part \(substrate, die"),
    (lambda t: t.replace('base = "substrate"', 'base = "substrate"\nlayers = []'),
     r"'layers' does not apply with 'base'"),
    (lambda t: t.replace('"die"', '"2B"'), r"step 1 \(mount\): figure '2B' is also a part's name"),
    (lambda t: t.replace('"die"', '"1A"'), r"part name '1A' is also a figure id"),
    (lambda t: t.replace('[[parts.steps]]\nop = "pattern"\ntarget = "copper"\nkeep = [[20.0',
                         '[[parts.steps]]\nop = "mount"\npart = "x"\n[[parts.steps]]\n'
                         'op = "pattern"\ntarget = "copper"\nkeep = [[20.0'),
     r"part 1 \(die\): step 1 \(mount\): a part mounts only in the recipe's own steps"),
    (lambda t: t.replace("numeral_offset = 100", "numeral_offset = -1"),
     r"'numeral_offset' must be a whole number >= 0"),
])
def test_bad_parts_are_refused_naming_where(edit, message):
    with pytest.raises(recipe.RecipeError, match=message):
        recipe.parse(tomllib.loads(edit(PARTS)), "fc.toml")


def test_a_clash_of_numerals_names_the_recipe_and_the_step():
    flow = recipe.parse(tomllib.loads(
        PARTS.replace("numeral_offset = 100\n", "").replace('name = "106"', 'name = "6"')
        .replace('material = "silicon"\nthickness = 50.0\nnumeral = "7"',
                 'material = "silicon"\nthickness = 50.0\nnumeral = "1"')), "fc.toml")
    with pytest.raises(xs.InputError, match=r"step 1 \(mount\): mount: numeral '1' names bt "
                                            r"in the section and silicon in the part"):
        flow.run()


def test_mount_keeps_a_part_identical_to_mounting_by_hand():
    """The recipe's mount is the Python mount with the same words."""
    flow = recipe.parse(tomllib.loads(PARTS), "fc.toml")
    run = flow.run()
    by_hand = xs.mount(run.figure("1B").section, run.figure("2A").section, flip=True,
                       numeral_offset=100)
    got = run.figure("2B").section
    assert [r.numeral for r in got.regions] == [r.numeral for r in by_hand.regions]
    assert all(np.isclose(a.geometry.symmetric_difference(b.geometry).area, 0.0)
               for a, b in zip(got.regions, by_hand.regions))


def test_a_hybrid_bond_keeps_every_numeral_of_both_wafers():
    """Cu-Cu hybrid bonding, a flow no seed contains: Cu pads 4 in Ta-lined
    recesses of oxide 2, polished flat, bonded face to face to a copy
    renumbered by 100 with a 0.37 overlay. Pads and rims join (one body of
    each material per pad pair, their area the sum), the oxides stay two
    bodies, and every numeral of both wafers is still there to be drawn."""
    w = xs.stack(width=120.0, layers=[xs.Layer("silicon", 20.0, "1"),
                                      xs.Layer("silicon_dioxide", 4.0, "2")])
    w = xs.etch(w, target="silicon_dioxide", depth=2.0, mode="anisotropic",
                openings=[(20.0, 40.0), (80.0, 100.0)])
    w = xs.deposit(w, material="tantalum", thickness=0.1, numeral="3")
    w = xs.fill(w, material="copper", on=["tantalum"], height=1.0, above="3", numeral="4")
    w = xs.grind(w, level=24.0)
    out = xs.bond(w, xs.renumber(w, offset=100), flip=True, overlay=0.37)
    assert {"1", "2", "3", "4", "101", "102", "103", "104"} <= set(out.numerals())
    pads = out.select(materials=["copper"])
    assert len(pads) == 1 and len(pads[0].parts) == 2
    assert pads[0].geometry.area == pytest.approx(2 * w.union_of(materials=["copper"]).area)
    assert len(out.select(materials=["silicon_dioxide"])) == 2
    assert out.zmax == pytest.approx(48.0)
