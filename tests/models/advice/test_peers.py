"""Peer benchmarks: worked by hand, as properties, and over a generated book at one date."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from features.pipeline import build_features
from features.portfolio import load_portfolio
from models.advice.peers import MIN_PEERS, PEER_FEATURES, peer_book, peer_group, standings
from models.plans.programmes import SIZE_CLASSES, Rules


def _book(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    """A book with current_ratio and debt_to_assets set from one value, other ratios empty."""
    frame = pd.DataFrame(
        {name: np.nan for name in PEER_FEATURES},
        index=pd.Index([f"B{i}" for i in range(len(rows))], name="business_id"),
    )
    frame["sector"] = [r[0] for r in rows]
    frame["size_class"] = [r[1] for r in rows]
    frame["region"] = [r[2] for r in rows]
    frame["current_ratio"] = [r[3] for r in rows]
    frame["debt_to_assets"] = [r[3] / 10 for r in rows]
    return frame


def test_worked_by_hand_the_group_falls_back_until_it_is_large_enough():
    # B0 is a small manufacturer in the north; 3 such peers in its region, 5 in its size class.
    rows = [("C", "small", "north", 1.5)]
    rows += [("C", "small", "north", v) for v in (1.0, 1.5, 2.0)]
    rows += [("C", "small", "south", v) for v in (0.5, 3.0)]
    rows += [("G", "small", "north", 9.0)] * 4
    book = _book(rows)
    group, peers = peer_group(book, "B0", min_peers=5)
    assert group.keys == {"sector": "C", "size_class": "small"} and group.size == 5
    assert sorted(peers["current_ratio"]) == [0.5, 1.0, 1.5, 2.0, 3.0]
    _, found = standings(book, "B0", min_peers=5)
    current = next(s for s in found if s.feature == "current_ratio")
    # 0.5 and 1.0 below, 1.5 equal: (2 + 0.5) / 5 = 50%; a higher current ratio is safer.
    assert current.percentile == 50.0 and current.safer_than == 50.0 and current.median == 1.5
    leverage = next(s for s in found if s.feature == "debt_to_assets")
    assert leverage.percentile == 50.0 and leverage.safer_than == 50.0  # the other direction
    # Six peers: the section holds only five others, so the whole book (nine) is the group.
    assert peer_group(book, "B0", min_peers=6)[0] == peer_group(book, "B0", min_peers=9)[0]
    assert peer_group(book, "B0", min_peers=6)[0].keys == {}
    assert peer_group(book, "B0", min_peers=6)[0].size == 9
    assert peer_group(book, "B0", min_peers=3)[0].keys == {
        "sector": "C", "size_class": "small", "region": "north"
    }  # fmt: skip


values = st.lists(st.floats(-5, 5, allow_nan=False), min_size=2, max_size=40)


@settings(max_examples=60, deadline=None)
@given(values, st.randoms(use_true_random=False))
def test_percentiles_are_bounded_order_free_and_rise_with_the_value(numbers, random):
    rows = [("C", "small", "north", v) for v in numbers]
    book = _book(rows)
    _, first = standings(book, "B0", min_peers=1)
    shuffled = book.sample(frac=1.0, random_state=random.randint(0, 10_000))
    _, again = standings(shuffled, "B0", min_peers=1)
    assert first == again
    for s in first:
        assert 0.0 <= s.percentile <= 100.0 and s.peers == len(numbers) - 1
    higher = book.copy()
    higher.loc["B0", "current_ratio"] += 1.0
    before = next(s for s in first if s.feature == "current_ratio").percentile
    after = next(s for s in standings(higher, "B0", min_peers=1)[1] if s.feature == "current_ratio")
    assert after.percentile >= before


def test_every_case_business_of_a_generated_book_gets_a_group_large_enough(small_portfolio_dir):
    as_of = dt.date(2026, 6, 30)
    portfolio = load_portfolio(small_portfolio_dir)
    features = build_features(portfolio, pd.Timestamp(as_of), lines=True)
    book = peer_book(features, Rules.on_date(as_of))
    known = book["size_class"].dropna()
    assert set(known) <= set(SIZE_CLASSES) and len(known) > 0.5 * len(book)
    cases = portfolio.cases["business_id"].unique()[:200]
    for business_id in cases:
        group, peers = peer_group(book, business_id)
        assert group.size == len(peers) and business_id not in peers.index
        assert group.size >= MIN_PEERS or group.keys == {}
        for key, value in group.keys.items():
            assert book.at[business_id, key] == value and (peers[key] == value).all()


def test_peers_compare_ratios_never_flags():
    from features.registry import BY_NAME

    assert "negative_equity" not in PEER_FEATURES and "current_ratio" in PEER_FEATURES
    assert all(not BY_NAME[name].description.startswith("1 where") for name in PEER_FEATURES)


def test_rescue_peers_lines_up_thai_ratio_names(small_portfolio_dir, capsys):
    from features.feature_labels import columns
    from rescue.cli import run

    business = pd.read_csv(small_portfolio_dir / "cases.csv", dtype=str)["business_id"].iloc[0]
    argv = ["peers", str(small_portfolio_dir), "--business", business, "--as-of", "2026-06-30"]
    assert run([*argv, "--lang", "th"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if "percentile" in line]
    assert len(rows) > 10 and any("อัตราส่วน" in r for r in rows)
    # The value column starts at the same terminal column on every line.
    starts = {columns(r[: r.index(" percentile")].rstrip()) for r in rows}
    assert len(starts) == 1, starts
