"""Rate limits and key revocation hold across worker processes and instances: each is kept in
the database they share, not in one worker's memory.

Two apps over one database stand for two workers (or two replicas) in process; the live test
runs two `rescue serve` processes against one database and one MLflow tracking server."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, update

from service.access.rate_limits import SharedRateLimiter
from service.app import create_app
from service.kit.settings import Settings
from service.store.tables import users
from tests.service.inprocess import App, make_app


@contextmanager
def another_worker(app: App, **settings) -> Iterator[App]:
    """A second app on the same database: another worker process, or another replica."""
    options = {"database_url": app.database_url, "load_models": False, **settings}
    with TestClient(create_app(Settings(**options))) as client:
        yield App(client, app.tokens, app.database_url)


def _deactivate(database_url: str, name: str) -> None:
    """Deactivate a key as `rescue users deactivate` does, straight in the shared database."""
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(update(users).where(users.c.name == name).values(active=False))
    engine.dispose()


def test_workers_share_one_rate_limit(tmp_path):
    for first in make_app(tmp_path, rate_limit_per_minute=6, rate_limit_sync_seconds=0):
        with another_worker(first, rate_limit_per_minute=6, rate_limit_sync_seconds=0) as second:
            codes = [
                (first, second)[i % 2].as_user("analyst", "GET", "/cases").status_code
                for i in range(12)
            ]
            # One worker's memory alone would have let all 12 through (6 each).
            assert codes == [200] * 6 + [429] * 6, codes
            refused = second.as_user("analyst", "GET", "/cases")
            assert int(refused.headers["retry-after"]) >= 1
            assert first.as_user("intake_cm", "GET", "/cases").status_code == 200  # per user


def test_a_worker_syncing_now_and_then_admits_at_most_a_few_more(tmp_path):
    """Between syncs each worker knows only its own count: the overshoot is bounded by the
    requests of one sync interval, never the number of workers times the limit."""
    url = f"sqlite:///{tmp_path / 'counts.db'}"
    from service.store.db import Database, upgrade

    upgrade(url)
    engine = Database(url).engine
    clock = [600.0]
    workers = [SharedRateLimiter(10, engine, 0.05, clock=lambda: clock[0]) for _ in range(3)]
    admitted = 0
    for i in range(60):
        worker = workers[i % 3]
        try:
            worker.reserve("ana")
            if worker.due("ana"):
                worker.sync("ana")
            admitted += 1
        except Exception as exc:
            assert type(exc).__name__ == "TooManyRequestsError"
        time.sleep(0.01)
    assert 10 <= admitted <= 13, admitted
    clock[0] += 120  # two minutes later the window is empty again
    workers[0].reserve("ana")


def test_without_its_database_a_worker_limits_by_its_own_count(tmp_path):
    from sqlalchemy import create_engine as engine_for

    from service.kit.errors import TooManyRequestsError

    away = engine_for(f"sqlite:///{tmp_path / 'missing' / 'counts.db'}")
    limiter = SharedRateLimiter(3, away, sync_seconds=0)
    for _ in range(3):
        limiter.reserve("ana")
        limiter.sync("ana")  # the database cannot be reached: logged, the request goes on
    with pytest.raises(TooManyRequestsError):
        limiter.reserve("ana")


def test_a_deactivated_key_stops_in_every_worker_within_a_second(tmp_path):
    for first in make_app(tmp_path, token_cache_seconds=1):
        with another_worker(first, token_cache_seconds=1) as second:
            for worker in (first, second):
                assert worker.as_user("analyst", "GET", "/cases").status_code == 200
            _deactivate(first.database_url, "analyst")
            time.sleep(1.1)
            for worker in (first, second):
                assert worker.as_user("analyst", "GET", "/cases").status_code == 401


@pytest.mark.slow
def test_two_services_share_limits_revocation_and_model_reloads(
    tmp_path, tracking_uri, trained, monkeypatch, launch
):
    """Two `rescue serve` processes on one database and one MLflow tracking server: a rate
    limit counts the requests to both, a deactivated key stops at both within a second, and a
    reload asked of one reaches the other."""
    from tests.service.live import mlflow_server

    registry = tmp_path / "registry"
    registry.mkdir()
    shutil.copy(tracking_uri.removeprefix("sqlite:///"), registry / "mlflow.db")
    shared = f"sqlite:///{registry / 'mlflow.db'}"
    from models.specs import SPECS
    from training.tracking import configure, promote

    configure(shared)
    for spec in SPECS:
        promote(spec)
    monkeypatch.setenv("RESCUE_RATE_LIMIT_PER_MINUTE", "8")
    monkeypatch.setenv("RESCUE_RATE_LIMIT_SYNC_SECONDS", "0")
    monkeypatch.setenv("RESCUE_RELOAD_POLL_SECONDS", "0.5")
    stack = ExitStack()
    server = stack.enter_context(mlflow_server(shared, tmp_path))
    first_process, first = launch(tmp_path, server, "replicas")
    second_process, second = launch(tmp_path, server, "replica-2", reuse=first)
    try:
        with first.client("scientist") as one, second.client("scientist") as two:
            codes = [(one, two)[i % 2].get("/models").status_code for i in range(12)]
            assert codes == [200] * 8 + [429] * 4, codes
        with first.client("analyst") as one, second.client("analyst") as two:
            assert one.get("/cases").status_code == 200 and two.get("/cases").status_code == 200
            _deactivate(first.database_url, "analyst")
            time.sleep(1.1)
            assert one.get("/cases").status_code == 401 and two.get("/cases").status_code == 401
        # A new version becomes the champion; a reload asked of the first reaches the second.
        from mlflow.tracking import MlflowClient

        from models.registry import CHAMPION
        from models.specs import DISTRESS

        configure(shared)  # the data scientist's client on the store the server serves
        client = MlflowClient()
        current = client.get_model_version_by_alias(DISTRESS, CHAMPION)
        moved = client.create_model_version(DISTRESS, current.source, model_id=current.model_id)
        client.set_registered_model_alias(DISTRESS, CHAMPION, moved.version)
        with first.client("admin") as one, second.client("admin") as two:
            assert two.get("/health").json()["models"][DISTRESS] == str(current.version)
            reloaded = one.post("/models/reload")
            assert reloaded.status_code == 200, reloaded.text
            seen = None
            for _ in range(40):
                seen = two.get("/health").json()["models"][DISTRESS]
                if seen == str(moved.version):
                    break
                time.sleep(0.5)
            assert seen == str(moved.version)
    finally:
        configure(tracking_uri)
        for process in (first_process, second_process):
            process.terminate()
            process.wait(timeout=30)
        stack.close()
