"""Flows and recipes: the seed 001 flow runs and shows its figures' facts."""

from __future__ import annotations

import tomllib

import pytest
from shapely.geometry import box

import xsection as xs
from xsection import geometry as g
from xsection import recipe
from xsection.flow import Flow, Step


@pytest.fixture(scope="module")
def seed001():
    flow = recipe.load("seed001")
    return {s.figure: s.section for s in flow.run() if s.figure}


def test_seed001_has_figures_1a_to_1m_and_2(seed001):
    assert list(seed001) == [f"1{c}" for c in "ABCDEFGHIJKLM"] + ["2"]


#: Seed 001's design values (../shared/flows.md): layer 12, base 10, adhesive,
#: hole bottom, etch depth, solder fill above the interface.
PI, BASE, GLUE, HOLE_BOTTOM, DEPTH, FILL = 25.0, 70.0, 10.0, 20.0, 40.0, 8.0


def test_1c_concavity_is_wider_than_the_hole_bottom_and_12_is_untouched(seed001):
    before, after = seed001["1B"], seed001["1C"]
    assert after.union_of(materials=["polyimide"]).equals(before.union_of(materials=["polyimide"]))
    top_interface = PI + BASE + GLUE + BASE  # base top under layer 12 on the upper face
    window = box(0, 0, 150, 300)
    (concavity,) = g.chords(g.intersection(after.ambient(), window), top_interface - 1e-4)
    (hole_bottom,) = g.chords(g.intersection(before.ambient(), window), top_interface + 1e-4)
    assert concavity[1] - concavity[0] == pytest.approx(HOLE_BOTTOM + 2 * DEPTH, abs=1e-3)
    assert hole_bottom[1] - hole_bottom[0] == pytest.approx(HOLE_BOTTOM, abs=1e-3)
    # semispherical: as deep as the etch, the flat bottom no wider than the hole
    dz = 2.0  # above the bottom: the flat plus the two arcs of radius DEPTH there
    (flat,) = g.chords(g.intersection(after.ambient(), window), top_interface - DEPTH + dz)
    u = (2 * DEPTH * dz - dz * dz) ** 0.5
    # the arc lies within tol.arc · DEPTH of the circle; a level chord meets it at slope u / R
    assert flat[1] - flat[0] == pytest.approx(HOLE_BOTTOM + 2 * u,
                                              abs=2 * xs.tol.arc * DEPTH * DEPTH / u)


def test_1e_concavity_full_and_solder_top_inside_the_hole(seed001):
    s = seed001["1E"]
    solder = s.union_of(materials=["Sn63Pb37"])
    upper_base = PI + BASE + GLUE  # the upper base starts here
    level = upper_base + BASE + FILL
    # nothing open between the upper base and the solder level
    assert g.intersection(s.ambient(), box(0, upper_base, s.x1, level)).area == \
        pytest.approx(0, abs=1e-6)
    assert upper_base + BASE < solder.bounds[3] < upper_base + BASE + PI


def test_1m_bumps_are_anchored_by_a_constriction(seed001):
    s = seed001["1M"]
    assert not s.select(numerals=["18"]) and s.select(numerals=["22"])
    assert not s.select(numerals=["10"])
    solder = s.union_of(materials=["Sn63Pb37"])
    pi_surface = max(r.geometry.bounds[3] for r in s.select(numerals=["12"]))
    bump = g.intersection(solder, box(0, 0, 150, 500))
    neck = g.chords(bump, pi_surface - 1e-3)
    widest = max(b - a for z in range(40) for a, b in g.chords(bump, pi_surface + z + 0.5))
    assert neck[0][1] - neck[0][0] < widest


def test_recipe_round_trips_through_toml():
    flow = recipe.load("seed001")
    assert recipe.parse(tomllib.loads(recipe.dump(flow))) == flow


def test_notes_with_control_characters_round_trip_through_toml():
    """The writer escapes what TOML needs escaped (a note pasted from Windows)."""
    import dataclasses

    flow = recipe.load("tsv")
    note = 'etch\r\nDRIE "Bosch" \\ 2 µm/min\ttab\x7f'
    steps = (dataclasses.replace(flow.steps[0], note=note), *flow.steps[1:])
    flow = dataclasses.replace(flow, steps=steps, title="TSV \r\n title")
    back = recipe.parse(tomllib.loads(recipe.dump(flow)))
    assert back.steps[0].note == note and back.title == "TSV \r\n title"
    assert back == flow


def test_flow_errors_name_the_step():
    flow = Flow("x", 100.0, (xs.Layer("copper", 10),), (Step("etch", {"target": "copper",
                                                                      "depth": -1}),))
    with pytest.raises(xs.InputError, match=r"step 1 \(etch\).*'depth'"):
        flow.run()


@pytest.mark.parametrize("mutate, words", [
    (lambda d: d.update(colour="red"), ["unknown key 'colour'"]),
    (lambda d: d["steps"][0].update(op="melt"), ["step 1", "'op'", "melt"]),
    (lambda d: d["steps"][0].update(depth="deep"), ["step 1 (etch)", "'depth'", "deep"]),
    (lambda d: d["steps"][0].update(target="unobtainium"), ["unknown material"]),
    (lambda d: d["steps"][0].pop("depth"), ["missing required key 'depth'"]),
    (lambda d: d["layers"][0].update(thickness=-3), ["layer 0", "'thickness'", "-3"]),
    (lambda d: d.update(checks=[{"figure": "9Z", "check": "present", "name": "1"}]),
     ["check 0", "9Z"]),
    (lambda d: d.update(checks=[{"figure": "1A", "check": "guess"}]), ["check 0", "guess"]),
])
def test_bad_recipes_get_clear_errors(mutate, words):
    data = {"name": "t", "domain": {"width": 100.0},
            "layers": [{"material": "copper", "thickness": 10.0}],
            "steps": [{"op": "etch", "target": "copper", "depth": 1.0, "figure": "1A"}]}
    mutate(data)
    with pytest.raises(recipe.RecipeError) as err:
        recipe.parse(data, "t.toml")
    for w in words:
        assert w in str(err.value)
    assert str(err.value).startswith("t.toml")


def test_checks_load_as_frozen_specs_with_parsed_value_references():
    import dataclasses as dc

    from xsection.check_specs import CheckSpec, ValueRef

    flow = recipe.load("seed001")
    specs = [c for c in flow.checks if c.get("check") == "compare"]
    assert specs and all(isinstance(c, CheckSpec) for c in flow.checks)
    left = specs[0]["left"]
    assert isinstance(left, ValueRef) and left.text == "span:12:12"  # 1A: 12 to 12
    with pytest.raises(dc.FrozenInstanceError):
        specs[0].kind = "range"  # type: ignore[misc]
