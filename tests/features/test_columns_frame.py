"""Checked columns become the very frames the cast of validated cells gives: intake saves
them, and records on file are compared with them cell by cell."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from features import load_portfolio
from features.columns import records_columns
from features.schema import TABLES
from features.validation import cast_table, columns_frame


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as typed Python cells (dates as dates, None for missing), as a request gives them."""
    out = []
    for row in frame.astype(object).to_dict("records"):
        out.append(
            {k: None if v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v))
             else v.date() if isinstance(v, pd.Timestamp) else v for k, v in row.items()}
        )  # fmt: skip
    return out


@pytest.mark.parametrize("name", list(TABLES))
def test_columns_frame_equals_the_cast_of_the_same_cells(small_portfolio_dir, name):
    table = TABLES[name]
    frame = load_portfolio(small_portfolio_dir).tables[name].head(40).reset_index(drop=True)
    records = _records(frame)
    optional = [c.name for c in table.columns if not c.required and c.nullable]
    for record in records[::3]:  # every kind of column missing somewhere
        record.update(dict.fromkeys(optional))
    cast = cast_table(table, pd.DataFrame(records, columns=[c.name for c in table.columns]))
    built = columns_frame(table, records_columns(table, records))
    pd.testing.assert_frame_equal(built, cast)
    assert built[optional].isna().any().all() or not records


@pytest.mark.parametrize("name", list(TABLES))
def test_columns_frame_of_no_rows_has_the_schema_dtypes(name):
    table = TABLES[name]
    built = columns_frame(table, records_columns(table, []))
    assert list(built.columns) == [c.name for c in table.columns] and built.empty
    pd.testing.assert_series_equal(built.dtypes, cast_table(table, pd.DataFrame()).dtypes)
