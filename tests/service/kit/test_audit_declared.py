"""Reads of personal data are audited by declaration: a route or page that shows a business's
identity, its notes or its contacts carries `openapi_extra=PERSONAL_DATA`, and the audit log
reads the declaration. Every GET route and page is called on a case whose personal data is
known; one that shows any of it without the declaration fails the test."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute
from sqlalchemy import create_engine, select

from service.kit.audit import shows_personal_data
from service.store.bookkeeping_tables import audit_log
from tests.service.inprocess import App, case_payload

NAME = "Wongsawat Noodle Shop"
NOTE = "owner's mobile 081-555-0199"
CONTACT = "Khun Somchai at NIA"
NOT_ROUTES = {"/health", "/ui/login", "/"}


def _routes(app: App) -> list[APIRoute]:
    found: list[APIRoute] = []

    def walk(routes: list) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                found.append(route)
            elif hasattr(route, "original_router"):
                walk(route.original_router.routes)

    walk(app.client.app.routes)
    return [r for r in found if "GET" in r.methods and r.path not in NOT_ROUTES]


def _audited_routes(app: App) -> set[str]:
    engine = create_engine(app.database_url)
    with engine.connect() as connection:
        routes = set(connection.execute(select(audit_log.c.route)).scalars())
    engine.dispose()
    return routes


def test_every_route_showing_personal_data_declares_it_and_is_audited(app):
    payload = case_payload("B-PII", "Chiang Mai", intake_centre="OSS Chiang Mai 1")
    payload["business"]["name"] = NAME
    payload["loan_applications"][0]["submitted_at"] = "2025-01-10"
    created = app.as_user("analyst", "POST", "/cases", json=payload)
    assert created.status_code == 201, created.text
    case_id = created.json()["case_id"]
    tax_id = payload["business"]["tax_id"]
    for url, body in (
        (f"/cases/{case_id}/notes", {"body": NOTE}),
        (f"/cases/{case_id}/referrals",
         {"agency": "NIA", "contact": CONTACT, "sent_on": "2026-02-01",
          "follow_up_on": "2026-03-01"}),
    ):  # fmt: skip
        assert app.as_user("analyst", "POST", url, json=body).status_code == 201
    signed = app.client.post(
        "/ui/login", data={"token": app.tokens["analyst"]}, follow_redirects=False
    )
    assert signed.status_code == 303
    values = {"case_id": case_id, "lender": "Andaman Trust Bank", "application_id": "A-B-PII"}
    shown, undeclared = [], []
    for route in _routes(app):
        url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], route.path)
        urls = [url, f"{url}?format=csv"] if route.path == "/applications/stalled" else [url]
        for each in urls:
            answer = (
                app.client.get(each)  # the page's session cookie
                if route.path.startswith("/ui")
                else app.as_user("analyst", "GET", each)
            )
            text = answer.text
            if any(value in text for value in (NAME, tax_id, NOTE, CONTACT)):
                shown.append(route.path)
                if not shows_personal_data(route):
                    undeclared.append(route.path)
    assert undeclared == []
    # The reads the sweep found showing personal data reached the audit log by declaration.
    assert {"/cases", "/cases/{case_id}", "/cases/{case_id}/notes"} <= set(shown)
    assert set(shown) <= _audited_routes(app)
