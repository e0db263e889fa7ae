"""The queue as an API: pages with totals, any order, search, filters from the data, and 422s
for values no filter can take."""

from __future__ import annotations

import pytest

from service.cases.queue import SORTS
from tests.service.inprocess import case_payload

PROVINCES = ("Chiang Mai", "Bangkok", "Chiang Mai", "Khon Kaen", "Bangkok")


@pytest.fixture
def queue(app):
    for i, province in enumerate(PROVINCES):
        payload = case_payload(f"B-Q{i}", province, seed=200 + i, received_at=f"2026-0{i + 1}-10")
        payload["business"]["name"] = f"Queue Trading {i}"
        if i == 4:
            payload["business"].update(name="Somchai Noodles", legal_form="sole_proprietorship")
        response = app.as_user("analyst", "POST", "/cases", json=payload)
        assert response.status_code == 201, response.text
    return app


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [c["business_id"] for c in response.json()["items"]]


def test_pages_carry_the_total_and_do_not_overlap(queue):
    first = queue.as_user("analyst", "GET", "/cases", params={"limit": 2, "sort": "received_at"})
    second = queue.as_user(
        "analyst", "GET", "/cases", params={"limit": 2, "offset": 2, "sort": "received_at"}
    )
    body = first.json()
    assert body["total"] == 5 and body["limit"] == 2 and body["offset"] == 0
    assert _ids(first) == ["B-Q0", "B-Q1"] and _ids(second) == ["B-Q2", "B-Q3"]


def _walk(app, params: dict[str, str | int]) -> list[str]:
    """Every case id of the queue, page after page by cursor."""
    seen, after = [], None
    for _ in range(20):
        page = app.as_user(
            "analyst", "GET", "/cases", params={**params, **({"after": after} if after else {})}
        )
        assert page.status_code == 200, page.text
        body = page.json()
        seen += [c["case_id"] for c in body["items"]]
        after = body["next_cursor"]
        if after is None:
            return seen
    raise AssertionError("the cursor never ended")


@pytest.mark.parametrize("sort", [f"{d}{name}" for name in SORTS for d in ("", "-")])
def test_cursor_pages_walk_every_order_exactly_once(queue, sort):
    from sqlalchemy import create_engine, update

    from service.store.tables import cases

    # Empty values sort last in either direction, and pages must cross into them.
    engine = create_engine(queue.database_url)
    with engine.begin() as connection:
        everything = connection.execute(cases.select().order_by(cases.c.case_id)).all()
        for row in everything[:2]:
            connection.execute(
                update(cases).where(cases.c.case_id == row.case_id)
                .values(priority=None, distress_probability=None, risk_band=None, triage=None)
            )  # fmt: skip
    engine.dispose()
    whole = queue.as_user("analyst", "GET", "/cases", params={"sort": sort, "limit": 500}).json()
    assert whole["next_cursor"] is None
    expected = [c["case_id"] for c in whole["items"]]
    assert len(expected) == len(PROVINCES)
    assert _walk(queue, {"sort": sort, "limit": 2}) == expected
    assert _walk(queue, {"sort": sort, "limit": 1}) == expected


def test_a_case_registered_between_pages_neither_repeats_nor_hides_a_row(queue):
    first = queue.as_user("analyst", "GET", "/cases", params={"sort": "received_at", "limit": 2})
    before = [c["case_id"] for c in first.json()["items"]]
    early = case_payload("B-Q-early", "Bangkok", seed=299, received_at="2025-12-01")
    assert queue.as_user("analyst", "POST", "/cases", json=early).status_code == 201
    rest = queue.as_user(
        "analyst", "GET", "/cases",
        params={"sort": "received_at", "limit": 10, "after": first.json()["next_cursor"]},
    ).json()  # fmt: skip
    after = [c["case_id"] for c in rest["items"]]
    assert not set(before) & set(after) and len(before) + len(after) == len(PROVINCES)


@pytest.mark.parametrize(
    "after",
    ["not-a-cursor", "W10=", "WyItcHJpb3JpdHkiLCJ4IiwiQyJd", "eyJhIjoxfQ"],
    ids=["garbage", "empty list", "text where a number goes", "an object"],
)
def test_a_damaged_cursor_is_422_naming_the_parameter(queue, after):
    response = queue.as_user("analyst", "GET", "/cases", params={"after": after})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["query", "after"]


def test_a_cursor_of_another_order_is_refused(queue):
    first = queue.as_user("analyst", "GET", "/cases", params={"limit": 1}).json()
    response = queue.as_user(
        "analyst", "GET", "/cases", params={"sort": "received_at", "after": first["next_cursor"]}
    )
    assert response.status_code == 422 and "-priority" in response.text


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("received_at", ["B-Q0", "B-Q1", "B-Q2", "B-Q3", "B-Q4"]),
        ("-received_at", ["B-Q4", "B-Q3", "B-Q2", "B-Q1", "B-Q0"]),
        ("-business_name", ["B-Q4", "B-Q3", "B-Q2", "B-Q1", "B-Q0"]),
    ],
)
def test_any_column_orders_the_queue(queue, sort, expected):
    assert _ids(queue.as_user("analyst", "GET", "/cases", params={"sort": sort})) == expected


def test_ties_keep_a_stable_order(queue):
    listed = queue.as_user("analyst", "GET", "/cases", params={"sort": "province"}).json()
    provinces = [c["province"] for c in listed["items"]]
    assert provinces == sorted(PROVINCES)
    bangkok = [c["case_id"] for c in listed["items"] if c["province"] == "Bangkok"]
    assert bangkok == sorted(bangkok)  # ties by case id


def test_search_by_case_id_name_and_tax_id_respects_pii(queue):
    listed = queue.as_user("analyst", "GET", "/cases").json()["items"]
    case_id = next(c["case_id"] for c in listed if c["business_id"] == "B-Q2")
    assert _ids(queue.as_user("analyst", "GET", "/cases", params={"q": case_id.lower()})) == [
        "B-Q2"
    ]
    assert _ids(queue.as_user("analyst", "GET", "/cases", params={"q": "trading 3"})) == ["B-Q3"]
    tax_id = case_payload("B-Q1", "Bangkok", seed=201)["business"]["tax_id"]
    assert _ids(queue.as_user("analyst", "GET", "/cases", params={"q": tax_id})) == ["B-Q1"]
    # A data scientist sees neither sole proprietors' names nor tax ids, nor finds by them.
    assert _ids(queue.as_user("scientist", "GET", "/cases", params={"q": "somchai"})) == []
    assert _ids(queue.as_user("scientist", "GET", "/cases", params={"q": tax_id})) == []
    assert _ids(queue.as_user("analyst", "GET", "/cases", params={"q": "somchai"})) == ["B-Q4"]
    assert _ids(queue.as_user("analyst", "GET", "/cases", params={"q": "%"})) == []


def test_filters_come_from_the_data_and_ignore_case(queue):
    choices = queue.as_user("analyst", "GET", "/cases/filters").json()
    assert choices["provinces"] == ["Bangkok", "Chiang Mai", "Khon Kaen"]
    assert choices["statuses"] == ["received"] and choices["problem_types"] == ["debt_distress"]
    mine = queue.as_user("intake_cm", "GET", "/cases/filters").json()
    assert mine["provinces"] == ["Chiang Mai"]
    found = queue.as_user("analyst", "GET", "/cases", params={"province": "chiang mai"})
    assert sorted(_ids(found)) == ["B-Q0", "B-Q2"]
    filtered = {
        "status": "received", "channel": "oss_centre", "problem_type": "debt_distress",
    }  # fmt: skip
    assert len(_ids(queue.as_user("analyst", "GET", "/cases", params=filtered))) == 5
    assert _ids(queue.as_user("analyst", "GET", "/cases", params={"risk_band": "A"})) == []


@pytest.mark.parametrize(
    "params",
    [
        {"status": "open"}, {"channel": "email"}, {"risk_band": "F"},
        {"problem_type": "debt"}, {"sort": "tax_id"}, {"sort": "--priority"},
        {"q": "x" * 101}, {"limit": 501}, {"offset": -1},
    ],
)  # fmt: skip
def test_values_no_filter_can_take_are_422(queue, params):
    assert queue.as_user("analyst", "GET", "/cases", params=params).status_code == 422


def test_the_queue_page_searches_orders_and_pages(queue):
    from tests.service.access.test_sessions import sign_in

    sign_in(queue, "analyst")
    page = queue.client.get("/ui/cases", params={"limit": 2, "sort": "received_at"})
    assert page.status_code == 200
    assert "1–2 / 5" in page.text and 'data-testid="next"' in page.text
    assert "offset=2" in page.text and 'data-testid="previous"' not in page.text
    found = queue.client.get("/ui/cases", params={"q": "trading 3"})
    assert "Queue Trading 3" in found.text and "Queue Trading 2" not in found.text


def test_the_queue_reports_the_split_of_the_cases_it_selects(app):
    from sqlalchemy import create_engine, update

    from service.store.tables import cases

    ids = []
    for i, problems in enumerate((["debt_distress"], ["technology_innovation"], ["other"])):
        payload = case_payload(f"B-S{i}", "Chiang Mai", problem_types=problems)
        response = app.as_user("analyst", "POST", "/cases", json=payload)
        assert response.status_code == 201
        ids.append(response.json()["case_id"])
    engine = create_engine(app.database_url)
    with engine.begin() as connection:
        for case_id, (triage, band) in zip(
            ids, (("act_now", "E"), ("act_now", "C"), ("rescuable", "E")), strict=True
        ):
            connection.execute(
                update(cases)
                .where(cases.c.case_id == case_id)
                .values(triage=triage, risk_band=band)
            )
    engine.dispose()
    listed = app.as_user("analyst", "GET", "/cases", params={"limit": 1}).json()
    assert listed["total"] == 3 and len(listed["items"]) == 1
    assert listed["triage_counts"] == {"act_now": 2, "rescuable": 1}
    assert listed["band_counts"] == {"E": 2, "C": 1}
    urgent = app.as_user("analyst", "GET", "/cases", params={"triage": "act_now"}).json()
    assert urgent["triage_counts"] == {"act_now": 2} and urgent["band_counts"] == {"E": 1, "C": 1}


SUED = {"en": ["lender has sued (Bank A)"], "th": ["เจ้าหนี้ยื่นฟ้องแล้ว (Bank A)"]}


def test_the_queue_orders_by_the_best_plans_feasibility_and_shows_it(app):
    from sqlalchemy import create_engine, update

    from service.store.tables import cases
    from tests.service.access.test_sessions import sign_in

    ids = []
    for i in range(3):
        response = app.as_user("analyst", "POST", "/cases", json=case_payload(f"B-F{i}", "Trang"))
        assert response.status_code == 201
        ids.append(response.json()["case_id"])
    engine = create_engine(app.database_url)
    with engine.begin() as connection:
        for case_id, feasibility in zip(ids, (0.41, None, 0.87), strict=True):
            connection.execute(
                update(cases)
                .where(cases.c.case_id == case_id)
                .values(best_feasibility=feasibility, triage="act_now", triage_reasons=SUED)
            )
    engine.dispose()
    listed = app.as_user("analyst", "GET", "/cases", params={"sort": "-best_feasibility"}).json()
    assert [c["case_id"] for c in listed["items"]] == [ids[2], ids[0], ids[1]]  # none last
    assert [c["best_feasibility"] for c in listed["items"]] == [0.87, 0.41, None]
    sign_in(app, "analyst")
    for lang, why in (("en", "lender has sued (Bank A)"), ("th", "เจ้าหนี้ยื่นฟ้องแล้ว (Bank A)")):
        page = app.client.get("/ui/cases", params={"sort": "-best_feasibility", "lang": lang})
        assert page.status_code == 200
        assert ">87%<" in page.text and why in page.text


def test_the_web_queue_filters_by_triage_channel_and_open_or_closed_with_counts(app):
    """The urgent class split by what can be done today: each class a link with its count,
    and the filters an analyst works the queue with, in both languages."""
    from sqlalchemy import create_engine, update

    from service.store.tables import cases
    from tests.service.access.test_sessions import sign_in

    rows = (
        ("act_now", "direct", "analysis"),
        ("in_court_needs_data", "oss_centre", "analysis"),
        ("in_court_needs_data", "direct", "screening"),
        ("rescuable", "direct", "closed"),
    )
    ids = []
    for i, (_, channel, _) in enumerate(rows):
        payload = case_payload(f"B-T{i}", "Phuket", channel=channel)
        response = app.as_user("analyst", "POST", "/cases", json=payload)
        assert response.status_code == 201, response.text
        ids.append(response.json()["case_id"])
    engine = create_engine(app.database_url)
    with engine.begin() as connection:
        for case_id, (triage, _, status) in zip(ids, rows, strict=True):
            connection.execute(
                update(cases).where(cases.c.case_id == case_id).values(triage=triage, status=status)
            )
    engine.dispose()
    sign_in(app, "analyst")

    def shown(lang: str, **params: str) -> set[str]:
        page = app.client.get("/ui/cases", params={"lang": lang, **params})
        assert page.status_code == 200
        return {case_id for case_id in ids if f">{case_id}<" in page.text}

    for lang, label in (("en", "In court, needs numbers"), ("th", "อยู่ในชั้นศาล ต้องขอข้อมูล")):
        page = app.client.get("/ui/cases", params={"lang": lang})
        assert f"{label}</span></a> 2 (" in page.text
        assert 'data-triage="in_court_needs_data"' in page.text
        assert shown(lang, triage="in_court_needs_data") == {ids[1], ids[2]}
        assert shown(lang, triage="act_now") == {ids[0]}
        assert shown(lang, channel="direct") == {ids[0], ids[2]}
        assert shown(lang, triage="in_court_needs_data", channel="direct") == {ids[2]}
        assert shown(lang, state="closed") == {ids[3]}
        assert shown(lang, state="all") == set(ids)
        assert shown(lang) == set(ids[:3])
        assert shown(lang, triage="not-a-class") == set(ids[:3])  # unknown values are ignored
