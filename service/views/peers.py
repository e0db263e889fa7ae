"""Where a case's business stands against its peers, as of the case's date: each ratio's
percentile among the businesses on record of its TSIC section and size class (and region where
that group is large enough), by `models.advice.peers`.

Peers are shown as aggregates only, their percentiles and quartiles over a group of at least
`MIN_PEERS` (or the whole book when it is smaller), never by name: a centre officer compares a
business with the whole book without seeing another centre's cases.

Reading a section's rows from the store takes about a second per thousand businesses, so each
section's book at a date is kept for `BOOK_SECONDS`; the case's own business is read afresh on
every call, so its edits show at once and only the peers can be that much behind."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict

import pandas as pd
from sqlalchemy import Connection, select

from features.feature_labels import label
from features.pipeline import build_features
from models.advice.peers import MIN_PEERS, Standing, peer_book, standings
from models.plans.programmes import Rules
from service.cases.advice import case_date
from service.cases.cases import get_case_row
from service.kit.roles import User
from service.scoring.scoring import checked_portfolio
from service.store.repository import business_tables
from service.store.tables import businesses
from service.views import schemas

BOOK_SECONDS = 600.0
BOOKS_KEPT = 32
_books: OrderedDict[tuple[str, str | None, dt.date], tuple[float, pd.DataFrame]] = OrderedDict()
_lock = threading.Lock()


def _read_book(connection: Connection, ids: list[str], as_of: dt.date) -> pd.DataFrame:
    portfolio = checked_portfolio(business_tables(connection, ids))
    features = build_features(portfolio, as_of.isoformat(), lines=True)
    return peer_book(features, Rules.on_date(as_of))


def _book(connection: Connection, sector: str | None, as_of: dt.date) -> pd.DataFrame:
    """Every business of `sector` (of the book when None) at `as_of`, kept a while."""
    key = (str(connection.engine.url), sector, as_of)
    with _lock:
        kept = _books.get(key)
        if kept is not None and time.monotonic() - kept[0] < BOOK_SECONDS:
            return kept[1]
    query = select(businesses.c.business_id)
    if sector is not None:
        query = query.where(businesses.c.sector == sector)
    book = _read_book(connection, list(connection.execute(query).scalars()), as_of)
    with _lock:
        _books[key] = (time.monotonic(), book)
        _books.move_to_end(key)
        while len(_books) > BOOKS_KEPT:
            _books.popitem(last=False)
    return book


def _with_own(book: pd.DataFrame, own: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([book.drop(index=own.index, errors="ignore"), own])


def _standing(s: Standing) -> schemas.PeerStanding:
    return schemas.PeerStanding(
        feature=s.feature, label_en=label(s.feature, "en"), label_th=label(s.feature, "th"),
        value=s.value, peers=s.peers, percentile=s.percentile, safer_than=s.safer_than,
        p25=s.p25, median=s.median, p75=s.p75,
    )  # fmt: skip


def peers_of(
    connection: Connection, case_id: str, business_id: str, as_of: dt.date
) -> schemas.Peers:
    """The business's peer group and standings at `as_of`. Only its section is read from the
    store first; the whole book only when the section is too small a group."""
    sector = connection.execute(
        select(businesses.c.sector).where(businesses.c.business_id == business_id)
    ).scalar_one()
    own = _read_book(connection, [business_id], as_of)
    group, found = standings(_with_own(_book(connection, sector, as_of), own), business_id)
    if sector is not None and not group.keys:
        book = _with_own(_book(connection, None, as_of), own)
        group, found = standings(book, business_id)
    if group.size < MIN_PEERS:
        found = []  # a percentile among a handful says nothing
    return schemas.Peers(
        case_id=case_id,
        business_id=business_id,
        as_of=as_of,
        group=schemas.PeerGroupOut(
            sector=group.keys.get("sector"),
            size_class=group.keys.get("size_class"),
            region=group.keys.get("region"),
            size=group.size,
        ),
        min_peers=MIN_PEERS,
        standings=[_standing(s) for s in found],
    )


def case_peers(
    connection: Connection, user: User, case_id: str, as_of: dt.date | None = None
) -> schemas.Peers:
    """The case's business against its peers, as of `as_of` or the case's latest assessment;
    404 outside the caller's scope."""
    row = get_case_row(connection, case_id, user)
    return peers_of(connection, case_id, row.business_id, as_of or case_date(connection, row))
