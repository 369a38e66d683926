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
    code, out, err = run_cli(capsys, "check", path)
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
    from xsection.report import figure_measurements

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
    s = xs.pattern(s, material="copper", keep=[(80.0, 120.0)], side="bottom")
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
    steps = (xs.flow.Step("strip", {"material": "copper"}),
             xs.flow.Step("drill", {"through": "copper", "at": [100.0], "top_width": 10.0}))
    with pytest.raises(xs.XsectionError) as err:
        dataclasses.replace(flow, steps=steps).run()
    assert str(err.value).startswith("seed002.toml: step 2 (drill)")
