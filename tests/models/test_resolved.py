"""A registered model's folder is remembered per state of an embedded registry's aliases and
versions, and asked of MLflow again once they change."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from models import resolved
from models.registry import CHAMPION, configure, load_scorer
from models.specs import DISTRESS, FEASIBILITY

CHAMPION_URI = f"models:/{DISTRESS}@{CHAMPION}"


def test_only_a_sqlite_file_store_is_remembered(tmp_path):
    assert resolved.sqlite_file(f"sqlite:///{tmp_path}/m.db") == tmp_path / "m.db"
    assert resolved.sqlite_file("sqlite:///m.db?timeout=5") == Path("m.db").resolve()
    for uri in ("sqlite:///:memory:", "sqlite://", "http://mlflow:5000", "postgresql://h/db"):
        assert resolved.sqlite_file(uri) is None


def _registry(database: Path) -> sqlite3.Connection:
    """A store with the two tables a resolution depends on, as MLflow lays them out."""
    connection = sqlite3.connect(database)
    connection.executescript(
        "CREATE TABLE registered_model_aliases (alias TEXT, version INTEGER, name TEXT);"
        "CREATE TABLE model_versions (name TEXT, version INTEGER, source TEXT, "
        "storage_location TEXT, status TEXT);"
        "INSERT INTO model_versions VALUES ('m', 1, 'a', 'a', 'READY'), "
        "('m', 2, 'b', 'b', 'READY');"
        "INSERT INTO registered_model_aliases VALUES ('champion', 1, 'm');"
    )
    connection.commit()
    return connection


def test_moving_an_alias_forgets_what_was_remembered(tmp_path):
    database, folder = tmp_path / "m.db", tmp_path / "artifacts"
    folder.mkdir()
    assert resolved.store_state(database) == []  # no store, nothing kept
    resolved.remember(database, [], CHAMPION_URI, folder)
    assert not (tmp_path / ("m.db" + resolved.SUFFIX)).exists()
    database.write_bytes(b"not a registry")
    assert resolved.store_state(database) == []
    database.unlink()
    connection = _registry(database)
    state = resolved.store_state(database)
    resolved.remember(database, state, CHAMPION_URI, folder)
    resolved.remember(database, state, "models:/other/1", folder)
    assert resolved.recall(database, state, CHAMPION_URI) == folder
    assert resolved.recall(database, state, "models:/other/2") is None

    # The alias moves, and the file keeps its size, number and modification time, as a coarse
    # clock or a network file system may show it: the registry's content still tells.
    stat = database.stat()
    connection.execute("UPDATE registered_model_aliases SET version = 2")
    connection.commit()
    connection.close()
    os.utime(database, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert database.stat().st_size == stat.st_size
    later = resolved.store_state(database)
    assert later != state
    assert resolved.recall(database, later, CHAMPION_URI) is None
    resolved.remember(database, later, "models:/other/1", folder)  # a new state starts afresh
    assert resolved.recall(database, later, CHAMPION_URI) is None


def test_a_missing_folder_or_a_damaged_file_is_not_trusted(tmp_path):
    database, folder = tmp_path / "m.db", tmp_path / "artifacts"
    _registry(database).close()
    folder.mkdir()
    state = resolved.store_state(database)
    resolved.remember(database, state, CHAMPION_URI, folder)
    folder.rmdir()
    assert resolved.recall(database, state, CHAMPION_URI) is None
    folder.mkdir()
    damaged = ("{", "[]", json.dumps({"state": state, "models": {CHAMPION_URI: 3}}),
               json.dumps({"state": state, "models": [str(folder)]}))  # fmt: skip
    for text in damaged:
        (tmp_path / ("m.db" + resolved.SUFFIX)).write_text(text)
        assert resolved.recall(database, state, CHAMPION_URI) is None
        resolved.remember(database, state, CHAMPION_URI, folder)  # written afresh
        assert resolved.recall(database, state, CHAMPION_URI) == folder


def _copy_store(tracking_uri: str, to: Path) -> str:
    """The session's registry in a file of its own (artifact paths are absolute, so shared),
    with each model's first version as its champion."""
    from mlflow.tracking import MlflowClient

    source = resolved.sqlite_file(tracking_uri)
    assert source is not None
    shutil.copy(source, to / "mlflow.db")
    uri = f"sqlite:///{to / 'mlflow.db'}"
    configure(uri)
    try:
        for name in (DISTRESS, FEASIBILITY):
            MlflowClient().set_registered_model_alias(name, CHAMPION, "1")
    finally:
        configure(tracking_uri)
    return uri


def _load_apart(uri: str) -> dict:
    script = f"""
import json, sys
from models.registry import configure, load_scorer
configure({uri!r})
scorer = load_scorer({CHAMPION_URI!r})
print(json.dumps({{"mlflow": "mlflow" in sys.modules, "features": scorer.features,
                   "leaves": scorer.tables.leaves if scorer.tables else None}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.slow
def test_a_remembered_champion_loads_without_mlflow(mlflow_store, tmp_path):
    uri = _copy_store(mlflow_store, tmp_path)
    first, second = _load_apart(uri), _load_apart(uri)
    assert first["mlflow"] and not second["mlflow"]
    assert first["features"] == second["features"] and first["leaves"] == second["leaves"]


@pytest.mark.slow
def test_moving_the_champion_alias_is_seen_at_the_next_load(mlflow_store, tmp_path):
    from mlflow.tracking import MlflowClient  # the test's writes, not the loads, ask MLflow

    uri = _copy_store(mlflow_store, tmp_path)
    configure(uri)
    try:
        before = load_scorer(CHAMPION_URI)
        client = MlflowClient()
        other = client.get_model_version_by_alias(FEASIBILITY, CHAMPION)
        moved = client.create_model_version(DISTRESS, other.source, model_id=other.model_id)
        client.set_registered_model_alias(DISTRESS, CHAMPION, moved.version)
        after = load_scorer(CHAMPION_URI)
        assert after.features != before.features
        assert after.features == load_scorer(f"models:/{FEASIBILITY}@{CHAMPION}").features
    finally:
        configure(mlflow_store)
