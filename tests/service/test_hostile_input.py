"""Hostile but fair input gets a 4xx naming what was wrong, never a 5xx, and writes nothing."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest
from sqlalchemy import create_engine, func, select

from service.kit.spreadsheet import to_csv
from service.store.tables import businesses, cases
from tests.service.inprocess import case_payload, make_app


def _counts(app) -> tuple[int, int]:
    engine = create_engine(app.database_url)
    with engine.connect() as connection:
        n = tuple(
            connection.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (cases, businesses)
        )
    engine.dispose()
    return n


def _post_raw(app, url: str, text: str):
    headers = {**app.headers("analyst"), "Content-Type": "application/json"}
    return app.client.post(url, content=text.encode("utf-8", "surrogatepass"), headers=headers)


def _with(change) -> dict:
    payload = case_payload("B-H", "Chiang Mai")
    change(payload)
    return payload


BAD_BODIES = {
    "received_at in year 1": lambda p: p.update(received_at="0001-01-01"),
    "received_at tomorrow": lambda p: p.update(
        received_at=(dt.date.today() + dt.timedelta(days=1)).isoformat()
    ),
    "a statement after 2100": lambda p: p["financial_statements"][0].update(
        period_end="2500-01-01"
    ),
    "a rate given as true": lambda p: p["debts"][0].update(annual_rate=True),
    "a count given as 2.5": lambda p: p["debts"][0].update(days_past_due=2.5),
    "an empty business id": lambda p: p["business"].update(business_id=""),
    "a business id of spaces": lambda p: p["business"].update(business_id="   "),
    "a 201-character name": lambda p: p["business"].update(name="x" * 201),
    "a control character": lambda p: p["business"].update(name="Bad\x00Name"),
    "too many statements": lambda p: p.update(financial_statements=p["financial_statements"] * 60),
    "an unknown problem type": lambda p: p.update(problem_types=["%"]),
}


@pytest.mark.parametrize("name", list(BAD_BODIES))
def test_bad_case_bodies_are_422_and_write_nothing(app, name):
    before = _counts(app)
    response = app.as_user("analyst", "POST", "/cases", json=_with(BAD_BODIES[name]))
    assert response.status_code == 422, (name, response.status_code, response.text[:300])
    assert response.json()["detail"][0]["loc"][0] == "body"
    assert _counts(app) == before


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused_and_the_error_encodes(app, literal):
    text = json.dumps(case_payload("B-N", "Chiang Mai")).replace("3000000.0", literal, 1)
    response = _post_raw(app, "/cases", text)
    assert response.status_code == 422, response.text[:300]
    assert "outstanding" in response.json()["detail"][0]["loc"]


def test_a_lone_surrogate_is_refused(app):
    payload = case_payload("B-S", "Chiang Mai")
    text = json.dumps(payload).replace("Test Trading", "Test \\ud800 Trading")
    response = _post_raw(app, "/cases", text)
    assert response.status_code == 422, response.text[:300]
    assert _counts(app) == (0, 0)


def test_an_invisible_override_reason_is_refused(app):
    case_id = app.as_user("analyst", "POST", "/cases", json=case_payload("B-Z", "Bangkok"))
    url = f"/cases/{case_id.json()['case_id']}/decision"
    body = {"path": "refinance", "reason": "\u200b \u200b"}
    response = app.as_user("analyst", "POST", url, json=body)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "reason"


@pytest.mark.parametrize(
    "query",
    [
        {"status": "nonsense"}, {"channel": "fax"}, {"risk_band": "Z"}, {"problem_type": "%"},
        {"offset": 2**70}, {"limit": 0}, {"sort": "name; drop table cases"},
    ],
)  # fmt: skip
def test_unknown_filters_and_absurd_paging_are_422(app, query):
    response = app.as_user("analyst", "GET", "/cases", params=query)
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("as_of", ["9999-12-31", "1500-01-01", "2026-13-01"])
def test_dates_in_queries_are_bounded(app, as_of):
    response = app.as_user(
        "analyst", "GET", "/cases/C-NONE/recommendations", params={"as_of": as_of}
    )
    assert response.status_code == 422


def test_a_body_over_the_limit_is_413(app):
    payload = case_payload("B-BIG", "Chiang Mai")
    payload["business"]["name"] = "x" * (3 * 1024 * 1024)
    response = app.as_user("analyst", "POST", "/cases", json=payload)
    assert response.status_code == 413
    assert _counts(app) == (0, 0)


def _upload(app, files: list[tuple[str, bytes]]):
    parts = [("files", (name, data, "application/octet-stream")) for name, data in files]
    return app.as_user(
        "scientist", "POST", "/score/batch", files=parts, params={"as_of": "2026-06-30"}
    )


BUSINESS_HEADER = b"business_id,name,tax_id,sector,province\n"
BAD_UPLOADS = {
    "header only": [("businesses.csv", BUSINESS_HEADER)],
    "empty": [("businesses.csv", b"")],
    "not UTF-8": [("businesses.csv", BUSINESS_HEADER + b"B1,\xff\xfe\xfa,,G,x\n")],
    "unbalanced quote": [("businesses.csv", BUSINESS_HEADER + b'B1,"open,,G,x\n')],
    "random parquet": [("businesses.parquet", b"PAR1" + bytes(range(256)) * 4)],
    "year 9999": [
        ("businesses.csv", BUSINESS_HEADER + b"B1,n,,G,x\n"),
        ("financial_statements.csv", b"business_id,fiscal_year,period_end\nB1,2024,9999-12-31\n"),
    ],
    "unknown table": [("passwords.csv", b"a\n1\n")],
    "two files for one table": [("businesses.csv", BUSINESS_HEADER)] * 2,
    "too many files": [("businesses.csv", BUSINESS_HEADER)] * 20,
}


@pytest.mark.parametrize("name", list(BAD_UPLOADS))
def test_bad_uploads_are_422_naming_the_file(app, name):
    response = _upload(app, BAD_UPLOADS[name])
    assert response.status_code == 422, (name, response.status_code, response.text[:300])
    assert response.text


def _parquet(frame: pd.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.to_parquet(out, index=False, compression="zstd")
    return out.getvalue()


def test_a_parquet_declaring_more_rows_than_allowed_is_refused_before_it_is_read(app):
    many = pd.DataFrame({"business_id": ["B1"] * 300_000})  # a few KB on the wire
    data = _parquet(many)
    assert len(data) < 50_000
    response = _upload(app, [("businesses.parquet", data)])
    assert response.status_code == 413, response.text[:300]
    assert "businesses.parquet" in response.text and "200,000" in response.text


def test_a_parquet_that_expands_far_beyond_its_bytes_is_refused(app):
    # 40 MB of distinct names in under 200 KB: more than 16 times the 1 MB floor.
    wide = pd.DataFrame({"business_id": [f"B{i}" for i in range(20_000)],
                         "name": ["x" * 2_000 + str(i) for i in range(20_000)]})  # fmt: skip
    data = _parquet(wide)
    assert len(data) < 1 << 20
    response = _upload(app, [("businesses.parquet", data)])
    assert response.status_code == 413, response.text[:300]
    assert "businesses.parquet: expands to" in response.text


def test_a_csv_with_more_lines_than_allowed_is_refused_before_it_is_parsed(app):
    data = BUSINESS_HEADER + b"B1,n,,G,x\n" * 200_001
    response = _upload(app, [("businesses.csv", data)])
    assert response.status_code == 413, response.text[:300]
    assert "businesses.csv" in response.text


def test_many_problems_give_a_bounded_answer(app):
    rows = b"".join(b"B1,n,,G,x\n" for _ in range(5000))
    response = _upload(app, [("businesses.csv", BUSINESS_HEADER + rows)])
    assert response.status_code == 422
    details = response.json()["detail"]
    assert len(details) <= 201 and "more problems" in details[-1]["msg"]
    assert len(response.content) < 100_000


def test_spreadsheet_formulas_are_neutralised_in_every_csv(app):
    payload = case_payload("B-F", "Chiang Mai")
    payload["loan_applications"][0]["product"] = '=HYPERLINK("http://x","y")'
    assert app.as_user("analyst", "POST", "/cases", json=payload).status_code == 201
    response = app.as_user("liaison", "GET", "/applications/stalled", params={"format": "csv"})
    assert response.status_code == 200
    frame = pd.read_csv(io.StringIO(response.text))
    assert frame.loc[0, "product"] == '\'=HYPERLINK("http://x","y")'
    mixed = pd.DataFrame({"text": ["+1", "-x", "@a", "\tb", "ok"], "amount": [-5.0, 1, 2, 3, 4]})
    assert to_csv(mixed).splitlines()[1:] == [
        "'+1,-5.0",
        "'-x,1.0",
        "'@a,2.0",
        "'\tb,3.0",
        "ok,4.0",
    ]


def test_an_upload_over_the_row_limit_is_413(tmp_path):
    for app in make_app(tmp_path, max_upload_rows=10):
        rows = b"".join(b"B%d,n,,G,x\n" % i for i in range(11))
        response = _upload(app, [("businesses.csv", BUSINESS_HEADER + rows)])
        assert response.status_code == 413 and "at most 10" in response.text


def test_a_repayments_file_with_a_200_000_character_cell_is_422_naming_its_row(app):
    text = "case_id,creditor,paid_at,amount\nC-1," + "x" * 200_000 + ",2026-01-01,100\n"
    files = {"file": ("lender.csv", text.encode(), "text/csv")}
    response = app.as_user("analyst", "POST", "/repayments/upload", files=files)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][:2] == ["lender.csv", 2]


def test_a_repayments_file_with_too_many_rows_is_413(app):
    rows = "".join(f"C-{i},Bank,2026-01-01,100\n" for i in range(10_001))
    files = {"file": ("lender.csv", ("case_id,creditor,paid_at,amount\n" + rows).encode())}
    response = app.as_user("analyst", "POST", "/repayments/upload", files=files)
    assert response.status_code == 413 and "at most 10,000 rows" in response.text


@pytest.mark.parametrize("q", ["Siam\x00", "a\x1bb", "\x7f"])
def test_control_characters_in_the_search_are_422(app, q):
    response = app.as_user("analyst", "GET", "/cases", params={"q": q})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["query", "q"]


def test_a_workbook_declaring_a_huge_merged_range_is_413_at_once(app):
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["revenue", 1000])
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                content = content.replace(
                    b"</sheetData>",
                    b'</sheetData><mergeCells count="1"><mergeCell ref="A1:J100000"/></mergeCells>',
                )
            target.writestr(item, content)
    files = {"files": ("statements.xlsx", out.getvalue())}
    response = app.as_user("analyst", "POST", "/imports", files=files)
    assert response.status_code == 413, response.text
    assert "statements.xlsx" in response.text and "A1:J100000" in response.text


def test_an_upload_read_past_its_deadline_is_413_and_leaves_the_worker_free(tmp_path):
    rows = "".join(f"B{i},Shop {i},G,Chiang Mai\n" for i in range(20_000))
    data = ("business_id,name,sector,province\n" + rows).encode()
    for app in make_app(tmp_path, import_seconds=0.05):
        started = dt.datetime.now()
        files = {"files": ("businesses.csv", data, "text/csv")}
        late = app.as_user("analyst", "POST", "/imports", files=files)
        assert late.status_code == 413, late.text
        assert "not read within 0.05 s" in late.text
        assert (dt.datetime.now() - started).total_seconds() < 5
        assert app.as_user("analyst", "GET", "/cases").status_code == 200


def test_an_upload_within_its_deadline_is_read_apart_and_answered(app):
    files = {"files": ("businesses.csv", b"business_id,name\nB1,Shop\n", "text/csv")}
    answer = app.as_user("analyst", "POST", "/imports", files=files)
    assert answer.status_code == 200, answer.text
    assert answer.json()["report"] is not None
