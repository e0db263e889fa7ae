"""What the views answer over the API: a case's standing against its peers."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class PeerStanding(BaseModel):
    feature: str
    label_en: str
    label_th: str
    value: float
    peers: int  # peers with this ratio known at the date
    percentile: float  # 0-100: share of those peers below the value, ties counted half
    safer_than: float | None  # 0-100 in the ratio's risk direction; null without one
    p25: float
    median: float
    p75: float


class PeerGroupOut(BaseModel):
    sector: str | None  # TSIC section; null when the group is the whole book
    size_class: str | None
    region: str | None
    size: int  # other businesses in the group with statements at the date


class Peers(BaseModel):
    case_id: str
    business_id: str
    as_of: dt.date
    group: PeerGroupOut
    min_peers: int  # a group smaller than this, even the whole book, is not compared with
    standings: list[PeerStanding]  # empty without statements at the date, or too few peers
