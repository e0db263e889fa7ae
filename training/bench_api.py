"""Latency of the scoring API and of in-process scoring, for `make bench`."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx
import numpy as np

from features.pipeline import feature_columns
from models.registry import load_champion
from models.scorer import feature_matrix
from models.specs import DISTRESS
from service import schemas
from service.auth import Role, create_user
from service.db import Database, upgrade
from service.runtime import Loaded, Snapshot
from service.scoring import FEATURE_TABLES, payload_columns, score_payload


def percentiles(samples: list[float]) -> tuple[float, float]:
    ms = np.array(samples) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def in_process(payload: dict, tracking_uri: str) -> dict:
    """One POST /score worth of work without HTTP: payload validation, features, score and
    explanation; beside the features alone and the bare booster predict of the same row."""
    scorer, version = load_champion(DISTRESS, tracking_uri)
    snapshot = Snapshot({DISTRESS: Loaded(scorer, version, datetime.now(UTC))})
    as_of = dt.date.fromisoformat(payload["as_of"])
    request = schemas.ScoreRequest.model_validate(payload)
    tables = payload_columns(request)
    dates = np.full(1, np.datetime64(as_of, "ns"))
    row = feature_matrix(feature_columns(tables, FEATURE_TABLES, dates), scorer.features)
    timings: dict[str, list[float]] = {
        "score_and_explain": [],
        "features_only": [],
        "booster_predict": [],
    }
    for _ in range(200):
        start = time.perf_counter()
        score_payload(snapshot, schemas.ScoreRequest.model_validate(payload), as_of)
        timings["score_and_explain"].append(time.perf_counter() - start)
        start = time.perf_counter()
        feature_columns(tables, FEATURE_TABLES, dates)
        timings["features_only"].append(time.perf_counter() - start)
        start = time.perf_counter()
        scorer.booster.predict(row, raw_score=True)
        timings["booster_predict"].append(time.perf_counter() - start)
    return {k: statistics.median(v) * 1000 for k, v in timings.items()}


def api_latency(
    workdir: Path, tracking_uri: str, payload: dict, requests: int = 200
) -> dict[int, tuple[float, float]]:
    database_url = f"sqlite:///{workdir / 'bench-service.db'}"
    upgrade(database_url)
    with Database(database_url).sessions() as session:
        token = create_user(session, f"bench-{time.time_ns()}", Role.data_scientist)
    port = 8765
    env = {**os.environ, "DATABASE_URL": database_url, "MLFLOW_TRACKING_URI": tracking_uri}
    rescue = Path(sys.executable).with_name("rescue")
    process = subprocess.Popen(
        [str(rescue), "serve", "--port", str(port)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        for _ in range(240):
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        results = {}
        with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
            for _ in range(20):  # warm-up
                client.post("/score", json=payload).raise_for_status()

            def call(_i: int) -> float:
                start = time.perf_counter()
                client.post("/score", json=payload).raise_for_status()
                return time.perf_counter() - start

            for concurrency in (1, 8):
                with ThreadPoolExecutor(concurrency) as pool:
                    samples = list(pool.map(call, range(requests)))
                results[concurrency] = percentiles(samples)
        return results
    finally:
        process.terminate()
        process.wait(timeout=30)
