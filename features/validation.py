"""Parse raw portfolio tables into typed frames and collect every problem found.

Parsing never stops at the first problem: a user fixing a file wants the whole list at once.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from features.cells import dtype_of, parse_column, tax_id_checksum_ok
from features.columns import Columns
from features.problems import Problem, Source, problems_at
from features.schema import IDENTITY_ABS_TOLERANCE, IDENTITY_REL_TOLERANCE, TABLES, Table


def empty_frame(table: Table) -> pd.DataFrame:
    """A typed, zero-row frame for a table the portfolio does not have (copied: 50x cheaper)."""
    return _empty_frame(table).copy()


@functools.cache
def _empty_frame(table: Table) -> pd.DataFrame:
    return pd.DataFrame({c.name: pd.Series([], dtype=dtype_of(c)) for c in table.columns})


def parse_table(table: Table, raw: pd.DataFrame, source: Source) -> tuple[pd.DataFrame, list[Any]]:
    """Type every declared column of one table; report cell-level problems."""
    problems: list[Problem] = []
    raw = raw.reset_index(drop=True)
    header_row = 1 if source.first_row == 2 else None
    columns = {}
    for column in table.columns:
        if column.name not in raw.columns:
            if column.required:
                problems.append(
                    Problem(source.file, header_row, column.name, "required column is missing")
                )
            columns[column.name] = pd.Series(None, index=raw.index, dtype=dtype_of(column))
            continue
        parsed, found = parse_column(column, raw[column.name], source)
        columns[column.name] = parsed.astype(dtype_of(column))
        problems += found
    return pd.DataFrame(columns, index=raw.index), problems


def cast_table(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Cast already-validated cells to the schema's dtypes; absent columns come back empty."""
    columns = {}
    for column in table.columns:
        if column.name not in frame.columns:
            columns[column.name] = pd.Series(None, index=frame.index, dtype=dtype_of(column))
        elif column.kind == "date":
            columns[column.name] = pd.to_datetime(frame[column.name]).astype("datetime64[ns]")
        else:
            columns[column.name] = frame[column.name].astype(dtype_of(column))
    return pd.DataFrame(columns, index=frame.index)


def columns_frame(table: Table, columns: Columns) -> pd.DataFrame:
    """Checked columns (in `features.columns`' conventions) as the frame `cast_table` gives
    their cells: the same dtypes at a third of its cost on the few rows of a request."""
    out: dict[str, Any] = {}
    for column in table.columns:
        values: Any = columns[column.name]
        dtype = dtype_of(column)
        if dtype == "boolean":
            values = np.where(np.isnan(values), None, values == 1.0)
        out[column.name] = (
            values if dtype in ("float64", "datetime64[ns]") else pd.array(values, dtype=dtype)
        )
    return pd.DataFrame(out)


def tax_id_problems(table: Table, columns: Columns, source: Source) -> list[Problem]:
    """The check digit of every tax id (a pattern alone cannot check it)."""
    problems: list[Problem] = []
    for column in table.columns:
        if column.kind == "tax_id" and column.name in columns:
            bad = ~tax_id_checksum_ok(columns[column.name])
            problems += problems_at(bad, source, column.name, "tax id check digit does not match")
    return problems


def _shown(value: object) -> str:
    if isinstance(value, np.datetime64):
        return str(pd.Timestamp(value).date())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _key_problems(table: Table, columns: Columns, source: Source) -> list[Problem]:
    # Only rows whose key repeats are walked one by one: there are none in a clean table.
    keys = pd.DataFrame({c: columns[c] for c in table.key})
    repeated = np.flatnonzero(keys.duplicated(keep=False).to_numpy())
    problems = []
    first: dict[tuple[Any, ...], int] = {}
    for position in repeated.tolist():
        key = tuple(columns[c][position] for c in table.key)
        seen = first.setdefault(key, position)
        if seen != position:
            shown = ", ".join(f"{c}={_shown(v)}" for c, v in zip(table.key, key, strict=True))
            problems.append(
                Problem(
                    source.file,
                    source.row(position),
                    table.key[0],
                    f"duplicate key ({shown}); first at row {source.row(seen)}",
                )
            )
    return problems


def check_relations(tables: Mapping[str, Columns], sources: Mapping[str, Source]) -> list[Problem]:
    """Keys, foreign keys and cross-column rules, once every table is typed."""
    problems: list[Problem] = []
    for name, columns in tables.items():
        table = TABLES[name]
        source = sources[name]
        if table.key:
            problems += _key_problems(table, columns, source)
        for fk in table.foreign_keys:
            parent = tables.get(fk.table, {}).get(fk.ref_columns[0], ())
            known = {v for v in parent if v is not None}
            values = columns[fk.columns[0]]
            unknown = np.array([v is not None and v not in known for v in values], dtype=bool)
            problems += problems_at(
                unknown,
                source,
                fk.columns[0],
                "unknown " + fk.columns[0] + " {value!r} (not in " + fk.table + ")",
                values,
            )
    problems += _statement_identity(tables, sources)
    problems += _application_dates(tables, sources)
    return problems


def _statement_identity(tables: Mapping[str, Columns], sources: Mapping[str, Source]) -> list[Any]:
    fs = tables.get("financial_statements")
    if fs is None:
        return []
    gap = fs["total_assets"] - (fs["total_liabilities"] + fs["equity"])
    tolerance = IDENTITY_ABS_TOLERANCE + IDENTITY_REL_TOLERANCE * np.abs(fs["total_assets"])
    with np.errstate(invalid="ignore"):
        broken = np.abs(gap) > tolerance
    return problems_at(
        broken,
        sources["financial_statements"],
        "total_assets",
        "total_assets differs from total_liabilities + equity by {value:,.2f} THB",
        gap,
    )


# Parts that cannot exceed their total on a balance sheet drawn up correctly.
PARTS_OF = (
    ("cash", "current_assets"), ("current_assets", "total_assets"),
    ("fixed_assets", "total_assets"), ("current_liabilities", "total_liabilities"),
)  # fmt: skip


def statement_warnings(tables: Mapping[str, Columns], source: Source) -> list[Problem]:
    """What real statements show that a reader should check, with every row kept: negative
    operating expenses (other operating income larger than the expenses), negative equity, a
    part larger than its total, and the lines the features must estimate (no debt split, no
    operating cash flow)."""
    fs = tables.get("financial_statements")
    if fs is None:
        return []
    checks: list[tuple[np.ndarray, str, str, np.ndarray | None]] = [
        (fs["operating_expenses"] < 0, "operating_expenses",
         "negative ({value:,.2f}): other operating income larger than the expenses? kept as filed",
         fs["operating_expenses"]),
        (fs["equity"] < 0, "equity", "negative ({value:,.2f}): liabilities exceed assets",
         fs["equity"]),
        (np.isnan(fs["short_term_debt"]) & np.isnan(fs["long_term_debt"])
         & ~np.isnan(fs["total_liabilities"]), "short_term_debt",
         "no debt split: debt is estimated as total liabilities less payables", None),
        (np.isnan(fs["operating_cash_flow"]) & ~np.isnan(fs["net_income"]),
         "operating_cash_flow",
         "missing: estimated as net income plus depreciation", None),
    ]  # fmt: skip
    for part, total in PARTS_OF:
        checks.append(
            (fs[part] > fs[total] * (1 + IDENTITY_REL_TOLERANCE) + IDENTITY_ABS_TOLERANCE, part,
             f"larger than {total} by {{value:,.2f}} THB", fs[part] - fs[total])
        )  # fmt: skip
    found: list[Problem] = []
    with np.errstate(invalid="ignore"):
        for mask, column, text, values in checks:
            found += problems_at(np.asarray(mask, bool), source, column, text, values, "warning")
    return found


def _application_dates(tables: Mapping[str, Columns], sources: Mapping[str, Source]) -> list[Any]:
    apps = tables.get("loan_applications")
    if apps is None:
        return []
    problems = []
    for column in ("status_changed_at", "decided_at"):
        before = apps[column] < apps["submitted_at"]
        problems += problems_at(
            before, sources["loan_applications"], column, "earlier than submitted_at"
        )
    return problems
