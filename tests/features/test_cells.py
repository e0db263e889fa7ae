"""Typing one column of cells: the whole-column parse agrees with a cell-by-cell reading."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from features.cells import parse_column
from features.problems import Source
from features.schema import Column

SOURCE = Source("t.csv", 2)
AMOUNT = Column("amount", "float", min=0)
COUNT = Column("count", "int", nullable=False)
ON = Column("on", "date")
SECTOR = Column("sector", "category", allowed=("A", "B"))
SECTORS = Column("sectors", "list", allowed=("A", "B"))
TAX_ID = Column("tax_id", "tax_id")
FLAG = Column("flag", "bool")

# What a spreadsheet or a hand-typed CSV puts in a number's cell.
NUMBER_CELLS = [
    "1", " 2 ", "1e3", "+3", ".5", "5.", "-0", "1E5", "0001", "3.4028236e38", "1e-400",
    "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e400", "1,000", "1_000", "0x1F", "abc",
    "๑๒", "１２", "1.0e", "e5", "- 1", "1d5", "\xa012\xa0", "", "  ",
]  # fmt: skip


def _python_number(cell: str) -> float | None:
    """How one cell reads by itself: pandas' coercion of the stripped text, None when blank."""
    text = cell.strip()
    if not text:
        return None
    return float(pd.to_numeric(pd.Series([text], dtype=object), errors="coerce").iloc[0])


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.parametrize("cell", NUMBER_CELLS)
def test_a_number_cell_reads_as_pandas_reads_it_alone_and_among_clean_ones(cell):
    expected = _python_number(cell)
    for cells in ([cell], ["7", cell, "8"]):
        parsed, problems = parse_column(AMOUNT, pd.Series(cells, dtype="str"), SOURCE)
        got = float(parsed.iloc[cells.index(cell)])
        messages = [p.message for p in problems]
        if expected is None:
            assert math.isnan(got) and messages == []
        elif math.isnan(expected):
            assert math.isnan(got)
            assert any(m.startswith("not a number") for m in messages), messages
        elif math.isinf(expected):
            assert math.isnan(got) and messages == ["infinite value"]
        else:
            assert _same(got, expected) and messages == []


def test_problems_name_the_row_and_show_the_cell_as_typed():
    raw = pd.Series(["1", "2.5", "x", "-3", ""], dtype="str")
    parsed, problems = parse_column(COUNT, raw, SOURCE)
    assert [str(p) for p in problems] == [
        "t.csv:4: count: not a number: 'x'",
        "t.csv:3: count: not a whole number: 2.5",
        "t.csv:6: count: empty, but required",
    ]
    assert parsed.dtype == "Int64"
    assert parsed.tolist()[:2] == [1, pd.NA]

    _, problems = parse_column(AMOUNT, raw, SOURCE)
    assert [str(p) for p in problems] == ["t.csv:4: amount: not a number: 'x'",
                                          "t.csv:5: amount: negative: -3"]  # fmt: skip


def test_numbers_stored_as_numbers_are_kept():
    raw = pd.Series([1.0, np.nan, 2.5, -1.0])
    parsed, problems = parse_column(AMOUNT, raw, Source("t.parquet", 1))
    assert parsed.tolist()[0] == 1.0 and math.isnan(parsed.iloc[1])
    assert [str(p) for p in problems] == ["t.parquet:4: amount: negative: -1"]


def test_dates_outside_the_years_are_named_before_parsing():
    raw = pd.Series(
        ["2024-02-29", "2024-02-30", "0024-01-01", " 2024-01-05T10:00:00 ", "soon", None]
    )
    parsed, problems = parse_column(ON, raw.astype("str"), SOURCE)
    assert parsed.iloc[0] == pd.Timestamp("2024-02-29")
    assert parsed.iloc[3] == pd.Timestamp("2024-01-05 10:00")
    assert parsed.isna().tolist() == [False, True, True, False, True, True]
    assert [p.row for p in problems] == [4, 3, 6]
    assert problems[0].message.startswith("outside the years")
    assert problems[1].message == "not an ISO-8601 date: '2024-02-30'"


def test_text_kinds_strip_unicode_blanks_and_check_their_values():
    parsed, problems = parse_column(
        SECTOR, pd.Series(["\xa0A ", "C", "", "B"], dtype="str"), SOURCE
    )
    assert parsed.tolist()[:2] == ["A", "C"] and pd.isna(parsed.iloc[2])
    assert [str(p) for p in problems] == ["t.csv:3: sector: 'C' is not one of: A, B"]

    parsed, problems = parse_column(SECTORS, pd.Series(["A ,B", "A;\u3000C"], dtype="str"), SOURCE)
    assert parsed.tolist() == ["A;B", "A;C"]
    assert [p.row for p in problems] == [3]


def test_tax_ids_lose_their_separators_and_are_checked():
    raw = pd.Series(["0-1055-56012-34-1", "0105556012346", "12345", None], dtype="str")
    parsed, problems = parse_column(TAX_ID, raw, SOURCE)
    assert parsed.iloc[0] == "0105556012341"
    assert [(p.row, p.message) for p in problems] == [
        (4, "not a 13-digit tax id: '12345'"),
        (3, "tax id check digit does not match"),
    ]


def test_flags_read_the_usual_spellings():
    raw = pd.Series(["Yes", " n ", "1", "maybe", ""], dtype="str")
    parsed, problems = parse_column(FLAG, raw, SOURCE)
    assert parsed.tolist()[:3] == [True, False, True]
    assert parsed.isna().tolist() == [False, False, False, True, True]
    assert [str(p) for p in problems] == ["t.csv:5: flag: not true/false: 'maybe'"]
