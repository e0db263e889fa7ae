"""Statements as Thai users have them: hand-made workbooks and CSVs (no real company data).

The round trip: a workbook laid out as an accountant would (Thai labels, B.E. years across the
columns, merged header cells, a subtotal, an unknown line, thousands separators, negatives in
parentheses) imports to exactly the features of the same statements typed in the canonical
layout."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from features import build_features, load_portfolio
from features.imports.importing import import_files
from features.imports.thai_values import read_date, read_number, read_year
from features.portfolio import write_tables

BUSINESS = "B-TH01"
TAX_ID = "0105556012341"  # a valid check digit
# The canonical statements of the example firm, in baht, C.E. years.
CANONICAL = pd.DataFrame(
    {
        "business_id": [BUSINESS, BUSINESS],
        "fiscal_year": [2023, 2024],
        "period_end": ["2023-12-31", "2024-12-31"],
        "revenue": [12_345_678.0, 11_000_000.0],
        "cost_of_sales": [8_000_000.0, 7_900_000.0],
        "operating_expenses": [2_500_000.0, 2_700_000.0],
        "depreciation": [300_000.0, 320_000.0],
        "interest_expense": [210_000.0, 260_000.0],
        "net_income": [1_200_000.0, -150_000.0],
        "cash": [800_000.0, 400_000.0],
        "current_assets": [4_000_000.0, 3_500_000.0],
        "total_assets": [10_000_000.0, 9_800_000.0],
        "current_liabilities": [3_000_000.0, 3_300_000.0],
        "total_liabilities": [6_000_000.0, 5_950_000.0],
        "equity": [4_000_000.0, 3_850_000.0],
    }
)
THAI_LABELS = {
    "revenue": "รายได้จากการขาย", "cost_of_sales": "ต้นทุนขาย",
    "operating_expenses": "ค่าใช้จ่ายในการขายและบริหาร", "depreciation": "ค่าเสื่อมราคา",
    "interest_expense": "ต้นทุนทางการเงิน", "net_income": "กำไร(ขาดทุน)สุทธิ",
    "cash": "เงินสดและรายการเทียบเท่าเงินสด", "current_assets": "รวมสินทรัพย์หมุนเวียน",
    "total_assets": "สินทรัพย์รวม", "current_liabilities": "หนี้สินหมุนเวียน",
    "total_liabilities": "หนี้สินรวม", "equity": "ส่วนของผู้ถือหุ้น",
}  # fmt: skip


def thai_amount(value: float) -> str:
    """As accountants type it: separators, two decimals, negatives in parentheses."""
    text = f"{abs(value):,.2f}"
    return f"({text})" if value < 0 else text


def statement_workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = BUSINESS
    sheet.append(["งบการเงินของกิจการ", None, None])
    sheet.merge_cells("A1:C1")  # a title across the sheet
    sheet.append(["ชื่อกิจการ", "บริษัท ทองดี การค้า จำกัด", None])
    sheet.append(["เลขประจำตัวผู้เสียภาษี", "0-1055-56012-34-1", None])
    sheet.append(["(หน่วย: บาท)", None, None])
    sheet.append(["รายการ", "ปี 2566", "ปี 2567"])  # B.E. fiscal years
    sheet.append(["สินทรัพย์หมุนเวียน", None, None])  # a heading without figures
    for line, label in THAI_LABELS.items():
        sheet.append([label, *(thai_amount(v) for v in CANONICAL[line])])
        if line == "cost_of_sales":
            gross = CANONICAL["revenue"] - CANONICAL["cost_of_sales"]
            sheet.append(["กำไรขั้นต้น", *(thai_amount(v) for v in gross)])  # a subtotal
    sheet.append(["รายได้จากการลงทุนในสลากออมสิน", "๑๒,๐๐๐", "15,000"])  # unknown line
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def canonical_portfolio(tmp_path: Path) -> Path:
    businesses = pd.DataFrame({"business_id": [BUSINESS], "name": ["บริษัท ทองดี การค้า จำกัด"]})
    return write_tables(
        {"businesses": businesses, "financial_statements": CANONICAL}, tmp_path / "canonical"
    )


def test_readers_of_thai_values():
    assert read_number("1,234,567.00") == (1234567.0, "'1,234,567.00' read as 1,234,567.00")
    assert read_number("(12,345)")[0] == -12345.0
    assert read_number("๑๒๓")[0] == 123.0
    assert read_number(" ฿1,000 ")[0] == 1000.0
    assert read_number("-")[0] == 0.0
    assert read_year("2567")[0] == 2024 and read_year("2024") == (2024, None)
    assert str(read_date("31/12/2567")[0]) == "2024-12-31"
    assert str(read_date("31/12/2024")[0]) == "2024-12-31"
    assert str(read_date("31 ธ.ค. 2567")[0]) == "2024-12-31"
    assert str(read_date("2567-12-31")[0]) == "2024-12-31"


def test_a_thai_statement_workbook_round_trips_to_the_canonical_features(tmp_path):
    result = import_files([("ทองดี.xlsx", statement_workbook())])
    report = result.report
    assert not report.errors, report.text()
    assert report.count("buddhist_era") == 2  # one per year column
    assert report.count("subtotal") == 1
    unmapped = [e for e in report.entries if e.kind == "unmapped"]
    assert len(unmapped) == 1 and "สลากออมสิน" in unmapped[0].detail
    assert unmapped[0].sheet == BUSINESS and unmapped[0].column == "A"
    assert report.count("default_period_end") == 2
    thai = report.text("th")
    assert "ไม่รู้จักชื่อบรรทัดนี้" in thai and "'ปี 2566' เป็นปี พ.ศ. 2566 = ค.ศ. 2023" in thai
    assert " read as " not in thai and " is B.E. " not in thai

    business = result.tables["businesses"].iloc[0]
    assert business["business_id"] == BUSINESS and business["tax_id"] == TAX_ID
    imported = write_tables(result.tables, tmp_path / "imported")
    as_of = "2025-06-30"
    got = build_features(load_portfolio(imported), as_of)
    want = build_features(load_portfolio(canonical_portfolio(tmp_path)), as_of)
    numeric = [c for c in want.columns if pd.api.types.is_numeric_dtype(want[c])]
    np.testing.assert_allclose(
        got[numeric].to_numpy(float), want[numeric].to_numpy(float), rtol=0, atol=1e-9
    )


def test_portfolio_layout_with_thai_formats_is_converted_and_reported():
    businesses = f"business_id,name,tax_id,founded_year\n{BUSINESS},ทองดี,๐๑๐๕๕๕๖๐๑๒๓๔๑, 2553 \n"
    statements = (
        "business_id,fiscal_year,period_end,revenue,net_income,total_assets,total_liabilities,equity\n"
        f'{BUSINESS},2567,31/12/2567,"1,234,567.00","(12,345)","฿10,000,000","6,000,000",'
        '"4,000,000"\n'
    )
    result = import_files(
        [("businesses.csv", businesses.encode()), ("financial_statements.csv", statements.encode())]
    )
    assert not result.report.errors, result.report.text()
    row = result.tables["financial_statements"].iloc[0]
    assert row["fiscal_year"] == 2024 and row["period_end"] == "2024-12-31"
    assert row["revenue"] == 1234567.0 and row["net_income"] == -12345.0
    business = result.tables["businesses"].iloc[0]
    assert business["tax_id"] == TAX_ID and business["founded_year"] == 2010
    kinds = {(e.column, e.kind) for e in result.report.entries}
    assert ("fiscal_year", "buddhist_era") in kinds and ("period_end", "buddhist_era") in kinds
    assert ("revenue", "converted") in kinds and ("tax_id", "converted") in kinds


def test_errors_name_the_file_sheet_row_and_column():
    book = openpyxl.load_workbook(io.BytesIO(statement_workbook()))
    book.active["B8"] = "twelve million"
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_files([("bad.xlsx", buffer.getvalue()), ("notes.txt", b"x")])
    errors = result.report.errors
    first = errors[0]
    assert (first.file, first.sheet, first.row, first.column) == ("bad.xlsx", BUSINESS, 8, "B")
    assert "not a number" in errors[0].detail
    assert any(e.file == "notes.txt" for e in errors)


def test_an_unbalanced_statement_is_reported():
    book = openpyxl.load_workbook(io.BytesIO(statement_workbook()))
    sheet = book.active
    row = next(r for r in sheet.iter_rows() if r[0].value == "สินทรัพย์รวม")
    row[1].value = "11,000,000.00"
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_files([("x.xlsx", buffer.getvalue())]).report
    unbalanced = [e for e in report.entries if e.kind == "unbalanced"]
    assert len(unbalanced) == 1 and unbalanced[0].detail.startswith("2023")


@pytest.mark.slow
def test_rescue_import_writes_a_portfolio_with_its_report(tmp_path):
    workbook = tmp_path / "ทองดี.xlsx"
    workbook.write_bytes(statement_workbook())
    out = tmp_path / "imported"
    run = subprocess.run(
        [sys.executable, "-m", "rescue", "import", str(workbook), "--out", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert {"businesses.csv", "financial_statements.csv", "import_report.json"} <= {
        p.name for p in out.iterdir()
    }
    assert "สลากออมสิน" in (out / "import_report.th.txt").read_text(encoding="utf-8")
    validated = subprocess.run(
        [sys.executable, "-m", "rescue", "validate", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert validated.returncode == 0, validated.stdout


@pytest.mark.slow
def test_imported_and_canonical_statements_score_the_same(mlflow_store, tmp_path):
    from models.predict import scores_table
    from models.registry import load_scorer
    from models.specs import DISTRESS

    scorer = load_scorer(f"models:/{DISTRESS}/1")
    imported = write_tables(
        import_files([("ทองดี.xlsx", statement_workbook())]).tables, tmp_path / "imported"
    )
    got = scores_table(scorer, load_portfolio(imported), "2025-06-30")
    want = scores_table(scorer, load_portfolio(canonical_portfolio(tmp_path)), "2025-06-30")
    pd.testing.assert_frame_equal(got, want)
