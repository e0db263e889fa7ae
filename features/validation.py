"""Parse raw portfolio tables into typed frames and collect every problem found.

Problems name the file, the row as the user sees it (the line number in a CSV, the record number
in a Parquet file) and the column, so a user can go straight to the cell. Parsing never stops at
the first problem: a user fixing a file wants the whole list at once.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from features.columns import Columns
from features.schema import (
    FIRST_YEAR,
    IDENTITY_ABS_TOLERANCE,
    IDENTITY_REL_TOLERANCE,
    LAST_YEAR,
    MAX_TEXT_LENGTH,
    TABLES,
    Column,
    Table,
)

_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE = {"false", "f", "no", "n", "0", "0.0"}
_TAX_ID_WEIGHTS = np.arange(13, 1, -1)
# Python-backed strings: on the one-business tables of a request, the Arrow-backed default
# spends more time converting than comparing.
TEXT = pd.StringDtype("python")
# A report lists this many problems and counts the rest.
MAX_PROBLEMS_SHOWN = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a portfolio, at a place the user can find."""

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = "error"  # a "warning" keeps its row: real statements break it legitimately

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        message = f"warning: {self.message}" if self.severity == "warning" else self.message
        return f"{where}: {self.column}: {message}" if self.column else f"{where}: {message}"


class PortfolioError(ValueError):
    """Raised instead of returning a portfolio that has any problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the portfolio:\n{shown}{more}")


@dataclass(frozen=True)
class Source:
    """Where a table came from, to report rows as the user numbers them."""

    file: str
    first_row: int  # the row label of the first record: 2 for a CSV with its header, else 1
    rows: tuple[int, ...] | None = None  # explicit labels, for tables read in pieces

    def row(self, position: int | np.integer[Any]) -> int:
        if self.rows is not None:
            return self.rows[int(position)]
        return int(position) + self.first_row


def empty_frame(table: Table) -> pd.DataFrame:
    """A typed, zero-row frame for a table the portfolio does not have (copied: 50x cheaper)."""
    return _empty_frame(table).copy()


@functools.cache
def _empty_frame(table: Table) -> pd.DataFrame:
    return pd.DataFrame({c.name: pd.Series([], dtype=_dtype(c)) for c in table.columns})


def _dtype(column: Column) -> str | pd.StringDtype:
    return {
        "int": "Int64",
        "float": "float64",
        "date": "datetime64[ns]",
        "bool": "boolean",
    }.get(column.kind, TEXT)


def _as_text(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.mask(text == "")


def _problems_at(
    mask: pd.Series | np.ndarray,
    source: Source,
    column: str,
    message: str,
    values: pd.Series | np.ndarray | None = None,
    severity: str = "error",
) -> list[Problem]:
    if isinstance(mask, pd.Series):
        mask = mask.to_numpy(dtype=bool, na_value=False)
    if isinstance(values, pd.Series):
        values = values.to_numpy(dtype=object)
    out = []
    for pos in np.flatnonzero(mask):
        text = message if values is None else message.format(value=values[pos])
        out.append(Problem(source.file, source.row(pos), column, text, severity))
    return out


def _parse_column(column: Column, raw: pd.Series, source: Source) -> tuple[pd.Series, list[Any]]:
    problems: list[Problem] = []
    text = _as_text(raw)
    present = raw.notna() & (raw.astype("string").str.strip() != "").fillna(False)

    if column.kind in ("int", "float"):
        numeric = pd.to_numeric(raw.astype("string").str.strip().mask(~present), errors="coerce")
        numeric = numeric.astype("float64")
        bad = present & numeric.isna()
        problems += _problems_at(bad, source, column.name, "not a number: {value!r}", raw)
        infinite = np.isinf(numeric)
        problems += _problems_at(infinite, source, column.name, "infinite value")
        numeric = numeric.mask(infinite)
        if column.kind == "int":
            fractional = numeric.notna() & (numeric != np.round(numeric))
            problems += _problems_at(
                fractional, source, column.name, "not a whole number: {value}", numeric
            )
            parsed = numeric.mask(fractional).round().astype("Int64")
        else:
            parsed = numeric
        problems += _range_problems(column, numeric, source)
    elif column.kind == "date":
        as_text = raw.astype("string").str.strip().mask(~present)
        year = pd.to_numeric(as_text.str.extract(r"^(\d{4})-", expand=False), errors="coerce")
        outside = (year < FIRST_YEAR) | (year > LAST_YEAR)
        problems += _problems_at(
            outside.fillna(False), source, column.name,
            f"outside the years {FIRST_YEAR}-{LAST_YEAR}: " + "{value!r}", raw,
        )  # fmt: skip
        as_text = as_text.mask(outside.fillna(False))
        parsed = pd.to_datetime(as_text, format="ISO8601", errors="coerce").astype("datetime64[ns]")
        bad = present & parsed.isna() & ~outside.fillna(False)
        problems += _problems_at(bad, source, column.name, "not an ISO-8601 date: {value!r}", raw)
    elif column.kind == "bool":
        lowered = raw.astype("string").str.strip().str.lower()
        parsed = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        parsed[lowered.isin(_TRUE).fillna(False)] = True
        parsed[lowered.isin(_FALSE).fillna(False)] = False
        bad = present & parsed.isna()
        problems += _problems_at(bad, source, column.name, "not true/false: {value!r}", raw)
    elif column.kind == "tax_id":
        digits = text.str.replace(r"[\s-]", "", regex=True)
        if pd.api.types.is_numeric_dtype(raw):  # stored as a number: leading zeros were lost
            digits = digits.str.replace(r"\.0$", "", regex=True).str.zfill(13)
        parsed = digits
        shape_ok = digits.str.fullmatch(r"\d{13}").fillna(False)
        problems += _problems_at(
            present & ~shape_ok, source, column.name, "not a 13-digit tax id: {value!r}", raw
        )
        problems += _problems_at(
            present.to_numpy(dtype=bool, na_value=False)
            & ~_tax_id_checksum_ok(
                digits.where(shape_ok).astype("object").to_numpy(dtype=object, na_value=None)
            ),
            source,
            column.name,
            "tax id check digit does not match",
        )
    else:
        parsed = text
        long = (text.str.len() > MAX_TEXT_LENGTH).fillna(False)
        problems += _problems_at(
            long, source, column.name, f"longer than {MAX_TEXT_LENGTH} characters"
        )
        if column.kind == "list":
            parsed = text.str.replace(r"\s*[;,]\s*", ";", regex=True)
        if column.allowed is not None:
            allowed = set(column.allowed)
            if column.kind == "list":
                ok = parsed.map(
                    lambda v: pd.isna(v) or all(p in allowed for p in v.split(";") if p),
                    na_action=None,
                ).astype(bool)
            else:
                ok = parsed.isin(allowed).fillna(False) | parsed.isna()
            listed = ", ".join(column.allowed)
            problems += _problems_at(
                ~ok, source, column.name, "{value!r} is not one of: " + listed, raw
            )

    if not column.nullable:
        problems += _problems_at(~present, source, column.name, "empty, but required")
    return parsed.rename(column.name), problems


def _range_problems(column: Column, numeric: pd.Series, source: Source) -> list[Problem]:
    problems: list[Problem] = []
    if column.min is not None:
        low = numeric < column.min
        what = "negative" if column.min == 0 else f"below {column.min:g}"
        problems += _problems_at(low, source, column.name, what + ": {value:g}", numeric)
    if column.max is not None:
        high = numeric > column.max
        problems += _problems_at(
            high, source, column.name, f"above {column.max:g}" + ": {value:g}", numeric
        )
    return problems


def _tax_id_checksum_ok(values: np.ndarray) -> np.ndarray:
    """Thai tax id check digit: (11 - sum(d_i * (13 - i)) mod 11) mod 10 over the first 12."""
    ok = np.ones(len(values), dtype=bool)
    given = [i for i, v in enumerate(values) if v is not None]
    if not given:
        return ok
    matrix = np.array([[int(ch) for ch in values[i]] for i in given], dtype=np.int64)
    ok[given] = tax_id_check_digit(matrix[:, :12]) == matrix[:, 12]
    return ok


def tax_id_check_digit(first_twelve: np.ndarray) -> np.ndarray:
    """Check digits for rows of 12 leading digits (used by the generator)."""
    return (11 - (first_twelve @ _TAX_ID_WEIGHTS) % 11) % 10


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
            columns[column.name] = pd.Series(None, index=raw.index, dtype=_dtype(column))
            continue
        parsed, found = _parse_column(column, raw[column.name], source)
        columns[column.name] = parsed.astype(_dtype(column))
        problems += found
    return pd.DataFrame(columns, index=raw.index), problems


def cast_table(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Cast already-validated cells to the schema's dtypes; absent columns come back empty."""
    columns = {}
    for column in table.columns:
        if column.name not in frame.columns:
            columns[column.name] = pd.Series(None, index=frame.index, dtype=_dtype(column))
        elif column.kind == "date":
            columns[column.name] = pd.to_datetime(frame[column.name]).astype("datetime64[ns]")
        else:
            columns[column.name] = frame[column.name].astype(_dtype(column))
    return pd.DataFrame(columns, index=frame.index)


def tax_id_problems(table: Table, columns: Columns, source: Source) -> list[Problem]:
    """The check digit of every tax id (a pattern alone cannot check it)."""
    problems: list[Problem] = []
    for column in table.columns:
        if column.kind == "tax_id" and column.name in columns:
            bad = ~_tax_id_checksum_ok(columns[column.name])
            problems += _problems_at(bad, source, column.name, "tax id check digit does not match")
    return problems


def _shown(value: object) -> str:
    if isinstance(value, np.datetime64):
        return str(pd.Timestamp(value).date())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _key_problems(table: Table, columns: Columns, source: Source) -> list[Problem]:
    problems = []
    first: dict[tuple[Any, ...], int] = {}
    for position, key in enumerate(zip(*(columns[c] for c in table.key), strict=True)):
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
            problems += _problems_at(
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
    return _problems_at(
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
            found += _problems_at(np.asarray(mask, bool), source, column, text, values, "warning")
    return found


def _application_dates(tables: Mapping[str, Columns], sources: Mapping[str, Source]) -> list[Any]:
    apps = tables.get("loan_applications")
    if apps is None:
        return []
    problems = []
    for column in ("status_changed_at", "decided_at"):
        before = apps[column] < apps["submitted_at"]
        problems += _problems_at(
            before, sources["loan_applications"], column, "earlier than submitted_at"
        )
    return problems
