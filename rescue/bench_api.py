"""Latency of the scoring API and of in-process scoring, for `make bench`."""

from __future__ import annotations

import datetime as dt
import gc
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from features.pipeline import FEATURE_TABLES, feature_columns
from models.registry import load_champion
from models.scorer import feature_matrix, predict_threads
from models.specs import DISTRESS
from service.access.users import create_user
from service.kit import schemas
from service.kit.payloads import payload_columns
from service.kit.roles import Role
from service.kit.runtime import Loaded, Snapshot
from service.scoring.scoring import score_payload
from service.store.db import Database, upgrade


def percentiles(samples: list[float]) -> tuple[float, float]:
    ms = np.array(samples) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def in_process(payload: dict[str, Any], tracking_uri: str) -> dict[str, Any]:
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
        scorer.booster.predict(row, raw_score=True, num_threads=predict_threads(1))
        timings["booster_predict"].append(time.perf_counter() - start)
    return {k: statistics.median(v) * 1000 for k, v in timings.items()}


class ScoreClient:
    """A lean load client: one keep-alive connection and a body encoded once, so the figures
    are the server's and not the client's JSON encoding."""

    def __init__(self, port: int, body: bytes, headers: dict[str, str]):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.body, self.headers = body, headers

    def post(self) -> float:
        start = time.perf_counter()
        self.connection.request("POST", "/score", body=self.body, headers=self.headers)
        response = self.connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise RuntimeError(f"POST /score answered {response.status}")
        return elapsed

    def posts(self, n: int) -> list[float]:
        return [self.post() for _ in range(n)]

    def close(self) -> None:
        self.connection.close()


@contextmanager
def serving(
    database_url: str, tracking_uri: str, token: str, workers: int, port: int = 8766
) -> Iterator[int]:
    """`rescue serve` on `port`, yielded once every worker answers (each has loaded the
    models). The per-user rate limit is off: one user sends every request."""
    env = {
        **os.environ, "DATABASE_URL": database_url, "MLFLOW_TRACKING_URI": tracking_uri,
        "RESCUE_RATE_LIMIT_PER_MINUTE": "0",
    }  # fmt: skip
    rescue = Path(sys.executable).with_name("rescue")
    process = subprocess.Popen(
        [str(rescue), "serve", "--port", str(port), "--workers", str(workers)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        ready: set[int] = set()
        deadline = time.monotonic() + 180
        while len(ready) < workers and time.monotonic() < deadline:
            try:
                health = httpx.get(
                    f"http://127.0.0.1:{port}/health",
                    headers={"Authorization": f"Bearer {token}"}, timeout=1,
                ).json()  # fmt: skip
                ready.add(health["worker"])
            except httpx.HTTPError:
                time.sleep(0.5)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def api_latency(
    workdir: Path, tracking_uri: str, payload: dict[str, Any], *, workers: int, requests: int = 800
) -> dict[int, tuple[float, float]]:
    """p50 and p99 of POST /score against `rescue serve --workers N`, at concurrency 1 and 8."""
    database_url = f"sqlite:///{workdir / 'bench-service.store.db'}"
    upgrade(database_url)
    with Database(database_url).sessions() as session:
        token = create_user(session, f"bench-{time.time_ns()}", Role.data_scientist)
    headers = {"Authorization": f"Bearer {token}"}
    with serving(database_url, tracking_uri, token, workers, port=8765) as port:
        body = json.dumps(payload).encode()
        head = {**headers, "Content-Type": "application/json"}
        results = {}
        gc.collect()
        gc.freeze()  # the portfolio held by this process is not garbage; don't rescan it
        for concurrency in (1, 8):
            # One keep-alive connection per simulated client, each warmed up first.
            clients = [ScoreClient(port, body, head) for _ in range(concurrency)]
            for client in clients:
                for _ in range(10):
                    client.post()
            with ThreadPoolExecutor(concurrency) as pool:
                batches = pool.map(
                    ScoreClient.posts, clients, [requests // concurrency] * concurrency
                )
                samples = [t for batch in batches for t in batch]
            for client in clients:
                client.close()
            results[concurrency] = percentiles(samples)
        gc.unfreeze()
        return results
