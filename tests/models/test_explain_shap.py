"""The explanations the service serves are exact TreeSHAP: LightGBM's own contributions equal
`shap.TreeExplainer` on the same trained model, row by row."""

from __future__ import annotations

import numpy as np
import pytest
import shap

from features import build_features, load_portfolio
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
