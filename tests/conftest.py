"""Shared fixtures: a small generated portfolio and models trained on it, once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from features.portfolio import write_tables
from tests import tiers
from training.pipeline import train_all
from training.synthetic.generator import generate
from training.tracking import configure

# The live service fixture, shared by the API and the browser tests, and the in-process app.
pytest_plugins = ["tests.service.live", "tests.service.inprocess"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tiers.mark_heavy(items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    tiers.enter(item)


SMALL_BUSINESSES = 2000
SMALL_SEED = 3


@pytest.fixture(scope="session")
def small_tables() -> dict:
    return generate(SMALL_BUSINESSES, SMALL_SEED)


@pytest.fixture(scope="session")
def small_portfolio_dir(small_tables, tmp_path_factory) -> Path:
    return write_tables(small_tables, tmp_path_factory.mktemp("portfolio") / "small")


@pytest.fixture(scope="session")
def tracking_uri(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("mlflow")
    return f"sqlite:///{folder / 'mlflow.db'}"


@pytest.fixture(scope="session")
def trained(small_portfolio_dir, tracking_uri):
    messages: list[str] = []
    results = train_all(small_portfolio_dir, tracking_uri=tracking_uri, say=messages.append)
    return {r.name: r for r in results}, messages


@pytest.fixture
def train():
    """Training for a test that trains its own models (and so belongs to the slow tier)."""
    return train_all


@pytest.fixture
def mlflow_store(tracking_uri, trained):
    configure(tracking_uri)
    return tracking_uri
