"""The import contract: every module imports only from its own layer or
below, so the layering holds by construction (imports inside functions
count too), and no two modules import each other in a cycle."""

from __future__ import annotations

import ast
import pathlib

import pytest

import xsection

ROOT = pathlib.Path(xsection.__file__).parent

#: Layers from the bottom; a module may import from its layer or any below.
LAYERS: list[tuple[str, ...]] = [
    ("tolerances", "numeric"),
    ("errors",),
    ("geometry",),
    ("materials",),
    ("section",),
    ("ops",),
    ("joints", "measure", "films", "testing"),
    ("flow",),
    ("check_specs", "recipe_fields", "cutline", "recipe_figures", "recipe_layout"),
    ("checks", "recipe", "recipe_writer", "tables", "reference"),
    ("render",),
    ("report", "export", "sweep"),
    ("cli", "__main__", "__init__", "display"),
]
LEVEL = {name: k for k, names in enumerate(LAYERS) for name in names}


def module_name(path: pathlib.Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def top(module: str) -> str:
    """The layer key of a module: its first component below the package."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports_of(path: pathlib.Path) -> set[str]:
    """xsection modules imported anywhere in the file (resolved)."""
    return imports_in(path.read_text(), module_name(path), path.name == "__init__.py")


def imports_in(source: str, me: str, is_package: bool) -> set[str]:
    """xsection modules imported anywhere in ``source``, the text of module
    ``me`` (a package's ``__init__`` if ``is_package``), resolved."""
    package = me if is_package else me.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            if mod == "xsection" or mod.startswith("xsection."):
                for alias in node.names:  # a submodule, or a name in ``mod``
                    sub = f"{mod}.{alias.name}"
                    path_of = ROOT.parent / sub.replace(".", "/")
                    is_module = path_of.is_dir() or path_of.with_suffix(".py").exists()
                    out.add(sub if is_module else mod)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("xsection"))
    out.discard(me)
    return out


FILES = sorted(ROOT.rglob("*.py"))


def test_every_module_has_a_layer():
    assert {top(module_name(p)) for p in FILES} <= set(LEVEL)


@pytest.mark.parametrize("path", FILES, ids=lambda p: module_name(p))
def test_no_module_imports_from_a_layer_above(path):
    check_layer(module_name(path), imports_of(path))


def check_layer(me: str, imports: set[str]) -> None:
    """Fail unless module ``me`` imports only from its layer or below."""
    mine = LEVEL[top(me)]
    for mod in imports:
        if mod == "xsection":
            assert top(me) in ("__init__", "cli", "__main__"), f"{me} imports the package"
            continue
        assert LEVEL[top(mod)] <= mine, f"{me} (layer {mine}) imports {mod} ({LEVEL[top(mod)]})"


def test_no_import_cycles():
    graph = {module_name(p): {m for m in imports_of(p) if m != "xsection"} for p in FILES}
    seen: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state = seen.get(node, 0)
        assert state != 1, " -> ".join([*stack, node])
        if state == 2:
            return
        seen[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt in graph and not node.startswith(nxt + "."):  # a package's own modules
                visit(nxt, [*stack, node])
        seen[node] = 2

    for node in sorted(graph):
        visit(node, [])


def test_no_module_is_over_400_lines():
    long = {module_name(p): n for p in FILES if (n := len(p.read_text().splitlines())) > 400}
    assert not long, long


def test_the_contract_can_fail():
    """A planted upward import is caught (the test can fail)."""
    planted = "xsection.geometry._planted_for_test"
    found = imports_in("from ..render import render\n", planted, False)
    assert found == {"xsection.render"}
    with pytest.raises(AssertionError, match=r"imports xsection\.render"):
        check_layer(planted, found)
