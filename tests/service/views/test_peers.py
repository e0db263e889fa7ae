"""A case's business against its peers over the API, on the case page and in the memo: the group
and its size, each ratio's percentile counted by hand, the caller's scope, and the business's
own edits shown at once."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from tests.service.access.test_sessions import sign_in
from tests.service.inprocess import case_payload

PEERS = 32
REVENUE = 12_000_000.0


def _with_net_income(payload: dict, net_income: float) -> dict:
    for statement in payload["financial_statements"]:
        statement["net_income"] = net_income
    return payload


@pytest.fixture
def book(app):
    """A target business and 32 peers of the same section, size class and region, whose net
    incomes are 100,000 to 3,200,000 baht; the target's is 1,050,000."""
    for i in range(PEERS):
        payload = _with_net_income(case_payload(f"B-N{i:02d}", "Chiang Mai", seed=100 + i),
                                   100_000.0 * (i + 1))  # fmt: skip
        assert app.as_user("analyst", "POST", "/cases", json=payload).status_code == 201
    target = _with_net_income(case_payload("B-T", "Chiang Mai", seed=99), 1_050_000.0)
    response = app.as_user("analyst", "POST", "/cases", json=target)
    assert response.status_code == 201, response.text
    return response.json()["case_id"]


def _standing(peers: dict, feature: str) -> dict:
    return next(s for s in peers["standings"] if s["feature"] == feature)


def test_the_api_gives_the_group_its_size_and_percentiles_counted_by_hand(app, book):
    response = app.as_user("analyst", "GET", f"/cases/{book}/peers")
    assert response.status_code == 200, response.text
    peers = response.json()
    assert peers["group"] == {"sector": "G", "size_class": "small", "region": "north",
                              "size": PEERS}  # fmt: skip
    assert peers["as_of"] == dt.date.today().isoformat()  # no assessment yet: today
    margin = _standing(peers, "net_margin")
    assert margin["value"] == pytest.approx(1_050_000.0 / REVENUE)
    # 10 peers earn less (100,000 to 1,000,000), none the same: 10 of 32 below.
    assert margin["percentile"] == pytest.approx(100 * 10 / 32)
    assert margin["safer_than"] == pytest.approx(100 * 10 / 32)  # a higher margin is safer
    assert margin["median"] == pytest.approx(1_650_000.0 / REVENUE)
    assert margin["label_th"] and margin["label_th"] != margin["label_en"]
    # A riskier-when-higher ratio reads the other way round.
    for s in peers["standings"]:
        if s["safer_than"] is not None:
            assert s["safer_than"] in (pytest.approx(s["percentile"]),
                                       pytest.approx(100 - s["percentile"]))  # fmt: skip


def test_peers_are_read_by_those_who_read_the_case_work(app, book):
    for user in ("intake_cm", "intake_bkk", "liaison", "scientist"):
        assert app.as_user(user, "GET", f"/cases/{book}/peers").status_code == 403, user
    assert app.as_user("manager", "GET", f"/cases/{book}/peers").status_code == 200
    assert app.as_user("analyst", "GET", "/cases/C-0000000000/peers").status_code == 404


def test_the_business_s_own_edit_shows_at_once(app, book):
    before = _standing(app.as_user("analyst", "GET", f"/cases/{book}/peers").json(), "net_margin")
    edited = _with_net_income(case_payload("B-T", "Chiang Mai", seed=99), 3_300_000.0)
    del edited["channel"], edited["received_at"], edited["problem_types"]
    response = app.as_user("analyst", "PUT", "/businesses/B-T", json=edited)
    assert response.status_code == 200, response.text
    after = _standing(app.as_user("analyst", "GET", f"/cases/{book}/peers").json(), "net_margin")
    assert before["percentile"] < after["percentile"] == pytest.approx(100.0)


def test_the_case_page_and_the_memo_show_the_peers_in_both_languages(app, book):
    sign_in(app, "analyst")
    page = app.client.get(f"/ui/cases/{book}").text
    assert 'data-testid="peer-group"' in page and 'data-testid="peer-chart"' in page
    assert f'data-testid="peer-size">{PEERS}<' in page and "small enterprise" in page
    thai = app.client.get(f"/ui/cases/{book}?lang=th").text
    assert "เทียบกับกิจการกลุ่มเดียวกัน" in thai and "วิสาหกิจขนาดย่อม" in thai
    assert "ภาคเหนือ" in thai  # the region by its Thai name
    memo = app.client.get(f"/ui/cases/{book}/memo").text
    assert 'data-testid="memo-peers"' in memo and 'data-testid="peer-table"' in memo


def test_a_business_without_statements_has_nothing_to_compare(app, book):
    payload = case_payload("B-E", "Chiang Mai", seed=98)
    payload.update(financial_statements=[])
    case_id = app.as_user("analyst", "POST", "/cases", json=payload).json()["case_id"]
    peers = app.as_user("analyst", "GET", f"/cases/{case_id}/peers").json()
    assert peers["standings"] == []
    sign_in(app, "analyst")
    assert 'data-testid="no-peer-ratios"' in app.client.get(f"/ui/cases/{case_id}").text


def test_a_long_thai_label_is_clipped_between_letters_not_inside_one():
    from service.web.charts import _clip

    name = "กระแสเงินสดจากการดำเนินงานต่อหนี้สินหมุนเวียน"
    for limit in range(2, len(name)):
        clipped = _clip(name, limit)
        assert clipped.endswith("…") and len(clipped) <= limit + 1
        assert name.startswith(clipped[:-1])
        assert unicodedata.category(name[len(clipped) - 1]) != "Mn"  # the next one is a letter
    assert _clip("current ratio", 30) == "current ratio"


def test_too_few_peers_are_not_compared_with(app):
    for i in range(5):
        payload = case_payload(f"B-F{i}", "Chiang Mai", seed=200 + i)
        assert app.as_user("analyst", "POST", "/cases", json=payload).status_code == 201
    case_id = app.as_user("analyst", "GET", "/cases").json()["items"][0]["case_id"]
    peers = app.as_user("analyst", "GET", f"/cases/{case_id}/peers").json()
    assert peers["group"]["size"] == 4 and peers["group"]["sector"] is None  # the whole book
    assert peers["min_peers"] == 30 and peers["standings"] == []
    sign_in(app, "analyst")
    page = app.client.get(f"/ui/cases/{case_id}").text
    assert 'data-testid="too-few-peers"' in page and 'data-testid="peer-chart"' not in page
