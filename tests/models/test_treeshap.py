"""The table TreeSHAP against shap.TreeExplainer and LightGBM's own, on boosters that use every
kind of split LightGBM makes: numeric with missing values as NaN or as zero, categorical sets,
and trees that are a single leaf."""

from __future__ import annotations

import subprocess
import sys

import lightgbm as lgb
import numpy as np
import pytest
import shap
from hypothesis import given, settings
from hypothesis import strategies as st

from models import treeshap
from models.calibration import PlattCalibrator
from models.scorer import TABLE_EXPLAIN_ROWS, Scorer
from models.treeshap import TreeTooDeepError, build_tables, leaf_table
from models.treeshap_kernels import explain

TOLERANCE = 1e-9


def _data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 6))
    X[rng.uniform(size=X.shape) < 0.1] = np.nan
    X[:, 2] = rng.integers(0, 9, n).astype(float)  # categorical codes
    X[rng.uniform(size=n) < 0.05, 2] = np.nan
    X[:, 4] = np.where(rng.uniform(size=n) < 0.3, 0.0, X[:, 4])
    signal = np.nan_to_num(X[:, 0]) + (X[:, 2] % 3 == 0) - np.nan_to_num(X[:, 4])
    y = (signal + rng.normal(size=n) > 0.4).astype(int)
    return X, y


def _booster(X: np.ndarray, y: np.ndarray, rounds: int = 60, **params: object) -> lgb.Booster:
    data = lgb.Dataset(X, y, categorical_feature=[2])
    settings = {"objective": "binary", "num_leaves": 15, "min_child_samples": 5,
                "verbosity": -1, "num_threads": 1, **params}  # fmt: skip
    return lgb.train(settings, data, rounds)


@pytest.mark.parametrize("params", [{}, {"zero_as_missing": True}, {"num_leaves": 63}])
def test_values_equal_shap_and_lightgbm(params: dict[str, object]) -> None:
    X, y = _data(3000, 0)
    booster = _booster(X, y, **params)
    ours = build_tables(booster).shap_values(X)
    lightgbm = booster.predict(X, pred_contrib=True)
    explainer = shap.TreeExplainer(booster)
    assert np.abs(ours - lightgbm).max() < TOLERANCE
    assert np.abs(ours[:, :-1] - explainer.shap_values(X)).max() < TOLERANCE
    assert np.abs(ours[:, -1] - explainer.expected_value).max() < TOLERANCE
    # additive: contributions and the expectation sum to the raw score
    assert np.abs(ours.sum(axis=1) - booster.predict(X, raw_score=True)).max() < TOLERANCE


def test_rows_unlike_the_training_rows_follow_lightgbm_s_decisions() -> None:
    X, y = _data(2000, 1)
    booster = _booster(X, y, zero_as_missing=True)
    odd = np.array([
        [np.nan] * 6,
        [0.0] * 6,
        [1e-40, -1e-40, 40.0, np.inf, -np.inf, 1e300],  # a category never seen, infinities
        [3.0, -3.0, -1.0, 0.5, np.nan, 0.0],  # a negative category code
    ])  # fmt: skip
    rows = np.vstack([odd, X[:100]])
    assert np.abs(build_tables(booster).shap_values(rows)
                  - booster.predict(rows, pred_contrib=True)).max() < TOLERANCE  # fmt: skip


def test_a_tree_that_is_one_leaf_adds_to_the_expectation_only() -> None:
    X, y = _data(60, 2)
    booster = _booster(X, y, rounds=5, min_child_samples=40)  # too few rows for any split
    tables = build_tables(booster)
    assert booster.num_trees() >= 1
    assert tables.leaves == booster.num_trees()
    values = tables.shap_values(X)
    assert np.all(values[:, :-1] == 0)
    assert np.abs(values - booster.predict(X, pred_contrib=True)).max() < TOLERANCE


def test_a_leaf_table_is_the_shapley_sum_written_out() -> None:
    z = np.array([0.3, 0.6, 0.8])
    table = leaf_table(z)
    # by hand, for d = 3: w(0) = 1/3, w(1) = 1/6, w(2) = 1/3; K[M] = sum_{S in M} w |S| z_{U-S}
    total = z.prod()
    assert table[0] == pytest.approx(total / 3)
    assert table[0b001] == pytest.approx(total / 3 + z[1] * z[2] / 6)
    assert table[0b011] == pytest.approx(total / 3 + (z[1] * z[2] + z[0] * z[2]) / 6 + z[2] / 3)


def test_too_deep_a_path_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    X, y = _data(2000, 3)
    booster = _booster(X, y)
    monkeypatch.setattr(treeshap, "MAX_PATH_FEATURES", 2)
    with pytest.raises(TreeTooDeepError):
        build_tables(booster)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), leaves=st.integers(2, 40), rows=st.integers(30, 400))
def test_any_small_booster_matches_lightgbm(seed: int, leaves: int, rows: int) -> None:
    X, y = _data(rows, seed)
    if y.min() == y.max():
        y[0] = 1 - y[0]
    booster = _booster(X, y, rounds=10, num_leaves=leaves, min_child_samples=2)
    assert np.abs(build_tables(booster).shap_values(X)
                  - booster.predict(X, pred_contrib=True)).max() < TOLERANCE  # fmt: skip


def test_the_scorer_uses_the_tables_for_a_batch_and_lightgbm_for_a_few_rows() -> None:
    X, y = _data(500, 4)
    booster = _booster(X, y)
    scorer = Scorer("sme-distress", booster.model_to_string(), PlattCalibrator(),
                    [f"f{i}" for i in range(6)])  # fmt: skip
    few = scorer.shap_values(X[: TABLE_EXPLAIN_ROWS - 1])
    assert "tables" not in scorer.__dict__  # a single case never pays for the tables
    many = scorer.shap_values(X)
    assert scorer.__dict__["tables"] is not None
    expected = booster.predict(X, pred_contrib=True)
    assert np.abs(many - expected).max() < TOLERANCE
    assert np.abs(few - expected[: TABLE_EXPLAIN_ROWS - 1]).max() < TOLERANCE


def test_saved_tables_come_back_only_for_their_own_model(tmp_path) -> None:
    X, y = _data(500, 4)
    scorer = Scorer("sme-distress", _booster(X, y).model_to_string(), PlattCalibrator(),
                    [f"f{i}" for i in range(6)])  # fmt: skip
    saved = scorer.save_tables(tmp_path / "treeshap.npz")
    assert saved is not None
    loaded = Scorer.load(scorer.save(tmp_path / "scorer.json"), saved)
    assert "tables" in loaded.__dict__ and "booster" not in loaded.__dict__
    assert np.array_equal(loaded.shap_values(X), scorer.shap_values(X))

    other = Scorer("sme-distress", _booster(X, y, rounds=20).model_to_string(),
                   PlattCalibrator(), scorer.features)  # fmt: skip
    stale = Scorer.load(other.save(tmp_path / "other.json"), saved)
    assert "tables" not in stale.__dict__  # another model's tables are not used
    assert np.abs(stale.shap_values(X) - stale.booster.predict(X, pred_contrib=True)).max() < (
        TOLERANCE
    )
    (tmp_path / "broken.npz").write_bytes(b"not a zip")
    assert treeshap.TreeTables.load(tmp_path / "broken.npz", scorer.fingerprint) is None


def test_a_scorer_whose_paths_are_too_deep_falls_back_to_lightgbm(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    X, y = _data(500, 5)
    booster = _booster(X, y)
    monkeypatch.setattr(treeshap, "MAX_PATH_FEATURES", 1)
    scorer = Scorer("sme-distress", booster.model_to_string(), PlattCalibrator(),
                    [f"f{i}" for i in range(6)])  # fmt: skip
    assert np.abs(scorer.shap_values(X) - booster.predict(X, pred_contrib=True)).max() < 1e-12
    assert scorer.tables is None


def test_small_trees_by_decision_pattern_equal_leaf_by_leaf(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    X, y = _data(2000, 6)
    booster = _booster(X, y, num_leaves=8, zero_as_missing=True)
    patterns = build_tables(booster)
    assert patterns.pattern_trees == booster.num_trees()
    monkeypatch.setattr(treeshap, "PATTERN_NODES", -1)
    leaves = build_tables(booster)
    assert leaves.pattern_trees == 0
    assert np.abs(patterns.shap_values(X) - leaves.shap_values(X)).max() < TOLERANCE
    assert np.abs(leaves.shap_values(X) - booster.predict(X, pred_contrib=True)).max() < TOLERANCE


@pytest.mark.parametrize("params", [{}, {"zero_as_missing": True}, {"max_cat_threshold": 2}])
def test_numpy_reads_the_patterns_as_the_kernel_does(params: dict[str, object]) -> None:
    X, y = _data(5000, 8)
    booster = _booster(X, y, num_leaves=8, **params)
    tables = build_tables(booster)
    assert tables.pattern_trees == booster.num_trees()
    assert tables.node_categorical.any()
    by_numpy = np.zeros((len(X), tables.n_features + 1))
    tables.pattern_reader.contributions(tables, X, by_numpy)
    by_numpy[:, -1] = tables.base_value
    by_kernel = np.zeros_like(by_numpy)
    explain(X, by_kernel, tables.splits, tables.paths, tables.patterns, tables.max_nodes)
    by_kernel[:, -1] = tables.base_value
    assert np.abs(by_numpy - by_kernel).max() < TOLERANCE
    assert np.abs(by_numpy - booster.predict(X, pred_contrib=True)).max() < TOLERANCE


def test_a_process_reads_by_numpy_until_the_kernel_pays(tmp_path) -> None:
    # A fresh process: the kernel must not be loaded by another test's explanations.
    X, y = _data(3000, 9)
    scorer = Scorer("sme-distress", _booster(X, y, num_leaves=8).model_to_string(),
                    PlattCalibrator(), [f"f{i}" for i in range(6)])  # fmt: skip
    np.save(tmp_path / "X.npy", X)
    expected = scorer.booster.predict(X, pred_contrib=True)
    np.save(tmp_path / "expected.npy", expected)
    script = f"""
import numpy as np
from models import treeshap, treeshap_kernels
from models.scorer import Scorer
folder = {str(tmp_path)!r}
scorer = Scorer.load(folder + "/scorer.json", treeshap.Path(folder + "/treeshap.npz"))
X, expected = np.load(folder + "/X.npy"), np.load(folder + "/expected.npy")
treeshap.NUMPY_ROWS = 2 * len(X)
for _ in range(3):
    values = scorer.shap_values(X)
    assert np.abs(values - expected).max() < {TOLERANCE}
    print(len(treeshap_kernels.explain.signatures))
"""
    scorer.save(tmp_path / "scorer.json")
    scorer.save_tables(tmp_path / "treeshap.npz")
    done = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "0", "1"]  # two batches by NumPy, then the kernel
