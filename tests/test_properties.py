"""Property tests of every operator's invariants over random stacks.

Strict mode (conftest) checks on every new section that all polygons are
valid, nothing overlaps and nothing leaves the domain.
"""

from __future__ import annotations

import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import xsection as xs
from xsection import geometry as g

from .strategies import flat_stacks, present, stacks

SETTINGS = settings(max_examples=int(__import__("os").environ.get("XSECTION_EXAMPLES", "25")),
                    deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def fingerprint(section: xs.Section) -> list[tuple[str, str | None, bytes]]:
    return [(r.material, r.numeral, shapely.to_wkb(r.geometry)) for r in section.regions]


def unchanged_except(before: xs.Section, after: xs.Section, materials: set[str]) -> None:
    """Every region of another material keeps its exact geometry."""
    for mat in {r.material for r in before.regions} - materials:
        old = before.union_of(materials=[mat])
        assert after.union_of(materials=[mat]).symmetric_difference(old).area <= \
            1e-6 + old.length * xs.tol.grid, mat


def never_removes(before: xs.Section, after: xs.Section) -> None:
    """Additive steps: all old matter is still there, of the same material."""
    for mat in {r.material for r in before.regions}:
        lost = g.difference(before.union_of(materials=[mat]), after.union_of(materials=[mat]))
        assert lost.area <= 1e-6, mat


def run(op, section: xs.Section, **kwargs) -> xs.Section:
    """Apply ``op`` twice: checks purity (input untouched) and determinism."""
    print_before = fingerprint(section)
    try:
        out = op(section, **kwargs)
    except xs.GeometryError:
        assume(False)  # a legitimately impossible step (nothing exposed, ...)
        raise
    assert fingerprint(section) == print_before
    again = op(section, **kwargs)
    assert fingerprint(again) == fingerprint(out)
    return out


@SETTINGS
@given(stacks(), st.floats(0.0, 30.0), st.sampled_from(["isotropic", "anisotropic"]),
       st.sampled_from(["top", "bottom", "both"]), st.data())
def test_etch_changes_only_its_targets(section, depth, mode, side, data):
    target = data.draw(st.sampled_from(present(section)))
    out = run(xs.etch, section, target=target, depth=depth, mode=mode, side=side)
    unchanged_except(section, out, {target})
    assert out.union_of(materials=[target]).area <= section.union_of(materials=[target]).area \
        + 1e-6
    if depth == 0:
        assert out is section


@SETTINGS
@given(stacks(), st.floats(0.0, 10.0), st.data())
def test_plate_and_deposit_only_add(section, thickness, data):
    on = data.draw(st.sampled_from(present(section)))
    if section.materials[on].conductive:
        out = run(xs.plate, section, material="gold", thickness=thickness, on=on)
    else:
        out = run(xs.deposit, section, material="titanium", thickness=thickness, on=on)
    never_removes(section, out)
    if thickness == 0:
        assert out is section
    else:
        new = out.solid.area - section.solid.area
        assert new >= -1e-6


@SETTINGS
@given(stacks(), st.floats(0.0, 20.0), st.sampled_from(["top", "bottom", "both"]))
def test_laminate_only_adds_and_has_a_flat_face(section, thickness, side):
    out = run(xs.laminate, section, material="epoxy", thickness=thickness, side=side,
              numeral="13")
    never_removes(section, out)
    film = out.union_of(numerals=["13"])
    if side == "top" and not film.is_empty:
        assert film.bounds[3] <= section.zmax + thickness + 1e-6


@SETTINGS
@given(stacks(), st.floats(0.0, 20.0), st.data())
def test_fill_only_adds_below_its_level(section, height, data):
    on = data.draw(st.sampled_from(present(section)))
    level = section.zmax - 5 + height
    out = run(xs.fill, section, material="copper", on=on, level=level, numeral="f")
    never_removes(section, out)
    assert out.union_of(numerals=["f"]).bounds[3] <= level + 1e-6


@SETTINGS
@given(stacks(), st.floats(0.05, 0.95), st.data())
def test_grind_leaves_nothing_above_the_plane(section, frac, data):
    level = section.zmin + frac * (section.zmax - section.zmin)
    out = run(xs.grind, section, level=level)
    assert out.zmax <= level + 1e-6
    below = g.domain_box(section.x0, section.x1, section.zmin - 1, level)
    assert out.solid.symmetric_difference(g.intersection(section.solid, below)).area <= 1e-6


@SETTINGS
@given(stacks(), st.data())
def test_strip_removes_only_its_material(section, data):
    mat = data.draw(st.sampled_from(present(section)))
    out = run(xs.strip, section, material=mat)
    unchanged_except(section, out, {mat})
    # whatever is left of it is sealed from the bath
    left = out.union_of(materials=[mat])
    assert g.shared_boundary(left, out.open_ambient()).length <= 1e-3


@SETTINGS
@given(stacks(), st.floats(0.1, 0.9), st.floats(5.0, 40.0), st.floats(0.3, 1.0), st.data())
def test_drill_changes_only_what_it_drills(section, frac, top_width, ratio, data):
    mat = data.draw(st.sampled_from(present(section)))
    x = section.x0 + frac * section.width
    out = run(xs.drill, section, through=mat, at=[x], top_width=top_width,
              bottom_width=top_width * ratio)
    unchanged_except(section, out, {mat})


@SETTINGS
@given(flat_stacks(), st.floats(0.1, 0.9), st.floats(10.0, 60.0),
       st.sampled_from(["Sn63Pb37", "SAC305"]), st.one_of(st.none(), st.floats(10.0, 170.0)))
def test_place_and_reflow_conserve_volume(section, frac, diameter, solder, angle):
    assume(section.width > diameter * 1.5)
    x = min(max(section.x0 + frac * section.width, section.x0 + diameter / 2),
            section.x1 - diameter / 2)
    placed = run(xs.place, section, material=solder, at=[x], diameter=diameter, numeral="b")
    ball = placed.union_of(numerals=["b"])
    assert ball.intersection(section.solid).area <= 1e-6
    assert ball.distance(section.solid) <= 1e-6  # it rests on something
    out = run(xs.reflow, placed, peak_temperature=250, contact_angle_deg=angle)
    unchanged_except(placed, out, {solder})
    (body,) = out.select(numerals=["b"])
    # on a flat top the cap (or the dewetted sphere) is symmetric about its axis, and
    # V = π∫|x − axis| dA of the ball about that same axis is what reflow conserves
    ((a, b),) = g.chords(body.geometry, body.geometry.bounds[1] + 1e-6)
    axis = (a + b) / 2
    vb = g.axisymmetric_volume(ball, axis)
    va = g.axisymmetric_volume(body.geometry, axis)
    assert abs(va - vb) <= 1e-6 * vb


@SETTINGS
@given(stacks(), st.floats(0.2, 0.8), st.sampled_from(["above", "below"]), st.booleans())
def test_split_and_flip_keep_the_invariants(section, frac, keep, mirror):
    z = section.zmin + frac * (section.zmax - section.zmin)
    out = run(xs.split, section, z=z, keep=keep)
    assert out.solid.area <= section.solid.area + 1e-6
    turned = run(xs.flip, out, mirror_x=mirror)
    assert turned.solid.area == __import__("pytest").approx(out.solid.area, rel=1e-9)


@SETTINGS
@given(stacks(), st.lists(st.tuples(st.floats(0.0, 0.9), st.floats(0.02, 0.3)), min_size=1,
                          max_size=3), st.floats(0.0, 5.0), st.data())
def test_pattern_changes_only_its_material(section, spans, undercut, data):
    mat = data.draw(st.sampled_from(present(section)))
    keep = [(section.x0 + a * section.width, section.x0 + min(a + b, 1.0) * section.width)
            for a, b in spans]
    out = run(xs.pattern, section, material=mat, keep=keep, undercut=undercut)
    unchanged_except(section, out, {mat})
    assert out.union_of(materials=[mat]).area <= section.union_of(materials=[mat]).area + 1e-6


@SETTINGS
@given(stacks(), st.floats(0.0, 3.0), st.floats(2.0, 30.0), st.data())
def test_roughen_changes_only_its_material(section, amplitude, period, data):
    mat = data.draw(st.sampled_from(present(section)))
    out = run(xs.roughen, section, material=mat, amplitude=amplitude, period=period)
    unchanged_except(section, out, {mat})
    if amplitude <= xs.tol.grid:
        assert out is section


@SETTINGS
@given(flat_stacks(), flat_stacks(), st.floats(0.0, 5.0))
def test_bond_keeps_every_body_and_joins_only_conductors(lower, upper, gap):
    upper = xs.Section(lower.x0, lower.x1, tuple(
        xs.Region(r.geometry.intersection(xs.geometry.domain_box(
            lower.x0, lower.x1, -1e6, 1e6)), r.material, r.numeral)
        for r in upper.regions if r.geometry.bounds[0] < lower.x1), (), upper.materials)
    assume(upper.regions)
    out = run(xs.bond, lower, upper=upper, gap=gap)
    total = lower.solid.area + upper.solid.area
    assert out.solid.area == __import__("pytest").approx(total, rel=1e-9, abs=1e-6)
    assert out.zmin == __import__("pytest").approx(lower.zmin)
    assert len(out.regions) <= len(lower.regions) + len(upper.regions)
