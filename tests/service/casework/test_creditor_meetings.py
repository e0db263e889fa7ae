"""A creditors' meeting on record: each creditor's claim and vote, the tally as the procedure
counts it, refused on a closed case and for bad votes, with nothing written."""

from __future__ import annotations

from sqlalchemy import create_engine, func, select

from service.store.tables import creditor_meetings
from tests.service.inprocess import case_payload

FAILS_BY_ONE = {
    "procedure": "court_chapter_3_2",
    "meeting_on": "2026-03-02",
    "votes": [
        {"lender": "Bank A", "claim": 4_000_000, "vote": "for"},
        {"lender": "Bank B", "claim": 2_000_000, "vote": "for", "proxy": "K. Somchai"},
        {"lender": "Lender C", "claim": 3_100_000, "vote": "against"},
        {"lender": "Supplier D", "claim": 100_000, "vote": "absent"},
    ],
}


def _count(app) -> int:
    engine = create_engine(app.database_url)
    with engine.connect() as connection:
        found = connection.execute(select(func.count()).select_from(creditor_meetings)).scalar()
    engine.dispose()
    return int(found or 0)


def _case(app, business_id: str) -> str:
    created = app.as_user("analyst", "POST", "/cases", json=case_payload(business_id, "Trang"))
    assert created.status_code == 201, created.text
    return created.json()["case_id"]


def test_a_vote_that_fails_by_one_creditor_is_recorded_with_its_tally(app):
    case_id = _case(app, "B-CM1")
    recorded = app.as_user("analyst", "POST", f"/cases/{case_id}/creditor-meetings",
                           json=FAILS_BY_ONE)  # fmt: skip
    assert recorded.status_code == 201, recorded.text
    tally = recorded.json()["tally"]
    assert tally["carried"] is False
    assert abs(tally["share_of_all_debt"] - 6.0 / 9.2) < 1e-9
    assert tally["required_share"] > 0.6666 and tally["short_by"] == ["Lender C"]
    listed = app.as_user("manager", "GET", f"/cases/{case_id}/creditor-meetings").json()
    assert [m["id"] for m in listed] == [recorded.json()["id"]]
    assert listed[0]["votes"][1]["proxy"] == "K. Somchai" and listed[0]["recorded_by"] == "analyst"
    carried = {**FAILS_BY_ONE, "votes": [{**v, "vote": "for"} if v["lender"] == "Lender C" else v
                                         for v in FAILS_BY_ONE["votes"]]}  # fmt: skip
    again = app.as_user("analyst", "POST", f"/cases/{case_id}/creditor-meetings", json=carried)
    assert again.status_code == 201 and again.json()["tally"]["carried"] is True
    assert _count(app) == 2


def test_bad_meetings_are_refused_and_write_nothing(app):
    case_id = _case(app, "B-CM2")
    url = f"/cases/{case_id}/creditor-meetings"
    again = {"lender": " bank a ", "claim": 1, "vote": "for"}
    twice = {**FAILS_BY_ONE, "votes": [*FAILS_BY_ONE["votes"], again]}
    cases = [
        ({**FAILS_BY_ONE, "procedure": "a handshake"}, 422, "procedure"),
        ({**FAILS_BY_ONE, "votes": []}, 422, "votes"),
        ({**FAILS_BY_ONE, "votes": [{"lender": "A", "claim": -5, "vote": "for"}]}, 422, "claim"),
        ({**FAILS_BY_ONE, "votes": [{"lender": "A", "claim": 5, "vote": "maybe"}]}, 422, "vote"),
        (twice, 422, "each creditor votes once"),
        ({**FAILS_BY_ONE, "meeting_on": "2001-01-01"}, 422, "2001-01-01"),
    ]
    for body, code, says in cases:
        response = app.as_user("analyst", "POST", url, json=body)
        assert response.status_code == code, (body, response.text)
        assert says in response.text, response.text
    closed = app.as_user("analyst", "POST", f"/cases/{case_id}/status", json={"to": "closed"})
    assert closed.status_code == 200, closed.text
    refused = app.as_user("analyst", "POST", url, json=FAILS_BY_ONE)
    assert refused.status_code == 409 and "closed" in refused.text
    assert _count(app) == 0


def test_the_case_page_shows_the_vote_in_both_languages(app):
    import html

    from tests.service.access.test_sessions import sign_in

    case_id = _case(app, "B-CM3")
    recorded = app.as_user("analyst", "POST", f"/cases/{case_id}/creditor-meetings",
                           json=FAILS_BY_ONE)  # fmt: skip
    assert recorded.status_code == 201
    sign_in(app, "analyst")
    for lang, words in (
        ("en", ("Creditors' meetings", "Bankruptcy Act Chapter 3/2", "debt voting for 65.2%",
                "required 66.7%", "not carried", "would have carried with Lender C")),
        ("th", ("การประชุมเจ้าหนี้", "หมวด 3/2", "หนี้ที่ลงมติเห็นชอบ 65.2%", "ไม่ผ่านมติ",
                "จะผ่านมติหากได้เสียงจาก Lender C", "ผู้รับมอบฉันทะ", "K. Somchai")),
    ):  # fmt: skip
        page = app.client.get(f"/ui/cases/{case_id}", params={"lang": lang})
        assert page.status_code == 200
        text = html.unescape(page.text)
        for word in words:
            assert word in text, (lang, word)


def test_the_letters_page_is_scoped_and_says_when_there_is_no_plan(app):
    from tests.service.access.test_sessions import sign_in

    case_id = _case(app, "B-CM4")  # Trang: outside the Chiang Mai and Bangkok officers' scope
    sign_in(app, "analyst")
    for lang, words in (("en", "no plan to propose"), ("th", "ยังไม่มีแผนที่จะเสนอ")):
        page = app.client.get(f"/ui/cases/{case_id}/letters", params={"lang": lang})
        assert page.status_code == 200 and 'data-testid="no-letters"' in page.text
        assert words in page.text
    app.client.post("/ui/logout")
    sign_in(app, "intake_cm")
    assert app.client.get(f"/ui/cases/{case_id}/letters").status_code in (403, 404)
