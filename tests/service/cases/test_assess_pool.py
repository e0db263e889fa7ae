"""Cases assessed in a helper process: the same assessment as in the worker, with the request's
model versions; the worker's own thread when the helper cannot; no helper left behind."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest

from features import load_portfolio
from models.specs import DISTRESS, SPECS
from service.cases.assess_pool import Assessor
from service.cases.assessments import CaseRef, assessments_for
from service.kit.runtime import ModelStore, Snapshot
from training.tracking import configure, promote

AS_OF = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def snapshot(tracking_uri, trained) -> Snapshot:
    configure(tracking_uri)
    for spec in SPECS:
        promote(spec)
    loaded = ModelStore(tracking_uri).load()
    assert set(loaded.models) == set(SPECS), loaded.errors
    return loaded


@pytest.fixture(scope="module")
def cases(small_portfolio_dir):
    portfolio = load_portfolio(small_portfolio_dir)
    ids = sorted(portfolio.business_ids)[:3]
    refs = [CaseRef(f"C-{b}", b, "debt_distress", dt.date(2026, 1, 15)) for b in ids]
    return portfolio, refs


@pytest.fixture
def assessor(tracking_uri, snapshot):
    helper = Assessor(tracking_uri, processes=1)
    helper.start(snapshot)
    yield helper
    helper.stop()


def _comparable(assessed) -> tuple[list[dict], dict]:
    records = [{k: v for k, v in r.items() if k != "created_at"} for r in assessed.records]
    return records, {k: dataclasses.asdict(v) for k, v in assessed.triaged.items()}


def test_the_helper_assesses_as_the_worker_does(assessor, snapshot, cases):
    portfolio, refs = cases
    here = assessments_for(snapshot, portfolio, refs, AS_OF, "analyst")
    there = assessor(snapshot, portfolio, refs, AS_OF, "analyst")
    assert assessor.helped == 1
    assert len(assessor.helper_pids) == 1 and os.getpid() not in assessor.helper_pids
    assert _comparable(there) == _comparable(here)
    assert there.triaged and there.records[0]["distress_model_version"] == (
        snapshot.models[DISTRESS].version
    )


def test_a_version_the_helper_cannot_load_is_assessed_in_the_worker(assessor, snapshot, cases):
    portfolio, refs = cases
    ghost = Snapshot(
        {name: dataclasses.replace(m, version="999") for name, m in snapshot.models.items()}
    )
    got = assessor(ghost, portfolio, refs, AS_OF, "analyst")
    assert assessor.helped == 0
    assert _comparable(got) == _comparable(
        assessments_for(ghost, portfolio, refs, AS_OF, "analyst")
    )


def test_a_dead_helper_is_replaced_and_the_case_still_assessed(assessor, snapshot, cases):
    portfolio, refs = cases
    assessor(snapshot, portfolio, refs, AS_OF, "analyst")
    (first,) = assessor.helper_pids
    os.kill(first, signal.SIGKILL)
    here = assessments_for(snapshot, portfolio, refs, AS_OF, "analyst")
    got = assessor(snapshot, portfolio, refs, AS_OF, "analyst")  # in the worker
    assert _comparable(got) == _comparable(here) and assessor.helped == 1
    again = assessor(snapshot, portfolio, refs, AS_OF, "analyst")  # a new helper
    assert assessor.helped == 2 and len(assessor.helper_pids) == 2
    assert _comparable(again) == _comparable(here)


LEAVE = """
import os, sys
from service.cases.assess_pool import Assessor
from service.kit.runtime import Snapshot
helper = Assessor(sys.argv[1], processes=1)
helper.start(Snapshot())
print(helper._pool.submit(os.getpid).result(), flush=True)
os._exit(0)
"""


def test_the_helper_leaves_when_its_worker_is_killed(tracking_uri):
    worker = subprocess.run(
        [sys.executable, "-c", LEAVE, tracking_uri], capture_output=True, text=True, timeout=120,
        check=True,
    )  # fmt: skip
    helper = int(worker.stdout.split()[-1])
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and _running(helper):
        time.sleep(0.2)
    assert not _running(helper)


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting for its new parent to reap it."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False
