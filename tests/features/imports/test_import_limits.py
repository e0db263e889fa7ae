"""Files beyond the import limits are refused before their cells are built, naming the file and
where in it; files within them read as before."""

from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import pytest

from features.imports.import_limits import (
    ImportLimits,
    ImportTooLargeError,
    check_workbook,
    csv_rows,
)
from features.imports.importing import sheets


def _workbook(merged: str | None = None, rows: int = 3) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for r in range(1, rows + 1):
        sheet.append([f"line {r}", r * 1000])
    if merged:
        sheet.merge_cells(merged)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_small_workbook_declaring_a_million_merged_cells_is_refused_at_once():
    data = _workbook()
    # Write the merged range into the sheet's XML by hand: openpyxl would build every cell.
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b"</sheetData>",
                    b'</sheetData><mergeCells count="1"><mergeCell ref="A1:J100000"/></mergeCells>',
                )
            target.writestr(item, content)
    bomb = out.getvalue()
    assert len(bomb) < 10_000
    started = time.monotonic()
    with pytest.raises(ImportTooLargeError, match=r"sheet1\.xml.*A1:J100000") as refused:
        list(sheets("bomb.xlsx", bomb))
    assert time.monotonic() - started < 1.0
    assert refused.value.file == "bomb.xlsx"


def test_rows_cells_and_sheets_over_the_limits_are_refused():
    limits = ImportLimits(rows=10, cells=40, merged_cells=30, sheets=1)
    with pytest.raises(ImportTooLargeError, match="row 11"):
        check_workbook("long.xlsx", _workbook(rows=11), limits)
    with pytest.raises(ImportTooLargeError, match="merged ranges cover over 30"):
        check_workbook("merged.xlsx", _workbook(merged="A1:Z2"), limits)
    with pytest.raises(ImportTooLargeError, match="3 rows by 20 columns: at most 40"):
        check_workbook("wide.xlsx", _workbook(merged="A1:T1"), limits)
    check_workbook("fine.xlsx", _workbook(rows=10), limits)
    book = openpyxl.Workbook()
    book.create_sheet("second")
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportTooLargeError, match="2 sheets: at most 1"):
        check_workbook("sheets.xlsx", out.getvalue(), limits)
    with pytest.raises(ImportTooLargeError, match="not a zip"):
        check_workbook("fake.xlsx", b"PK not really", limits)


def test_csv_rows_and_cells_over_the_limits_name_the_row_and_column():
    limits = ImportLimits(rows=3, cell_chars=10)
    assert csv_rows("ok.csv", "a,b\n1,2\n3,4\n5,6", limits) == [
        ["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]
    ]  # fmt: skip
    with pytest.raises(ImportTooLargeError, match="at most 3 rows"):
        csv_rows("long.csv", "a\n1\n2\n3\n4\n5", limits)
    assert len(csv_rows("edge.csv", "a\n1\n2\n3\n", limits)) == 4  # a last line break is no row
    with pytest.raises(ImportTooLargeError) as wide:
        csv_rows("wide.csv", "a,b\n1," + "x" * 11, limits)
    assert (wide.value.row, wide.value.column) == (2, "B")
    with pytest.raises(ImportTooLargeError) as huge:
        csv_rows("huge.csv", "a,b\n1," + "x" * 200_000)
    assert huge.value.row == 2 and "field larger than field limit" in str(huge.value)


def test_a_workbook_within_the_limits_reads_its_merged_cells_as_before():
    [(_, grid)] = list(sheets("fine.xlsx", _workbook(merged="A1:B1")))
    assert grid[0] == ["line 1", "line 1"]
