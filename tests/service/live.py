"""A real service process on loopback, over a real database and the trained champions."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from models.specs import SPECS
from service.access.users import create_user
from service.kit.roles import Role
from service.store.db import Database, upgrade
from tests.tiers import heavy
from training.tracking import promote


def _fresh_service_database(
    tmp_path: Path, name: str, sqlite_only: bool
) -> tuple[str, dict[str, str]]:
    database_url = fresh_database(tmp_path, name, sqlite_only)
    upgrade(database_url)
    tokens = {}
    with Database(database_url).sessions() as session:
        for user, role, scope in (
            ("analyst", Role.analyst, {}),
            ("manager", Role.centre_manager, {}),
            ("liaison", Role.bank_liaison, {"lender": "Andaman Trust Bank"}),
            ("intake", Role.intake_officer, {"province": "Chiang Mai"}),
            ("scientist", Role.data_scientist, {}),
            ("admin", Role.admin, {}),
        ):
            tokens[user] = create_user(session, user, role, **scope)
    return database_url, tokens


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(tmp_path: Path, name: str, sqlite_only: bool = False) -> str:
    """TEST_DATABASE_URL (PostgreSQL in CI) with an emptied schema of the service's own (the
    main service uses `public`); otherwise a new SQLite file."""
    url = None if sqlite_only else os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / f'{name}.db'}"
    schema = "public" if name == "main" else name
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return url if schema == "public" else f"{url}?options=-csearch_path%3D{schema}"


class Service:
    def __init__(self, url: str, tokens: dict[str, str], database_url: str):
        self.url = url
        self.tokens = tokens
        self.database_url = database_url

    def client(self, user: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)


def start_service(
    tmp_path: Path,
    tracking_uri: str,
    name: str,
    *,
    sqlite_only: bool = False,
    workers: int = 1,
    reuse: Service | None = None,
) -> tuple[subprocess.Popen, Service]:
    """A `rescue serve` process on a fresh database with a user of each role, or on the
    database and users of a service already running (`reuse`: another instance of it)."""
    heavy("a service process")
    if reuse is not None:
        database_url, tokens = reuse.database_url, reuse.tokens
    else:
        database_url, tokens = _fresh_service_database(tmp_path, name, sqlite_only)
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "MLFLOW_TRACKING_URI": tracking_uri}
    rescue = Path(sys.executable).with_name("rescue")
    process = subprocess.Popen(
        [str(rescue), "serve", "--port", str(port), "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / f"{name}.log", "w"),  # noqa: SIM115
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, (tmp_path / f"{name}.log").read_text()[-3000:]
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return process, Service(url, tokens, database_url)
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.terminate()
    pytest.fail("the service did not start in 120 s")


@contextlib.contextmanager
def mlflow_server(backend_store_uri: str, tmp_path: Path) -> Iterator[str]:
    """An MLflow tracking server over `backend_store_uri` (its artifacts stay where the runs
    logged them); yields its URL."""
    heavy("an MLflow server")
    port = _free_port()
    mlflow = Path(sys.executable).with_name("mlflow")
    log = tmp_path / "mlflow-server.log"
    process = subprocess.Popen(
        [str(mlflow), "server", "--backend-store-uri", backend_store_uri, "--host", "127.0.0.1",
         "--port", str(port), "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=open(log, "w"),  # noqa: SIM115
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, log.read_text()[-3000:]
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the MLflow server did not start in 120 s"
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def serving_champions(tracking_uri: str, folder: Path, name: str) -> Iterator[Service]:
    """A service over the trained models, promoted to champions, for the length of a fixture."""
    from training.tracking import configure

    configure(tracking_uri)
    for spec in SPECS:
        promote(spec)
    process, running = start_service(folder, tracking_uri, name)
    yield running
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def launch():
    """`start_service`, for a test that starts its own service processes (a slow test)."""
    return start_service


@pytest.fixture(scope="session")
def service(tracking_uri, trained, tmp_path_factory):
    yield from serving_champions(tracking_uri, tmp_path_factory.mktemp("service"), "main")
