"""End to end against the running service: intake -> assessment -> decision -> outcome, roles,
validation and idempotency, bank-liaison scoping, model endpoints."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from sqlalchemy import create_engine, func, select

from features import load_portfolio
from models.advice.lender_names import lender_name
from models.advice.paths import PATH_NAMES
from service.kit.payloads import business_payload
from service.store.tables import businesses, cases

AS_OF = "2026-06-30"


@pytest.fixture(scope="module")
def portfolio(small_portfolio_dir):
    return load_portfolio(small_portfolio_dir)


def payload_for(portfolio, business_id: str) -> dict:
    return {
        **business_payload(portfolio, business_id),
        "channel": "oss_centre",
        "intake_centre": "OSS Chiang Mai",
        "received_at": "2026-01-15",
        "problem_types": ["debt_distress"],
    }


@pytest.fixture(scope="module")
def chiang_mai_business(portfolio) -> str:
    b = portfolio.businesses
    fs = portfolio.financial_statements
    with_statements = b[
        (b["province"] == "Chiang Mai") & b["business_id"].isin(set(fs["business_id"]))
    ]
    with_debts = with_statements[
        with_statements["business_id"].isin(set(portfolio.debts["business_id"]))
    ]
    return with_debts["business_id"].iloc[0]


def _count_cases(service) -> int:
    engine = create_engine(service.database_url)
    with engine.connect() as connection:
        n = connection.execute(select(func.count()).select_from(cases)).scalar_one()
    engine.dispose()
    return n


def test_unauthenticated_requests_are_refused(service):
    with service.client(None) as anonymous:
        assert anonymous.get("/cases").status_code == 401
        assert anonymous.get("/health").status_code == 200


def test_intake_assessment_decision_outcome(service, portfolio, chiang_mai_business):
    payload = payload_for(portfolio, chiang_mai_business)
    with service.client("intake") as intake, service.client("analyst") as analyst:
        before = _count_cases(service)
        first = intake.post("/cases", json=payload, headers={"Idempotency-Key": "intake-1"})
        assert first.status_code == 201, first.text
        case = first.json()
        retry = intake.post("/cases", json=payload, headers={"Idempotency-Key": "intake-1"})
        assert retry.json()["case_id"] == case["case_id"]
        assert _count_cases(service) == before + 1
        assert case["status"] == "received" and case["tax_id"] == payload["business"]["tax_id"]

        listed = intake.get("/cases").json()
        assert [c["case_id"] for c in listed["items"]] == [case["case_id"]]

        assessed = analyst.post(f"/cases/{case['case_id']}/assessments", json={"as_of": AS_OF})
        assert assessed.status_code == 201, assessed.text
        assessment = assessed.json()
        assert 0 < assessment["distress_probability"] < 1
        assert assessment["risk_band"] in "ABCDE"
        assert len(assessment["reasons"]) == 5
        assert assessment["reasons"][0]["text_th"] and assessment["reasons"][0]["text_en"]
        assert assessment["features"]["years_of_statements"] >= 1
        history = analyst.get(f"/cases/{case['case_id']}/assessments").json()
        # The first assessment was made at intake, in the registering request itself.
        assert case["distress_probability"] == pytest.approx(history[0]["distress_probability"])
        assert history[0]["created_by"] == "intake"
        assert [h["id"] for h in history][1:] == [assessment["id"]]
        queued = analyst.get(f"/cases/{case['case_id']}").json()
        assert queued["distress_probability"] == pytest.approx(assessment["distress_probability"])

        bad_step = analyst.post(f"/cases/{case['case_id']}/status", json={"to": "resolved"})
        assert bad_step.status_code == 409 and "allowed" in bad_step.json()["detail"]
        for step in ("screening", "analysis", "recommended"):
            moved = analyst.post(f"/cases/{case['case_id']}/status", json={"to": step})
            assert moved.status_code == 200 and moved.json()["status"] == step
        trail = analyst.get(f"/cases/{case['case_id']}/history").json()
        assert [t["to_status"] for t in trail] == [
            "received",
            "screening",
            "analysis",
            "recommended",
        ]
        assert trail[-1]["changed_by"] == "analyst"

        url = f"/cases/{case['case_id']}"
        top = analyst.get(f"{url}/recommendations").json()["options"][0]["path"]
        other = next(p for p in PATH_NAMES if p != top)
        declared = analyst.post(f"{url}/decision", json={"path": top, "overrides_model": False})
        assert declared.status_code == 422  # the override flag is computed, never declared
        no_reason = analyst.post(f"{url}/decision", json={"path": other})
        assert no_reason.status_code == 422 and top in no_reason.text
        decided = analyst.post(
            f"{url}/decision", json={"path": other, "reason": "new guarantee secured"}
        )
        assert decided.status_code == 201
        assert decided.json()["overrides_model"] and decided.json()["recommended_path"] == top
        agreed = analyst.post(f"{url}/decision", json={"path": top})
        assert agreed.status_code == 201 and not agreed.json()["overrides_model"]
        listed = analyst.get(f"{url}/decisions").json()
        assert [(d["path"], d["overrides_model"]) for d in listed] == [(other, True), (top, False)]
        outcome = analyst.post(
            f"/cases/{case['case_id']}/outcome", json={"as_of": AS_OF, "distress_12m": False}
        )
        assert outcome.status_code == 201
        again = analyst.post(
            f"/cases/{case['case_id']}/outcome", json={"as_of": AS_OF, "distress_12m": True}
        )
        assert again.status_code == 409


def test_a_case_in_court_without_statements_is_acted_on_and_asks_for_them(
    service, portfolio, chiang_mai_business
):
    """Triaged in the registering request from the stored rows: a judgment does not wait for
    the numbers, so the case is in court and needs them, apart from cases with a plan to put
    to the lenders today, with newer statements asked for."""
    payload = payload_for(portfolio, chiang_mai_business)
    payload["business"]["business_id"] += "-court"
    payload["financial_statements"] = []
    payload["loan_applications"] = []
    latest = max(debt["as_of"] for debt in payload["debts"])
    sued = next(debt for debt in payload["debts"] if debt["as_of"] == latest)
    for debt in payload["debts"]:
        debt.update(facility_id=f"{debt['facility_id']}-court", days_past_due=0,
                    legal_stage="judgment" if debt is sued else "none")  # fmt: skip
    lender = sued["lender"]
    with service.client("analyst") as analyst:
        registered = analyst.post("/cases", json=payload)
        assert registered.status_code == 201, registered.text
        case = registered.json()
    assert case["triage"] == "in_court_needs_data"
    assert case["triage_reasons"][0] == f"judgment against the business ({lender})"
    assert case["triage_reasons_th"][0] == f"ศาลมีคำพิพากษาแล้ว ({lender_name(lender, 'th')})"
    assert "request newer statements" in case["triage_reasons"]
    assert case["best_feasibility"] is None


def test_invalid_payloads_get_422_with_the_field_path_and_write_nothing(
    service, portfolio, chiang_mai_business
):
    payload = payload_for(portfolio, chiang_mai_business)
    payload["business"]["business_id"] = "NEW-1"
    before = _count_cases(service)
    with service.client("intake") as intake:
        wrong_type = json.loads(json.dumps(payload))
        wrong_type["financial_statements"][0]["revenue"] = "lots"
        response = intake.post("/cases", json=wrong_type)
        assert response.status_code == 422
        locs = [e["loc"] for e in response.json()["detail"]]
        assert ["body", "financial_statements", 0, "revenue"] in locs

        identity = json.loads(json.dumps(payload))
        identity["financial_statements"][1]["total_assets"] += 5_000_000
        response = intake.post("/cases", json=identity)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == [
            "body", "financial_statements", 1, "total_assets",
        ]  # fmt: skip

        elsewhere = json.loads(json.dumps(payload))
        elsewhere["business"]["province"] = "Phuket"
        assert intake.post("/cases", json=elsewhere).status_code == 403
    assert _count_cases(service) == before
    engine = create_engine(service.database_url)
    with engine.connect() as connection:
        found = connection.execute(select(businesses).where(businesses.c.business_id == "NEW-1"))
        assert found.first() is None
    engine.dispose()


def test_bank_liaison_sees_only_their_lender_and_no_cases(service, portfolio, chiang_mai_business):
    with service.client("intake") as intake:
        intake.post("/cases", json=payload_for(portfolio, chiang_mai_business))
    with service.client("liaison") as liaison:
        assert liaison.get("/cases").status_code == 403
        assert liaison.get("/cases/anything").status_code == 403
        other = liaison.get("/lenders/Mekong Savings Bank/summary")
        assert other.status_code == 403
        assert (
            liaison.get("/applications/stalled", params={"lender": "Rattanakosin Bank"}).status_code
            == 403
        )
        mine = liaison.get("/applications/stalled")
        assert mine.status_code == 200
        assert {a["lender"] for a in mine.json()} <= {"Andaman Trust Bank"}
        csv = liaison.get("/applications/stalled", params={"format": "csv"})
        assert csv.headers["content-type"].startswith("text/csv")


def test_roles_without_pii_see_masked_tax_ids(service, portfolio, chiang_mai_business):
    with service.client("scientist") as scientist:
        items = scientist.get("/cases").json()["items"]
    assert items
    for item in items:
        assert item["tax_id"] is None or item["tax_id"].startswith("*********")


def test_score_and_batch_score_without_storing(
    service, portfolio, chiang_mai_business, small_portfolio_dir
):
    payload = payload_for(portfolio, chiang_mai_business)
    body = {
        k: v
        for k, v in payload.items()
        if k not in ("channel", "intake_centre", "problem_types", "received_at")
    }
    with service.client("scientist") as scientist:
        one = scientist.post("/score", json={**body, "as_of": AS_OF})
        assert one.status_code == 200, one.text
        score = one.json()
        total = score["base_value"] + sum(score["contributions"].values())
        assert total == pytest.approx(score["raw_score"], abs=1e-6)
        files = [
            (
                "files",
                (f"{name}.csv", (small_portfolio_dir / f"{name}.csv").read_bytes(), "text/csv"),
            )
            for name in ("businesses", "financial_statements", "debts")
        ]
        batch = scientist.post("/score/batch", files=files, params={"as_of": AS_OF})
        assert batch.status_code == 200, batch.text
        scores = pd.read_csv(io.StringIO(batch.text))
        assert len(scores) == len(portfolio.businesses)
        assert set(scores["risk_band"]) <= set("ABCDE")


def test_models_are_listed_and_reloaded_by_a_data_scientist(service):
    with service.client("scientist") as scientist, service.client("analyst") as analyst:
        listed = scientist.get("/models").json()
        assert {m["name"]: m["version"] for m in listed} == {
            "sme-distress": "1", "sme-restructuring-feasibility": "1",
        }  # fmt: skip
        assert analyst.post("/models/reload").status_code == 403
        reloaded = scientist.post("/models/reload")
        assert reloaded.status_code == 200
        assert all(m["version"] == "1" for m in reloaded.json())


def test_recorded_outcomes_export_as_a_valid_training_portfolio(service, tmp_path):
    """After the intake test recorded an outcome, the export is a portfolio `rescue train` reads."""
    import os
    import subprocess
    import sys

    out = tmp_path / "exported"
    result = subprocess.run(
        [sys.executable, "-m", "rescue", "export-training-data", "--out", str(out)],
        env={**os.environ, "DATABASE_URL": service.database_url},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    exported = load_portfolio(out)
    outcomes = exported.outcomes
    assert len(outcomes) >= 1
    # Recorded outcomes carry distress; a plan's outcome (when a plan test ran first) carries
    # whether the plan performed instead.
    plans = outcomes.get("restructuring_id")
    recorded = plans.isna() if plans is not None else outcomes["business_id"].notna()
    assert outcomes.loc[recorded, "distress_12m"].notna().all() and recorded.any()
    if (~recorded).any():
        assert outcomes.loc[~recorded, "performing_12m"].notna().all()
    assert set(exported.outcomes["business_id"]) <= set(exported.businesses["business_id"])
    assert not exported.financial_statements.empty


def test_recommendations_and_what_if_simulation(service, portfolio):
    debts = portfolio.debts
    latest = debts[debts["as_of"] == debts["as_of"].max()]
    late = latest[latest["days_past_due"].between(1, 89)].sort_values("days_past_due")
    statements = set(portfolio.financial_statements["business_id"])
    business = next(b for b in late["business_id"][::-1] if b in statements)
    with service.client("analyst") as analyst:
        created = analyst.post(
            "/cases", json={**payload_for(portfolio, business), "intake_centre": None}
        )
        assert created.status_code == 201, created.text
        case_id = created.json()["case_id"]
        advice = analyst.get(f"/cases/{case_id}/recommendations", params={"as_of": AS_OF})
        assert advice.status_code == 200, advice.text
        body = advice.json()
        assert body["options"], body
        assert [o["rank"] for o in body["options"]] == list(range(1, len(body["options"]) + 1))
        for option in body["options"]:
            assert option["rationale_en"] and option["rationale_th"]
            assert option["label_en"] and option["label_th"] and "checks" in option
        assert all("checks" in p and "eligible" in p for p in body["programmes_considered"])
        plans = [o for o in body["options"] if o.get("plan_terms")]
        for plan in plans:
            n = plan["numbers"]
            assert 0 <= n["consent_share"] <= 1
            rows = plan["creditors"]
            assert sum(r["plan_npv"] for r in rows) == pytest.approx(n["creditor_npv"])
            assert all(t["lender"] in {r["lender"] for r in rows} for t in plan["terms"])

        good = {
            "annual_rate": 0.05,
            "tenor_months": 96,
            "grace_months": 6,
            "haircut": 0.1,
            "as_of": AS_OF,
        }
        simulated = analyst.post(f"/cases/{case_id}/simulate", json=good)
        assert simulated.status_code == 200, simulated.text
        numbers = simulated.json()["numbers"]
        assert numbers["plan_tenor_months"] == 96 and numbers["installment_after"] > 0
        assert 0 <= simulated.json()["feasibility"] <= 1
        longer = analyst.post(f"/cases/{case_id}/simulate", json={**good, "tenor_months": 144})
        assert longer.json()["numbers"]["installment_after"] < numbers["installment_after"]

        for bad, field in (
            ({"annual_rate": -0.01}, "annual_rate"),
            ({"tenor_months": 0}, "tenor_months"),
            ({"haircut": 1.5}, "haircut"),
        ):
            response = analyst.post(f"/cases/{case_id}/simulate", json={**good, **bad})
            assert response.status_code == 422
            assert response.json()["detail"][0]["loc"][-1] == field
        grace = analyst.post(f"/cases/{case_id}/simulate", json={**good, "grace_months": 96})
        assert grace.status_code == 422 and "grace_months" in grace.text


def test_the_service_and_training_compute_identical_feature_rows(service, portfolio):
    """One feature code path: a business registered through the API, assessed by the service,
    has exactly the features the training pipeline computes from the portfolio files."""
    from features import build_features

    as_of = "2024-12-31"
    expected = build_features(portfolio, as_of)
    statements = set(portfolio.financial_statements["business_id"])
    applicants = set(portfolio.loan_applications["business_id"])
    business = next(b for b in expected.index if b in statements and b in applicants)
    with service.client("analyst") as analyst:
        body = {**payload_for(portfolio, business), "intake_centre": None}
        case_id = analyst.post("/cases", json=body).json()["case_id"]
        stored = analyst.post(f"/cases/{case_id}/assessments", json={"as_of": as_of}).json()
    served = stored["features"]
    for name, value in expected.loc[business].items():
        if pd.isna(value):
            assert served[name] is None, name
        elif isinstance(value, str):
            assert served[name] == value, name
        else:
            assert served[name] == pytest.approx(float(value), rel=1e-12), name


def test_concurrent_scores_match_each_scored_alone(service, portfolio):
    """Requests arriving together may be scored in one pass; each still gets its own answer,
    the same as when it is sent alone, whatever else was in the pass."""
    from concurrent.futures import ThreadPoolExecutor

    businesses = list(portfolio.businesses["business_id"].iloc[:12])
    bodies = [
        {**business_payload(portfolio, b), "as_of": as_of}
        for b in businesses
        for as_of in ("2024-12-31", AS_OF)
    ]
    with service.client("scientist") as scientist:
        alone = [scientist.post("/score", json=body).json() for body in bodies]

    def post(body: dict) -> dict:
        with service.client("scientist") as client:
            response = client.post("/score", json=body)
            assert response.status_code == 200, response.text
            return response.json()

    for _ in range(3):
        with ThreadPoolExecutor(8) as pool:
            together = list(pool.map(post, bodies))
        assert together == alone
    assert len({(s["business_id"], s["as_of"]) for s in together}) == len(bodies)
