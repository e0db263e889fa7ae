"""The analyst and bank-liaison pages in a real browser (Debian's Chromium driven by Playwright),
against the running service. Screenshots of each page land in artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from features.schema import PENDING_STATUSES
from service.kit.payloads import business_payload
from tests.service.inprocess import tax_id
from tests.tiers import heavy

playwright_api = pytest.importorskip("playwright.sync_api")

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LENDER = "Andaman Trust Bank"


@pytest.fixture(scope="module")
def browser():
    heavy("Chromium")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def seeded(service, small_portfolio_dir):
    """A troubled business with a case, and stalled applications at two lenders."""
    from features import load_portfolio

    portfolio = load_portfolio(small_portfolio_dir)
    debts = portfolio.debts
    latest = debts[debts["as_of"] == debts["as_of"].max()]
    late = latest[latest["days_past_due"].between(1, 89)]["business_id"]
    filers = set(portfolio.financial_statements["business_id"])
    troubled = next(b for b in late[::-1] if b in filers)
    apps = portfolio.loan_applications
    pending = apps[apps["status"].isin(PENDING_STATUSES)]
    mine = pending[pending["lender"] == LENDER]["business_id"].iloc[0]
    other = pending[pending["lender"] != LENDER]["business_id"].iloc[0]
    case_ids = []
    with service.client("analyst") as analyst:
        for business in (troubled, mine, other):
            body = {**business_payload(portfolio, business), "channel": "direct",
                    "problem_types": ["debt_distress", "loan_stalled"]}  # fmt: skip
            response = analyst.post("/cases", json=body)
            assert response.status_code == 201, response.text
            case_ids.append(response.json()["case_id"])
            analyst.post(f"/cases/{case_ids[-1]}/assessments", json={})
    return {"case": case_ids[0], "business": troubled}


def _page(browser, service, user: str, viewport: dict):
    context = browser.new_context(viewport=viewport, base_url=service.url)
    page = context.new_page()
    page.goto("/ui/login")
    page.get_by_test_id("token").fill(service.tokens[user])
    page.get_by_test_id("sign-in").click()
    page.wait_for_load_state("networkidle")
    return context, page


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(("viewport", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_analyst_works_a_case_from_the_queue(browser, service, seeded, viewport, label):
    context, page = _page(browser, service, "analyst", viewport)
    assert "analyst" in page.get_by_test_id("who").inner_text()
    assert page.get_by_test_id("case-link").count() >= 1
    assert _no_horizontal_scroll(page)
    if viewport is DESKTOP:  # every column in view, none behind the table's own scroll bar
        assert page.evaluate(
            "(() => { const t = document.querySelector('[data-testid=queue]');"
            " return t.scrollWidth <= t.parentElement.clientWidth; })()"
        )
    page.screenshot(path=str(SHOTS / f"queue-{label}.png"), full_page=True)

    page.get_by_test_id("search").fill(seeded["case"])  # the troubled business with statements
    page.get_by_test_id("apply-filters").click()
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("case-link").first.click()
    page.wait_for_load_state("networkidle")
    assert "/ui/cases/C-" in page.url
    waterfall = page.get_by_test_id("waterfall").locator("svg rect")
    assert waterfall.count() >= 5
    options = page.get_by_test_id("options").locator("article")
    assert options.count() >= 1
    assert page.get_by_test_id("statements").locator("tbody tr").count() >= 5
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / f"case-{label}.png"), full_page=True)

    page.get_by_test_id("recompute").click()
    result = page.get_by_test_id("whatif-result")
    result.locator("[data-key=installment_after]").wait_for()
    first = result.locator("[data-key=installment_after]").inner_text()
    prefilled = int(page.get_by_test_id("tenor").input_value())  # the top plan's, if any
    page.get_by_test_id("tenor").fill(str(prefilled + 60))
    page.get_by_test_id("recompute").click()
    expect(result.locator("[data-key=installment_after]")).not_to_have_text(first)
    second = result.locator("[data-key=installment_after]").inner_text()
    assert float(second.replace(",", "")) < float(first.replace(",", ""))

    chooser = page.get_by_test_id("path")
    assert chooser.input_value() == ""  # no path is chosen for the analyst
    other = chooser.locator("option:not([data-top]):not([value=''])").first.get_attribute("value")
    chooser.select_option(other)  # not the path recommended first: an override
    page.get_by_test_id("record").click()
    outcome = page.get_by_test_id("decision-result")
    outcome.wait_for()
    expect(outcome).to_contain_text("reason")
    page.get_by_test_id("reason").fill("guarantee agreed with the bank")
    page.get_by_test_id("record").click()
    expect(outcome).to_have_text(re.compile(r"^Saved"))
    context.close()


def test_thai_pages_show_thai_text_and_buddhist_era_years(browser, service, seeded):
    context, page = _page(browser, service, "analyst", DESKTOP)
    page.goto(f"/ui/cases/{seeded['case']}?lang=th")
    text = page.inner_text("main")
    assert "งบการเงิน" in text and "พ.ศ." in text
    assert page.evaluate("document.documentElement.lang") == "th"
    page.screenshot(path=str(SHOTS / "case-thai.png"), full_page=True)
    context.close()


@pytest.mark.parametrize(("lang", "words"), [("en", "Triage"), ("th", "การคัดกรอง")])
def test_the_queue_filters_by_triage_class_in_both_languages(browser, service, seeded, lang, words):
    """Each class in the split is counted; choosing one in the filter leaves only its cases, as
    many as the count said."""
    context, page = _page(browser, service, "analyst", DESKTOP)
    page.goto(f"/ui/cases?lang={lang}&limit=200")
    counted = page.get_by_test_id("triage-count")
    assert counted.count() >= 1
    chosen = counted.first.get_attribute("data-triage")
    label = counted.first.inner_text().strip()
    split = page.get_by_test_id("split").inner_text()
    assert words in split
    shown = int(re.search(re.escape(label) + r"\s+([\d,]+)", split).group(1).replace(",", ""))
    page.get_by_test_id("triage-filter").select_option(value=chosen)
    page.get_by_test_id("apply-filters").click()
    page.wait_for_load_state("networkidle")
    assert f"triage={chosen}" in page.url
    cells = page.locator("[data-testid=triage] span.triage")
    assert cells.count() == shown
    assert all(cells.nth(i).inner_text().strip() == label for i in range(cells.count()))
    assert page.get_by_test_id("triage-filter").input_value() == chosen
    page.screenshot(path=str(SHOTS / f"queue-triage-{lang}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize(("viewport", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_bank_liaison_sees_only_their_lender(browser, service, seeded, viewport, label):
    context, page = _page(browser, service, "liaison", viewport)
    assert page.url.endswith("/ui/liaison")
    rows = page.get_by_test_id("stalled").locator("tbody tr")
    assert rows.count() >= 1
    lenders = {rows.nth(i).get_attribute("data-lender") for i in range(rows.count())}
    assert lenders == {LENDER}
    assert page.get_by_test_id("figures").is_visible()
    first = rows.first
    expect(first.get_by_test_id("waiting-on")).not_to_be_empty()
    with page.expect_navigation():  # the page shows itself again with the follow-up
        first.get_by_test_id("follow-contacted").click()
    expect(page.get_by_test_id("stalled").get_by_test_id("last-follow-up").first).to_be_visible()
    page.goto("/ui/liaison?lang=th")
    assert "ติดต่อแล้ว" in page.get_by_test_id("stalled").inner_text()
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / f"liaison-{label}.png"), full_page=True)
    assert page.goto(f"/ui/cases/{seeded['case']}").status == 403
    context.close()


@pytest.fixture(scope="module")
def drifted(service, tracking_uri, small_portfolio_dir):
    from models.specs import DISTRESS
    from training.drift import run_drift
    from training.tracking import configure

    configure(tracking_uri)
    return run_drift(small_portfolio_dir, model=DISTRESS)


@pytest.mark.parametrize(("viewport", "lang"), [(DESKTOP, "en"), (PHONE, "th")])
def test_data_scientist_sees_champion_metrics(browser, service, drifted, viewport, lang):
    context, page = _page(browser, service, "scientist", viewport)
    assert page.url.endswith("/ui/models")
    page.goto(f"/ui/models?lang={lang}")
    table = page.get_by_test_id("models").inner_text()
    assert "sme-distress" in table and "0." in table
    assert " to " in table  # the training and holdout windows from the run's tags
    if lang == "th":
        assert "แบบจำลอง" in table and "ฝึกเมื่อ" in table
    reference = page.get_by_test_id("reference-auc").first.inner_text()
    assert reference.startswith("0.")
    drift = page.get_by_test_id("drift").first.inner_text()
    assert f"{drifted.score_psi:.3f}" in drift and "PSI" in drift
    assert ("เฝ้าระวัง" if lang == "th" else "watch") in page.content()
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / f"models-{lang}-{viewport['width']}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize(("viewport", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_intake_officer_uploads_a_thai_workbook_reads_the_report_and_registers(
    browser, service, tmp_path, viewport, label
):
    from tests.features.imports.test_importing import statement_workbook

    workbook = tmp_path / "ทองดี.xlsx"
    workbook.write_bytes(statement_workbook())
    context, page = _page(browser, service, "intake", viewport)
    page.goto("/ui/intake?lang=th")
    page.get_by_test_id("intake-files").set_input_files(str(workbook))
    page.get_by_test_id("intake-read").click()
    report = page.get_by_test_id("import-report")
    expect(report).to_contain_text("รายงานการนำเข้า")
    expect(report).to_contain_text("สลากออมสิน")
    expect(report.locator("[data-kind=buddhist_era]")).to_have_count(2)
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / f"intake-{label}.png"), full_page=True)
    if label == "desktop":  # register once; the phone run stops at the report
        page.get_by_test_id("intake-register").click()
        page.wait_for_url("**/ui/cases")
        expect(page.get_by_test_id("queue")).to_contain_text("บริษัท ทองดี การค้า จำกัด")
    context.close()


@pytest.fixture(scope="module")
def walk_cases(service, small_portfolio_dir):
    """Fresh cases for the case-work walks: businesses with statements, facilities and
    applications, registered by the analyst."""
    from features import load_portfolio

    portfolio = load_portfolio(small_portfolio_dir)
    filers = set(portfolio.financial_statements["business_id"])
    applied = set(portfolio.loan_applications["business_id"])
    debtors = set(portfolio.debts["business_id"])
    chosen = sorted(filers & applied & debtors)[-4:]
    case_ids = []
    with service.client("analyst") as analyst:
        for business in chosen:
            body = {**business_payload(portfolio, business), "channel": "oss_centre",
                    "problem_types": ["debt_distress", "loan_rejected"]}  # fmt: skip
            response = analyst.post("/cases", json=body)
            assert response.status_code == 201, response.text
            case_ids.append(response.json()["case_id"])
    return case_ids


@pytest.mark.parametrize(
    ("viewport", "lang", "index"),
    [(DESKTOP, "en", 0), (PHONE, "th", 1), (PHONE, "en", 2), (DESKTOP, "th", 3)],
)
def test_case_work_walk(browser, service, walk_cases, viewport, lang, index):
    """Sign in, find the case by search, read its facilities and applications, take it, add a
    note, request a document, record an overriding decision, and find it all in the timeline."""
    case_id = walk_cases[index]
    context, page = _page(browser, service, "analyst", viewport)
    page.goto(f"/ui/cases?lang={lang}")
    page.get_by_test_id("search").fill(case_id)
    page.get_by_test_id("apply-filters").click()
    page.wait_for_load_state("networkidle")
    links = page.get_by_test_id("case-link")
    assert links.count() == 1
    links.first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("facilities").locator("tbody tr").count() >= 1
    assert page.get_by_test_id("applications").locator("tbody tr").count() >= 1

    page.get_by_test_id("take").click()
    expect(page.get_by_test_id("assigned-to")).to_contain_text("analyst")
    note = f"owner called, case {index}"
    page.get_by_test_id("note-body").fill(note)
    page.get_by_test_id("add-note").click()
    expect(page.get_by_test_id("notes")).to_contain_text(note)
    page.get_by_test_id("request-collateral").click()
    expect(page.get_by_test_id("receive-collateral")).to_be_visible()

    page.get_by_test_id("referral-agency").fill("DIP")
    page.get_by_test_id("referral-follow-up").fill(dt.date.today().isoformat())
    page.get_by_test_id("send-referral").click()
    expect(page.get_by_test_id("referral-due")).to_be_visible()
    page.get_by_test_id("milestone-title").fill(f"price list {index}")
    page.get_by_test_id("milestone-owner").fill("owner")
    page.get_by_test_id("milestone-due").fill(dt.date.today().isoformat())
    page.get_by_test_id("add-milestone").click()
    expect(page.get_by_test_id("milestones")).to_contain_text(f"price list {index}")

    chooser = page.get_by_test_id("path")
    other = chooser.locator("option:not([data-top]):not([value=''])").first.get_attribute("value")
    chooser.select_option(other)
    page.get_by_test_id("reason").fill("the owner pledged more collateral")
    page.get_by_test_id("record").click()
    expect(page.get_by_test_id("decision-result")).to_contain_text("#")
    page.reload()
    kinds = (
        page.get_by_test_id("timeline")
        .locator("li")
        .evaluate_all("items => items.map(i => i.dataset.kind)")
    )
    assert {"status", "assignment", "note", "document_requested", "decision", "referral",
            "milestone"} <= set(kinds)  # fmt: skip
    timeline = page.get_by_test_id("timeline").inner_text()
    assert note in timeline and "the owner pledged more collateral" in timeline
    if lang == "th":
        assert "ลำดับเหตุการณ์" in page.inner_text("main") and "ขอเอกสาร" in timeline
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / f"casework-{lang}-{viewport['width']}.png"), full_page=True)
    context.close()


def test_a_manager_assigns_a_case_and_the_analyst_finds_it_in_my_cases(
    browser, service, walk_cases
):
    case_id = walk_cases[0]
    context, page = _page(browser, service, "manager", DESKTOP)
    page.goto(f"/ui/cases/{case_id}")
    page.get_by_test_id("assign-select").select_option("admin")
    page.get_by_test_id("assign").click()
    expect(page.get_by_test_id("assigned-to")).to_contain_text("admin")
    assert page.get_by_test_id("note-form").count() == 0  # a manager reads, analysts write
    context.close()
    context, page = _page(browser, service, "admin", PHONE)
    page.goto("/ui/cases?assigned=me")
    assert page.get_by_test_id("case-link").all_inner_texts() == [case_id]
    assert _no_horizontal_scroll(page)
    context.close()


@pytest.mark.parametrize(("viewport", "lang"), [(DESKTOP, "en"), (PHONE, "th")])
def test_the_committee_memo_prints_to_pdf(browser, service, walk_cases, viewport, lang):
    case_id = walk_cases[1]  # decided in the case-work walk
    context, page = _page(browser, service, "analyst", viewport)
    page.goto(f"/ui/cases/{case_id}?lang={lang}")
    page.get_by_test_id("memo-link").click()
    page.wait_for_load_state("networkidle")
    memo = page.get_by_test_id("memo")
    expect(memo).to_contain_text(case_id)
    assert page.get_by_test_id("memo-option").count() >= 1
    assert page.get_by_test_id("memo-decisions").locator("li").count() >= 1
    if lang == "th":
        expect(memo).to_contain_text("บันทึกเสนอคณะกรรมการ")
        expect(memo).to_contain_text("ประธานคณะกรรมการ")
    assert _no_horizontal_scroll(page)
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    (SHOTS / f"memo-{lang}.pdf").write_bytes(pdf)
    page.screenshot(path=str(SHOTS / f"memo-{lang}-{viewport['width']}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize(("viewport", "lang"), [(DESKTOP, "en"), (PHONE, "th")])
def test_the_manager_dashboard_reads_at_a_glance(browser, service, walk_cases, viewport, lang):
    context, page = _page(browser, service, "manager", viewport)
    assert "/ui/dashboard" in page.url  # a centre manager lands on the dashboard
    page.goto(f"/ui/dashboard?lang={lang}")
    assert page.get_by_test_id("chart-province").locator("svg rect").count() >= 1
    assert page.get_by_test_id("workload").locator("tbody tr").count() >= 1
    if lang == "th":
        expect(page.get_by_test_id("chart-status")).to_contain_text("ตามสถานะ")
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / f"dashboard-{lang}-{viewport['width']}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize(("viewport", "lang", "suffix"), [(DESKTOP, "en", "E"), (PHONE, "th", "T")])
def test_an_intake_officer_registers_a_case_by_hand(browser, service, viewport, lang, suffix):
    context, page = _page(browser, service, "intake", viewport)
    page.goto(f"/ui/intake/form?lang={lang}")
    page.get_by_test_id("f-business.business_id").fill(f"B-HAND-{suffix}")
    page.get_by_test_id("f-business.name").fill(f"Lamphun Ceramics {suffix}")
    page.get_by_test_id("f-business.tax_id").fill("12345")  # too short
    page.get_by_test_id("save-draft").click()
    expect(page.get_by_test_id("draft-saved")).to_be_visible()
    expect(page.get_by_test_id("drafts")).to_contain_text(f"Lamphun Ceramics {suffix}")
    page.get_by_test_id("register-form").click()
    expect(page.get_by_test_id("error-business.tax_id")).to_be_visible()
    if lang == "th":
        expect(page.get_by_test_id("error-business.tax_id")).to_have_text("รูปแบบไม่ถูกต้อง")
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / f"intake-form-{lang}-{viewport['width']}.png"), full_page=True)
    page.get_by_test_id("f-business.tax_id").fill(tax_id(90 if suffix == "E" else 91))
    page.get_by_test_id("register-form").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/ui/cases"), page.locator(".error").all_inner_texts()
    assert page.get_by_test_id("case-link").count() >= 1  # the officer's own cases
    context.close()


@pytest.fixture(scope="module")
def planned(service, small_portfolio_dir):
    """A case whose advice has a repayment plan, with a creditors' meeting on record."""
    from features import load_portfolio
    from tests.service.plannable import cases_with_plans

    portfolio = load_portfolio(small_portfolio_dir)
    with service.client("analyst") as analyst:
        ((case_id, _, option),) = cases_with_plans(analyst, portfolio, 1, skip=40)
        votes = [
            {
                "lender": r["lender"],
                "claim": r["claim"],
                "vote": "for" if r["agrees"] else "against",
            }
            for r in option["creditors"]
        ]
        meeting = {"procedure": "restructuring_agreement",
                   "meeting_on": dt.date.today().isoformat(), "votes": votes}  # fmt: skip
        recorded = analyst.post(f"/cases/{case_id}/creditor-meetings", json=meeting)
        assert recorded.status_code == 201, recorded.text
    return case_id, option


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", ("Creditors' meetings", "To", "Proposal to restructure the debt of")),
     ("th", ("การประชุมเจ้าหนี้", "เรียน", "เรื่อง ขอเสนอแผนปรับโครงสร้างหนี้ของ"))],
)  # fmt: skip
def test_proposal_letters_and_the_meeting_record_print_to_pdf(
    browser, service, planned, lang, words
):
    """The meeting record on the case page and a letter to each lender with its own terms,
    each printed to PDF."""
    from models.advice.lender_names import lender_name

    case_id, option = planned
    meeting_words, to, subject = words
    context, page = _page(browser, service, "analyst", DESKTOP)
    page.goto(f"/ui/cases/{case_id}?lang={lang}")
    expect(page.get_by_test_id("creditor-meetings")).to_contain_text(meeting_words)
    record = page.pdf(format="A4", print_background=False)
    assert record.startswith(b"%PDF") and len(record) > 10_000
    (SHOTS / f"meeting-record-{lang}.pdf").write_bytes(record)
    page.get_by_test_id("letters-link").click()
    page.wait_for_load_state("networkidle")
    letters = page.get_by_test_id("letter")
    assert letters.count() == len(option["creditors"])
    for i, creditor in enumerate(option["creditors"]):
        letter = letters.nth(i)
        expect(letter).to_contain_text(f"{to} {lender_name(creditor['lender'], lang)}")
        expect(letter).to_contain_text(subject)
        own = [t for t in option["terms"] if t["lender"] == creditor["lender"]]
        assert letter.get_by_test_id("letter-terms").locator("tbody tr").count() == len(own)
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    (SHOTS / f"letters-{lang}.pdf").write_bytes(pdf)
    page.screenshot(path=str(SHOTS / f"letters-{lang}.png"), full_page=True)
    context.close()
