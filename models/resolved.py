"""Where a registered model's artifacts live, remembered for one state of an embedded registry.

Asking MLflow where `models:/sme-distress@champion` lives means importing MLflow and opening its
SQLAlchemy store: about 1.3 s, more than scoring 12,000 businesses takes. On a SQLite store the
answer is kept in a small file beside the database, keyed by what the answer depends on: a digest
of the registry's aliases and versions (each alias's version; each version's source, storage
location and status), read with SQLite itself in a millisecond. Moving an alias or registering a
version changes the key and the next resolution asks MLflow again, whatever the file system
says of the file's size and time (a coarse clock or a network file system could leave those
unchanged). Only local artifact folders are remembered; other stores are always asked.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from pathlib import Path

SUFFIX = ".resolved.json"


def sqlite_file(tracking_uri: str) -> Path | None:
    """The database file of a `sqlite:///` tracking URI, or None for any other store."""
    if not tracking_uri.startswith("sqlite:///"):
        return None
    path = tracking_uri.removeprefix("sqlite:///").partition("?")[0]
    if not path or path == ":memory:":
        return None
    return Path(path).resolve()


REGISTRY_QUERIES = (
    "SELECT name, alias, version FROM registered_model_aliases ORDER BY name, alias",
    "SELECT name, version, source, storage_location, status FROM model_versions "
    "ORDER BY name, version",
)


def store_state(database: Path) -> list[str]:
    """A digest of the registry's aliases and versions; empty when the database is missing or
    is not a registry this module can read (then nothing is remembered)."""
    if not database.is_file():
        return []
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)
        try:
            rows = [connection.execute(query).fetchall() for query in REGISTRY_QUERIES]
        finally:
            connection.close()
    except sqlite3.Error:
        return []
    return [hashlib.sha256(repr(rows).encode()).hexdigest()]


def cache_file(database: Path) -> Path:
    return database.with_name(database.name + SUFFIX)


def recall(database: Path, state: list[str], model_uri: str) -> Path | None:
    """The folder remembered for `model_uri` at this state of the store, if it still exists."""
    if not state:
        return None
    folder = _kept(database, state).get(model_uri)
    return Path(folder) if isinstance(folder, str) and Path(folder).is_dir() else None


def _kept(database: Path, state: list[str]) -> dict[str, object]:
    """The folders kept for this state of the store; nothing from a damaged file."""
    try:
        kept = json.loads(cache_file(database).read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(kept, dict) or kept.get("state") != state:
        return {}
    models = kept.get("models")
    return models if isinstance(models, dict) else {}


def remember(database: Path, state: list[str], model_uri: str, folder: Path) -> None:
    """Keep `folder` for `model_uri` at `state`, read before MLflow was asked: a write that
    landed meanwhile leaves the kept state stale, so the next run asks again. Best effort: a
    read-only folder only means MLflow is asked every time."""
    if not state:
        return
    cache = cache_file(database)
    models = {**_kept(database, state), model_uri: str(folder)}
    try:
        handle, name = tempfile.mkstemp(dir=cache.parent, prefix=cache.name, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w") as file:
            json.dump({"state": state, "models": models}, file)
        os.replace(name, cache)  # readers see the old file or the new one, never half of one
    except OSError:
        Path(name).unlink(missing_ok=True)
