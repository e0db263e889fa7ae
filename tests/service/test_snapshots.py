"""What the API answers, pinned: the JSON of `/score`, `/cases/{id}`, the recommendations and a
batch-score CSV for one fixed business of the small portfolio, compared with stored snapshots.

Moving code between modules must not change an answer. Values that depend on the day the test
runs (days open, the queue priority's age term) are checked by their formula and left out of the
snapshot; floats are compared to 6 significant digits. `UPDATE_SNAPSHOTS=1` rewrites the files
after an intended change (review the diff before committing it).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from features import load_portfolio
from models.advice.triage import TRIAGE_RANK
from service.kit.payloads import business_payload

SNAPSHOTS = Path(__file__).with_name("snapshots")
AS_OF = "2026-06-30"
RECEIVED = "2026-06-01"


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return float(f"{value:.6g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _check(name: str, actual: object) -> None:
    path = SNAPSHOTS / name
    text = json.dumps(_rounded(actual), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"no snapshot {path}: run once with UPDATE_SNAPSHOTS=1 and review it"
    assert json.loads(text) == json.loads(path.read_text()), f"{name} differs from its snapshot"


@pytest.fixture(scope="module")
def business(small_portfolio_dir) -> dict:
    """A Bangkok business with statements, facilities and applications: the richest payload."""
    portfolio = load_portfolio(small_portfolio_dir)
    b = portfolio.businesses
    candidates = b[b["province"] == "Bangkok"]["business_id"]
    for table in ("financial_statements", "debts", "loan_applications"):
        candidates = candidates[candidates.isin(set(portfolio.tables[table]["business_id"]))]
    business_id = sorted(candidates)[0]
    return business_payload(portfolio, business_id)


@pytest.mark.slow
def test_score_case_and_recommendations_match_their_snapshots(service, business):
    payload = business
    with service.client("analyst") as analyst:
        score = analyst.post("/score", json={**payload, "as_of": AS_OF})
        assert score.status_code == 200, score.text
        _check("score.json", score.json())

        created = analyst.post(
            "/cases",
            json={**payload, "channel": "direct", "received_at": RECEIVED,
                  "problem_types": ["debt_distress", "loan_stalled"]},
        )  # fmt: skip
        assert created.status_code == 201, created.text
        case_id = created.json()["case_id"]
        assessed = analyst.post(f"/cases/{case_id}/assessments", json={"as_of": AS_OF})
        assert assessed.status_code == 201, assessed.text
        case = analyst.get(f"/cases/{case_id}").json()
        received = dt.date.fromisoformat(RECEIVED)
        assert case["days_open"] == (dt.date.today() - received).days
        age = min((dt.date.today() - received).days, 180) / 180
        rank = TRIAGE_RANK[case["triage"]]
        assert case["priority"] == pytest.approx(rank + case["distress_probability"] + 0.1 * age)
        fixed = {k: v for k, v in case.items() if k not in ("days_open", "priority", "case_id")}
        _check("case.json", fixed)

        advice = analyst.get(f"/cases/{case_id}/recommendations", params={"as_of": AS_OF})
        assert advice.status_code == 200, advice.text
        _check("recommendations.json", {**advice.json(), "case_id": None})


@pytest.mark.slow
def test_batch_score_csv_matches_its_snapshot(service, small_portfolio_dir):
    portfolio = load_portfolio(small_portfolio_dir)
    ids = set(sorted(portfolio.businesses["business_id"])[:40])
    files = []
    for name in ("businesses", "financial_statements", "debts", "loan_applications"):
        frame = pd.read_csv(small_portfolio_dir / f"{name}.csv", dtype=str)
        frame = frame[frame["business_id"].isin(ids)]
        files.append(("files", (f"{name}.csv", frame.to_csv(index=False).encode(), "text/csv")))
    with service.client("scientist") as scientist:
        batch = scientist.post("/score/batch", files=files, params={"as_of": AS_OF})
    assert batch.status_code == 200, batch.text
    scores = pd.read_csv(io.StringIO(batch.text), dtype={"business_id": str})
    assert len(scores) == len(ids)
    _check("batch_scores.json", scores.to_dict("records"))
