"""Where a business stands against its peers: each of its ratios as a percentile among the
businesses of its TSIC section and OSMEP size class, and of its region too where that group is
large enough, all read at one as-of date.

The group is the finest of (section, size class, region), (section, size class), (section) and
the whole book that holds at least `MIN_PEERS` other businesses with statements at the date; the
group and its size are part of the answer. A ratio's percentile counts the peers below it and
half of those equal to it; `safer_than` reads the same count in the ratio's risk direction
(a higher current ratio is safer, a higher debt to assets is not)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.registry import FEATURES
from models.plans.programmes import Rules

PEER_FAMILIES = ("liquidity", "leverage", "coverage", "profitability", "activity", "cash_flow")
# Ratios only: a flag ("1 where equity <= 0") has no percentile worth reading.
PEER_FEATURES = tuple(
    f.name
    for f in FEATURES
    if f.family in PEER_FAMILIES and not f.categorical and not f.description.startswith("1 where")
)
RISK = {f.name: f.risk for f in FEATURES}
MIN_PEERS = 30
LEVELS: tuple[tuple[str, ...], ...] = (
    ("sector", "size_class", "region"),
    ("sector", "size_class"),
    ("sector",),
    (),
)


@dataclass(frozen=True)
class PeerGroup:
    keys: dict[str, str]  # {} for the whole book
    size: int  # other businesses in it with statements at the date


@dataclass(frozen=True)
class Standing:
    feature: str
    value: float
    peers: int  # peers with this ratio known
    percentile: float  # 0-100: share of those peers below the value, ties counted half
    safer_than: float | None  # 0-100 in the ratio's risk direction; None without one
    p25: float
    median: float
    p75: float


def with_statements(book: pd.DataFrame) -> pd.Series:
    """Businesses with any peer ratio known at the date (the others have no statements)."""
    return book[list(PEER_FEATURES)].notna().any(axis=1)


def peer_group(
    book: pd.DataFrame, business_id: str, min_peers: int = MIN_PEERS
) -> tuple[PeerGroup, pd.DataFrame]:
    """The business's peer group in `book` (one row per business, indexed by business_id, with
    sector, size_class and region beside the ratios) and the peers' rows, itself excluded."""
    me = book.loc[business_id]
    others = book[(book.index != business_id) & with_statements(book)]
    for level in LEVELS:
        known = [k for k in level if isinstance(me[k], str)]
        if len(known) < len(level):
            continue
        members = others
        for key in level:
            members = members[members[key] == me[key]]
        if len(members) >= min_peers or not level:
            return PeerGroup({k: str(me[k]) for k in level}, len(members)), members
    raise AssertionError("the whole book is the last level")  # pragma: no cover


def standings(
    book: pd.DataFrame, business_id: str, min_peers: int = MIN_PEERS
) -> tuple[PeerGroup, list[Standing]]:
    """The business's peer group and its standing on every peer ratio it has."""
    group, peers = peer_group(book, business_id, min_peers)
    out = []
    for name in PEER_FEATURES:
        value = float(book.at[business_id, name])
        values = peers[name].to_numpy(dtype=float)
        values = values[~np.isnan(values)]
        if math.isnan(value) or len(values) == 0:
            continue
        below = float(np.sum(values < value)) + 0.5 * float(np.sum(values == value))
        percentile = 100.0 * below / len(values)
        risk = RISK[name]
        safer = None if risk == 0 else (percentile if risk < 0 else 100.0 - percentile)
        p25, median, p75 = np.percentile(values, [25, 50, 75])
        out.append(
            Standing(
                name, value, len(values), percentile, safer, float(p25), float(median), float(p75)
            )
        )
    return group, out


def peer_book(features: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """The book to compare in: the businesses' peer ratios, section and region at one date
    (features built with `lines=True`), with each one's OSMEP size class by the rules in force."""
    size = [
        rules.size_class(sector if isinstance(sector, str) else None, revenue, employees)
        for sector, revenue, employees in zip(
            features["sector"], features["line_revenue"], features["employees"], strict=True
        )
    ]
    book = features[[*PEER_FEATURES, "sector", "region"]].astype(
        {"sector": object, "region": object}
    )
    return book.assign(size_class=pd.Series(size, index=features.index, dtype=object))
