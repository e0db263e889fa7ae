"""A business payload of the API as portfolio tables, and a portfolio's business as a payload.

`payload_records` is the one translation from the API's body to table rows; the typed columns
that scoring reads and the frames that intake saves are both built from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from features import Portfolio
from features.columns import Columns, records_columns
from features.schema import TABLES
from service.kit.schemas import BusinessPayload

PAYLOAD_TABLES = ("financial_statements", "debts", "loan_applications")
SUPPLIED = frozenset(("businesses", *PAYLOAD_TABLES))  # the tables a payload carries


def payload_records(payload: BusinessPayload) -> dict[str, list[dict[str, Any]]]:
    """Rows per table, the business id copied onto every row.

    A list left empty means the business has none (no facilities, no applications), as a
    supplied but empty table does in a portfolio: counts are then 0, not unknown.
    """
    business = payload.business.model_dump()
    bid = business["business_id"]
    return {
        "businesses": [business],
        **{
            name: [{"business_id": bid, **row.model_dump()} for row in getattr(payload, name)]
            for name in PAYLOAD_TABLES
        },
    }


def payload_columns(payload: BusinessPayload) -> dict[str, Columns]:
    """Typed columns of every table (empty ones for tables a payload cannot carry)."""
    records = payload_records(payload)
    return {name: records_columns(table, records.get(name, [])) for name, table in TABLES.items()}


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in record.items():
        if value is None or pd.isna(value):  # NaN, NaT and NA alike: the cell is empty
            continue
        if isinstance(value, pd.Timestamp):
            out[key] = value.date().isoformat()
            continue
        out[key] = value.item() if hasattr(value, "item") else value
    return out


def business_payload(portfolio: Portfolio, business_id: str) -> dict[str, Any]:
    """`business`, `financial_statements`, `debts` and `loan_applications` of one business, as
    the JSON body the API takes (clients, the benchmark, tests)."""
    return next(business_payloads(portfolio, [business_id]))


def business_payloads(
    portfolio: Portfolio, business_ids: list[str] | None = None
) -> Iterator[dict[str, Any]]:
    """The payload of each business (all of the portfolio's when `business_ids` is None), each
    table grouped by business once rather than filtered per business."""
    everyone = portfolio.businesses
    if business_ids is not None:
        everyone = everyone[everyone["business_id"].isin(business_ids)]
    grouped = {}
    for name in PAYLOAD_TABLES:
        frame = portfolio.tables[name]
        if business_ids is not None:
            frame = frame[frame["business_id"].isin(business_ids)]
        grouped[name] = {
            bid: [_clean(r) for r in rows.drop(columns=["business_id"]).to_dict("records")]
            for bid, rows in frame.groupby("business_id", sort=False)
        }
    for business in everyone.to_dict("records"):
        bid = business["business_id"]
        yield {
            "business": _clean(business),
            **{name: grouped[name].get(bid, []) for name in PAYLOAD_TABLES},
        }
