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


def _modules_imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _imports(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _modules_imported(path)}


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


# Rooms inside a package: a room may import the rooms listed. In models and features the top
# level is the core beneath its rooms (features' core stands on its sealed catalogues); in
# service it is the composition root above them (the app and the commands), which no room
# imports.
_SERVICE_LAYERS = (
    "store",
    "kit",
    "access",
    "scoring",
    "cases",
    "casework",
    "views",
    "intake",
    "api",
    "web",
)
ROOMS = {
    "models": {"core": set(), "plans": {"plans"}, "advice": {"plans", "advice"}},
    "features": {
        "core": {"catalogues"},
        "catalogues": {"catalogues"},
        "imports": {"catalogues", "imports"},
    },
    "service": {
        "core": set(_SERVICE_LAYERS),
        **{room: set(_SERVICE_LAYERS[: i + 1]) for i, room in enumerate(_SERVICE_LAYERS)},
    },
}
CORE_ON_TOP = {"service"}
# Rooms that import nothing else of their package: the database beneath the service, the
# catalogues beneath every feature.
SEALED = {("service", "store"), ("features", "catalogues")}


def _room(package: str, path: Path) -> str:
    parts = path.relative_to(ROOT / package).parts
    return parts[0] if len(parts) > 1 else "core"


def test_rooms_import_only_the_rooms_beneath_them():
    wrong = []
    for package, rooms in ROOMS.items():
        for path in _sources(package):
            room = _room(package, path)
            for name in _modules_imported(path):
                parts = name.split(".")
                if parts[0] != package or len(parts) < 2:
                    continue
                if parts[1] not in rooms:
                    if package in CORE_ON_TOP and room != "core":
                        wrong.append(f"{path.relative_to(ROOT)} ({room}) imports the core {name}")
                    continue
                if room in rooms and parts[1] not in rooms[room]:
                    wrong.append(f"{path.relative_to(ROOT)} ({room}) imports {name}")
    assert not wrong, wrong


def test_sealed_rooms_import_nothing_else_of_their_package():
    wrong = []
    for package, room in SEALED:
        for path in (ROOT / package / room).rglob("*.py"):
            for name in _modules_imported(path):
                parts = name.split(".")
                if parts[0] == package and (len(parts) < 2 or parts[1] != room):
                    wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, wrong


MAX_MODULES_PER_FOLDER = 20


def test_no_package_folder_holds_more_than_20_modules():
    full = {}
    for package in PACKAGES:
        for folder in [ROOT / package, *(ROOT / package).rglob("*/")]:
            if "migrations" in folder.parts or "__pycache__" in folder.parts:
                continue
            count = len([p for p in folder.glob("*.py") if p.name != "__init__.py"])
            name = str(folder.relative_to(ROOT))
            if count > MAX_MODULES_PER_FOLDER:
                full[name] = count
    assert full == {}
