"""Asset warehousing: a financial institution takes the real estate securing its facility in
settlement, leases it back so the business keeps operating, and gives the borrower the right to
buy it back within a window (rules file, `[[asset_warehousing]]`, with the dates each version of
the measure takes applications).

For one facility, with T the transfer value (the appraisal on record times the rule's transfer
share, never more than the claim) and W the window in months:
- the property settles T of the claim; the rest of the claim (the shortfall, arrears included)
  stays with the lender, re-amortised at its lawful rate over the facility's remaining months;
- the rent is T x rent_rate / 12 a month;
- the buy-back price at the end of the window is T x (1 + holding_cost_rate x W / 12), less the
  rent paid where the rule credits it;
- the lender's value is the rent over the window, the buy-back price at its end and the
  shortfall's instalments, discounted at the facility's own rate; every other facility runs on
  as it is (arrears capitalised, rates above the ceiling capped), as in a plan's first row.

It is offered where the business is viable without that debt (DSCR with the rent and the other
facilities at the target), the lender is better off than in a liquidation, the other lenders are
not enforcing, and the rule's collateral, loan-class and size checks pass. The most viable
facility and rule is offered, as one option.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from features.loans import annuity_payment
from features.schema import REAL_ESTATE
from models.advice.guidance import option
from models.plans.creditors import facility_npv
from models.plans.debt_plans import (
    TOLERANCE,
    Debt,
    arrears_treatment,
    evaluate,
    facility_term,
    lender_rows,
    treatment,
)
from models.plans.lending import LITIGATION_STAGES, NON_PERFORMING, loan_class
from models.plans.programmes import Check, Rules, programme_of, size_check


@dataclass(frozen=True)
class Warehousing:
    """One facility taken in settlement under one rule, with the numbers the option shows."""

    rule: dict[str, Any]
    index: int  # the facility, in the debt's order
    transfer_value: float
    shortfall: float
    shortfall_installment: float
    rent: float
    buyback_price: float
    lender_value: float
    installment_after: float
    dscr_after: float
    npv: np.ndarray  # per facility, to its lender
    installments: np.ndarray  # per facility, after (rent not included)
    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


def buyback_price(transfer_value: float, rule: dict[str, Any], rent: float) -> float:
    """What the borrower pays to buy the property back at the end of the window."""
    months = rule["buyback_months"]
    price = transfer_value * (1.0 + rule["holding_cost_rate"] * months / 12.0)
    if rule["rent_credited"]:
        price -= rent * months
    return float(max(price, 0.0))


def _annuity_factor(rate: float, months: int) -> float:
    d = rate / 12.0
    return float(months) if d == 0 else (1.0 - (1.0 + d) ** -months) / d


def _warehouse(
    rule: dict[str, Any],
    j: int,
    debt: Debt,
    ebitda: float,
    row0: tuple[np.ndarray, np.ndarray],
    size_class: str | None,
    target: float,
) -> Warehousing:
    f = debt.facilities[j]
    npv0, installment0 = row0
    transfer = min(f.collateral_value * rule["transfer_share"], f.outstanding)
    shortfall = f.outstanding - transfer
    months = max(f.remaining_months, 12)
    short_installment = (
        float(annuity_payment(shortfall, f.lawful_rate, months)) if shortfall > 0 else 0.0
    )
    rent = transfer * rule["rent_rate"] / 12.0
    price = buyback_price(transfer, rule, rent)
    window = rule["buyback_months"]
    discount = f.discount_rate(debt.floor)
    value = (
        rent * _annuity_factor(discount, window)
        + price / (1.0 + discount / 12.0) ** window
        + facility_npv(shortfall, f.lawful_rate, months, 0, False, discount, debt.review_months)
    )
    npv = npv0.copy()
    npv[j] = value
    installments = installment0.copy()
    installments[j] = short_installment
    monthly = float(installments.sum()) + rent
    dscr = ebitda / (12.0 * monthly) if monthly > 0 else math.inf
    others = [g for k, g in enumerate(debt.facilities) if k != j]
    worst = max((g.days_past_due for g in others), default=0.0)
    enforcing = [g.legal_stage for g in others if g.legal_stage in LITIGATION_STAGES]
    liquidation = float(debt.liquidation.present_value[j])
    rid, types, classes = rule["id"], rule["collateral_types"], rule["loan_classes"]
    checks = (
        Check(rid, f.collateral_type in types, f.collateral_type, "/".join(types),
              "collateral_type"),
        Check(rid, f.formal, f.facility_type, "financial institution", "lender"),
        Check(rid, loan_class(f.days_past_due) in classes, loan_class(f.days_past_due),
              "/".join(classes), "loan_class"),
        size_check(rule, size_class),
        Check(rid, loan_class(worst) not in NON_PERFORMING and not enforcing,
              enforcing[0] if enforcing else loan_class(worst), "performing, not suing",
              "other_lenders"),
        Check(rid, value >= liquidation - TOLERANCE, value, liquidation, "lender_value"),
        Check(rid, dscr >= target, dscr, target, "dscr_after"),
    )  # fmt: skip
    return Warehousing(
        rule, j, transfer, shortfall, short_installment, rent, price, value,
        monthly, dscr, npv, installments, checks,
    )  # fmt: skip


def warehousing_option(
    debt: Debt,
    ebitda: float,
    dscr_before: float,
    rules: Rules,
    size_class: str | None,
    config: dict[str, Any],
) -> dict[str, Any] | None:
    """The asset-warehousing option for the business, or None where no facility and rule
    pass every check."""
    target = config["plan"]["target_dscr"]
    secured = [
        j
        for j, f in enumerate(debt.facilities)
        if f.collateral_type in REAL_ESTATE and f.collateral_value > 0
    ]
    if not secured or not rules.asset_warehousing or not ebitda > 0:
        return None
    ev = evaluate(debt, ebitda, config, None)
    row0 = (ev.npv[0], ev.installment[0])
    found = [
        _warehouse(rule, j, debt, ebitda, row0, size_class, target)
        for rule in rules.asset_warehousing
        for j in secured
    ]
    passed = [x for x in found if x.passed]
    if not passed:
        return None
    best = max(passed, key=lambda x: (x.dscr_after, x.lender_value, -x.index))
    return _option(best, debt, ev.points[0], dscr_before, target)


def _option(
    x: Warehousing, debt: Debt, point: np.ndarray, dscr_before: float, target: float
) -> dict[str, Any]:
    f = debt.facilities[x.index]
    concession = float((debt.contract - x.npv).sum())
    numbers = {
        "dscr_before": dscr_before,
        "dscr_after": x.dscr_after,
        "target_dscr": target,
        "installment_before": debt.monthly_before,
        "installment_after": x.installment_after,
        "creditor_npv": float(x.npv.sum()),
        "liquidation_value": debt.liquidation.total,
        "concession": concession,
        "appraised_value": f.collateral_value,
        "transfer_value": x.transfer_value,
        "claim": f.outstanding,
        "shortfall": x.shortfall,
        "shortfall_installment": x.shortfall_installment,
        "remaining_months": max(f.remaining_months, 12),
        "rent": x.rent,
        "buyback_months": x.rule["buyback_months"],
        "buyback_price": x.buyback_price,
        "holding_cost_rate": x.rule["holding_cost_rate"],
        "lender_value": x.lender_value,
        "lender_liquidation": float(debt.liquidation.present_value[x.index]),
        "outstanding": debt.outstanding,
    }
    terms = [_term(debt, k, x, point) for k in range(len(debt.facilities))]
    creditors = lender_rows(debt, debt.by_lender(x.npv[None, :])[0])
    sort = (False, 2, round(concession, 2), 0.0, -round(x.dscr_after, 6), (x.rule["id"], x.index))
    return option(
        "asset_warehousing",
        numbers,
        sort,
        viable=True,
        all_agree=all(r["agrees"] for r in creditors),
        warehoused={"facility_id": f.facility_id, "lender": f.lender,
                    "collateral_type": f.collateral_type,
                    "rent_credited": bool(x.rule["rent_credited"])},
        creditors=creditors,
        terms=terms,
        new_facility=None,
        programme=programme_of(x.rule),
        checks=[c.as_dict() for c in x.checks],
    )  # fmt: skip


def _term(debt: Debt, k: int, x: Warehousing, point: np.ndarray) -> dict[str, Any]:
    f = debt.facilities[k]
    mine = k == x.index
    kept = not mine or x.shortfall > 0
    tenor = max(f.remaining_months, 12) if mine else f.remaining_months
    after = {
        "treatment": "warehoused" if mine else treatment(f, True, point, 0),
        "rate_after": f.lawful_rate if kept else None,
        "tenor_after": tenor if kept else None,
        "grace_months": 0 if kept else None,
        "haircut_amount": 0.0,
        "installment_after": float(x.installments[k]),
        "arrears_treatment": arrears_treatment(f, kept) if kept or not mine else "settled",
        "plan_npv": float(x.npv[k]),
    }
    return facility_term(debt, k, after)
