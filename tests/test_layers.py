"""The house's shape, checked: imports go features < models < {training, service} < rescue,
and every runtime dependency declared in pyproject.toml is used by the code."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("features", "models", "training", "service", "rescue")
# What each package may import of the project's own packages.
MAY_IMPORT = {
    "features": {"features"},
    "models": {"features", "models"},
    "training": {"features", "models", "training"},
    "service": {"features", "models", "service"},
    "rescue": set(PACKAGES),
}
# Dependencies that frameworks load by name rather than the code by import.
LOADED_BY_NAME = {
    "psycopg": "SQLAlchemy's postgresql+psycopg driver",
    "python-multipart": "FastAPI's form and upload parsing",
    "jinja2": "FastAPI's Jinja2Templates",
}
IMPORT_NAMES = {"scikit-learn": "sklearn", "pydantic-settings": "pydantic_settings"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _sources(package: str) -> list[Path]:
    return [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]


def test_packages_import_only_the_layers_below_them():
    wrong = []
    for package in PACKAGES:
        for path in _sources(package):
            own = _imports(path) & set(PACKAGES)
            for name in own - MAY_IMPORT[package]:
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, wrong


def test_every_runtime_dependency_is_used():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    used = set().union(*(_imports(p) for package in PACKAGES for p in _sources(package)))
    unused = []
    for requirement in project["dependencies"]:
        name = re.split(r"[\[<>=!~ ]", requirement, maxsplit=1)[0].lower()
        module = IMPORT_NAMES.get(name, name.replace("-", "_"))
        if module not in used and name not in LOADED_BY_NAME:
            unused.append(name)
    assert not unused, f"declared but never imported: {unused}"


MAX_MODULE_LINES = 400


def test_no_module_of_the_packages_is_over_400_lines():
    """Small modules named for what they hold: a module that grows past this is split."""
    long = {
        str(path.relative_to(ROOT)): n
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}
