"""Property tests of every operator's invariants over random stacks.

Strict mode (conftest) checks on every new section that all polygons are
valid, nothing overlaps and nothing leaves the domain.
"""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
import shapely
import shapely.affinity
from hypothesis import given, settings
from hypothesis import strategies as st

import xsection as xs
from xsection import geometry as g

from .strategies import flat_stacks, present, stacks

#: XSECTION_EXAMPLES=2000 for a long run; Hypothesis's health checks stay on.
SETTINGS = settings(max_examples=int(os.environ.get("XSECTION_EXAMPLES", "25")), deadline=None)


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
    """Apply ``op`` twice: checks purity (input untouched) and determinism.
    Errors are not discarded: a test that allows one says so itself."""
    print_before = fingerprint(section)
    out = op(section, **kwargs)
    assert fingerprint(section) == print_before
    again = op(section, **kwargs)
    assert fingerprint(again) == fingerprint(out)
    return out


def exposed_length(section: xs.Section, materials: list[str], side: str = "both") -> float:
    return section.exposed(section.union_of(materials=materials), side=side).length


def top_layer(section: xs.Section) -> xs.Region:
    return max(section.regions, key=lambda r: r.geometry.bounds[3])


@SETTINGS
@given(stacks(), st.floats(0.0, 30.0), st.sampled_from(["isotropic", "anisotropic"]),
       st.sampled_from(["top", "bottom", "both"]), st.data())
def test_etch_changes_only_its_targets(section, depth, mode, side, data):
    target = data.draw(st.sampled_from(present(section)))
    out = run(xs.etch, section, target=target, depth=depth, mode=mode, side=side)
    unchanged_except(section, out, {target})
    lost = section.union_of(materials=[target]).area - out.union_of(materials=[target]).area
    assert lost >= -1e-6
    if depth == 0:
        assert out is section
    elif mode == "isotropic" and depth > 1e-3 and exposed_length(section, [target], side) > 1e-3:
        assert lost > 0, "an exposed target lost nothing"


@SETTINGS
@given(stacks(), st.floats(0.0, 10.0), st.data())
def test_plate_and_deposit_only_add(section, thickness, data):
    on = data.draw(st.sampled_from(present(section)))
    side = data.draw(st.sampled_from(["top", "bottom", "both"]))
    op, film = (xs.plate, "gold") if section.materials[on].conductive else \
        (xs.deposit, "titanium")
    if exposed_length(section, [on], side) <= 1e-3 and thickness > xs.tol.grid:
        with pytest.raises(xs.GeometryError, match="no exposed surface"):
            op(section, material=film, thickness=thickness, on=on, side=side)
        return
    out = run(op, section, material=film, thickness=thickness, on=on, numeral="f", side=side)
    never_removes(section, out)
    if thickness == 0:
        assert out is section
    elif thickness > 1e-3:
        assert out.union_of(numerals=["f"]).area > 0, "no film over an exposed surface"
    elif thickness <= xs.tol.grid:
        assert out is section


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
    try:
        out = run(xs.fill, section, material="copper", on=on, level=level, numeral="f")
    except xs.GeometryError:
        # refused only where no upward-facing exposed surface of `on` lies below the level
        src = section.exposed(section.union_of(materials=[on]), side="top")
        room = g.intersection(section.open_ambient(30.0, side="top"), g.domain_box(
            section.x0, section.x1, section.zmin - 1, level))
        assert g.touching_parts(room, src).area <= 1e-6
        return
    never_removes(section, out)
    filled = out.union_of(numerals=["f"])
    assert filled.area > 0 and filled.bounds[3] <= level + 1e-6


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
    out = run(xs.strip, section, target=mat)
    unchanged_except(section, out, {mat})
    # whatever is left of it is sealed from the bath
    left = out.union_of(materials=[mat])
    assert g.shared_boundary(left, out.open_ambient()).length <= 1e-3


@SETTINGS
@given(stacks(), st.floats(0.1, 0.9), st.floats(5.0, 40.0), st.floats(0.3, 1.0), st.data())
def test_drill_changes_only_what_it_drills(section, frac, top_width, ratio, data):
    mat = data.draw(st.sampled_from(present(section)))
    x = section.x0 + frac * section.width
    try:
        out = run(xs.drill, section, target=mat, at=[x], top_width=top_width,
                  bottom_width=top_width * ratio)
    except xs.GeometryError:  # refused only where no `mat` lies on the line at x
        line = shapely.LineString([(x, section.zmin - 1), (x, section.zmax + 1)])
        assert g.intersection(line, section.union_of(materials=[mat])).length <= 1e-3
        return
    unchanged_except(section, out, {mat})
    assert out.union_of(materials=[mat]).area < section.union_of(materials=[mat]).area


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
    out = run(xs.pattern, section, target=mat, keep=keep, undercut=undercut)
    unchanged_except(section, out, {mat})
    assert out.union_of(materials=[mat]).area <= section.union_of(materials=[mat]).area + 1e-6


@SETTINGS
@given(stacks(), st.floats(0.0, 3.0), st.floats(2.0, 30.0), st.data())
def test_roughen_changes_only_its_material(section, amplitude, period, data):
    mat = data.draw(st.sampled_from(present(section)))
    if amplitude > xs.tol.grid and exposed_length(section, [mat], side="top") <= 1e-3:
        with pytest.raises(xs.GeometryError, match="no exposed flat top"):
            xs.roughen(section, target=mat, amplitude=amplitude, period=period)
        return
    out = run(xs.roughen, section, target=mat, amplitude=amplitude, period=period)
    unchanged_except(section, out, {mat})
    if amplitude <= xs.tol.grid:
        assert out is section


@SETTINGS
@given(flat_stacks(), flat_stacks(), st.floats(0.0, 5.0))
def test_bond_keeps_every_body_and_joins_only_conductors(lower, upper, gap):
    # the upper stack on the lower one's domain: scaled in x to the same width
    fx = lower.width / upper.width
    upper = xs.Section(lower.x0, lower.x1, tuple(
        xs.Region(shapely.affinity.scale(r.geometry, fx, 1.0, origin=(0, 0)), r.material,
                  r.numeral) for r in upper.regions), (), upper.materials)
    out = run(xs.bond, lower, upper=upper, gap=gap)
    total = lower.solid.area + upper.solid.area
    # the upper stack lands ``gap`` up, on the grid: each of its edges moves up to a step
    snap = 2 * lower.width * xs.tol.grid * (1 + len(upper.regions))
    assert out.solid.area == __import__("pytest").approx(total, rel=1e-9, abs=snap)
    assert out.zmin == __import__("pytest").approx(lower.zmin)
    assert len(out.regions) <= len(lower.regions) + len(upper.regions)


real = st.floats(0.5, 40.0)


@SETTINGS
@given(flat_stacks(), st.floats(0.01, 0.99), st.sampled_from(["isotropic", "anisotropic"]))
def test_etch_of_a_flat_top_removes_width_times_depth(section, frac, mode):
    """Nothing masks the top layer: the front is the top line moved down by d."""
    top = top_layer(section)
    _, z0, _, z1 = top.geometry.bounds
    d = frac * (z1 - z0)
    out = run(xs.etch, section, target=top.material, depth=d, mode=mode)
    lost = section.union_of(materials=[top.material]).area - \
        out.union_of(materials=[top.material]).area
    # the new surface is snapped to the grid: up to width × grid of area
    assert lost == pytest.approx(section.width * d, rel=1e-7, abs=section.width * xs.tol.grid)


@SETTINGS
@given(flat_stacks(), st.floats(0.001, 10.0), st.sampled_from(["top", "bottom"]))
def test_laminate_and_deposit_on_a_flat_stack_add_width_times_thickness(section, t, side):
    lam = run(xs.laminate, section, material="epoxy", thickness=t, side=side, numeral="13")
    snap = section.width * xs.tol.grid
    assert lam.union_of(numerals=["13"]).area == pytest.approx(section.width * t, rel=1e-7,
                                                               abs=snap)
    one = run(xs.deposit, section, material="titanium", thickness=t, numeral="t", side=side)
    assert one.union_of(numerals=["t"]).area == pytest.approx(section.width * t, rel=1e-6,
                                                              abs=snap)
    dep = run(xs.deposit, section, material="titanium", thickness=t, numeral="t", side="both")
    # every face but the cut planes: the top and the bottom
    assert dep.union_of(numerals=["t"]).area == pytest.approx(2 * section.width * t, rel=1e-6,
                                                              abs=2 * snap)
    seen = run(xs.deposit, section, material="titanium", thickness=t, numeral="t", side=side,
               mode="directional")  # line of sight on a flat face: the same film
    assert seen.union_of(numerals=["t"]).area == pytest.approx(section.width * t, rel=1e-6,
                                                               abs=snap)


@SETTINGS
@given(flat_stacks(), st.lists(st.tuples(st.floats(0.0, 0.95), st.floats(0.001, 0.3)),
                               min_size=1, max_size=4))
def test_pattern_of_the_top_layer_removes_the_intervals(section, spans):
    top = top_layer(section)
    _, z0, _, z1 = top.geometry.bounds
    for r in sorted(section.regions, key=lambda r: -r.geometry.bounds[3])[1:]:
        if r.material != top.material:
            break
        z0 = r.geometry.bounds[1]  # the same material below: one column, cleared through
    remove = [(section.x0 + a * section.width, section.x0 + min(a + b, 1.0) * section.width)
              for a, b in spans]
    out = run(xs.pattern, section, target=top.material, remove=remove)
    merged = shapely.union_all([shapely.box(a, 0, b, 1) for a, b in remove])
    lost = section.union_of(materials=[top.material]).area - \
        out.union_of(materials=[top.material]).area
    assert lost == pytest.approx(merged.area * (z1 - z0), rel=1e-7,
                                 abs=2 * len(remove) * (z1 - z0) * xs.tol.grid + 1e-9)


@st.composite
def stepped_tops(draw: st.DrawFn) -> tuple[xs.Section, list[tuple[float, float]]]:
    """Silicon whose top is a random staircase of real-valued steps (1 nm–20 µm)."""
    width = draw(st.floats(60.0, 300.0))
    n = draw(st.integers(1, 8))
    xs_ = sorted(draw(st.lists(st.floats(0.02, 0.98), min_size=n, max_size=n, unique=True)))
    zs = [20.0 + draw(st.floats(-10.0, 10.0)) * draw(st.sampled_from([1e-4, 1e-2, 1.0]))
          for _ in range(n + 1)]
    top = [(0.0, zs[0])]
    for k, f in enumerate(xs_):
        top += [(f * width, zs[k]), (f * width, zs[k + 1])]
    top.append((width, zs[-1]))
    body = shapely.Polygon([(0.0, 0.0), (width, 0.0), *top[::-1]])
    body = g.clean(body)
    return xs.Section(0.0, width, (xs.Region(body, "silicon", "1"),)), top


@SETTINGS
@given(stepped_tops(), st.floats(0.05, 12.0))
def test_films_over_stepped_surfaces_keep_their_thickness(stepped, t):
    """Every vertex of the film's far side lies t from the surface (to the arc
    tolerance), and the middle of every far-side edge no nearer than t(1 − 2 tol.arc)."""
    section, _top = stepped
    out = run(xs.deposit, section, material="titanium", thickness=t, numeral="t")
    film = out.union_of(numerals=["t"])
    # the surface as stored (a step narrower than the grid is cleaned away)
    surface = section.regions[0].geometry.boundary
    upper = g.intersection(film, g.domain_box(section.x0, section.x1, 1.0, 1e3))
    assert upper.area > 0
    for poly in g.polygons(upper):
        xy = np.asarray(poly.exterior.coords)
        mids = (xy[:-1] + xy[1:]) / 2
        inner = (xy[:, 0] > section.x0 + 1e-6) & (xy[:, 0] < section.x1 - 1e-6)
        d = shapely.distance(shapely.points(xy[inner]), surface)
        far = d[d > 1e-5]
        assert np.all(far <= t + 1e-6), far.max()
        assert np.all(far >= t * (1 - xs.tol.arc) - 1e-6), far.min()
        m_inner = (mids[:, 0] > section.x0 + 1e-6) & (mids[:, 0] < section.x1 - 1e-6)
        dm = shapely.distance(shapely.points(mids[m_inner]), surface)
        dm = dm[dm > t * 0.5]
        assert np.all(dm >= t * (1 - 2 * xs.tol.arc) - 1e-6), dm.min()


@st.composite
def ball_groups(draw: st.DrawFn) -> tuple[list[list[tuple[float, float]]], float]:
    """1–3 groups of 1–3 balls (x offset, diameter), groups far apart. The
    first ball of a group rests on the plane; a later one at |dx| < 2√(r₀ r)
    would overlap it on the plane, so it must rest on a ball of the group.
    Returns the groups and a contact angle."""
    groups = []
    for _ in range(draw(st.integers(1, 3))):
        d0 = draw(st.floats(8.0, 60.0))
        balls = [(0.0, d0)]
        for _ in range(draw(st.integers(0, 2))):
            d = draw(st.floats(8.0, 60.0))
            dx = draw(st.floats(-0.95, 0.95)) * 2 * math.sqrt(d0 * d / 4)
            balls.append((dx, d))
        groups.append(balls)
    return groups, draw(st.floats(40.0, 150.0))


def cap_reach(volume: float, angle: float) -> float:
    """Half-width (µm) of the cap of ``volume`` at ``angle`` (from its sphere)."""
    c = math.cos(math.radians(angle))
    radius = (3 * volume / (math.pi * (1 - c) ** 2 * (2 + c))) ** (1 / 3)
    return radius if angle >= 90 else radius * math.sin(math.radians(angle))


@SETTINGS
@given(ball_groups(), st.floats(2.0, 30.0))
def test_reflow_of_random_ball_sets_merges_touching_balls_and_conserves_volume(groups_angle,
                                                                              pad_z):
    groups, angle = groups_angle
    volumes = [sum(math.pi * d**3 / 6 for _, d in balls) for balls in groups]
    spans = [max(abs(x) + d for x, d in balls) + cap_reach(v, angle)
             for balls, v in zip(groups, volumes)]
    pitch = 3 * max(spans)
    width = pitch * len(groups)
    s = xs.stack(width=width, layers=[xs.Layer("silicon", 50.0), xs.Layer("copper", pad_z)])
    for k, balls in enumerate(groups):
        for x, d in balls:
            s = xs.place(s, material="SAC305", at=[pitch * (k + 0.5) + x], diameter=d,
                         numeral="b")
    out = run(xs.reflow, s, peak_temperature=250, contact_angle_deg=angle)
    bodies = sorted(out.select(numerals=["b"]), key=lambda r: r.geometry.centroid.x)
    assert len(bodies) == len(groups), "touching molten balls must merge"
    for body, v in zip(bodies, volumes):
        assert reflow_volume(body.geometry) == pytest.approx(v, rel=1e-6)


def reflow_volume(geom) -> float:
    return sum(g.axisymmetric_volume(p, p.centroid.x) for p in g.polygons(geom))


def _step(draw, s: xs.Section):  # one random operator call on ``s``
    mats = present(s) or ["copper"]  # (a strip may have emptied the section)
    kind = draw(st.sampled_from(["etch", "plate", "deposit", "laminate", "fill", "pattern",
                                 "place", "reflow", "grind", "strip", "drill", "roughen"]))
    x = s.x0 + draw(st.floats(0.05, 0.95)) * s.width
    length = draw(st.floats(0.01, 30.0))
    mat = draw(st.sampled_from(mats))
    if kind == "etch":
        return xs.etch, dict(target=mat, depth=length, side=draw(st.sampled_from(SIDES)),
                             mode=draw(st.sampled_from(["isotropic", "anisotropic"])))
    if kind == "plate":
        conductors = [m for m in mats if s.materials[m].conductive] or ["copper"]
        return xs.plate, dict(material="nickel", thickness=length / 3,
                              on=draw(st.sampled_from(conductors)))
    if kind == "deposit":
        return xs.deposit, dict(material="titanium", thickness=length / 3)
    if kind == "laminate":
        return xs.laminate, dict(material="epoxy", thickness=length,
                                 side=draw(st.sampled_from(["top", "bottom"])))
    if kind == "fill":
        return xs.fill, dict(material="Sn63Pb37", on=mat, level=s.zmax - length / 2)
    if kind == "pattern":
        return xs.pattern, dict(target=mat, remove=[(x, min(x + length, s.x1))],
                                undercut=draw(st.floats(0.0, 3.0)))
    if kind == "place":
        d = min(length + 5.0, s.width / 3)
        return xs.place, dict(material="SAC305", at=[min(max(x, s.x0 + d / 2), s.x1 - d / 2)],
                              diameter=d)
    if kind == "reflow":
        return xs.reflow, dict(peak_temperature=draw(st.floats(150.0, 330.0)),
                               contact_angle_deg=draw(st.one_of(st.none(),
                                                                st.floats(20.0, 160.0))))
    if kind == "grind":
        return xs.grind, dict(level=s.zmin + draw(st.floats(0.2, 0.99)) * (s.zmax - s.zmin))
    if kind == "strip":
        return xs.strip, dict(target=mat)
    if kind == "drill":
        return xs.drill, dict(target=mat, at=[x], top_width=length + 1.0)
    return xs.roughen, dict(target=mat, amplitude=length / 10, period=length + 2.0)


SIDES = ["top", "bottom", "both"]


@SETTINGS
@given(stacks(), st.data())
def test_random_flows_raise_nothing_but_xsection_errors(section, data):
    """Four random steps in a row: every outcome is a valid section or an
    XsectionError that says why; no GEOS or Python error ever escapes."""
    s = section
    for _ in range(4):
        op, kwargs = _step(data.draw, s)
        try:
            s = op(s, **kwargs)
        except xs.XsectionError as err:
            assert str(err), op.__name__
            continue
        assert all(r.geometry.is_valid for r in s.regions)


@SETTINGS
@given(stacks(), st.floats(0.01, 15.0), st.sampled_from(["top", "bottom"]))
def test_line_of_sight_film_is_thickness_tall_in_every_column(section, t, side):
    """Every vertical line meets the far space's first surface once: the
    film above it is exactly t tall, whatever the stack and its openings."""
    out = run(xs.deposit, section, material="gold", thickness=t, mode="directional",
              side=side, numeral="f")
    never_removes(section, out)
    film = out.union_of(numerals=["f"])
    # each column's top snaps to the grid: up to width × grid of area
    assert film.area == pytest.approx(section.width * t, rel=1e-6,
                                      abs=2 * section.width * xs.tol.grid)


@SETTINGS
@given(stacks(), st.floats(0.5, 10.0))
def test_an_etch_by_numeral_touches_that_body_only(section, d):
    top = top_layer(section)  # every strategy layer has a numeral
    out = run(xs.etch, section, numerals=[top.numeral], depth=d)
    for before, after in zip(section.regions, out.regions):
        if before.numeral != top.numeral:
            assert after == before
    lost = section.union_of(numerals=[top.numeral]).area - out.union_of(
        numerals=[top.numeral]).area
    if exposed_length(section, [top.material]) > 1.0 and \
            g.shared_boundary(top.geometry, section.open_ambient()).length > 1.0:
        assert lost > 0.0, "an exposed body named by numeral lost nothing"
