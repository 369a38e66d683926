"""docs/validation.md: every model against its reference, within its bound,
and the page lists what the script compares (scripts/validate.py)."""

from __future__ import annotations

import pathlib
import runpy

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_every_quick_comparison_holds_its_bound():
    module = runpy.run_path(str(ROOT / "scripts" / "validate.py"))
    rows = module["rows"](small=True)
    assert len(rows) >= 6
    bad = [(r.model, r.case, r.difference, r.bound) for r in rows if not r.ok]
    assert bad == []


def test_the_page_lists_every_model_the_script_compares():
    module = runpy.run_path(str(ROOT / "scripts" / "validate.py"))
    page = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    for row in module["rows"](small=True):
        assert f"| {row.model} | {row.case} |" in page, row.model
