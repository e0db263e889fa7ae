"""The Spark engine scores a portfolio exactly as the local engine does: the same features, the
same registered model, every probability and every reason."""

from __future__ import annotations

import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

from features import PortfolioError
from models.specs import DISTRESS, FEASIBILITY
from training.scoring import score_portfolio
from training.spark_scoring import score_with_spark
from training.tracking import load_scorer

pytestmark = pytest.mark.slow  # a JVM and Spark's Python workers: run once, in make test

AS_OF = "2026-06-30"


@pytest.fixture(scope="module")
def plans() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "business_id": ["B000001", "B000002", "B000003"],
            "plan_outstanding": [500_000.0, 80_000.0, 1_200_000.0],
            "plan_rate": [0.05, 0.06, 0.045],
            "plan_tenor_months": [84, 60, 120],
            "plan_grace_months": [6, 0, 12],
            "plan_haircut": [0.1, 0.0, 0.2],
        }
    )


def test_spark_scores_equal_local_scores(mlflow_store, small_portfolio_dir, plans, tmp_path):
    distress = load_scorer(f"models:/{DISTRESS}/1")
    feasibility = load_scorer(f"models:/{FEASIBILITY}/1")
    quiet = {"say": lambda _m: None}
    local = tmp_path / "local.parquet"
    n_local = score_portfolio(
        small_portfolio_dir, local, distress, feasibility=feasibility, plans=plans,
        as_of=AS_OF, shard_rows=700, **quiet,
    )  # fmt: skip
    spark = tmp_path / "spark.parquet"
    n_spark = score_with_spark(
        small_portfolio_dir, spark, distress, feasibility=feasibility, plans=plans,
        as_of=AS_OF, shard_rows=700, master="local[2]", **quiet,
    )  # fmt: skip
    assert n_local == n_spark == 2000
    a = pq.read_table(local).to_pandas().set_index("business_id").sort_index()
    b = pq.read_table(spark).to_pandas().set_index("business_id").sort_index()
    assert list(a.columns) == list(b.columns)
    assert (a.index == b.index).all()
    for column in ("distress_probability", "feasibility_probability", "post_plan_dscr"):
        assert (a[column].isna() == b[column].isna()).all(), column
        assert (a[column] - b[column]).abs().max() <= 1e-9, column
    for column in ("risk_band", "top_reasons", "feasibility_reasons", "stale_statements"):
        assert a[column].fillna("").astype(str).equals(b[column].fillna("").astype(str)), column
    assert a["statement_age_days"].fillna(-1).equals(b["statement_age_days"].fillna(-1))
    assert a["feasibility_probability"].notna().sum() == 3


def test_spark_names_file_row_and_column_of_a_bad_cell(mlflow_store, small_portfolio_dir, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(small_portfolio_dir, broken)
    path = broken / "financial_statements.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[41, "revenue"] = "lots"
    frame.to_csv(path, index=False)
    out = tmp_path / "scores.csv"
    with pytest.raises(PortfolioError) as caught:
        score_with_spark(broken, out, load_scorer(f"models:/{DISTRESS}/1"), as_of=AS_OF,
                         master="local[2]", say=lambda _m: None)  # fmt: skip
    assert "financial_statements.csv:43: revenue" in str(caught.value)
    assert not out.exists()


def test_spark_reads_and_writes_uris(mlflow_store, small_portfolio_dir, tmp_path):
    # file:// goes through the same Hadoop file system as hdfs:// or s3a:// on a cluster.
    distress = load_scorer(f"models:/{DISTRESS}/1")
    local = tmp_path / "local.csv"
    score_portfolio(small_portfolio_dir, local, distress, as_of=AS_OF, say=lambda _m: None)
    out = tmp_path / "out" / "scores.csv"
    out.parent.mkdir()
    n = score_with_spark(small_portfolio_dir.as_uri(), out.as_uri(), distress, as_of=AS_OF,
                         master="local[2]", say=lambda _m: None)  # fmt: skip
    assert n == 2000
    a = pd.read_csv(local).set_index("business_id").sort_index()
    b = pd.read_csv(out).set_index("business_id").sort_index()
    assert (a["distress_probability"] - b["distress_probability"]).abs().max() <= 1e-9
    assert a["top_reasons"].equals(b["top_reasons"])
    assert [p.name for p in out.parent.iterdir()] == ["scores.csv"]
