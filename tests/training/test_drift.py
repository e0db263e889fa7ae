"""Population stability worked by hand, and `rescue drift` against the champion's holdout,
logged where the models page reads it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from models.drift import PSI_ACT, PSI_WATCH, latest_drift, level
from models.specs import DISTRESS
from training.drift import FLOOR, psi, run_drift
from training.tracking import configure

pytestmark = pytest.mark.slow


def test_the_same_population_is_stable_and_a_moved_one_is_not():
    reference = pd.Series(np.arange(100, dtype=float))
    assert psi(reference, reference.sample(frac=1.0, random_state=1)) == pytest.approx(0.0)
    # Everything now in the top decile: nine bins fall to the floor, one holds all.
    moved = pd.Series(np.full(50, 99.0))
    expected = 9 * (FLOOR - 0.1) * math.log(FLOOR / 0.1) + (1 - 0.1) * math.log(1 / 0.1)
    assert psi(reference, moved) == pytest.approx(expected, rel=1e-9)
    assert level(psi(reference, moved)) == "act" and level(0.05) == "stable"
    assert level(PSI_WATCH) == "watch" and level(PSI_ACT) == "act"


def test_missing_values_and_categories_count_as_their_own_bins():
    reference = pd.Series(["C", "G", "G", None] * 25, dtype="object")
    assert psi(reference, reference, categorical=True) == pytest.approx(0.0)
    filled = pd.Series(["C", "G", "G", "G"] * 25, dtype="object")
    assert psi(reference, filled, categorical=True) > PSI_WATCH  # the missing bin emptied
    numbers = pd.Series([1.0, 2.0, np.nan, 4.0] * 25)
    assert psi(numbers, numbers.fillna(2.0)) > PSI_WATCH


def test_rescue_drift_compares_intakes_with_the_champions_holdout(
    service, tracking_uri, small_portfolio_dir
):
    configure(tracking_uri)
    drift = run_drift(small_portfolio_dir, model=DISTRESS)
    assert drift.reference_rows > 500 and drift.recent_rows > 50
    assert list(drift.table["psi"]) == sorted(drift.table["psi"], reverse=True)
    assert set(drift.table["level"]) <= {"stable", "watch", "act", "n/a"}
    assert not math.isnan(drift.score_psi)
    shown = latest_drift(DISTRESS)
    assert shown is not None and shown["score_psi"] == pytest.approx(drift.score_psi)
    watched = {name for name, value, _ in shown["features"]}
    assert watched == set(drift.table.loc[drift.table["psi"] >= PSI_WATCH, "feature"])
    assert drift.lines()[0].startswith(f"{DISTRESS} v")
