"""The recipe loader under malformed input: always a RecipeError that names
the file, never a traceback of another kind, never output."""

from __future__ import annotations

import copy
import tomllib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xsection import XsectionError, recipe

with open(recipe.builtin_path("seed002"), "rb") as _fh:
    BASE = tomllib.load(_fh)

JUNK = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                 st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
                 st.lists(st.integers(-5, 5), max_size=3),
                 st.dictionaries(st.text(max_size=4), st.integers(), max_size=2))


def _paths(data, prefix=()):
    """Every (path, value) in nested dicts and lists."""
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


PATHS = _paths(BASE)


def _set(data, path, value):
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _drop(data, path):
    node = data
    for key in path[:-1]:
        node = node[key]
    if isinstance(node, dict):
        del node[path[-1]]
    else:
        node.pop(path[-1])


@settings(max_examples=int(__import__("os").environ.get("XSECTION_FUZZ", "300")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), JUNK, st.sampled_from(["set", "drop", "extra"]))
def test_malformed_recipes_get_a_recipe_error(path, junk, how):
    data = copy.deepcopy(BASE)
    if how == "set":
        _set(data, path, junk)
    elif how == "drop":
        _drop(data, path)
    else:
        target = data
        for key in path[:-1]:
            target = target[key]
        if isinstance(target, dict):
            target["unexpected_key"] = junk
        else:
            data["unexpected_key"] = junk
    try:
        flow = recipe.parse(data, "fuzz.toml")
    except recipe.RecipeError as err:
        assert str(err).startswith("fuzz.toml")
        return
    # the mutation happened to be valid: then it must still run or fail cleanly
    try:
        flow.run()
    except XsectionError as err:
        assert str(err).startswith("step ")
