"""The corpus of flows beyond the seeds: each built-in recipe's key numbers
computed here by hand from its design values and the physics (closed-form
caps and joints, geodesic undercuts, film stacks), never read back."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
import shapely.affinity
from shapely.geometry import box

import xsection as xs
from xsection import geometry as g
from xsection import measure, recipe

CORPUS = ("cu_pillar", "tsv", "fan_out", "c4_joint", "embedded_trace", "wlcsp", "half_etch",
          "pop_tmv", "chiplet_2p5d", "hybrid_bond")


def figures(name: str) -> dict[str, xs.Section]:
    return {s.figure: s.section for s in recipe.load(name).run() if s.figure}


def cap_h(volume: float, a: float) -> float:
    """Real root of h³ + 3a²h − 6V/π = 0 (numpy, not the program's solver)."""
    (h,) = [r.real for r in np.roots([1.0, 0.0, 3 * a * a, -6 * volume / math.pi])
            if abs(r.imag) < 1e-9 and r.real > 0]
    return float(h)


def parts(s: xs.Section, numeral: str) -> list:
    return sorted(g.polygons(s.union_of(numerals=[numeral])), key=lambda p: p.bounds[0])


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_flow_is_listed_and_passes_its_checks(name):
    assert name in recipe.BUILTIN
    from xsection.checks import run_checks

    results = run_checks(recipe.load(name))
    assert results and all(r.passed for r in results), [r for r in results if not r.passed]


def test_cu_pillar_seed_undercut_and_cap_follow_the_geometry():
    f = figures("cu_pillar")
    pi_top = 20.0 + 1.2 + 0.8 + 5.3  # laminate: 5.3 over the SiN on the pad
    assert f["1C"].union_of(numerals=["8"]).bounds[3] == pytest.approx(pi_top + 40.3)
    # seed 0.3 on Ti 0.1 on the polyimide; etched 0.5 then Ti 0.25 from the
    # pillar foot corner at x = 64.7 (the resist edge, 64.9 less the 0.2 descum)
    seed, ti = parts(f["1D"], "6")[0], parts(f["1D"], "5")[0]
    z_ti, z_cu, z_top = pi_top, pi_top + 0.1, pi_top + 0.4
    cu_top = g.chords(seed, z_top - 1e-6)[0]  # left of the via dip
    cu_bot = g.chords(seed, z_cu + 1e-6)[0]
    assert cu_top[0] == pytest.approx(64.7 + 0.5, abs=1e-3)
    assert cu_bot[0] == pytest.approx(64.7 + math.sqrt(0.5**2 - (0.3 - 1e-6) ** 2), abs=2e-3)
    foot = 64.7 + math.sqrt(0.5**2 - 0.3**2)  # where the Cu seed meets the Ti
    ti_top = g.chords(ti, z_cu - 1e-6)[0]
    ti_bot = g.chords(ti, z_ti + 1e-6)[0]
    assert ti_top[0] == pytest.approx(foot + 0.25, abs=2e-3)
    assert ti_bot[0] == pytest.approx(foot + math.sqrt(0.25**2 - (0.1 - 1e-6) ** 2), abs=3e-3)
    # the cap: V = π a² 20.4 on a = 25.3 (the opening after the descum), pinned at the Ni
    a = 50.6 / 2
    for bump in measure.bumps(f["1E"], "10"):
        h = cap_h(math.pi * a * a * 20.4, a)
        assert bump.height == pytest.approx(h, rel=2e-3)
        assert bump.base_width == pytest.approx(2 * a, abs=1e-3)
        assert bump.volume == pytest.approx(math.pi * a * a * 20.4, rel=1e-6)
    # the sputtered Ti and seed on the floor of the 30.4 wide, 6.1 deep polyimide
    # opening: the mean of the view factor over a trench floor, (√(w² + d²) − d)/w
    from xsection.films import film

    w, d = 30.4, 27.3 - 21.2
    ti = 0.1 * (math.hypot(w, d) - d) / w
    assert film(f["1B"], "5").bottom == pytest.approx(ti, rel=1e-2)
    w2, d2 = w - 2 * film(f["1B"], "5").wall, d + 0.1 - ti  # inside the Ti
    assert film(f["1B"], "6").bottom == pytest.approx(0.3 * (math.hypot(w2, d2) - d2) / w2,
                                                      rel=1e-2)


def test_tsv_stack_and_reveal_follow_the_film_thicknesses():
    """The liner is conformal (0.52); the barrier (0.11 on the field) is
    sputtered into the lined via, w = 19.16 wide and 100.3 deep: on the wall
    y below the liner's top it is 0.11 · ½(1 − y/√(w² + y²)) (the 2-D view
    factor of a cosine source), so the copper inside is w less twice that."""
    f = figures("tsv")
    w = 20.2 - 2 * 0.52

    def core(z: float) -> float:
        y = 250.52 - z
        return w - 2 * 0.11 * 0.5 * (1 - y / math.hypot(w, y))

    cu = f["1D"].union_of(materials=["copper"])
    assert [b - a for a, b in g.chords(cu, 200.0)] == pytest.approx([core(200.0)] * 2, abs=1e-3)
    assert cu.bounds[3] == pytest.approx(250.0 + 0.52)  # CMP stops on the liner
    rev = f["1F"]
    assert rev.union_of(materials=["silicon"]).bounds[1] == pytest.approx(147.6 + 5.0)
    assert rev.solid.bounds[1] == pytest.approx(150.7)
    assert measure.exposed_width(rev, "copper", direction="down") == \
        pytest.approx(2 * core(150.7), abs=2e-3)


def test_fan_out_ball_is_the_cup_plus_the_cap_on_the_rim():
    f = figures("fan_out")
    flush = 30.0 + 60.0 + 1.5
    rdl1 = flush + 5.1 + 5.2
    rdl2 = rdl1 + 5.1 + 5.2
    rim = rdl2 + 5.3
    ni = rdl2 + 3.1
    a = 40.4 / 2
    v = math.pi * 60.3**3 / 6
    h = cap_h(v - math.pi * a * a * (rim - ni), a)
    (ball,) = parts(f["1F"], "13")
    assert ball.bounds[3] == pytest.approx(rim + h, rel=0, abs=2e-3 * h)
    assert g.own_axis_volume(ball) == pytest.approx(v, rel=1e-6)
    assert ball.bounds[1] == pytest.approx(ni)
    # the RDL reaches from the die pad past the die edge (x = 200)
    (rdl,) = parts(f["1B"], "7")
    assert rdl.bounds[0] < 110.0 - 20.0 + 1e-6 and rdl.bounds[2] > 200.0


def test_c4_joints_age_into_their_ubm():
    """1000 h at 150 °C: x = √(k₀ exp(−Q/RT) t) of Cu6Sn5 (k₀ = 1.85e-9 m²/s,
    Q = 65.4 kJ/mol), 0.362 of it taken from the 3 µm Cu UBM."""
    f = figures("c4_joint")
    x = math.sqrt(1.85e-9 * math.exp(-65.4e3 / (8.314462618 * 423.15)) * 1000 * 3600) * 1e6
    assert measure.thickness_at(f["1E"], "9", 100.0) == pytest.approx(x, rel=1e-6)
    assert measure.thickness_at(f["1E"], "6", 100.0) == pytest.approx(
        3.0 - 6 * 7.11 / 117.7 * x, abs=1e-6)


def test_c4_joints_rest_at_the_truncated_sphere_standoff_and_underfill_fills_the_gap():
    f = figures("c4_joint")
    rim, ni = 60.0 + 15.0 + 10.0, 60.0 + 15.0 + 5.1
    a1, a2 = 50.4 / 2, 60.4 / 2
    v = math.pi * 80.3**3 / 6
    v_free = v - math.pi * a1 * a1 * (rim - ni)
    (h,) = [r.real for r in np.roots([1.0, 0.0, 3 * (a1**2 + a2**2), -6 * v_free / math.pi])
            if abs(r.imag) < 1e-9 and r.real > 0]
    joined = f["1C"]
    for ubm in parts(joined, "6"):
        assert ubm.bounds[1] == pytest.approx(rim + h, abs=1e-6)
    assert joined.union_of(numerals=["7"]).bounds[1] == pytest.approx(rim + h + 3.0, abs=1e-6)
    zc = (a2**2 - a1**2 + h * h) / (2 * h)
    radius = math.hypot(a1, zc)
    for joint in parts(joined, "5"):
        assert g.own_axis_volume(joint) == pytest.approx(v, rel=1e-6)
        assert (joint.bounds[2] - joint.bounds[0]) / 2 == pytest.approx(
            radius, abs=3 * xs.tol.arc * radius)
    gap = box(30.0, rim, 370.0, rim + h)
    assert g.intersection(f["1D"].ambient(), gap).area == pytest.approx(0.0, abs=1e-6)


def test_embedded_traces_lie_flush_in_the_dielectric_face():
    f = figures("embedded_trace")
    done = f["1D"]
    traces = parts(done, "4")
    assert [t.bounds[2] - t.bounds[0] for t in traces] == pytest.approx([12.4] * 4)
    face = done.union_of(numerals=["5"]).bounds[1]
    assert face == pytest.approx(18.0 + 1.0)
    assert all(t.bounds[1] == pytest.approx(face) for t in traces)
    assert measure.exposed_width(done, "copper", direction="down") == \
        pytest.approx(4 * 12.4, abs=1e-6)


def test_wlcsp_cut_at_20_degrees_sees_each_square_wider_by_1_over_cos():
    """The layout's squares (pad 62.4, opening 38.2, UBM 50.6) centred on a
    cut at 20°, 80 µm from its start and at pitch 130.25: each is seen
    side/cos 20° wide, centred at 80 + k·130.25; the caps follow the cubic.
    Positions hold to the layout's 1 nm grid."""
    grid = 1e-3
    f = figures("wlcsp")
    c = math.cos(math.radians(20.0))
    centres = [80.0 + k * 130.25 for k in range(3)]
    pads = parts(f["1A"], "2")
    assert [(p.bounds[0], p.bounds[2]) for p in pads] == [
        pytest.approx((x - 31.2 / c, x + 31.2 / c), abs=grid) for x in centres]
    assert all(p.bounds[3] - p.bounds[1] == pytest.approx(1.1) for p in pads)
    assert measure.exposed_width(f["1A"], "aluminium") == pytest.approx(3 * 38.2 / c, abs=grid)
    a = 50.6 / c / 2  # the resist opening, the Ni top and the cap's base
    ni_top = 30.0 + 1.1 + 0.7 + 4.2
    for x, bump in zip(centres, measure.bumps(f["1E"], "9")):
        v = math.pi * a * a * 25.3
        assert bump.base_width == pytest.approx(2 * a, abs=grid)
        assert bump.volume == pytest.approx(v, rel=1e-4)
        assert bump.height == pytest.approx(cap_h(v, a), rel=2e-3)
        assert bump.apex_z - bump.height == pytest.approx(ni_top, abs=1e-6)
        assert bump.x == pytest.approx(x, abs=grid)


def test_half_etch_cavities_are_the_openings_swept_by_an_ellipse():
    """Each cavity is what an ellipse of semi-axes r·d across and d = 63.65
    down (etch factor 2.5: r = 0.4) swept along its opening (83.27, 105.57,
    56.67 wide, real positions) cuts from the 127.3 strip: the removed
    copper lies within the arc tolerance of that set everywhere (Hausdorff;
    the set is a disc's sweep in x scaled by 1/r, scaled back) and has its
    area, Σ(w·d + π·r·d²/2), less at most the chords; the strip below stays
    one piece 63.65 thick."""
    d, r, top, width = 63.65, 0.4, 127.3, 1012.7
    slots = [(148.35, 231.62), (455.9, 561.47), (780.21, 836.88)]
    f = figures("half_etch")
    removed = f["1A"].union_of(materials=["copper"]).difference(
        f["1B"].union_of(materials=["copper"]))
    disc_sweep = shapely.buffer(shapely.multilinestrings(
        [[(a / r, top), (b / r, top)] for a, b in slots]), d, quad_segs=2048)
    exact = shapely.intersection(shapely.affinity.scale(disc_sweep, r, 1.0, origin=(0, 0)),
                                 box(0.0, 0.0, width, top))
    assert shapely.hausdorff_distance(removed, exact, densify=0.01) <= 1e-3 * d + 1e-6
    area = sum((b - a) * d + math.pi * r * d * d / 2 for a, b in slots)
    chords = (2 / 3) * 1e-3 * math.pi * r * d * d * len(slots)
    assert area - chords - 1e-6 <= removed.area <= area + 1e-6
    for v in measure.voids(f["1B"], "14", material="copper"):
        assert v.undercut_left == pytest.approx(r * d, abs=1e-2)
        assert v.undercut_right == pytest.approx(r * d, abs=1e-2)
    left = f["1C"].union_of(materials=["copper"])
    assert len(g.polygons(left)) == 1
    assert min(_floor(left, x) for x in np.linspace(1.0, width - 1.0, 97)) == \
        pytest.approx(top - d, abs=1e-6)


def _floor(copper, x: float) -> float:
    """The copper's top at x (µm)."""
    (seg,) = g.lines(copper.intersection(shapely.LineString([(x, -1.0), (x, 1e3)])))
    return max(z for _, z in seg.coords)


def test_pop_tmv_joints_stand_where_the_volumes_put_them():
    """Package on package: die joints on 50 faces (truncated sphere), TMV
    balls capped on 212.4 openings, the laser floor where the cap's chord is
    210.6, and each PoP joint: the cavity below the floor full, the rest a
    truncated sphere from the floor (105.3) to the top opening (106.2); the
    joints are measured as joints (case 4 of issue 25: never a bump on the
    mould)."""
    from xsection.joints import joints
    from xsection.tables import figure_measurements

    f = figures("pop_tmv")
    h_die = cap_h(math.pi * 62.5**3 / 6, math.hypot(25.0, 25.0))
    assert [j.standoff for j in joints(f["1D"], "24")] == pytest.approx([h_die] * 5, abs=2e-3)
    a, cup = 106.2, math.pi * 106.2**2 * 20.0
    h = cap_h(math.pi * 250.0**3 / 6 - cup, a)
    assert [b.height for b in measure.bumps(f["1E"], "16")] == pytest.approx([h, h], rel=2e-3)
    big_r = (a * a + h * h) / (2 * h)
    zc = 200.0 + h - big_r  # pad top 180, resist top 200
    floor = zc + math.sqrt(big_r**2 - 105.3**2)
    (hole, _) = measure.voids(f["1G"], "19")
    assert hole.mouth_z == pytest.approx(200.0 + h + 45.0, rel=1e-3)
    assert hole.mouth_z - hole.depth == pytest.approx(floor, abs=0.1)
    assert measure.exposed_width(f["1G"], "16") == pytest.approx(
        2 * 2 * big_r * math.asin(105.3 / big_r), rel=2e-3)
    segment = math.pi * (big_r**2 * (floor - 200.0) - ((floor - zc) ** 3 - (200.0 - zc) ** 3) / 3)
    v_free = math.pi * (250.0**3 + 230.0**3) / 6 - cup - segment
    h_joint = cap_h(v_free, math.hypot(105.3, 106.2))
    for j in joints(f["1J"], "16"):
        assert j.standoff == pytest.approx(floor - 180.0 + h_joint, abs=0.1)
        assert j.waist_width == pytest.approx(210.6, abs=1e-3)
        assert j.lower_z == pytest.approx(180.0)
    data = figure_measurements(f["1J"])
    assert data["bumps"] == [] and sorted({j["numeral"] for j in data["joints"]}) == ["16", "24"]
    v_ball = math.pi * 300.0**3 / 6 - math.pi * 125.0**2 * 20.0
    assert [b.height for b in measure.bumps(f["1K"], "30", direction="down")] == \
        pytest.approx([cap_h(v_ball, 125.0)] * 3, rel=2e-3)


def test_chiplet_2p5d_joints_at_every_level_and_riding_the_last_reflow():
    """Four parts: micro-joints (24 balls between 24 pillars and 30 pads),
    C4 joints (90 balls between 70 pads, both non-solder-mask defined) and
    BGA joints (350 balls between a 250 opening and a 260 pad), each the
    truncated sphere h³ + 3(a₁² + a₂²)h = 6V/π; the last reflow moves the
    package onto its BGA joints and the joints above ride along unchanged."""
    from xsection.joints import joints

    f = figures("chiplet_2p5d")
    micro = cap_h(4 / 3 * math.pi * 12.0**3, math.hypot(15.0, 12.0))
    c4 = cap_h(math.pi * 90.0**3 / 6, math.hypot(35.0, 35.0))
    bga = cap_h(math.pi * 350.0**3 / 6, math.hypot(130.0, 125.0))
    for fig, name, h in (("1D", "46", micro), ("1G", "36", c4), ("1K", "56", bga),
                         ("1K", "46", micro), ("1K", "36", c4)):
        found = joints(f[fig], name)
        assert found and [j.standoff for j in found] == pytest.approx([h] * len(found),
                                                                       abs=1e-3), (fig, name)
    drop = f["1J"].union_of(numerals=["40"]).bounds[1] - f["1K"].union_of(numerals=["40"]).bounds[1]
    assert drop > 0  # the package came down onto its joints ...
    for name in ("46", "36"):  # ... and the joints above came with it, the same shapes
        before = shapely.affinity.translate(f["1J"].union_of(numerals=[name]), 0.0, -drop)
        assert before.hausdorff_distance(f["1K"].union_of(numerals=[name])) <= 1e-5


def test_hybrid_bond_pads_dish_by_width_and_the_anneal_closes_what_it_reaches():
    """Each Cu pad (its recess less the 0.02 barrier each side) is dished
    d(w) = 8 nm (1 − exp(−w/5)) in its middle; after bonding the facing pads
    are 2 d(w) apart there; at 300 °C each grows 1.48 (16.5 − 0.55) ppm/K ·
    275 K toward the other: where 2Δ ≥ 2 d the pads join, else a lens of
    2 d − 2Δ stays."""
    f = figures("hybrid_bond")
    grow = 1.48 * (16.5 - 0.55) * 1e-6 * 275.0
    for left, right in ((10.0, 12.0), (32.0, 36.0), (56.0, 65.0)):
        w = right - left - 0.04
        dish = 0.008 * (1 - math.exp(-w / 5.0))
        mid = (left + right) / 2
        assert measure.thickness_at(f["1A"], "4", mid) == pytest.approx(1.48 - dish, abs=1e-6)
        assert measure.thickness_at(f["1C"], "copper", mid) == pytest.approx(
            2.96 - max(2 * dish - 2 * grow, 0.0), abs=1e-6)
    assert len(g.polygons(f["1B"].union_of(materials=["copper"]))) == 6
    assert len(g.polygons(f["1C"].union_of(materials=["copper"]))) == 3
