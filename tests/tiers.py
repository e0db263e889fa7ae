"""The two test tiers: `make check` runs what is not `slow`; `make test` runs everything.

A test is `slow` when it uses a fixture that starts a server or a browser or trains models, so
a new heavy test cannot slip into the fast tier by forgetting a marker. Code that starts such
a process calls `heavy()`, which fails a test of the fast tier that reaches it another way."""

from __future__ import annotations

import os

import pytest

# Fixture name -> what makes a test that uses it (directly or through another fixture) slow.
HEAVY_FIXTURES = {
    "trained": "trains both models on the small portfolio",
    "train": "trains models",
    "service": "starts the service on loopback",
    "launch": "starts service processes",
    "browser": "starts Chromium",
    "mlflow_server": "starts an MLflow server",
}
TIER = "RESCUE_TEST_TIER"


def mark_heavy(items: list[pytest.Item]) -> None:
    for item in items:
        if HEAVY_FIXTURES.keys() & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def enter(item: pytest.Item) -> None:
    os.environ[TIER] = "slow" if item.get_closest_marker("slow") else "fast"


def heavy(what: str) -> None:
    if os.environ.get(TIER) == "fast":
        raise RuntimeError(
            f"{what} in a test of the fast tier: request one of the fixtures "
            f"{sorted(HEAVY_FIXTURES)} or mark the test slow"
        )
