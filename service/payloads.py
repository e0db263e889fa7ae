"""A business of a loaded portfolio as the JSON body the API takes (clients, demo, tests)."""

from __future__ import annotations

import pandas as pd

from features import Portfolio


def _clean(record: dict) -> dict:
    out = {}
    for key, value in record.items():
        if value is None or pd.isna(value):  # NaN, NaT and NA alike: the cell is empty
            continue
        if isinstance(value, pd.Timestamp):
            out[key] = value.date().isoformat()
            continue
        out[key] = value.item() if hasattr(value, "item") else value
    return out


def business_payload(portfolio: Portfolio, business_id: str) -> dict:
    """`business`, `financial_statements`, `debts` and `loan_applications` of one business."""

    def rows(name: str) -> list[dict]:
        frame = portfolio.tables[name]
        frame = frame[frame["business_id"] == business_id].drop(columns=["business_id"])
        return [_clean(r) for r in frame.to_dict("records")]

    business = portfolio.businesses[portfolio.businesses["business_id"] == business_id]
    return {
        "business": _clean(business.iloc[0].to_dict()),
        "financial_statements": rows("financial_statements"),
        "debts": rows("debts"),
        "loan_applications": rows("loan_applications"),
    }
