"""The architecture as tests: import-linter's layer contracts, and the rules the contracts cannot see."""

from __future__ import annotations

import ast
import re

from conftest import ROOT
from importlinter.cli import lint_imports

PACKAGES = ("extract", "normalize", "pipelines")


def _modules():
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_layer_contracts_are_kept():
    # pyproject.toml [tool.importlinter]: normalize <- core <- sources <- forms <- pipelines <- analysis/bench
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def _local_project_imports(tree: ast.Module) -> list[tuple[int, str]]:
    out = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(n.split(".")[0] in PACKAGES for n in names):
                out.append((node.lineno, names[0]))
    return out


def test_no_function_local_project_imports_except_optional_dependencies():
    bad = []
    for path, tree in _modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        for lineno, name in _local_project_imports(tree):
            if "# lazy: optional dependency" not in lines[lineno - 1]:
                bad.append(f"{path.relative_to(ROOT)}:{lineno} imports {name} inside a function")
    assert bad == []


def test_settings_are_read_as_typed_fields_not_duck_typed():
    bad = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
                    and node.args and isinstance(node.args[0], ast.Name) and "settings" in node.args[0].id):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert bad == []


def test_no_item_key_literal_outside_the_model():
    """Code looks items up by role (extract/forms/model.py: Role, ROLE_KEYS); keys live in the model."""
    key = re.compile(r"^(cover|I|II|III|IV|V|VI)\.[A-Za-z0-9][\w.]*$")
    bad = []
    for path, tree in _modules():
        if path.name == "model.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and key.match(node.value):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    assert bad == []
