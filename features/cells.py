"""Type one column of raw cells, and name every cell that cannot be typed.

Blanks are Unicode's (a no-break space pasted from a spreadsheet is one).

Cells are handled as Arrow strings: stripping, blank checks, the year of a date and the parsing of
numbers run over the whole column at once. Only a column with a cell that is not a number parses
again through pandas, whose coercion finds which cells those are.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from features.problems import Problem, Source, problems_at
from features.schema import FIRST_YEAR, LAST_YEAR, MAX_TEXT_LENGTH, Column

_TRUE = ["true", "t", "yes", "y", "1", "1.0"]
_FALSE = ["false", "f", "no", "n", "0", "0.0"]
_TAX_ID_WEIGHTS = np.arange(13, 1, -1)
# Python-backed strings: on the one-business tables of a request, the Arrow-backed default
# spends more time converting than comparing.
TEXT = pd.StringDtype("python")


def dtype_of(column: Column) -> str | pd.StringDtype:
    """The pandas dtype a typed column has."""
    return {
        "int": "Int64",
        "float": "float64",
        "date": "datetime64[ns]",
        "bool": "boolean",
    }.get(column.kind, TEXT)


def stripped_cells(raw: pd.Series) -> pa.Array:
    """Each cell as text without its surrounding blanks; an empty or missing cell is null."""
    if not isinstance(raw.dtype, pd.StringDtype):
        raw = raw.astype("string")  # numbers and flags from Parquet or a request, as text
    cells = pc.utf8_trim_whitespace(pa.array(raw, type=pa.large_string(), from_pandas=True))
    blank = pc.fill_null(pc.equal(cells, ""), True)
    return pc.if_else(blank, pa.scalar(None, pa.large_string()), cells)


def _bools(array: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _text(cells: pa.Array, index: pd.Index) -> pd.Series:
    return pd.Series(cells.to_pylist(), index=index, dtype=TEXT)


def parse_column(column: Column, raw: pd.Series, source: Source) -> tuple[pd.Series, list[Any]]:
    """`raw` typed as the schema declares, and every cell that breaks the declaration."""
    cells = stripped_cells(raw)
    present = _bools(cells.is_valid())
    if column.kind in ("int", "float"):
        parsed, problems = _numbers(column, raw, cells, present, source)
    elif column.kind == "date":
        parsed, problems = _dates(column, raw, cells, present, source)
    elif column.kind == "bool":
        lowered = pc.utf8_lower(cells)
        truth = np.where(_bools(pc.is_in(lowered, pa.array(_TRUE))), 1.0, np.nan)
        truth[_bools(pc.is_in(lowered, pa.array(_FALSE)))] = 0.0
        parsed = pd.Series(truth, index=raw.index).astype("boolean")
        problems = problems_at(
            present & np.isnan(truth), source, column.name, "not true/false: {value!r}", raw
        )
    elif column.kind == "tax_id":
        parsed, problems = _tax_ids(column, raw, cells, present, source)
    else:
        parsed, problems = _texts(column, raw, cells, source)
    if not column.nullable:
        problems += problems_at(~present, source, column.name, "empty, but required")
    return parsed.rename(column.name), problems


def _numbers(
    column: Column, raw: pd.Series, cells: pa.Array, present: np.ndarray, source: Source
) -> tuple[pd.Series, list[Problem]]:
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        numeric = raw.to_numpy(dtype="float64", na_value=np.nan)
    else:
        try:
            numeric = pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False)
        except pa.ArrowInvalid:  # some cell is not a number: find which
            coerced = pd.to_numeric(cells.to_pandas(), errors="coerce")
            numeric = coerced.to_numpy(dtype="float64", na_value=np.nan)
    numeric = np.array(numeric, dtype="float64")
    problems = problems_at(
        present & np.isnan(numeric), source, column.name, "not a number: {value!r}", raw
    )
    infinite = np.isinf(numeric)
    problems += problems_at(infinite, source, column.name, "infinite value")
    numeric[infinite] = np.nan
    problems += _range_problems(column, numeric, source)
    if column.kind == "float":
        return pd.Series(numeric, index=raw.index), problems
    with np.errstate(invalid="ignore"):
        fractional = ~np.isnan(numeric) & (numeric != np.round(numeric))
    problems += problems_at(fractional, source, column.name, "not a whole number: {value}", numeric)
    whole = np.where(fractional, np.nan, np.round(numeric))
    return pd.Series(whole, index=raw.index).astype("Int64"), problems


def _range_problems(column: Column, numeric: np.ndarray, source: Source) -> list[Problem]:
    problems: list[Problem] = []
    with np.errstate(invalid="ignore"):
        if column.min is not None:
            what = "negative" if column.min == 0 else f"below {column.min:g}"
            problems += problems_at(
                numeric < column.min, source, column.name, what + ": {value:g}", numeric
            )
        if column.max is not None:
            problems += problems_at(
                numeric > column.max, source, column.name,
                f"above {column.max:g}" + ": {value:g}", numeric,
            )  # fmt: skip
    return problems


def _dates(
    column: Column, raw: pd.Series, cells: pa.Array, present: np.ndarray, source: Source
) -> tuple[pd.Series, list[Problem]]:
    # The year is read first: a date outside the years datetime64[ns] holds cannot be parsed.
    year_text = pc.struct_field(pc.extract_regex(cells, r"^(?P<year>\d{4})-"), [0])
    year = pc.cast(year_text, pa.int64()).to_numpy(zero_copy_only=False).astype("float64")
    with np.errstate(invalid="ignore"):
        outside = (year < FIRST_YEAR) | (year > LAST_YEAR)
    problems = problems_at(
        outside, source, column.name,
        f"outside the years {FIRST_YEAR}-{LAST_YEAR}: " + "{value!r}", raw,
    )  # fmt: skip
    kept = pc.if_else(pa.array(outside), pa.scalar(None, pa.large_string()), cells)
    parsed = pd.to_datetime(
        pd.Series(kept.to_pandas().to_numpy(), index=raw.index), format="ISO8601", errors="coerce"
    ).astype("datetime64[ns]")
    bad = present & parsed.isna().to_numpy() & ~outside
    problems += problems_at(bad, source, column.name, "not an ISO-8601 date: {value!r}", raw)
    return parsed, problems


def _tax_ids(
    column: Column, raw: pd.Series, cells: pa.Array, present: np.ndarray, source: Source
) -> tuple[pd.Series, list[Problem]]:
    digits = pc.replace_substring_regex(cells, r"[\s\pZ-]", "")
    if pd.api.types.is_numeric_dtype(raw.dtype):  # stored as a number: leading zeros were lost
        digits = pc.utf8_lpad(pc.replace_substring_regex(digits, r"\.0$", ""), 13, "0")
    shape_ok = _bools(pc.match_substring_regex(digits, r"^\d{13}$"))
    problems = problems_at(
        present & ~shape_ok, source, column.name, "not a 13-digit tax id: {value!r}", raw
    )
    checked = np.array(digits.to_pylist(), dtype=object)
    checked[~shape_ok] = None
    problems += problems_at(
        present & ~tax_id_checksum_ok(checked), source, column.name,
        "tax id check digit does not match",
    )  # fmt: skip
    return _text(digits, raw.index), problems


def _texts(
    column: Column, raw: pd.Series, cells: pa.Array, source: Source
) -> tuple[pd.Series, list[Problem]]:
    long = _bools(pc.greater(pc.utf8_length(cells), MAX_TEXT_LENGTH))
    problems = problems_at(long, source, column.name, f"longer than {MAX_TEXT_LENGTH} characters")
    if column.kind == "list":
        cells = pc.replace_substring_regex(cells, r"[\s\pZ]*[;,][\s\pZ]*", ";")
    if column.allowed is not None:
        allowed = pa.array(column.allowed, pa.large_string())
        if column.kind == "list":
            items = pc.list_flatten(pc.split_pattern(cells, ";"))
            known = pc.or_(pc.equal(items, ""), pc.is_in(items, allowed))
            parents = pc.list_parent_indices(pc.split_pattern(cells, ";"))
            wrong = np.zeros(len(cells), dtype=bool)
            wrong[parents.to_numpy()[~_bools(known)]] = True
        else:
            wrong = ~_bools(pc.or_kleene(pc.is_null(cells), pc.is_in(cells, allowed)))
        listed = ", ".join(column.allowed)
        problems += problems_at(
            wrong, source, column.name, "{value!r} is not one of: " + listed, raw
        )
    return _text(cells, raw.index), problems


def tax_id_checksum_ok(values: np.ndarray) -> np.ndarray:
    """Thai tax id check digit: (11 - sum(d_i * (13 - i)) mod 11) mod 10 over the first 12.
    `values` holds 13-digit strings or None (true for None)."""
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
