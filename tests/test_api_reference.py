"""docs/api.md is what scripts/api_reference.py generates from the code now."""

from __future__ import annotations

import pathlib
import runpy

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_the_api_reference_is_current():
    module = runpy.run_path(str(ROOT / "scripts" / "api_reference.py"))
    assert (ROOT / "docs" / "api.md").read_text(encoding="utf-8") == module["build"](), \
        "run: python scripts/api_reference.py"


def test_every_operator_is_in_the_reference():
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for name in ("etch", "deposit", "reflow", "grind", "strip", "drill", "pattern", "place"):
        assert f"### `xsection.{name}(section" in text, name
