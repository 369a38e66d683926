"""The operator reference and the recipe schema agree with the signatures,
the loader's tables and the docstrings; every built-in recipe validates
against the schema, and what the loader refuses the schema refuses too."""

from __future__ import annotations

import copy
import inspect
import json
import re
import tomllib

import jsonschema
import pytest

from xsection.cli import main
from xsection.flow import OPERATORS
from xsection.recipe import BUILTIN, RecipeError, builtin_path, parse
from xsection.recipe_fields import CHOICES, KEYWORD_TYPES
from xsection.reference import KEYWORD_DOCS, describe, keywords, recipe_schema

SIGNATURES = {op: list(inspect.signature(fn).parameters)[1:] for op, fn in OPERATORS.items()}
ALL_KEYWORDS = {k for names in SIGNATURES.values() for k in names}


@pytest.mark.parametrize("op", sorted(OPERATORS))
def test_reference_lists_every_keyword_of_the_signature(op: str) -> None:
    rows = keywords(op)
    assert [k.name for k in rows] == SIGNATURES[op]
    sig = inspect.signature(OPERATORS[op]).parameters
    for k in rows:
        default = sig[k.name].default
        assert k.required == (default is inspect.Parameter.empty and k.name != "upper")
        if not k.required and default is not inspect.Parameter.empty:
            assert k.default == default
        assert k.doc, f"{op}.{k.name} has no meaning in KEYWORD_DOCS"
    text = describe(op)
    for k in rows:
        assert re.search(rf"^  {k.name}\s", text, re.M), k.name


def test_glossary_and_types_hold_no_stale_keywords() -> None:
    """Every entry names a keyword some operator has (a rename leaves none behind)."""
    for table in (KEYWORD_DOCS, KEYWORD_TYPES, CHOICES):
        for key in table:
            op, name = key if isinstance(key, tuple) else (None, key)
            if op is None:
                assert name in ALL_KEYWORDS, f"{name} is no operator's keyword"
            else:
                assert name in SIGNATURES[op], f"{op} has no keyword {name}"


@pytest.mark.parametrize("op", sorted(OPERATORS))
def test_docstrings_name_only_keywords_the_operator_has(op: str) -> None:
    """A docstring that quotes another operator's keyword as ``x`` but the
    signature lacks it is stale (the `through` -> `target` rename)."""
    doc = OPERATORS[op].__doc__ or ""
    quoted = set(re.findall(r"``([a-z_]+)``", doc))
    stale = {q for q in quoted & ALL_KEYWORDS if q not in SIGNATURES[op]}
    assert not stale, f"{op}'s docstring names {stale}, which it does not take"


@pytest.mark.parametrize("op", sorted(OPERATORS))
def test_schema_step_matches_the_signature(op: str) -> None:
    steps = recipe_schema()["properties"]["steps"]["items"]["oneOf"]
    (mine,) = [s for s in steps if s["properties"]["op"] == {"const": op}]
    assert set(mine["properties"]) == set(SIGNATURES[op]) | {"op", "figure", "note",
                                                              "allow_no_change"}
    assert set(mine["required"]) == {"op"} | {k.name for k in keywords(op) if k.required}
    for k in keywords(op):
        if k.choices:
            assert mine["properties"][k.name]["enum"] == list(k.choices)


def _recipe(name: str) -> dict:
    with open(builtin_path(name), "rb") as fh:
        return tomllib.load(fh)


@pytest.mark.parametrize("name", BUILTIN)
def test_every_builtin_recipe_validates_against_the_schema(name: str) -> None:
    jsonschema.validate(_recipe(name), recipe_schema())


@pytest.mark.parametrize("change", [
    lambda r: r["steps"][0].update(mode="sideways"),       # not one of the choices
    lambda r: r["steps"][0].update(frobnicate=1),           # unknown keyword
    lambda r: r["steps"][0].update(depth=-1.5),              # a negative length
    lambda r: r.update(colour="red"),                        # unknown top-level table
    lambda r: r["layers"][0].pop("thickness"),               # missing required key
])
def test_what_the_loader_refuses_the_schema_refuses(change) -> None:
    data = _recipe("tsv")
    etch = next(i for i, s in enumerate(data["steps"]) if s["op"] == "etch")
    data["steps"] = [data["steps"][etch]] + data["steps"]
    bad = copy.deepcopy(data)
    change(bad)
    with pytest.raises(RecipeError):
        parse(bad, "bad.toml")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, recipe_schema())


def test_loader_names_the_choices_of_a_name_keyword() -> None:
    data = _recipe("tsv")
    etch = next(s for s in data["steps"] if s["op"] == "etch")
    etch["mode"] = "sideways"
    with pytest.raises(RecipeError, match=r"'mode' must be one of 'isotropic', "
                                          r"'anisotropic', 'tapered' \(got 'sideways'\)"):
        parse(data, "bad.toml")


def test_cli_list_op_and_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--op", "etch"]) == 0
    out = capsys.readouterr().out
    assert "lateral_ratio" in out and "isotropic | anisotropic | tapered" in out
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  depth "))
    assert lines[at + 1].strip() == "a number of µm >= 0; required"
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == recipe_schema()


def test_colour_is_color(tmp_path) -> None:
    for style in ("color", "colour"):
        assert main(["render", "bga", "--style", style, "--format", "svg", "-o",
                     str(tmp_path / style), "--quiet"]) == 0
    for name in sorted(p.name for p in (tmp_path / "color").iterdir()):
        assert (tmp_path / "colour" / name).read_bytes() == (tmp_path / "color" / name).read_bytes()
