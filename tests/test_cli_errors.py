"""Bad input gets a clear answer: recipe files, check specs, the CLI's exit
codes (0 ok, 1 checks failed, 2 bad input, 3 internal error, 130 Ctrl-C)."""

from __future__ import annotations

import copy
import dataclasses
import tomllib

import pytest

import xsection as xs
from xsection import cli, recipe
from xsection.checks import values

with open(recipe.builtin_path("seed002"), "rb") as _fh:
    SEED002 = tomllib.load(_fh)


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, data: bytes, name: str = "r.toml") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("raw, words", [
    (b'name = "\xff"\n', ["r.toml", "not UTF-8", "byte 8", "line 1"]),
    (b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n", ["r.toml", "nested too deeply"]),
    (b'name = "x"\n[domain]\nwidth = ' + b"9" * 401 + b'\n[[layers]]\nmaterial = "copper"\n'
     b"thickness = 1\n", ["r.toml", "'width'", "at most 1e+08", "characters"]),
    (b'name = "x"\n[domain]\nwidth = 100\n[render]\nexaggeration = 1e300\n[[layers]]\n'
     b'material = "copper"\nthickness = 1\n', ["r.toml", "'exaggeration'", "factor",
                                               "at most 1000"]),
])
def test_unreadable_recipes_exit_2_with_a_clear_line(tmp_path, capsys, raw, words):
    path = write(tmp_path, raw)
    code, _out, err = run_cli(capsys, "check", path)
    assert code == 2
    assert "Traceback" not in err and err.count("\n") == 1
    for word in words:
        assert word in err, (word, err)


def test_a_byte_order_mark_is_read_as_utf8(tmp_path, capsys):
    with open(recipe.builtin_path("seed002"), "rb") as fh:
        path = write(tmp_path, b"\xef\xbb\xbf" + fh.read())
    code, out, _ = run_cli(capsys, "check", path)
    assert code == 0 and "14 passed" in out


def test_exaggeration_on_the_command_line_is_a_bounded_factor(tmp_path, capsys):
    code, _, err = run_cli(capsys, "render", "seed002", "-o", str(tmp_path / "o"),
                           "--exaggeration", "1e300", "--format", "svg")
    assert code == 2 and "factor" in err and "µm" not in err
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def with_check(**fields) -> dict:
    data = copy.deepcopy(SEED002)
    data["checks"] = [{"figure": "1C", **fields}]
    return data


@pytest.mark.parametrize("fields, words", [
    ({"check": "range", "value": "top:5", "min": "abc"}, ["check 0", "'min'", "number"]),
    ({"check": "compare", "left": "top:5", "right": "top:3", "op": [">"]}, ["'op'"]),
    ({"check": "range", "value": "thickness:5:abc", "max": 1}, ["thickness", "'abc'"]),
    ({"check": "touches", "name": "5"}, ["missing required key 'other'"]),
    ({"check": "exposed", "name": "5", "min_width": "wide"}, ["'min_width'", "number"]),
    ({"check": "exposed", "name": "5", "direction": "sideways"}, ["'direction'", "'up'"]),
    ({"check": "range", "value": "bump:5:heigth", "max": 1}, ["no field 'heigth'", "height"]),
    ({"check": "range", "value": "bmp:5:height", "max": 1}, ["is not bump:N:field"]),
    ({"check": "touches", "name": "5", "other": "4", "min": 1}, ["'min' does not apply"]),
    ({"check": "range", "value": "top:5"}, ["'min', 'max' or both"]),
])
def test_check_specs_are_validated_at_load(fields, words):
    with pytest.raises(recipe.RecipeError) as err:
        recipe.parse(with_check(**fields), "fuzz.toml")
    text = str(err.value)
    assert text.startswith("fuzz.toml: check 0")
    for word in words:
        assert word in text, (word, text)


def test_bump_heights_mean_the_same_in_checks_and_measure():
    """By default a bump's height is from its own base (what it stands on), as
    in ``xsection measure``; an absolute reference is asked for explicitly."""
    from xsection.tables import figure_measurements

    flow = recipe.load("seed002")
    figures = {s.figure: s.section for s in flow.run() if s.figure}
    section = figures["2C"]
    measured = [b["height"] for b in figure_measurements(section)["bumps"]
                if b["numeral"] == "10"]
    checked = values(section, "bump:10:height", {})
    assert measured and checked == pytest.approx(measured)
    # the apex above z = 0 when that is what the check says
    absolute = values(section, "bump:10:height", {"reference": 0.0})
    assert absolute == pytest.approx([b.apex_z for b in xs.measure.bumps(section, "10")])


def test_bottom_face_bumps_measure_like_top_face_ones():
    s = xs.stack(width=300, layers=[xs.Layer("silicon", 50.0), xs.Layer("copper", 10.0)])
    top = xs.place(s, material="SAC305", at=[150.0], diameter=40.0, numeral="b")
    both = xs.place(top, material="SAC305", at=[150.0], diameter=40.0, numeral="b",
                    side="bottom")
    (up,) = [b for b in xs.measure.bumps(both, "b") if b.apex_z > 30]
    (down,) = [b for b in xs.measure.bumps(both, "b", direction="down") if b.apex_z > 30]
    assert up.height == pytest.approx(40.0, abs=1e-6)
    assert down.height == pytest.approx(up.height, abs=1e-6)
    assert down.base_width == pytest.approx(up.base_width, abs=1e-6)


def test_exposed_checks_see_a_backside_reveal():
    s = xs.stack(width=200, layers=[xs.Layer("copper", 5.0, "v"), xs.Layer("silicon", 50.0)])
    s = xs.pattern(s, target="copper", keep=[(80.0, 120.0)], side="bottom")
    figures = {"R": s}
    from xsection.checks import check

    down = check(figures, {"figure": "R", "check": "exposed", "name": "v",
                           "direction": "down", "min_width": 39.0})
    up = check(figures, {"figure": "R", "check": "exposed", "name": "v", "min_width": 1.0})
    assert down.passed and not up.passed


def test_an_internal_error_is_one_line_with_exit_3(monkeypatch, capsys):
    def broken(section, **kwargs):
        raise ZeroDivisionError("a bug")

    from xsection import flow as flow_module

    ops = dict(flow_module.OPERATORS)
    ops["reflow"] = broken
    monkeypatch.setattr(flow_module, "OPERATORS", ops)
    code, _, err = run_cli(capsys, "check", "seed002")
    assert code == 3
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "seed002.toml: step" in err and "(reflow)" in err and "--debug" in err
    with pytest.raises(xs.errors.InternalError):
        cli.main(["--debug", "check", "seed002"])


def test_ctrl_c_exits_130_without_a_traceback(monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(recipe, "parse", interrupted)
    code, _, err = run_cli(capsys, "check", "seed002")
    assert code == 130 and err == "xsection: interrupted\n"


def test_run_time_errors_name_the_recipe_file():
    flow = recipe.load("seed002")
    steps = (xs.flow.Step("strip", {"target": "copper"}),
             xs.flow.Step("drill", {"target": "copper", "at": [100.0], "top_width": 10.0}))
    with pytest.raises(xs.XsectionError) as err:
        dataclasses.replace(flow, steps=steps).run()
    assert str(err.value).startswith("seed002.toml: step 2 (drill)")


@pytest.mark.parametrize("fig", ["1/A", "x/../../escaped", 'x" onerror="alert(1)', "", "a\x00b",
                                 ".hidden", "A" * 33])
def test_figure_ids_that_would_name_files_badly_are_refused_at_load(fig):
    data = copy.deepcopy(SEED002)
    data["steps"][-1]["figure"] = fig
    with pytest.raises(recipe.RecipeError, match="figure id"):
        recipe.parse(data, "fuzz.toml")


@pytest.mark.parametrize("numeral", ["5\x1b[31m", "a\u200bb", "x" * 65])
def test_numerals_with_control_characters_are_refused(numeral):
    data = copy.deepcopy(SEED002)
    data["layers"][0]["numeral"] = numeral
    with pytest.raises(recipe.RecipeError, match="printable"):
        recipe.parse(data, "fuzz.toml")


def test_a_dollar_numeral_is_drawn_as_written(tmp_path, capsys):
    data = copy.deepcopy(SEED002)
    data["layers"][0]["numeral"] = r"$\frac$"
    data["render"]["breaks"][0]["numeral"] = r"$\frac$"  # the chip's break line follows it
    path = tmp_path / "d.toml"
    path.write_text(recipe.dump(recipe.parse(data, "d.toml")))
    code, _, err = run_cli(capsys, "render", str(path), "-o", str(tmp_path / "o"),
                           "--format", "svg,png")
    assert code == 0, err
    assert r"$\frac$" in (tmp_path / "o" / "fig-1A.svg").read_text()


def test_output_is_all_or_nothing(tmp_path, monkeypatch):
    from xsection import render as render_module

    flow = recipe.load("seed002")
    rendering = render_module.render(flow)
    calls = []
    real = render_module._encode

    def failing(page, fmt, dpi, outline_text):
        calls.append(page.name)
        if len(calls) == 3:
            raise xs.InputError("no CJK font (simulated)")
        return real(page, fmt, dpi, outline_text)

    monkeypatch.setattr(render_module, "_encode", failing)
    out = tmp_path / "out"
    with pytest.raises(xs.InputError):
        render_module.write(rendering, str(out), "svg")
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no staging folder left either


def test_no_path_leaves_the_output_folder(tmp_path):
    from xsection.render import OutputError, commit

    (tmp_path / "out" / "fig-x").mkdir(parents=True)
    with pytest.raises(OutputError, match="outside"):
        commit(str(tmp_path / "out"), [("fig-x/../../escaped.svg", b"<svg/>")])
    assert not (tmp_path / "escaped.svg").exists()


def test_a_step_that_changes_nothing_is_an_error_unless_it_says_so():
    flow = recipe.load("seed002")
    noop = xs.flow.Step("pattern", {"target": "epoxy", "remove": [(10.0, 20.0)]})
    with pytest.raises(xs.GeometryError, match=r"changes nothing.*allow_no_change"):
        dataclasses.replace(flow, steps=(noop,)).run()
    allowed = dataclasses.replace(noop, allow_no_change=True)
    assert len(dataclasses.replace(flow, steps=(allowed,)).run()) == 2


def test_a_step_that_empties_the_section_is_an_error():
    flow = recipe.load("seed002")
    steps = (xs.flow.Step("etch", {"target": ["silicon", "copper"], "depth": 500.0,
                                   "side": "both"}),)
    with pytest.raises(xs.GeometryError, match="leaves the section empty"):
        dataclasses.replace(flow, steps=steps).run()


def test_a_layer_thinner_than_the_grid_is_refused():
    with pytest.raises(xs.InputError, match="below what the"):
        xs.stack(width=100, layers=[xs.Layer("copper", 10.0), xs.Layer("nickel", 1e-9)])


def test_measure_tables_carry_units_and_everything_json_has(capsys):
    import csv
    import io
    import json

    _, out, _ = run_cli(capsys, "measure", "seed002", "--figure", "2C", "--format", "json")
    data = json.loads(out)
    sets = data["figures"]["2C"]["bump_sets"]
    assert sets and "coplanarity" in sets[0]
    _, out, _ = run_cli(capsys, "measure", "seed002", "--figure", "2C", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["unit"] for r in rows if r["quantity"] == "volume"} == {"µm³"}
    assert {r["unit"] for r in rows if r["quantity"] == "height"} == {"µm"}
    coplanar = [r for r in rows if r["kind"] == "bump_sets" and r["quantity"] == "coplanarity"]
    assert len(coplanar) == len(sets)
    _code, out, _ = run_cli(capsys, "measure", "seed002", "--figure", "2C", "--format", "md")
    assert "| unit |" in out.splitlines()[0] and "coplanarity" in out


@pytest.mark.parametrize("fields, key", [
    ({"check": "touches", "name": "6", "other": "44"}, "other"),
    ({"check": "range", "value": "bump:9x:height", "max": 1.0}, "value"),
    ({"check": "compare", "left": "span:3:77", "right": 1.0}, "left"),
    ({"check": "present", "names": ["5", "bcbx"]}, "names"),
])
def test_check_names_are_resolved_against_the_flow_at_load(fields, key, monkeypatch):
    from xsection import flow as flow_module

    ran = []
    monkeypatch.setattr(flow_module.Flow, "run", lambda self, **kw: ran.append(1))
    with pytest.raises(recipe.RecipeError) as err:
        recipe.parse(with_check(**fields), "fuzz.toml")
    assert f"'{key}' names" in str(err.value) and not ran


@pytest.mark.parametrize("step", [
    {"op": "reflow", "peak_temperature": 100.0},        # nothing melts at 100 °C
    {"op": "grind", "level": 5000.0},                   # a plane above everything
    {"op": "pattern", "target": "epoxy", "remove": [[10.0, 20.0]]},  # no epoxy here
])
def test_silent_no_op_steps_are_errors_naming_the_step(step):
    data = copy.deepcopy(SEED002)
    data["steps"].insert(1, step)
    data["checks"] = []
    flow = recipe.parse(data, "seed002.toml")
    with pytest.raises(xs.GeometryError, match=f"step 2 \\({step['op']}\\): changes nothing"):
        flow.run()
    data["steps"][1]["allow_no_change"] = True
    assert recipe.parse(data, "seed002.toml").run()


def test_the_report_is_all_or_nothing(tmp_path, monkeypatch):
    from xsection import report

    calls = []

    def failing(page, dpi=400):
        calls.append(page.name)
        if len(calls) == 2:
            raise xs.InputError("no CJK font (simulated)")
        return b"png"

    monkeypatch.setattr(report, "png_bytes", failing)
    with pytest.raises(xs.InputError):
        report.write_report(recipe.load("seed002"), str(tmp_path / "rep"))
    assert list(tmp_path.iterdir()) == []
