"""Every example in a docstring runs and shows what it says (the API
reference's examples are tests)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import xsection

MODULES = sorted(m.name for m in pkgutil.walk_packages(xsection.__path__, "xsection.")
                 if not m.name.endswith("__main__"))  # (it runs the command line)


def test_some_modules_carry_examples():
    finder = doctest.DocTestFinder()
    with_examples = [name for name in MODULES
                     if any(t.examples for t in finder.find(importlib.import_module(name)))]
    assert len(with_examples) >= 5, with_examples


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS,
                             raise_on_error=False, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_readme_python_examples_run():
    """Every ```python block of the README runs, in order, in one namespace."""
    import pathlib
    import re

    text = (pathlib.Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 2
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    package = namespace["package"]
    assert any(r.numeral == "105" for r in package.regions)  # type: ignore[attr-defined]
