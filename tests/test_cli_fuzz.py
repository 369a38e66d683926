"""The command line under random recipes and random flags: exit 0, 1 or 2
with at most one line of error, never a traceback, never a stray file.

XSECTION_CLI_FUZZ=3000 for a long run (the default is quick)."""

from __future__ import annotations

import contextlib
import copy
import io
import os
import tempfile
import tomllib

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from xsection import cli, recipe

from .test_recipe_fuzz import JUNK, PATHS, _drop, _set

with open(recipe.builtin_path("seed002"), "rb") as _fh:
    BASE = tomllib.load(_fh)

FLAGS = {
    "check": st.just([]),
    "measure": st.lists(st.sampled_from(["--format", "json", "csv", "md", "xml", "--figure",
                                         "1C", "9Z"]), max_size=4),
    "render": st.lists(st.sampled_from(["--style", "patent", "color", "ink", "--profile", "a4",
                                        "letter", "jpo", "--exaggeration", "2", "0", "-1",
                                        "1e300", "nan", "--palette", "cb", "x", "--dimensions",
                                        "--quiet"]), max_size=6),
}


@settings(max_examples=int(os.environ.get("XSECTION_CLI_FUZZ", "15")), deadline=None)
@given(st.sampled_from(PATHS), JUNK, st.sampled_from(["set", "drop", "none"]),
       st.sampled_from(sorted(FLAGS)), st.data())
def test_the_cli_answers_every_input_cleanly(path, junk, how, command, data):
    doc = copy.deepcopy(BASE)
    if how == "set":
        _set(doc, path, junk)
    elif how == "drop":
        _drop(doc, path)
    flags = data.draw(FLAGS[command])
    with tempfile.TemporaryDirectory() as tmp:
        file = os.path.join(tmp, "fuzz.toml")
        try:
            flow = recipe.parse(doc, "fuzz.toml")
        except recipe.RecipeError:
            flow = None
        if flow is not None:
            text = recipe.dump(flow)  # what loads must also write back
        else:
            text = _plain(doc)  # what the loader refuses, as a user could write it
        with open(file, "w", encoding="utf-8") as fh:
            fh.write(text)
        argv = [command, file, *flags]
        if command == "render":
            argv += ["-o", os.path.join(tmp, "out"), "--format", "svg"]
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = cli.main(argv)
            except SystemExit as exit_:  # argparse on a bad flag
                code = exit_.code
        message = err.getvalue()
        assert code in (0, 1, 2), (code, message)
        assert "Traceback" not in message
        if "usage:" not in message:  # (argparse prints its usage for a bad flag)
            assert message.count("\n") <= 1, message
        left = sorted(os.listdir(tmp))
        allowed = ["fuzz.toml", "out"] if code == 0 and command == "render" else ["fuzz.toml"]
        assert left == allowed or left == ["fuzz.toml"], left


def _plain(doc: object) -> str:
    """TOML of ``doc`` (keys whose values TOML cannot hold dropped)."""
    out = {}
    if isinstance(doc, dict):
        for k, v in doc.items():
            try:
                tomli_w.dumps({str(k): v})
            except (TypeError, ValueError):
                continue
            out[str(k)] = v
    return tomli_w.dumps(out)
