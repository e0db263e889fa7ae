"""Several worker processes: `rescue serve` migrates once before they start, and one reload
request swaps the champion in every one of them."""

from __future__ import annotations

import shutil
import time

import httpx
import uvicorn
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from mlflow import MlflowClient
from sqlalchemy import create_engine
from typer.testing import CliRunner

from models.registry import CHAMPION
from models.specs import DISTRESS, SPECS
from rescue.cli import app
from service.kit.settings import get_settings
from service.store.db import MIGRATIONS


def _versions_by_worker(url: str, token: str, seconds: float, want: str) -> dict[int, str]:
    """Ask /health on fresh connections (each may land on either worker) until every worker
    seen answers with `want` as its distress version, or time runs out."""
    seen: dict[int, str] = {}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        health = httpx.get(
            f"{url}/health", headers={"Authorization": f"Bearer {token}"}, timeout=10
        ).json()
        seen[health["worker"]] = health["models"][DISTRESS]
        if len(seen) >= 2 and set(seen.values()) == {want}:
            break
        time.sleep(0.05)
    return seen


def test_one_reload_reaches_every_worker(launch, tracking_uri, trained, tmp_path):
    # A copy of the registry, so that the new version made here stays out of other tests.
    copy = tmp_path / "registry.db"
    shutil.copy(tracking_uri.removeprefix("sqlite:///"), copy)
    registry = f"sqlite:///{copy}"
    client = MlflowClient(tracking_uri=registry, registry_uri=registry)
    for name in SPECS:
        client.set_registered_model_alias(name, CHAMPION, "1")

    process, service = launch(tmp_path, registry, "workers", sqlite_only=True, workers=2)
    try:
        before = _versions_by_worker(service.url, service.tokens["scientist"], 30, "1")
        assert len(before) == 2 and set(before.values()) == {"1"}, before

        first = client.get_model_version(DISTRESS, "1")
        new = str(client.create_model_version(DISTRESS, first.source, run_id=first.run_id).version)
        client.set_registered_model_alias(DISTRESS, CHAMPION, new)

        with service.client("scientist") as scientist:
            reloaded = scientist.post("/models/reload")
        assert reloaded.status_code == 200, reloaded.text
        assert {m["name"]: m["version"] for m in reloaded.json()}[DISTRESS] == new

        after = _versions_by_worker(service.url, service.tokens["scientist"], 30, new)
        assert set(after) >= set(before), after
        assert set(after.values()) == {new}, after
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_migrates_once_before_the_workers_start(tmp_path, monkeypatch):
    # Workers that each migrate a database at once race on its version row and the loser
    # stops the service, so `rescue serve` must leave the database at head before any starts.
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    seen: list[str | None] = []

    def revision_at_start(*args: object, **kwargs: object) -> None:
        with create_engine(url).connect() as connection:
            seen.append(MigrationContext.configure(connection).get_current_revision())

    monkeypatch.setattr(uvicorn, "run", revision_at_start)
    try:
        result = CliRunner().invoke(app, ["serve", "--workers", "2"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert seen == [head]
