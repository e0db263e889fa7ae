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


@pytest.mark.slow
def test_kill_during_a_burst_of_intakes_loses_nothing_acknowledged(launch, tmp_path):
    empty_store = f"sqlite:///{tmp_path / 'no-models.db'}"
    process, service = launch(tmp_path, empty_store, "crash", sqlite_only=True)
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


@pytest.mark.slow
def test_asked_to_stop_with_a_request_in_flight_the_server_leaves_within_its_grace(
    launch, tmp_path, monkeypatch
):
    """SIGTERM while a long upload is being read: the server waits RESCUE_SHUTDOWN_SECONDS for
    it, then leaves, and the reading process with it."""
    import signal

    monkeypatch.setenv("RESCUE_SHUTDOWN_SECONDS", "2")
    monkeypatch.setenv("RESCUE_IMPORT_SECONDS", "120")
    empty_store = f"sqlite:///{tmp_path / 'no-models.db'}"
    process, service = launch(tmp_path, empty_store, "stopping", sqlite_only=True)
    rows = "".join(
        f"B{i:06d},Shop {i},G,Chiang Mai,north,2001,12,company_limited\n" for i in range(150_000)
    )
    data = "business_id,name,sector,province,region,founded_year,employees,legal_form\n" + rows
    answered: list[object] = []

    def upload() -> None:
        try:
            with service.client("analyst") as client:
                files = {"files": ("businesses.csv", data.encode(), "text/csv")}
                answered.append(client.post("/imports", files=files).status_code)
        except httpx.HTTPError as exc:
            answered.append(type(exc).__name__)

    sender = threading.Thread(target=upload)
    sender.start()
    time.sleep(2.0)  # the upload is sent and being read
    assert not answered, "the upload was read before the server was asked to stop"
    asked = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    assert time.monotonic() - asked < 2 + 6
    sender.join(timeout=30)
    assert answered
