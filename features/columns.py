"""Tables as NumPy columns, and reductions over groups of rows.

The feature code runs on plain arrays. A pandas operation carries tens of microseconds of fixed
overhead, which made scoring one business cost a hundred times its arithmetic; on arrays the same
code serves one business in the API and a whole portfolio in training.

Conventions: numbers, counts and flags are float64 with NaN for missing; dates are
datetime64[ns] with NaT; text is an object array with None.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from features.schema import Table

Columns = dict[str, np.ndarray]
NAT = np.datetime64("NaT", "ns")
NS_PER_DAY = np.timedelta64(1, "D")


def series_values(series: pd.Series) -> np.ndarray:
    """One column in the conventions above, whatever its pandas dtype."""
    dtype = series.dtype
    values: np.ndarray
    if pd.api.types.is_datetime64_any_dtype(dtype):
        values = series.to_numpy("datetime64[ns]")
    elif pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
        values = series.to_numpy("float64", na_value=np.nan)
    else:
        values = series.astype("object").to_numpy(dtype=object, na_value=None)
    return values


def frame_columns(frame: pd.DataFrame, names: Iterable[str]) -> Columns:
    return {name: series_values(frame[name]) for name in names}


def records_columns(table: Table, records: Sequence[Mapping[str, Any]]) -> Columns:
    """Rows given as mappings whose cells are already typed and checked (the API's request
    models are generated from the schema) as the columns of `table`."""
    if not records:
        return {column.name: _EMPTY[_kind(column.kind)] for column in table.columns}
    out: Columns = {}
    for column in table.columns:
        cells = [r.get(column.name) for r in records]
        kind = _kind(column.kind)
        if kind == "date":
            out[column.name] = np.array(cells, dtype="datetime64[ns]")
        elif kind == "number":
            out[column.name] = np.array(
                [np.nan if v is None else float(v) for v in cells], dtype="float64"
            )
        else:
            out[column.name] = np.fromiter(cells, dtype=object, count=len(cells))
    return out


def _kind(kind: str) -> str:
    return kind if kind == "date" else "number" if kind in ("int", "float", "bool") else "text"


# Zero-length columns hold nothing to change, so every empty table can share them.
_EMPTY = {
    "date": np.array([], dtype="datetime64[ns]"),
    "number": np.array([], dtype="float64"),
    "text": np.array([], dtype=object),
}


def positions(keys: Sequence[Any] | np.ndarray, values: Iterable[Any]) -> np.ndarray:
    """Position of each value among `keys`, -1 where it is not one of them."""
    lookup = {key: i for i, key in enumerate(keys)}
    return np.fromiter((lookup.get(v, -1) for v in values), dtype=np.int64)


def take(columns: Mapping[str, np.ndarray], rows: np.ndarray) -> Columns:
    return {name: values[rows] for name, values in columns.items()}


def spread(values: np.ndarray, groups: np.ndarray, n: int) -> np.ndarray:
    """Values known for some groups, as one value per group (missing elsewhere)."""
    out = np.full(n, NAT if values.dtype.kind == "M" else np.nan, dtype=values.dtype)
    out[groups] = values
    return out


def days_between(later: np.ndarray, earlier: np.ndarray) -> np.ndarray:
    """Whole days from `earlier` to `later`, NaN where either is missing."""
    days: np.ndarray = np.floor((later - earlier) / NS_PER_DAY)
    return days


def group_ends(groups: np.ndarray) -> np.ndarray:
    """Rows that end a run of equal group codes (rows sorted by group)."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[groups[1:] != groups[:-1], True])


class Groups:
    """Reductions of row values into `n` groups; missing values are skipped, as in pandas."""

    def __init__(self, codes: np.ndarray, n: int):
        self.codes = codes
        self.n = n

    def size(self) -> np.ndarray:
        return np.bincount(self.codes, minlength=self.n).astype("float64")

    def _count(self, present: np.ndarray) -> np.ndarray:
        return np.bincount(self.codes, weights=present.astype("float64"), minlength=self.n)

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Sum of present values; NaN for a group with none (pandas' `min_count=1`)."""
        present = ~np.isnan(values)
        total = np.bincount(self.codes, weights=np.where(present, values, 0.0), minlength=self.n)
        return np.where(self._count(present) > 0, total, np.nan)

    def _extreme(self, values: np.ndarray, ufunc: np.ufunc, start: float) -> np.ndarray:
        out = np.full(self.n, start)
        ufunc.at(out, self.codes, values)
        return np.where(self._count(~np.isnan(values)) > 0, out, np.nan)

    def max(self, values: np.ndarray) -> np.ndarray:
        return self._extreme(values, np.fmax, -np.inf)

    def min(self, values: np.ndarray) -> np.ndarray:
        return self._extreme(values, np.fmin, np.inf)

    def std(self, values: np.ndarray) -> np.ndarray:
        """Sample standard deviation (ddof=1) of present values; NaN below two of them."""
        present = ~np.isnan(values)
        count = self._count(present)
        total = np.bincount(self.codes, weights=np.where(present, values, 0.0), minlength=self.n)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = total / count
            deviation = np.where(present, values - mean[self.codes], 0.0)
            squares = np.bincount(self.codes, weights=deviation**2, minlength=self.n)
            return np.where(count > 1, np.sqrt(squares / (count - 1)), np.nan)

    def latest(self, stamps: np.ndarray) -> np.ndarray:
        """Per group, the latest of datetime64 `stamps` (NaT for an empty group)."""
        out = np.full(self.n, np.iinfo(np.int64).min, dtype=np.int64)
        np.maximum.at(out, self.codes, stamps.view(np.int64))
        return out.view("datetime64[ns]")
