"""A small hand-written portfolio whose feature values were computed by hand (see the tests)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

AS_OF = "2024-03-31"

BUSINESSES = pd.DataFrame(
    {
        "business_id": ["B1", "B2", "B3", "B4"],
        "sector": ["G", "C", "I", "A"],
        "region": ["north", "central", "south", "northeast"],
        "founded_year": ["2010", "2020", "", "1990"],
        "employees": ["12", "3", "", "40"],
    }
)

_B1_2023 = {
    "revenue": 1_000_000, "cost_of_sales": 600_000, "operating_expenses": 250_000,
    "depreciation": 50_000, "interest_expense": 20_000, "tax_expense": 26_000,
    "net_income": 104_000, "cash": 50_000, "receivables": 100_000, "inventory": 80_000,
    "current_assets": 250_000, "fixed_assets": 750_000, "total_assets": 1_000_000,
    "payables": 60_000, "short_term_debt": 90_000, "current_liabilities": 200_000,
    "long_term_debt": 300_000, "total_liabilities": 500_000, "equity": 500_000,
    "retained_earnings": 200_000,
}  # fmt: skip
_B1_2022 = {
    **_B1_2023, "revenue": 800_000, "cost_of_sales": 500_000, "operating_expenses": 220_000,
    "depreciation": 40_000, "total_assets": 900_000, "total_liabilities": 450_000,
    "equity": 450_000,
}  # fmt: skip
_B1_2021 = {**_B1_2022, "revenue": 1_000_000}
_B2_2023 = {
    "revenue": 0, "cost_of_sales": 0, "operating_expenses": 30_000, "depreciation": 0,
    "interest_expense": 0, "net_income": -30_000, "cash": 5_000, "receivables": 0,
    "inventory": 0, "current_assets": 20_000, "total_assets": 100_000, "short_term_debt": 0,
    "current_liabilities": 0, "long_term_debt": 150_000, "total_liabilities": 150_000,
    "equity": -50_000, "retained_earnings": -80_000,
}  # fmt: skip
_B4_2023 = {
    "revenue": 500_000, "operating_expenses": 100_000, "current_assets": 90_000,
    "current_liabilities": 60_000, "total_assets": 400_000, "total_liabilities": 100_000,
    "equity": 300_000, "payables": 10_000,
}  # fmt: skip


def _statement(business_id: str, year: int, lines: dict) -> dict:
    return {"business_id": business_id, "fiscal_year": year, "period_end": f"{year}-12-31", **lines}


STATEMENTS = pd.DataFrame(
    [
        _statement("B1", 2021, _B1_2021),
        _statement("B1", 2022, _B1_2022),
        _statement("B1", 2023, _B1_2023),
        _statement("B2", 2023, _B2_2023),
        _statement("B4", 2023, _B4_2023),
    ]
)


def _facility(fid, bid, kind, outstanding, rate, months, installment, dpd, collateral, as_of):
    return {
        "facility_id": fid, "business_id": bid, "lender": "Test Bank", "facility_type": kind,
        "outstanding": outstanding, "annual_rate": rate, "remaining_months": months,
        "monthly_installment": installment, "days_past_due": dpd,
        "collateral_value": collateral, "restructured_before": "false", "as_of": as_of,
    }  # fmt: skip


DEBTS = pd.DataFrame(
    [
        # An older snapshot with a facility repaid since: it must not count.
        _facility("F4", "B1", "term_loan", 80_000, 0.07, 6, 13_600, 0, 0, "2022-12-31"),
        _facility("F1", "B1", "term_loan", 300_000, 0.06, 60, 5_799.84, 15, 250_000, "2023-12-31"),
        _facility("F2", "B1", "overdraft", 90_000, 0.08, 12, 600, 0, 0, "2023-12-31"),
        _facility("F3", "B1", "informal", 10_000, 0.36, 12, 1_000, 0, 0, "2023-12-31"),
        _facility("F5", "B3", "leasing", 50_000, 0.10, 24, 2_307.25, 0, 0, "2023-12-31"),
    ]
)

APPLICATIONS = pd.DataFrame(
    {
        "application_id": ["A1", "A2", "A3"],
        "business_id": ["B1", "B1", "B1"],
        "lender": ["Test Bank"] * 3,
        "amount": [200_000, 300_000, 100_000],
        "submitted_at": ["2022-01-10", "2023-11-01", "2023-06-01"],
        "status": ["rejected", "approved", "rejected"],
        "status_changed_at": ["2022-03-01", "2024-05-01", "2023-07-15"],
        "decided_at": ["2022-03-01", "2024-05-01", "2023-07-15"],
    }
)


def tables() -> dict[str, pd.DataFrame]:
    return {
        "businesses": BUSINESSES.copy(),
        "financial_statements": STATEMENTS.copy(),
        "debts": DEBTS.copy(),
        "loan_applications": APPLICATIONS.copy(),
    }


def later_rows() -> dict[str, pd.DataFrame]:
    """Rows all dated after AS_OF: adding them must change no feature."""
    statement_2024 = _statement("B1", 2024, {**_B1_2023, "revenue": 10, "cash": 1})
    statement_b3 = _statement("B3", 2024, {**_B1_2023})
    return {
        "financial_statements": pd.DataFrame([statement_2024, statement_b3]),
        "debts": pd.DataFrame(
            [
                _facility("F1", "B1", "term_loan", 290_000, 0.06, 57, 5_800, 120, 0, "2024-06-30"),
                _facility("F6", "B2", "informal", 99_000, 0.5, 6, 20_000, 200, 0, "2024-04-01"),
            ]
        ),
        "loan_applications": pd.DataFrame(
            {
                "application_id": ["A9"],
                "business_id": ["B2"],
                "lender": ["Test Bank"],
                "submitted_at": ["2024-04-02"],
                "status": ["rejected"],
                "status_changed_at": ["2024-04-20"],
                "decided_at": ["2024-04-20"],
            }
        ),
    }


def assert_values(row: pd.Series, expected: dict[str, float], business: str) -> None:
    """Each expected value, to 1e-9; NaN where NaN is expected."""
    for name, value in expected.items():
        got = row[name]
        if math.isnan(value):
            assert pd.isna(got), f"{business}.{name}: expected NaN, got {got}"
        else:
            assert got == pytest.approx(value, rel=1e-9, abs=1e-9), f"{business}.{name}"
