"""The service under mixed load, for `make bench`: analysts paging the queue, scoring and
registering cases at the same time, against a database of 100,000 cases."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import numpy as np
from sqlalchemy import func, insert, select

from features import Portfolio
from features.schema import CHANNELS, PROBLEM_TYPES
from models.advice.triage import TRIAGE_CLASSES
from rescue.bench_api import serving
from service.access.users import create_user
from service.intake.loading import load_into_db
from service.kit.payloads import business_payload
from service.kit.roles import Role
from service.kit.runtime import ModelStore
from service.store.db import Database, upgrade
from service.store.tables import businesses, cases

# What a client does next, and how often: most requests read the queue; a search reads every
# case's name and ids, so it is measured on its own.
MIX = {"queue": 0.45, "search": 0.05, "score": 0.3, "intake": 0.2}
QUEUE_PAGES: tuple[dict[str, str], ...] = (
    {},
    {"sort": "-distress_probability"},
    {"risk_band": "E"},
    {"triage": TRIAGE_CLASSES[0]},
    {"sort": "received_at"},
    {"province": "Chiang Mai", "sort": "-received_at"},
)
SEARCHES = ("foods", "C0001", "trading")
NEXT_PAGE = 0.3  # the share of queue reads that follow the page before by its cursor
INTAKES_PER_CLIENT = 600
# Requests a second per client when paced: eight people each clicking twice a second is a
# busy centre; back to back (no pause) measures capacity instead, where by Little's law the
# mean wait is the number of clients over the throughput whatever the code does.
PACE = 2.0


def widen(db: Database, total: int) -> int:
    """Copy the loaded cases (and their businesses' identities) under new ids until the
    database holds `total` cases; returns the count. The copies keep every queue field, so
    filters and orders see the same distribution as the portfolio."""
    with db.engine.begin() as connection:
        have = connection.execute(select(func.count()).select_from(cases)).scalar_one()
        originals = [r._asdict() for r in connection.execute(select(cases))]
        owners = {
            r.business_id: r._asdict()
            for r in connection.execute(
                select(businesses).where(
                    businesses.c.business_id.in_({c["business_id"] for c in originals})
                )
            )
        }
        copy = 0
        while have < total:
            copy += 1
            batch = originals[: total - have]
            suffix = f"-W{copy}"
            connection.execute(
                insert(businesses),
                [
                    {**owners[c["business_id"]], "business_id": c["business_id"] + suffix,
                     "tax_id": None}
                    for c in batch
                ],
            )  # fmt: skip
            connection.execute(
                insert(cases),
                [
                    {**c, "case_id": c["case_id"] + suffix,
                     "business_id": c["business_id"] + suffix, "idempotency_key": None}
                    for c in batch
                ],
            )  # fmt: skip
            have += len(batch)
    return int(have)


def prepare(database_url: str, portfolio: Portfolio, tracking_uri: str, total: int) -> str:
    """A database with the portfolio loaded and scored, widened to `total` cases; returns an
    analyst's token."""
    upgrade(database_url)
    db = Database(database_url)
    load_into_db(db, portfolio, ModelStore(tracking_uri).load())
    widen(db, total)
    with db.sessions() as session:
        token = create_user(session, f"bench-analyst-{time.time_ns()}", Role.analyst)
    db.engine.dispose()
    return token


@dataclass
class Samples:
    seconds: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in MIX})
    failures: list[str] = field(default_factory=list)


def intake_bodies(templates: list[dict[str, Any]], seed: int, n: int) -> list[bytes]:
    """New businesses, encoded before the clock starts: the templates' rows under fresh ids."""
    rng, bodies = random.Random(seed), []
    for i in range(n):
        tag = f"L{seed}-{i}-{time.time_ns() % 10**9}"
        body: dict[str, Any] = json.loads(json.dumps(rng.choice(templates)))
        body["business"]["business_id"] = f"{body['business']['business_id']}-{tag}"
        body["business"]["tax_id"] = None
        for row in body["debts"]:
            row["facility_id"] = f"{row['facility_id']}-{tag}"
        for row in body["loan_applications"]:
            row["application_id"] = f"{row['application_id']}-{tag}"
        body["channel"] = rng.choice(CHANNELS)
        body["problem_types"] = [rng.choice(PROBLEM_TYPES)]
        bodies.append(json.dumps(body).encode())
    return bodies


class Client:
    """One analyst at a keyboard, no pause between requests: a keep-alive connection, bodies
    encoded beforehand (the figures are the server's), the next request drawn from MIX."""

    def __init__(self, port: int, token: str, templates: list[dict[str, Any]], seed: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.rng = random.Random(seed)
        self.scores = [
            json.dumps({**t, "as_of": "2026-06-30"}).encode() for t in templates[seed::8]
        ]
        self.intakes = intake_bodies(templates, seed, INTAKES_PER_CLIENT)
        self.cursor: tuple[dict[str, str], str] | None = None
        self.answer = ""

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        self.connection.request(method, path, body=body, headers=self.headers)
        response = self.connection.getresponse()
        answer = response.read()
        if response.status >= 300:
            self.answer = f"{method} {path}: HTTP {response.status} {answer[:300]!r}"
        return response.status, answer

    def queue_path(self) -> str:
        if self.cursor is not None and self.rng.random() < NEXT_PAGE:
            params, after = self.cursor
            return "/cases?" + urlencode({**params, "after": after})
        return "/cases?" + urlencode(self.rng.choice(QUEUE_PAGES))

    def send(self, kind: str) -> tuple[float, int]:
        start = time.perf_counter()
        if kind == "queue":
            path = self.queue_path()
            status, answer = self.request("GET", path)
        elif kind == "search":
            status, _ = self.request("GET", "/cases?" + urlencode({"q": self.rng.choice(SEARCHES)}))
        elif kind == "score":
            status, _ = self.request("POST", "/score", self.rng.choice(self.scores))
        else:
            status, _ = self.request("POST", "/cases", self.intakes.pop())
        elapsed = time.perf_counter() - start
        if kind == "queue" and status == 200:
            params = dict(parse_qsl(path.partition("?")[2]))
            params.pop("after", None)
            after = json.loads(answer)["next_cursor"]
            self.cursor = (params, after) if after else None
        return elapsed, status

    def run(self, until: float, samples: Samples, lock: threading.Lock, rate: float | None) -> None:
        """Requests until `until`: back to back, or `rate` a second on average with random
        (exponential) gaps, as people clicking independently send them."""
        due = time.monotonic()
        while time.monotonic() < until and self.intakes:
            if rate is not None:
                due += self.rng.expovariate(rate)
                time.sleep(max(0.0, due - time.monotonic()))
            kind = self.rng.choices(list(MIX), weights=list(MIX.values()))[0]
            seconds, status = self.send(kind)
            with lock:
                samples.seconds[kind].append(seconds)
                if status >= 300:
                    samples.failures.append(self.answer)


def mixed_load(
    database_url: str,
    portfolio: Portfolio,
    tracking_uri: str,
    *,
    total_cases: int = 100_000,
    clients: int = 8,
    seconds: float = 60.0,
    workers: int = 2,
    rates: tuple[float | None, ...] = (PACE, None),
) -> dict[float | None, dict[str, Any]]:
    """p50/p99 per kind of request with `clients` analysts at once for `seconds`, at each
    rate a client (None: back to back)."""
    token = prepare(database_url, portfolio, tracking_uri, total_cases)
    ids = portfolio.cases["business_id"].drop_duplicates().head(200)
    templates = [business_payload(portfolio, b) for b in ids]
    results = {}
    with serving(database_url, tracking_uri, token, workers) as port:
        for rate in rates:
            crowd = [Client(port, token, templates, seed) for seed in range(clients)]
            for client in crowd:  # warm every connection and code path once
                for kind in MIX:
                    client.send(kind)
            results[rate] = _measure(crowd, seconds, rate)
            results[rate].update(cases=total_cases, clients=clients, rate=rate)
    return results


def _measure(crowd: list[Client], seconds: float, rate: float | None) -> dict[str, Any]:
    samples, lock = Samples(), threading.Lock()
    started = time.monotonic()
    until = started + seconds
    threads = [
        threading.Thread(target=c.run, args=(until, samples, lock, rate), daemon=True)
        for c in crowd
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    out: dict[str, Any] = {"failures": samples.failures}
    for kind, values in samples.seconds.items():
        ms = np.array(values) * 1000
        out[kind] = {
            "n": len(values),
            "p50": float(np.percentile(ms, 50)) if len(ms) else float("nan"),
            "p99": float(np.percentile(ms, 99)) if len(ms) else float("nan"),
        }
    out["throughput"] = sum(len(v) for v in samples.seconds.values()) / elapsed
    return out


def main() -> None:
    import argparse

    from features import load_portfolio

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--portfolio", type=Path, required=True)
    parser.add_argument("--tracking", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    started = dt.datetime.now()
    result = mixed_load(
        args.database_url, load_portfolio(args.portfolio), args.tracking,
        total_cases=args.cases, seconds=args.seconds, workers=args.workers,
    )  # fmt: skip
    for rate, figures in result.items():
        print(f"rate {rate}: {figures['throughput']:.1f} requests/s", end="")
        for kind in MIX:
            f = figures[kind]
            print(f"; {kind} n={f['n']} p50={f['p50']:.1f} p99={f['p99']:.1f} ms", end="")
        print(f"; failures {len(figures['failures'])} {figures['failures'][:3]}")
    print("took", dt.datetime.now() - started)


if __name__ == "__main__":
    main()
