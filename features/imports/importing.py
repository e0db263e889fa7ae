"""`rescue import`: statements and portfolio tables as Thai users have them, into a portfolio.

Two layouts are read, from CSV files and from the sheets of XLSX workbooks:
- the portfolio layout (a file or sheet named after a table, one row per record) with values
  written the Thai way: Buddhist-era years and dates, day/month/year, thousands separators,
  negatives in parentheses, Thai digits, the baht sign;
- the statement-sheet layout (any other file or sheet): line labels down the rows, fiscal years
  across the columns, mapped by the label dictionary (`data/statement_labels.toml`).
The result is the tables of an ordinary portfolio and an import report in English and Thai.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from features.catalogues.languages import LANGUAGES
from features.imports.import_limits import ImportTooLargeError, check_workbook, csv_rows
from features.imports.import_report import ImportReport, Kind, note_kind
from features.imports.labels import load_labels
from features.imports.statement_sheets import Grid, Where, column_letter, read_statement_sheet
from features.imports.thai_values import (
    UnreadableValueError,
    plain,
    read_date,
    read_number,
    read_year,
)
from features.schema import TABLES, Column

YEAR_COLUMNS = frozenset(("fiscal_year", "founded_year"))
READABLE = (".csv", ".xlsx", ".xlsm")


@dataclass
class ImportResult:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    report: ImportReport = field(default_factory=ImportReport)


def sheets(name: str, data: bytes) -> Iterator[tuple[str | None, Grid]]:
    """(sheet name, grid of cells) of a CSV file (one sheet, no name) or an XLSX workbook.
    Merged cells hold their value in every cell they cover, as a reader sees them. A file
    beyond `import_limits` raises ImportTooLargeError before its cells are built."""
    if name.lower().endswith(".csv"):
        yield None, list(csv_rows(name, data.decode("utf-8-sig")))
        return
    check_workbook(name, data)
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    for sheet in book.worksheets:
        grid: Grid = [list(row) for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            value = sheet.cell(merged.min_row, merged.min_col).value
            for r in range(merged.min_row - 1, merged.max_row):
                for c in range(merged.min_col - 1, merged.max_col):
                    grid[r][c] = value
        yield sheet.title, grid


def _table_of(file: str, sheet: str | None) -> str | None:
    name = sheet if sheet is not None else Path(file).stem
    return name if name in TABLES else None


def _cell(column: Column, cell: Any) -> tuple[Any, str | None]:
    if column.kind in ("int", "float"):
        if column.name in YEAR_COLUMNS:
            if cell is None or plain(cell) == "":
                return None, None
            return read_year(cell)
        return read_number(cell)
    if column.kind == "date":
        date, note = read_date(cell)
        return (date.isoformat() if date else None), note
    if cell is None:
        return None, None
    text = plain(cell)
    return text, (None if text == str(cell).strip() else f"{str(cell).strip()!r} read as {text!r}")


def read_table_sheet(
    table: str, grid: Grid, file: str, sheet: str | None, report: ImportReport
) -> pd.DataFrame:
    """A sheet in the portfolio layout, every value in the portfolio's conventions. Conversions
    are reported once per column and kind, with the first row where they happened."""
    rows = [r for r in grid if any(c is not None and plain(c) != "" for c in r)]
    if not rows:
        return pd.DataFrame()
    names = [plain(c) if c is not None else "" for c in rows[0]]
    declared = TABLES[table].by_name
    records: list[dict[str, Any]] = []
    seen: Counter[tuple[str, Kind]] = Counter()
    first: dict[tuple[str, Kind], tuple[int, str]] = {}
    for r, row in enumerate(grid[grid.index(rows[0]) + 1 :], start=grid.index(rows[0]) + 2):
        if not any(c is not None and plain(c) != "" for c in row):
            continue
        record: dict[str, Any] = {}
        for col, name in enumerate(names):
            cell = row[col] if col < len(row) else None
            if name not in declared:
                record[name] = cell
                continue
            try:
                value, note = _cell(declared[name], cell)
            except UnreadableValueError as exc:
                report.add("error", file, str(exc), sheet=sheet, row=r, column=name)
                continue
            record[name] = value
            if note:
                seen[(name, note_kind(note))] += 1
                first.setdefault((name, note_kind(note)), (r, note))
        records.append(record)
    for (name, kind), count in seen.items():
        r, note = first[(name, kind)]
        report.add(kind, file, f"{count} value(s); first: {note}", sheet=sheet, row=r, column=name)
    return pd.DataFrame(records, columns=[n for n in names if n])


def import_files(files: Iterable[tuple[str, bytes]]) -> ImportResult:
    """Read every file (name, bytes) into portfolio tables, with the report of what was done."""
    result = ImportResult()
    labels = load_labels()
    frames: dict[str, list[pd.DataFrame]] = {}
    businesses: list[dict[str, Any]] = []
    statements: list[dict[str, Any]] = []
    for name, data in files:
        if not name.lower().endswith(READABLE):
            result.report.add("error", name, f"not CSV or XLSX; read: {', '.join(READABLE)}")
            continue
        try:
            found = list(sheets(name, data))
        except ImportTooLargeError:
            raise
        except Exception as exc:  # the file itself is unreadable
            result.report.add("error", name, f"cannot be read: {str(exc)[:200]}")
            continue
        for sheet, grid in found:
            table = _table_of(name, sheet)
            if table is not None:
                frame = read_table_sheet(table, grid, name, sheet, result.report)
                frames.setdefault(table, []).append(frame)
                continue
            read = read_statement_sheet(grid, labels, Where(name, sheet), result.report)
            if read is None:
                result.report.add("error", name, "no fiscal years across a row", sheet=sheet)
                continue
            bid = read.business.get("business_id") or sheet or Path(name).stem
            if "business_id" not in read.business:
                detail = f"no business id row: the {'sheet' if sheet else 'file'} name {bid!r}"
                result.report.add("converted", name, detail, sheet=sheet)
            businesses.append({**read.business, "business_id": bid})
            statements += [{"business_id": bid, **s} for s in read.statements]
    if businesses:
        frames.setdefault("businesses", []).append(pd.DataFrame(businesses))
    if statements:
        frames.setdefault("financial_statements", []).append(pd.DataFrame(statements))
    for table, parts in frames.items():
        result.tables[table] = pd.concat(parts, ignore_index=True)
    if "businesses" in result.tables:
        # A business may come from a table and from its statement sheets: the first wins.
        merged = result.tables["businesses"]
        repeated = merged["business_id"].duplicated()
        for bid in merged.loc[repeated, "business_id"]:
            result.report.add("duplicate_line", "businesses", f"business {bid}: kept the first")
        result.tables["businesses"] = merged[~repeated].reset_index(drop=True)
    return result


def write_report(report: ImportReport, folder: Path) -> None:
    """The report beside the tables: JSON for tools, text in English and in Thai for people."""
    (folder / "import_report.json").write_text(report.to_json(), encoding="utf-8")
    for lang in LANGUAGES:
        (folder / f"import_report.{lang}.txt").write_text(report.text(lang), encoding="utf-8")


__all__ = ["ImportResult", "column_letter", "import_files", "write_report"]
