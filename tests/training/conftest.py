"""A trained and registered pair of models on the small portfolio, in a private MLflow store."""

from __future__ import annotations

import pytest

from training.pipeline import train_all
from training.tracking import configure


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
def mlflow_store(tracking_uri, trained):
    configure(tracking_uri)
    return tracking_uri
