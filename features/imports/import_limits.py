"""What a file to import may hold, checked before anything in it is read into cells.

A workbook is a zip of XML parts: its sizes, sheets, the rows and columns its cells name and the
cells its merged ranges cover are all read from the raw parts (a few regular expressions over
bytes whose total size is checked first), so a 2 KB workbook declaring a merged range of a
million cells is refused in milliseconds instead of being built cell by cell. A CSV file's rows
are counted before it is parsed, and its cells measured as it is.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from features.imports.statement_sheets import column_letter

# Excel's own limit on the characters of one cell.
MAX_CELL_CHARS = 32_767


@dataclass(frozen=True)
class ImportLimits:
    rows: int = 200_000  # per sheet or CSV file
    cells: int = 1_000_000  # rows x columns a sheet spans, merged ranges included
    merged_cells: int = 10_000  # cells a sheet's merged ranges cover (headers, in real sheets)
    sheets: int = 50
    cell_chars: int = MAX_CELL_CHARS
    unpacked_bytes: int = 64 * 1024 * 1024  # a workbook's parts, uncompressed
    parts: int = 1_000


LIMITS = ImportLimits()


class ImportTooLargeError(ValueError):
    """A file beyond a limit: which file, and where in it (sheet, row, column) when known."""

    def __init__(
        self,
        file: str,
        message: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ):
        where = ", ".join(
            part
            for part in (
                file,
                f"sheet {sheet}" if sheet else "",
                f"row {row}" if row is not None else "",
                f"column {column}" if column else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}")
        self.file, self.sheet, self.row, self.column = file, sheet, row, column


def csv_rows(name: str, text: str, limits: ImportLimits = LIMITS) -> list[list[str]]:
    """The rows of a CSV file within the limits."""
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines > limits.rows + 1:  # the header, then the rows
        raise ImportTooLargeError(name, f"{lines:,} lines: at most {limits.rows:,} rows a file")
    reader = csv.reader(io.StringIO(text))
    rows = []
    try:
        for row in reader:
            for position, cell in enumerate(row):
                if len(cell) > limits.cell_chars:
                    raise ImportTooLargeError(
                        name, f"a cell of {len(cell):,} characters: at most {limits.cell_chars:,}",
                        row=reader.line_num, column=column_letter(position),
                    )  # fmt: skip
            rows.append(row)
    except csv.Error as exc:
        raise ImportTooLargeError(
            name, f"not readable as CSV: {exc}", row=reader.line_num
        ) from None
    return rows


_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)(\d+)"')
_MERGED = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check_workbook(name: str, data: bytes, limits: ImportLimits = LIMITS) -> None:
    """Refuse a workbook whose parts, sheets, rows or cells (merged ranges included) exceed the
    limits, reading only its raw parts."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportTooLargeError(name, "not an XLSX workbook (not a zip file)") from None
    parts = book.infolist()
    if len(parts) > limits.parts:
        raise ImportTooLargeError(name, f"{len(parts):,} parts: at most {limits.parts:,}")
    unpacked = sum(p.file_size for p in parts)
    if unpacked > limits.unpacked_bytes:
        raise ImportTooLargeError(
            name, f"{unpacked:,} bytes unpacked: at most {limits.unpacked_bytes:,}"
        )
    sheets = [p for p in parts if _SHEET_PART.fullmatch(p.filename)]
    if len(sheets) > limits.sheets:
        raise ImportTooLargeError(name, f"{len(sheets)} sheets: at most {limits.sheets}")
    for part in sheets:
        _check_sheet(name, part.filename.rsplit("/", 1)[-1], book.read(part), limits)


def _check_sheet(name: str, sheet: str, xml: bytes, limits: ImportLimits) -> None:
    rows = max((int(m) for m in _ROW.findall(xml)), default=0)
    columns = 0
    for letters, row in _CELL.findall(xml):
        columns = max(columns, _column_number(letters))
        rows = max(rows, int(row))
    merged = 0
    for first_col, first_row, to_col, to_row in _MERGED.findall(xml):
        last_col, last_row = to_col or first_col, to_row or first_row
        span_rows = int(last_row) - int(first_row) + 1
        span_cols = _column_number(last_col) - _column_number(first_col) + 1
        merged += max(span_rows, 0) * max(span_cols, 0)
        rows, columns = max(rows, int(last_row)), max(columns, _column_number(last_col))
        if merged > limits.merged_cells:
            ref = f"{first_col.decode()}{first_row.decode()}:{last_col.decode()}{last_row.decode()}"
            raise ImportTooLargeError(
                name,
                f"merged ranges cover over {limits.merged_cells:,} cells (up to {ref})",
                sheet=sheet,
            )
    if rows > limits.rows:
        raise ImportTooLargeError(
            name, f"cells down to row {rows:,}: at most {limits.rows:,} rows", sheet=sheet
        )
    if rows * columns > limits.cells:
        raise ImportTooLargeError(
            name,
            f"{rows:,} rows by {columns:,} columns: at most {limits.cells:,} cells",
            sheet=sheet,
        )
