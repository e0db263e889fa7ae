"""Shared fixtures: a small generated portfolio, written once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from training.synthetic.generator import generate
from training.synthetic.writer import write_tables

SMALL_BUSINESSES = 2000
SMALL_SEED = 3


@pytest.fixture(scope="session")
def small_tables() -> dict:
    return generate(SMALL_BUSINESSES, SMALL_SEED)


@pytest.fixture(scope="session")
def small_portfolio_dir(small_tables, tmp_path_factory) -> Path:
    return write_tables(small_tables, tmp_path_factory.mktemp("portfolio") / "small")
