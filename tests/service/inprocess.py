"""The app in process over a fresh SQLite database, without models: for the rules about who may
write what, input limits, sessions and the audit log, which need no scores."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from features.cells import tax_id_check_digit
from service.access.users import create_user
from service.app import create_app
from service.kit.roles import Role
from service.kit.settings import Settings
from service.store.db import Database, upgrade

USERS = {
    "analyst": (Role.analyst, {}),
    "analyst2": (Role.analyst, {}),
    "manager": (Role.centre_manager, {}),
    "intake_cm": (Role.intake_officer, {"province": "Chiang Mai"}),
    "intake_bkk": (Role.intake_officer, {"province": "Bangkok"}),
    "liaison": (Role.bank_liaison, {"lender": "Andaman Trust Bank"}),
    "scientist": (Role.data_scientist, {}),
    "admin": (Role.admin, {}),
}


def tax_id(seed: int) -> str:
    digits = np.array([int(c) for c in f"{seed:012d}"])
    return f"{seed:012d}{tax_id_check_digit(digits[None, :])[0]}"


def business_payload(business_id: str, province: str, seed: int = 1) -> dict[str, Any]:
    """A small, valid business: two years of statements, a bank loan, an application."""
    statements = [
        {
            "fiscal_year": year, "period_end": f"{year}-12-31", "revenue": 12_000_000.0,
            "cost_of_sales": 8_000_000.0, "operating_expenses": 2_500_000.0,
            "depreciation": 300_000.0, "interest_expense": 200_000.0, "net_income": 900_000.0,
            "total_assets": 10_000_000.0, "total_liabilities": 6_000_000.0, "equity": 4_000_000.0,
        }
        for year in (2023, 2024)
    ]  # fmt: skip
    return {
        "business": {
            "business_id": business_id, "name": f"Test Trading {business_id}",
            "tax_id": tax_id(seed), "sector": "G", "province": province, "region": "north",
            "founded_year": 2010, "employees": 20, "legal_form": "company_limited",
        },
        "financial_statements": statements,
        "debts": [
            {
                "facility_id": f"F-{business_id}", "lender": "Andaman Trust Bank",
                "facility_type": "term_loan", "outstanding": 3_000_000.0, "annual_rate": 0.07,
                "remaining_months": 48, "monthly_installment": 72_000.0, "days_past_due": 0,
                "collateral_value": 2_000_000.0, "as_of": "2025-06-30",
            }
        ],
        "loan_applications": [
            {
                "application_id": f"A-{business_id}", "lender": "Andaman Trust Bank",
                "product": "working capital", "amount": 1_000_000.0, "submitted_at": "2025-01-10",
                "status": "submitted",
            }
        ],
    }  # fmt: skip


def case_payload(business_id: str, province: str, seed: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        **business_payload(business_id, province, seed),
        "channel": "oss_centre", "received_at": "2026-01-15", "problem_types": ["debt_distress"],
        **extra,
    }  # fmt: skip


@dataclass
class App:
    client: TestClient
    tokens: dict[str, str]
    database_url: str

    def headers(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def as_user(self, user: str, method: str, url: str, **kwargs: Any) -> Any:
        headers = {**self.headers(user), **kwargs.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kwargs)


def make_app(tmp_path: Path, **settings: Any) -> Iterator[App]:
    url = f"sqlite:///{tmp_path / 'trust.db'}"
    upgrade(url)
    tokens = {}
    with Database(url).sessions() as session:
        for name, (role, scope) in USERS.items():
            tokens[name] = create_user(session, name, role, **scope)
    options = {"database_url": url, "load_models": False, "token_cache_seconds": 0, **settings}
    with TestClient(create_app(Settings(**options))) as client:
        yield App(client, tokens, url)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    yield from make_app(tmp_path)
