"""Portfolios written block by block: valid, with distinct identifiers, and copies that score
exactly as the original."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq

from features import load_portfolio
from models.specs import DISTRESS
from training.scoring import score_portfolio
from training.synthetic.blocks import generated_blocks, write_blocks, write_copies
from training.tracking import load_scorer

QUIET = {"say": lambda _m: None}


def test_generated_blocks_are_one_valid_portfolio_of_distinct_businesses(tmp_path):
    out = write_blocks(generated_blocks(500, seed=3, block=200), tmp_path / "big", **QUIET)
    portfolio = load_portfolio(out)  # raises on any problem, broken references included
    ids = portfolio.businesses["business_id"]
    assert len(ids) == 500 and ids.is_unique
    assert pq.ParquetFile(out / "businesses.parquet").num_row_groups == 3  # one per block
    owners = set(portfolio.loan_applications["business_id"])
    assert owners <= set(ids)
    assert portfolio.loan_applications["application_id"].is_unique


def test_copies_score_as_the_original(mlflow_store, small_portfolio_dir, tmp_path):
    scorer = load_scorer(f"models:/{DISTRESS}/1")
    copies = write_copies(small_portfolio_dir, tmp_path / "copies", 2, **QUIET)
    original, copied = tmp_path / "a.parquet", tmp_path / "b.parquet"
    score_portfolio(small_portfolio_dir, original, scorer, as_of="2026-06-30", **QUIET)
    n = score_portfolio(copies, copied, scorer, as_of="2026-06-30", shard_rows=1500, **QUIET)
    assert n == 4000
    a = pd.read_parquet(original).set_index("business_id")
    b = pd.read_parquet(copied)
    b["original"] = b["business_id"].str.rsplit("-", n=1).str[0]
    for _, copy in b.groupby(b["business_id"].str[-4:]):
        same = copy.set_index("original").loc[a.index]
        assert (same["distress_probability"] - a["distress_probability"]).abs().max() < 1e-9
        assert (same["top_reasons"] == a["top_reasons"]).all()
