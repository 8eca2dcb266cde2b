"""The layering (issue 13): models/ depends on adapt/ only through a small stated kernel, the front
ends never reach into the store or the models, and adapt's packages import each other without cycles.
Read from the source with `ast`, so a new import anywhere (top level or inside a function) is seen."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KERNEL = {"adapt.errors", "adapt.placeholders", "adapt.languages", "adapt.settings"}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def _modules(package: str) -> dict[str, Path]:
    out = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def test_models_use_only_the_kernel_of_adapt():
    offending = {name: sorted({i for i in _imports(path) if i.split(".")[0] == "adapt" and i not in KERNEL})
                 for name, path in _modules("models").items()}
    assert {k: v for k, v in offending.items() if v} == {}


@pytest.mark.parametrize("front", ["ui", "adapt/cli"])
def test_front_ends_call_the_service_not_the_store_or_models(front):
    for path in sorted((ROOT / front).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert ".store." not in text and ".store)" not in text, f"{path} reaches into the store"
        imports = _imports(path)
        assert "sqlite3" not in imports, path
        if front == "ui":
            assert not [i for i in imports if i.split(".")[0] == "models"], f"{path} imports a model backend"


def _package_graph() -> dict[str, set[str]]:
    """adapt's modules by package (adapt.licenses.guard -> adapt.licenses), and whom each imports."""
    def package(name: str) -> str:
        parts = name.split(".")
        return ".".join(parts[:2])

    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in _modules("adapt").items():
        for imported in _imports(path):
            if imported.startswith("adapt.") and package(imported) != package(name):
                graph[package(name)].add(package(imported))
    return graph


def test_attribution_and_licences_do_not_import_each_other():
    graph = _package_graph()
    assert not ("adapt.attribution" in graph["adapt.licenses"] and "adapt.licenses" in graph["adapt.attribution"])
    assert "adapt.attribution" not in graph["adapt.licenses"]


def test_no_module_of_models_or_adapt_imports_ui_or_evaluation():
    """The CLI (adapt.cli) is a front end on top of everything: it starts the UI and runs evaluations."""
    for package in ("adapt", "models"):
        for name, path in _modules(package).items():
            if name.startswith("adapt.cli"):
                continue
            bad = [i for i in _imports(path) if i.split(".")[0] in ("ui", "evaluation")]
            assert not bad, f"{name} imports {bad}"
