"""Every built-in recipe loads, runs, renders in both styles and passes the
renderer's check; its figures show what ../shared/flows.md asks."""

from __future__ import annotations

import itertools
import math
import pathlib

import pytest
from shapely.geometry import box

import xsection as xs
from xsection import geometry as g
from xsection import measure, recipe
from xsection.render import check_page, check_sheets, render, to_svg


@pytest.fixture(scope="module", params=recipe.BUILTIN)
def flow(request):
    return recipe.load(request.param)


@pytest.mark.parametrize("style", ["patent", "color"])
def test_recipe_renders_and_passes_the_check(flow, style):
    rendering = render(flow, style=style, exaggeration=flow.exaggeration)
    assert rendering.figures
    for page in [*rendering.sheets, *rendering.figures]:
        assert check_page(page, to_svg(page)) == [], page.name
    assert check_sheets(rendering.sheets) == []


def figures(name: str) -> dict[str, xs.Section]:
    return {s.figure: s.section for s in recipe.load(name).run() if s.figure}


def test_seed002_terminal_is_a_volume_conserving_cap_that_tapers_upward():
    f = figures("seed002")
    ball = f["1B"].select(numerals=["6"])[0].geometry
    cap = f["1C"].select(numerals=["5"])[0].geometry
    axis = 200.0
    assert g.axisymmetric_volume(cap, axis) == pytest.approx(g.axisymmetric_volume(ball, axis),
                                                            rel=1e-3)
    top3 = max(r.geometry.bounds[3] for r in f["1C"].select(numerals=["3"]))
    widths = [b - a for z in range(int(top3) + 1, int(cap.bounds[3]))
              for a, b in g.chords(cap, z)]
    assert all(w1 >= w2 for w1, w2 in itertools.pairwise(widths))
    assert top3 < cap.bounds[3]


def test_seed002_grind_shows_a_flat_and_claims_2_3_hold():
    s = figures("seed002")["2A"]
    (flat,) = [c for c in g.chords(s.union_of(materials=["Pb83Sn17"]), s.zmax - 1e-6)
               if c[0] < 400]
    assert flat[1] - flat[0] == pytest.approx(160.0, rel=1e-3)
    resin = s.zmax - 90.0  # layers 3 + 7 above the rewiring layer top
    assert 50.0 <= resin <= 500.0
    height5 = s.zmax - 90.0
    assert resin <= height5 + 1e-6


def test_seed002_only_the_lower_melting_ball_reflows():
    f = figures("seed002")
    before = f["2B"].select(numerals=["5"])
    after = f["2C"].select(numerals=["5"])
    assert [r.geometry.wkb for r in before] == [r.geometry.wkb for r in after]
    caps = f["2C"].select(numerals=["10"])
    assert len(caps) == 2


def test_seed000_posts_are_undercut_and_the_nickel_stays_under_them():
    f = figures("seed000")
    posts = f["1A"].union_of(numerals=["1"])
    left = g.intersection(posts, box(0, 0, 400, 200))
    top = g.chords(left, 80 - 1e-3)[0]
    base = g.chords(left, 20 + 1e-3)[0]
    assert top[1] - top[0] == pytest.approx(80.0, abs=0.5)
    assert base[1] - base[0] == pytest.approx(200.0, abs=0.5)
    nickel = f["1B"].union_of(materials=["nickel"])
    assert nickel.bounds[0] >= 100.0 - 1e-6
    assert f["1A"].union_of(numerals=["2"]).area == pytest.approx(2000 * 18, rel=1e-9)


def test_seed000_bond_merges_the_conductors_and_the_chip_sits_in_the_cavity():
    f = figures("seed000")
    joined = [r for r in f["1H"].select(materials=["copper"])
              if r.geometry.bounds[1] < 40 and r.geometry.bounds[3] > 90]  # post + circuit above
    assert joined
    # 1F: the carrier patterned into circuits, the resin bottom exposed between them
    assert measure.exposed_width(f["1F"], "lcp", direction="down") >= 2000 - 5 * 280
    chip = f["1J"].select(numerals=["8"])[0].geometry
    electrode = f["1J"].select(numerals=["11"])[0].geometry
    joint = f["1J"].union_of(numerals=["9"])
    post = next(p for p in g.polygons(f["1J"].union_of(numerals=["1"]))
                if p.bounds[0] < 1000 < p.bounds[2] and p.bounds[3] == pytest.approx(80.0))
    assert chip.bounds[0] > 800 and chip.bounds[2] < 1200 and chip.bounds[3] < 160
    assert chip.bounds[1] == pytest.approx(electrode.bounds[3])  # on its electrode
    assert joint.distance(post) < 1e-6 and joint.distance(electrode) < 1e-6  # connected
    # 1K: the seal fills the cavity 400 × 80 around the chip, electrode and joint
    sealed = f["1K"]
    parts = sum(sealed.union_of(numerals=[n]).area for n in ("8", "9", "10", "11"))
    assert parts == pytest.approx(400 * 80, rel=1e-6)


def test_seed001_cut_in_1k_clears_the_bumps_and_takes_the_adhesive():
    """Cut inside the adhered periphery (adhesive to 20 and from 460) and
    outside the outer bumps (barrier film from 25 to 425): no bump or film
    is sliced by the section's ends."""
    s = figures("seed001")["1K"]
    assert not s.select(materials=["adhesive"])
    for numeral in ("18", "20"):
        for part in g.polygons(s.union_of(numerals=[numeral])):
            assert part.bounds[0] > s.x0 + 1.0 and part.bounds[2] < s.x1 - 1.0, numeral


def test_seed003_die_coplanar_columns_stacked_balls_on_a_grid():
    s = figures("seed003")["5"]
    die = s.select(numerals=["110"])[0].geometry
    carrier = s.select(numerals=["100"])[0].geometry
    assert die.bounds[3] == pytest.approx(carrier.bounds[3])
    assert carrier.bounds[1] < die.bounds[1]  # carrier under the die's passive surface
    cols1 = [lab.geometry for lab in s.labels if lab.numeral == "122"]
    cols2 = [lab.geometry for lab in s.labels if lab.numeral == "132"]
    for a in g.polygons(cols1[0]):
        assert any(abs(a.centroid.x - b.centroid.x) < 1e-6 for b in g.polygons(cols2[0]))
    balls = sorted(r.geometry.centroid.x for r in s.select(numerals=["140"]))
    pitches = [b - a for a, b in itertools.pairwise(balls)]
    assert all(math.isclose(p, 500.0, abs_tol=1e-3) for p in pitches)


def test_label_names_a_part_without_changing_geometry():
    s = xs.stack(width=100, layers=[xs.Layer("copper", 10, "1")])
    out = xs.label(s, numeral="4", target="copper", x_ranges=[(20, 40)])
    assert out.regions == s.regions
    (lab,) = out.labels
    assert lab.kind == "part" and lab.geometry.area == pytest.approx(200)
    with pytest.raises(xs.GeometryError):
        xs.label(s, numeral="4", target="nickel")


def test_every_builtin_recipe_passes_its_checks():
    from xsection.checks import run_checks

    for name in recipe.BUILTIN:
        flow = recipe.load(name)
        results = run_checks(flow)
        assert len(results) >= 5, name
        assert [r for r in results if not r.passed] == [], name


def test_cli_check_measure_list_and_exit_codes(tmp_path, capsys):
    from xsection.cli import main

    assert main(["check", "seed002"]) == 0
    assert "passed, 0 failed" in capsys.readouterr().out
    assert main(["measure", "seed002", "--figure", "1C", "--format", "json"]) == 0
    import json
    data = json.loads(capsys.readouterr().out)
    (bump,) = data["figures"]["1C"]["bumps"][:1]
    assert bump["numeral"] == "5" and bump["height"] > 0
    assert main(["measure", "seed002", "--figure", "9Z"]) == 2
    assert "9Z" in capsys.readouterr().err
    assert main(["list"]) == 0
    assert "seed001" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n[domain]\nwidth = -1\n[[layers]]\nmaterial = "copper"\n'
                   'thickness = 1.0\n')
    assert main(["render", str(bad), "-o", str(tmp_path / "o")]) == 2
    assert "'width'" in capsys.readouterr().err
    broken = tmp_path / "broken.toml"
    text = pathlib.Path(recipe.builtin_path("seed002")).read_text().replace(
        'min_width = 519.0', 'min_width = 900.0')
    broken.write_text(text)
    assert main(["check", str(broken)]) == 1


def test_seed002_plan_view_and_phase_diagram():
    from xsection.render.page import Lines, Text

    flow = recipe.load("seed002")
    assert recipe.parse(__import__("tomllib").loads(recipe.dump(flow))) == flow
    rendering = render(flow)
    names = [p.name for p in rendering.figures]
    assert names[-2:] == ["fig-3", "fig-4"]
    plan, phase = rendering.figures[-2:]
    assert any(isinstance(i, Lines) and i.role == "cut" for i in plan.items)
    assert [t.text for t in plan.items if isinstance(t, Text)].count("2C") == 2
    texts = [t.text for t in phase.items if isinstance(t, Text)]
    assert "Sn63Pb37" in texts and "Pb83Sn17" in texts and "FIG. 4" in texts
    assert [p.name for p in rendering.sheets][-1] == f"sheet-{len(rendering.sheets)}"
    captions = [[t.text for t in p.items if isinstance(t, Text) and t.role == "caption"]
                for p in rendering.sheets]
    assert ["FIG. 2A", "FIG. 2B", "FIG. 2C"] in captions  # group 2 on one sheet, 2C not alone
    assert all(check_page(p, to_svg(p)) == [] for p in rendering.sheets)


@pytest.mark.parametrize("script", sorted(p.stem for p in (
    pathlib.Path(__file__).resolve().parent.parent / "gallery").glob("*.py")))
def test_gallery_scripts_run_and_their_pages_pass_the_drawing_rules(script):
    import runpy

    root = pathlib.Path(__file__).resolve().parent.parent
    module = runpy.run_path(str(root / "gallery" / f"{script}.py"))
    sections = module["sections"]()
    assert sections
    rendering = module["render"](sections, style="color", panels_per_sheet=4)
    for page in [*rendering.sheets, *rendering.figures]:
        assert check_page(page, to_svg(page)) == [], page.name
