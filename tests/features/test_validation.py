"""The portfolio schema: what `rescue validate` and `load_portfolio` accept and reject."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from features import PortfolioError, load_portfolio, validate_portfolio
from features.portfolio import read_raw
from features.schema import TABLES


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def _edit_csv(path: Path, edit) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    edit(frame)
    frame.to_csv(path, index=False)


def test_generated_portfolio_is_valid(small_portfolio_dir):
    portfolio, problems = validate_portfolio(small_portfolio_dir)
    assert problems == []
    assert len(portfolio.businesses) == 2000
    assert portfolio.financial_statements["revenue"].dtype == "float64"
    assert str(portfolio.debts["as_of"].dtype).startswith("datetime64")


def test_injected_faults_are_each_named_with_file_row_and_column(small_portfolio_dir, tmp_path):
    bad = _copy(small_portfolio_dir, tmp_path / "bad")

    def revenue_text(f):
        f.loc[4, "revenue"] = "twelve million"

    def identity(f):
        ta = float(f.loc[7, "total_assets"])
        f.loc[7, "total_assets"] = str(ta + 1_000_000)

    _edit_csv(bad / "financial_statements.csv", revenue_text)
    _edit_csv(bad / "financial_statements.csv", identity)
    _edit_csv(
        bad / "debts.csv",
        lambda f: f.__setitem__("outstanding", f["outstanding"].where(f.index != 2, "-5000")),
    )
    _edit_csv(
        bad / "loan_applications.csv",
        lambda f: f.__setitem__("business_id", f["business_id"].where(f.index != 0, "B999999")),
    )
    apps = pd.read_csv(bad / "loan_applications.csv", dtype=str, keep_default_na=False)
    pd.concat([apps, apps.iloc[[1]]]).to_csv(bad / "loan_applications.csv", index=False)
    duplicate_line = len(apps) + 2

    result = subprocess.run(
        [sys.executable, "-m", "rescue", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    out = result.stdout
    # CSV rows are numbered as lines: the header is line 1, data row i is line i + 2.
    assert "financial_statements.csv:6: revenue: not a number: 'twelve million'" in out
    assert "financial_statements.csv:9: total_assets: total_assets differs" in out
    assert "debts.csv:4: outstanding: negative: -5000" in out
    assert "loan_applications.csv:2: business_id: unknown business_id 'B999999'" in out
    assert f"loan_applications.csv:{duplicate_line}: application_id: duplicate key" in out
    assert "first at row 3" in out
    with pytest.raises(PortfolioError) as raised:
        load_portfolio(bad)
    assert len(raised.value.problems) == 5


def test_only_businesses_is_required_and_optional_columns_may_be_absent(tmp_path):
    folder = tmp_path / "minimal"
    folder.mkdir()
    (folder / "businesses.csv").write_text("business_id,sector\nB1,G\nB2,\n")
    portfolio = load_portfolio(folder)
    assert list(portfolio.businesses["business_id"]) == ["B1", "B2"]
    assert portfolio.businesses["employees"].isna().all()
    assert set(portfolio.tables) == set(TABLES)
    assert portfolio.debts.empty and "outstanding" in portfolio.debts.columns
    assert portfolio.supplied == {"businesses"}


def test_missing_businesses_and_missing_required_column_are_errors(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "debts.csv").write_text(
        "facility_id,business_id,lender,facility_type\nF1,B1,X,term_loan\n"
    )
    _, problems = validate_portfolio(folder)
    text = "\n".join(map(str, problems))
    assert "businesses.csv: required table is missing" in text
    assert "debts.csv:1: as_of: required column is missing" in text
    assert "debts.csv:2: business_id: unknown business_id 'B1'" in text


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("tax_id", "0105551234560", "check digit"),
        ("tax_id", "12345", "not a 13-digit tax id"),
        ("sector", "Z", "'Z' is not one of"),
        ("founded_year", "1999.5", "not a whole number"),
        ("employees", "-3", "negative"),
    ],
)
def test_cell_rules(tmp_path, column, value, message):
    folder = tmp_path / "p"
    folder.mkdir()
    pd.DataFrame({"business_id": ["B1"], column: [value]}).to_csv(
        folder / "businesses.csv", index=False
    )
    _, problems = validate_portfolio(folder)
    assert len(problems) == 1
    assert problems[0].row == 2 and problems[0].column == column
    assert message in problems[0].message


def test_valid_tax_id_and_problem_type_list_are_accepted(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "businesses.csv").write_text("business_id,tax_id\nB1,0105551234567\n")
    (folder / "cases.csv").write_text(
        "case_id,business_id,channel,received_at,problem_types\n"
        "C1,B1,direct,2026-01-05,debt_distress; loan_stalled\n"
    )
    portfolio = load_portfolio(folder)
    assert portfolio.cases.loc[0, "problem_types"] == "debt_distress;loan_stalled"


def test_parquet_portfolio_reads_the_same(small_portfolio_dir, tmp_path):
    folder = tmp_path / "pq"
    folder.mkdir()
    for name in ("businesses", "financial_statements", "debts"):
        pd.read_csv(small_portfolio_dir / f"{name}.csv", dtype=str).to_parquet(
            folder / f"{name}.parquet"
        )
    portfolio = load_portfolio(folder)
    reference = load_portfolio(small_portfolio_dir)
    pd.testing.assert_frame_equal(portfolio.debts, reference.debts)


def test_csv_and_parquet_of_the_same_table_is_ambiguous(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "businesses.csv").write_text("business_id\nB1\n")
    pd.DataFrame({"business_id": ["B1"]}).to_parquet(folder / "businesses.parquet")
    _, problems = validate_portfolio(folder)
    assert any("both businesses.csv and businesses.parquet" in p.message for p in problems)


def test_what_real_statements_break_legitimately_is_a_warning_and_the_row_is_kept(
    small_portfolio_dir, tmp_path
):
    dirty = _copy(small_portfolio_dir, tmp_path / "dirty")

    def real_world(f):
        # Other operating income larger than the expenses; cash larger than current assets
        # (by more than the identity's tolerance).
        f.loc[3, "operating_expenses"] = "-120000"
        f.loc[5, "cash"] = str(2 * float(f.loc[5, "current_assets"]) + 50_000)

    _edit_csv(dirty / "financial_statements.csv", real_world)
    portfolio, problems = validate_portfolio(dirty)
    assert problems == []
    assert len(portfolio.financial_statements) == len(
        load_portfolio(small_portfolio_dir).financial_statements
    )
    shown = [str(w) for w in portfolio.warnings]
    assert "financial_statements.csv:5: operating_expenses: warning: negative (-120,000.00)" in (
        " ".join(shown)
    )
    assert any(
        s.startswith("financial_statements.csv:7: cash: warning: larger than current_assets by ")
        and s.endswith(" THB")
        for s in shown
    )
    assert all(w.severity == "warning" for w in portfolio.warnings)
    out = subprocess.run(
        [sys.executable, "-m", "rescue", "validate", str(dirty)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert "warning(s), rows kept" in out.stdout
    assert "financial_statements.csv:5: operating_expenses: warning: negative" in out.stdout


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbfa,b\n1, 2 \n\n3,\n",  # byte-order mark, blank line, empty cell
        b'a,b\n1,"x\ny"\n',  # a quoted line break
        b"a,b\n1,2\n3\n",  # a row short of a cell
        b"a,b,a\n1,2,3\n",  # a repeated header
    ],
)
def test_csv_cells_read_as_pandas_reads_them(tmp_path, content):
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    expected = pd.read_csv(
        path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig"
    )
    pd.testing.assert_frame_equal(read_raw(path), expected)
