"""Quarantine: the rows with problems (and those that depended on them) are set aside with
file, row, column and reason; the loaded rows are exactly the valid ones; a problem that is not
about rows loads nothing."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from features import PortfolioError
from features.imports.quarantine import quarantine
from features.portfolio import validate_portfolio, write_tables
from rescue.cli import app
from training.synthetic.generator import generate


@pytest.fixture(scope="module")
def tables():
    return generate(60, 11)


def _dirty(tables, tmp_path):
    dirty = {name: frame.copy() for name, frame in tables.items()}
    statements = dirty["financial_statements"]
    statements.loc[statements.index[0], "revenue"] = -5.0  # negative revenue: a row problem
    debts = dirty["debts"]
    debts.loc[debts.index[1], "business_id"] = "NOBODY"  # a facility of no business
    businesses = dirty["businesses"]
    victim = businesses.loc[businesses.index[2], "business_id"]
    businesses.loc[businesses.index[2], "tax_id"] = "1234567890123"  # a wrong check digit
    folder = write_tables(dirty, tmp_path / "dirty")
    return folder, victim


def test_rows_with_problems_and_their_dependants_are_set_aside(tables, tmp_path):
    folder, victim = _dirty(tables, tmp_path)
    result = quarantine(folder)
    assert result.portfolio is not None and result.fatal == []
    rejected = result.rejected
    assert {"financial_statements.csv", "debts.csv", "businesses.csv"} <= set(rejected["file"])
    first = rejected[rejected["file"] == "financial_statements.csv"].iloc[0]
    assert first["row"] == 2 and first["column"] == "revenue"
    assert rejected[rejected["file"] == "businesses.csv"]["row"].tolist() == [4]
    # the rejected business takes its own rows with it, in a later pass
    assert victim not in set(result.portfolio.financial_statements["business_id"])
    assert victim not in set(result.portfolio.debts["business_id"])
    loaded = result.portfolio
    for name, file in (("businesses", "businesses.csv"), ("debts", "debts.csv"),
                       ("financial_statements", "financial_statements.csv")):  # fmt: skip
        set_aside = rejected[rejected["file"] == file]["row"].nunique()
        assert len(loaded.tables[name]) == len(tables[name]) - set_aside
    clean = write_tables(
        {n: f for n, f in loaded.tables.items() if n in loaded.supplied}, tmp_path / "clean"
    )
    assert validate_portfolio(clean)[1] == []  # what was loaded is valid


def test_a_missing_column_loads_nothing(tables, tmp_path):
    broken = {name: frame.copy() for name, frame in tables.items()}
    broken["debts"] = broken["debts"].drop(columns=["facility_type"])  # a required column
    result = quarantine(write_tables(broken, tmp_path / "broken"))
    assert result.portfolio is None and result.fatal


def test_the_command_writes_the_rows_set_aside(tables, tmp_path):
    folder, _ = _dirty(tables, tmp_path)
    out = tmp_path / "rejected.csv"
    run = CliRunner().invoke(app, ["validate", str(folder), "--quarantine", str(out)])
    assert run.exit_code == 0, run.output
    assert "rows set aside" in run.output
    written = pd.read_csv(out)
    assert list(written.columns) == ["file", "row", "column", "reason", "values"]
    assert len(written) >= 3


def test_training_can_set_rows_aside_too(tables, tmp_path, train):
    folder, _ = _dirty(tables, tmp_path)
    out = tmp_path / "set_aside.csv"
    messages: list[str] = []
    with pytest.raises(PortfolioError) as strict:
        train(folder, tracking_uri=f"sqlite:///{tmp_path / 'a.db'}", say=messages.append)
    assert "problem" in str(strict.value)
    train(folder, tracking_uri=f"sqlite:///{tmp_path / 'b.db'}", say=messages.append,
              quarantine=out)  # fmt: skip
    assert out.exists() and len(pd.read_csv(out)) >= 3
    assert any("rows set aside" in m for m in messages)
