"""The explanations the service serves are exact TreeSHAP: LightGBM's own contributions equal
`shap.TreeExplainer` on the same trained model, row by row."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import shap

from features import build_features, load_portfolio
from models.explain import TOP_REASONS, reason_lines, reason_sentences, reason_table
from models.registry import load_scorer
from models.scorer import feature_matrix
from models.specs import DISTRESS


@pytest.mark.slow
def test_booster_contributions_equal_shap_tree_explainer(mlflow_store, small_portfolio_dir):
    scorer = load_scorer(f"models:/{DISTRESS}/1")
    frame = build_features(load_portfolio(small_portfolio_dir), "2025-06-30").head(300)
    ours = scorer.explanation(frame)
    reference = shap.TreeExplainer(scorer.booster).shap_values(
        feature_matrix(frame, scorer.features)
    )
    assert np.abs(ours.values - reference).max() < 1e-9
    raw = scorer.raw_score(frame)
    assert np.allclose(ours.values.sum(axis=1) + ours.base_values, raw, atol=1e-9)


@pytest.mark.slow
def test_batch_reasons_equal_reasons_row_by_row(mlflow_store, small_portfolio_dir):
    scorer = load_scorer(f"models:/{DISTRESS}/1")
    frame = build_features(load_portfolio(small_portfolio_dir), "2025-06-30").head(400)
    contrib = scorer.shap_values(feature_matrix(frame, scorer.features))[:, :-1]
    batch = reason_table(scorer.features, contrib, frame, target_is_risk=True)
    one_by_one = [scorer.reasons(contrib[i], frame.iloc[i]) for i in range(len(frame))]
    assert batch == one_by_one
    assert all(len(reasons) == TOP_REASONS for reasons in batch)
    for language in ("en", "th"):
        lines = reason_lines(
            scorer.features, contrib, frame, target_is_risk=True, language=language
        )
        assert lines == [reason_sentences(reasons, language) for reasons in one_by_one]


@pytest.mark.slow
def test_a_registered_model_explains_a_batch_without_lightgbm(mlflow_store, small_portfolio_dir):
    # A batch job pays neither LightGBM's import nor scikit-learn's: the tables travel with the
    # model. Run apart, so that no other test's imports count.
    script = f"""
import sys
from features import build_features, load_portfolio
from models.registry import configure, load_scorer
from models.scorer import feature_matrix
configure({mlflow_store!r})
scorer = load_scorer("models:/{DISTRESS}/1")
frame = build_features(load_portfolio({str(small_portfolio_dir)!r}), "2025-06-30")
scores = scorer.evaluate(feature_matrix(frame, scorer.features))
assert len(scores.probability) == len(frame) and scores.contributions is not None
print(sorted(m for m in ("lightgbm", "sklearn") if m in sys.modules))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
