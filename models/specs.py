"""What each model is: its registered name, target, features and LightGBM settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from features.registry import FEATURE_NAMES, PLAN_FEATURE_NAMES, monotone_constraints

DISTRESS = "sme-distress"
FEASIBILITY = "sme-restructuring-feasibility"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    target: str
    target_is_risk: bool
    features: tuple[str, ...]
    params: dict[str, Any] = field(default_factory=dict[str, Any])
    banded: bool = False
    # Folds of the cross-validation that chooses the setting (training.selection): more where
    # rows are few, so each fold's model sees most of them.
    cv_folds: int = 3

    @property
    def monotone(self) -> list[int]:
        return monotone_constraints(list(self.features), target_is_risk=self.target_is_risk)

    def lgb_params(self, seed: int) -> dict[str, Any]:
        return {
            "objective": "binary",
            "metric": "binary_logloss",
            "learning_rate": 0.03,
            "num_leaves": 15,
            "min_child_samples": 40,
            "feature_fraction": 0.8,
            "bagging_fraction": 0.8,
            "bagging_freq": 1,
            "lambda_l2": 2.0,
            "monotone_constraints": self.monotone,
            "monotone_constraints_method": "advanced",
            "seed": seed,
            "deterministic": True,
            "force_row_wise": True,
            "num_threads": 2,
            "verbosity": -1,
            **self.params,
        }


DISTRESS_SPEC = ModelSpec(
    name=DISTRESS,
    target="distress_12m",
    target_is_risk=True,
    features=tuple(FEATURE_NAMES),
    banded=True,
)

# Plans are few (hundreds to a few thousand): a compact feature set and small trees.
FEASIBILITY_SPEC = ModelSpec(
    name=FEASIBILITY,
    target="performing_12m",
    target_is_risk=False,
    features=(
        *PLAN_FEATURE_NAMES,
        "dscr",
        "collateral_cover",
        "max_days_past_due",
        "liabilities_to_assets",
        "current_ratio",
        "revenue_growth",
        "ebitda_margin",
        "firm_age",
        "total_outstanding",
        "share_informal_debt",
        "has_statements",
        "sector",
    ),
    params={"num_leaves": 7, "min_child_samples": 30, "learning_rate": 0.03, "lambda_l2": 5.0},
    cv_folds=5,
)

SPECS = {spec.name: spec for spec in (DISTRESS_SPEC, FEASIBILITY_SPEC)}
