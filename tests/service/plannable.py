"""Cases of generated businesses whose advice today includes a repayment plan: what the plan,
decision and workflow tests need on the running service."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from features import Portfolio
from models.advice.paths import PLAN_PATHS
from service.kit.payloads import business_payload


def cases_with_plans(
    analyst: httpx.Client, portfolio: Portfolio, wanted: int, skip: int = 0
) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(case id, the case's body, its first repayment-plan option) for `wanted` late businesses
    with statements, registered by `analyst`, from the `skip`-th such business on."""
    debts = portfolio.debts
    late = debts[debts["days_past_due"].between(1, 89)]["business_id"].unique()
    filers = set(portfolio.financial_statements["business_id"])
    found = []
    for business in [b for b in late if b in filers][skip : skip + 60]:
        body = {**business_payload(portfolio, business), "channel": "direct",
                "problem_types": ["debt_distress"]}  # fmt: skip
        created = analyst.post("/cases", json=body)
        if created.status_code != 201:
            continue
        case_id = created.json()["case_id"]
        advice = analyst.get(f"/cases/{case_id}/recommendations").json()
        plans = [o for o in advice["options"] if o["path"] in PLAN_PATHS]
        if plans:
            found.append((case_id, body, plans[0]))
        if len(found) == wanted:
            return found
    pytest.fail(f"fewer than {wanted} generated businesses with a repayment plan today")


def renamed(payload: dict[str, Any], tag: str) -> dict[str, Any]:
    """The same business under new ids, so the test owns its rows."""
    body = copy.deepcopy(payload)
    body["business"]["business_id"] += tag
    body["business"].pop("tax_id", None)
    for row in body["debts"]:
        row["facility_id"] += tag
    for row in body["loan_applications"]:
        row["application_id"] += tag
    return {**body, "channel": "direct", "problem_types": ["debt_distress"]}
