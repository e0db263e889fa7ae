"""Where a registered model's artifacts live, remembered for one state of an embedded registry.

Asking MLflow where `models:/sme-distress@champion` lives means importing MLflow and opening its
SQLAlchemy store: about 1.3 s, more than scoring 12,000 businesses takes. On a SQLite store the
answer is kept in a small file beside the database, keyed by the file number, size and
modification time of the database (and of its write-ahead log): any committed write to the
store (an alias moved, a version registered, a run logged) changes the key, and the next
resolution asks MLflow again. Only local artifact folders are remembered; other stores are
always asked.
"""

from __future__ import annotations

import json
import os
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


def store_state(database: Path) -> list[int]:
    """File number, size and modification time of the database and its write-ahead log (a
    database moved into place is another file); empty when the database is missing."""
    state: list[int] = []
    for path in (database, database.with_name(database.name + "-wal")):
        try:
            stat = path.stat()
        except FileNotFoundError:
            if path == database:
                return []
            continue
        state += [stat.st_ino, stat.st_size, stat.st_mtime_ns]
    return state


def cache_file(database: Path) -> Path:
    return database.with_name(database.name + SUFFIX)


def recall(database: Path, state: list[int], model_uri: str) -> Path | None:
    """The folder remembered for `model_uri` at this state of the store, if it still exists."""
    if not state:
        return None
    folder = _kept(database, state).get(model_uri)
    return Path(folder) if isinstance(folder, str) and Path(folder).is_dir() else None


def _kept(database: Path, state: list[int]) -> dict[str, object]:
    """The folders kept for this state of the store; nothing from a damaged file."""
    try:
        kept = json.loads(cache_file(database).read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(kept, dict) or kept.get("state") != state:
        return {}
    models = kept.get("models")
    return models if isinstance(models, dict) else {}


def remember(database: Path, state: list[int], model_uri: str, folder: Path) -> None:
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
