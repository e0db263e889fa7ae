"""A case entered by hand on the intake form: drafts saved and resumed by their owner only,
field-level errors in the reader's language with nothing registered, and a valid form
registered (and scored) like POST /cases."""

from __future__ import annotations

import re

from tests.service.access.test_sessions import sign_in
from tests.service.inprocess import tax_id

VALID = {
    "business.business_id": "B-FORM1", "business.name": "Chiang Mai Rice Mill",
    "business.tax_id": tax_id(77), "business.sector": "C", "business.province": "Chiang Mai",
    "business.legal_form": "company_limited", "business.employees": "18",
    "business.founded_year": "2011",
    "financial_statements.0.fiscal_year": "2024", "financial_statements.0.revenue": "9,500,000",
    "financial_statements.0.cost_of_sales": "6,000,000",
    "financial_statements.0.operating_expenses": "2,400,000",
    "financial_statements.0.net_income": "300,000",
    "financial_statements.0.total_assets": "7,000,000",
    "financial_statements.0.total_liabilities": "4,500,000",
    "financial_statements.0.equity": "2,500,000",
    "debts.0.lender": "Andaman Trust Bank", "debts.0.facility_type": "term_loan",
    "debts.0.outstanding": "2,000,000", "debts.0.annual_rate": "0.07",
    "debts.0.remaining_months": "36", "debts.0.monthly_installment": "61,750",
    "channel": "oss_centre", "problem_types": "debt_distress",
}  # fmt: skip


def _post(app, csrf: str, fields: dict, action: str, lang: str = "en"):
    return app.client.post(
        f"/ui/intake/form?lang={lang}", data={**fields, "csrf_token": csrf, "action": action},
        follow_redirects=False,
    )  # fmt: skip


def test_a_draft_is_saved_resumed_and_its_owners_only(app):
    csrf = sign_in(app, "intake_cm")
    assert app.client.get("/ui/intake/form").status_code == 200
    partial = {k: v for k, v in VALID.items() if k.startswith("business.")}
    saved = _post(app, csrf, partial, "save")
    assert saved.status_code == 200 and 'data-testid="draft-saved"' in saved.text
    draft = re.search(r'name="draft" value="(\d+)"', saved.text).group(1)
    resumed = app.client.get(f"/ui/intake/form?draft={draft}").text
    assert 'value="Chiang Mai Rice Mill"' in resumed
    sign_in(app, "analyst")
    assert app.client.get(f"/ui/intake/form?draft={draft}").status_code == 404


def test_wrong_fields_are_named_in_the_reader_s_language_and_nothing_is_registered(app):
    csrf = sign_in(app, "intake_cm")
    wrong = {**VALID, "business.tax_id": "12345", "debts.0.outstanding": "a lot"}
    wrong.pop("financial_statements.0.fiscal_year")
    page = _post(app, csrf, wrong, "register", lang="th")
    assert page.status_code == 422
    assert 'data-testid="error-business.tax_id"' in page.text and "รูปแบบไม่ถูกต้อง" in page.text
    assert 'data-testid="error-debts.0.outstanding"' in page.text
    assert 'value="a lot"' in page.text  # what was typed stays
    assert app.as_user("analyst", "GET", "/cases").json()["total"] == 0


def test_a_valid_form_registers_the_case_and_drops_its_draft(app):
    csrf = sign_in(app, "intake_cm")
    saved = _post(app, csrf, VALID, "save")
    draft = re.search(r'name="draft" value="(\d+)"', saved.text).group(1)
    done = _post(app, csrf, {**VALID, "draft": draft}, "register")
    assert done.status_code == 303, done.text
    listed = app.as_user("analyst", "GET", "/cases").json()["items"]
    assert [c["business_id"] for c in listed] == ["B-FORM1"]
    assert listed[0]["problem_types"] == ["debt_distress"]
    assert app.client.get(f"/ui/intake/form?draft={draft}").status_code == 404
