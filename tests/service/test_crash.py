"""A server killed with SIGKILL in the middle of a burst of intakes loses no case it acknowledged
and leaves nothing half-written."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.service.inprocess import case_payload
from tests.service.live import start_service


@pytest.mark.slow
def test_kill_during_a_burst_of_intakes_loses_nothing_acknowledged(tmp_path):
    empty_store = f"sqlite:///{tmp_path / 'no-models.db'}"
    process, service = start_service(tmp_path, empty_store, "crash", sqlite_only=True)
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def intake(i: int) -> None:
        if stop.is_set():
            return
        payload = case_payload(f"B-K{i:04d}", "Chiang Mai", seed=1000 + i)
        try:
            with service.client("intake") as client:
                response = client.post("/cases", json=payload)
        except httpx.HTTPError:
            return
        if response.status_code == 201:
            with lock:
                acknowledged.append(response.json()["case_id"])

    with ThreadPoolExecutor(8) as pool:
        pending = [pool.submit(intake, i) for i in range(400)]
        deadline = time.monotonic() + 30
        while len(acknowledged) < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.kill()  # SIGKILL: no shutdown, no flush
        process.wait(timeout=30)
        stop.set()
        for future in pending:
            future.result()
    assert len(acknowledged) >= 20

    engine = create_engine(service.database_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        stored = dict(connection.execute(text("SELECT case_id, business_id FROM cases")).all())
        trail = dict(
            connection.execute(
                text("SELECT case_id, count(*) FROM case_status_changes GROUP BY case_id")
            ).all()
        )
        known = {
            name: set(
                connection.execute(text(f"SELECT DISTINCT business_id FROM {name}")).scalars()
            )
            for name in ("businesses", "financial_statements", "debts", "loan_applications")
        }
    engine.dispose()
    assert set(acknowledged) <= set(stored)
    # Every case is whole: its trail, its business and that business's rows; and no business
    # was written without its case.
    assert all(trail.get(case_id) == 1 for case_id in stored)
    for rows in known.values():
        assert rows == set(stored.values())
