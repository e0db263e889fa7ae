"""Features of a restructuring plan, next to the business's own features.

The feasibility model scores a business *under a plan*, so the plan's terms and what they do to
debt service are features too; re-scoring with other terms is the analyst's what-if.
"""

from __future__ import annotations

import pandas as pd

from features.asof import safe_ratio
from features.loans import annuity_payment


def plan_installment(terms: pd.DataFrame) -> pd.Series:
    """Level installment after any grace months, on the principal left after the haircut."""
    amortising = terms["plan_tenor_months"].astype("float64") - terms["plan_grace_months"].fillna(
        0
    ).astype("float64")
    return pd.Series(
        annuity_payment(
            terms["plan_outstanding"].astype("float64"),
            terms["plan_rate"].astype("float64"),
            amortising,
        ),
        index=terms.index,
    )


def plan_features(business_features: pd.DataFrame, terms: pd.DataFrame) -> pd.DataFrame:
    """Business features (with context columns) joined with the plan's own features.

    `terms` is indexed like `business_features` and holds the plan terms (`plan_outstanding`,
    `plan_rate`, `plan_tenor_months`, `plan_grace_months`, `plan_haircut`); a given
    `plan_installment` is kept (it is what the lender agreed), otherwise computed from them.
    """
    out = business_features.copy()
    computed = plan_installment(terms)
    given = terms.get("plan_installment")
    out["plan_installment"] = computed if given is None else given.fillna(computed)
    out["plan_installment"] = out["plan_installment"].astype("float64")
    for term in ("plan_haircut", "plan_tenor_months", "plan_grace_months", "plan_rate"):
        out[term] = terms[term].astype("float64")
    annual_plan_service = 12.0 * out["plan_installment"]
    out["post_plan_dscr"] = safe_ratio(out["ebitda"], annual_plan_service)
    out["debt_service_relief"] = 1.0 - safe_ratio(annual_plan_service, out["annual_debt_service"])
    return out
