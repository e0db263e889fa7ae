"""Several worker processes: one reload request swaps the champion in every one of them."""

from __future__ import annotations

import shutil
import time

import httpx
from mlflow import MlflowClient

from models.registry import CHAMPION
from models.specs import DISTRESS, SPECS
from tests.service.live import start_service


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


def test_one_reload_reaches_every_worker(tracking_uri, trained, tmp_path):
    # A copy of the registry, so that the new version made here stays out of other tests.
    copy = tmp_path / "registry.db"
    shutil.copy(tracking_uri.removeprefix("sqlite:///"), copy)
    registry = f"sqlite:///{copy}"
    client = MlflowClient(tracking_uri=registry, registry_uri=registry)
    for name in SPECS:
        client.set_registered_model_alias(name, CHAMPION, "1")

    process, service = start_service(tmp_path, registry, "workers", sqlite_only=True, workers=2)
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
