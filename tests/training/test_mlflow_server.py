"""Training against a real MLflow tracking server on loopback."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from mlflow.tracking import MlflowClient

from models.specs import DISTRESS
from tests.tiers import heavy
from training.pipeline import train_all
from training.tracking import CHALLENGER, alias_version

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mlflow_server(tmp_path):
    heavy("an MLflow server")
    port = _free_port()
    mlflow_bin = Path(sys.executable).with_name("mlflow")
    process = subprocess.Popen(
        [str(mlflow_bin), "server", "--host", "127.0.0.1", "--port", str(port),
         "--backend-store-uri", f"sqlite:///{tmp_path / 'server.db'}",
         "--artifacts-destination", str(tmp_path / "artifacts"), "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, "mlflow server exited"
            time.sleep(0.5)
        else:
            pytest.fail("mlflow server did not become healthy in 90 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_train_logs_and_registers_on_a_real_server(mlflow_server, small_portfolio_dir, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_server)
    results = train_all(small_portfolio_dir, say=lambda _m: None)
    distress = next(r for r in results if r.name == DISTRESS)
    client = MlflowClient(mlflow_server)
    run = client.get_run(distress.run_id)
    assert run.data.metrics["model_roc_auc"] > 0.7
    assert alias_version(DISTRESS, CHALLENGER) == distress.version
    artifacts = {a.path for a in client.list_artifacts(distress.run_id)}
    assert "model_card.md" in artifacts
