"""Web sessions, CSRF, security headers, key management, rate limits and the audit log."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text, update
from sqlalchemy.exc import DBAPIError

from service.access.sessions import SESSION_COOKIE
from service.store.tables import users
from tests.service.inprocess import case_payload, make_app

ZONED = re.compile(r"(Z|[+-]\d\d:\d\d)$")


def sign_in(app, user: str) -> str:
    """Sign in through the form; returns the page's CSRF token."""
    response = app.client.post(
        "/ui/login", data={"token": app.tokens[user]}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    page = app.client.get("/ui/cases")
    assert page.status_code == 200
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


def test_a_session_is_a_server_side_random_id_revoked_at_sign_out(app):
    csrf = sign_in(app, "analyst")
    session_id = app.client.cookies.get(SESSION_COOKIE)
    assert session_id and session_id != app.tokens["analyst"]
    assert app.client.cookies.get("rescue_token") is None

    out = app.client.post("/ui/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303
    app.client.cookies.set(SESSION_COOKIE, session_id)  # a copy kept by an attacker
    again = app.client.get("/ui/cases", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/ui/login"
    assert app.client.get("/cases").status_code == 401


def test_signing_in_again_rotates_the_session(app):
    sign_in(app, "analyst")
    first = app.client.cookies.get(SESSION_COOKIE)
    sign_in(app, "analyst")
    assert app.client.cookies.get(SESSION_COOKIE) != first


def test_cookie_writes_need_the_csrf_token_and_the_service_s_origin(app):
    csrf = sign_in(app, "analyst")
    body = case_payload("B-CSRF", "Chiang Mai")
    assert app.client.post("/cases", json=body).status_code == 403
    foreign = {"X-CSRF-Token": csrf, "Origin": "https://evil.example"}
    assert app.client.post("/cases", json=body, headers=foreign).status_code == 403
    assert app.client.post("/models/reload", headers=foreign).status_code == 403
    ours = {"X-CSRF-Token": csrf, "Origin": "http://testserver"}
    assert app.client.post("/cases", json=body, headers=ours).status_code == 201
    # Reads need no token; bearer keys are not cookies and need none either.
    assert app.client.get("/cases").status_code == 200


def test_sign_in_from_another_site_is_refused(app):
    response = app.client.post(
        "/ui/login",
        data={"token": app.tokens["analyst"]},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert response.status_code == 403


def test_cookies_are_secure_when_configured(tmp_path):
    for app in make_app(tmp_path, secure_cookies=True):
        response = app.client.post(
            "/ui/login", data={"token": app.tokens["analyst"]}, follow_redirects=False
        )
        cookie = response.headers["set-cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie


def test_security_headers_and_a_quiet_health_check(app):
    for response in (app.client.get("/ui/login"), app.as_user("analyst", "GET", "/cases")):
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["referrer-policy"] == "same-origin"
        assert headers["x-request-id"]
    assert app.client.get("/health").json() == {"status": "ok"}
    detailed = app.as_user("scientist", "GET", "/health").json()
    assert "worker" in detailed and "models" in detailed


def test_rate_limit_answers_429_with_retry_after(tmp_path):
    for app in make_app(tmp_path, rate_limit_per_minute=3):
        codes = [app.as_user("analyst", "GET", "/cases").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = app.as_user("analyst", "GET", "/cases")
        assert int(limited.headers["retry-after"]) >= 1
        assert app.as_user("intake_cm", "GET", "/cases").status_code == 200  # per user


def test_expired_deactivated_and_rotated_keys(app, tmp_path):
    engine = create_engine(app.database_url)
    with engine.begin() as connection:
        connection.execute(
            update(users)
            .where(users.c.name == "liaison")
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
        )
    engine.dispose()
    assert app.as_user("liaison", "GET", "/applications/stalled").status_code == 401

    env = {**os.environ, "DATABASE_URL": app.database_url, "RESCUE_VAR": str(tmp_path)}
    rescue = [sys.executable, "-m", "rescue"]

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*rescue, *args], env=env, capture_output=True, text=True, check=False
        )

    assert run("users", "deactivate", "scientist").returncode == 0
    assert app.as_user("scientist", "GET", "/models").status_code == 401
    rotated = run("users", "rotate", "analyst", "--expires-days", "30")
    assert rotated.returncode == 0, rotated.stderr
    new_key = rotated.stdout.strip().splitlines()[-1]
    assert app.as_user("analyst", "GET", "/cases").status_code == 401
    fresh = app.client.get("/cases", headers={"Authorization": f"Bearer {new_key}"})
    assert fresh.status_code == 200
    listed = run("users", "list").stdout
    assert re.search(r"scientist\tdata_scientist\t-\tdeactivated", listed)
    assert re.search(r"analyst\tanalyst\t-\tactive\texpires \d{4}-\d\d-\d\d", listed)
    assert run("users", "deactivate", "nobody").returncode == 2


def test_writes_and_pii_reads_are_audited_append_only(app, tmp_path):
    created = app.as_user("intake_cm", "POST", "/cases", json=case_payload("B-A", "Chiang Mai"))
    case_id = created.json()["case_id"]
    app.as_user("analyst", "GET", f"/cases/{case_id}")
    app.as_user("scientist", "GET", f"/cases/{case_id}")  # masked: not a read of PII
    assert app.as_user("analyst", "GET", "/audit").status_code == 403
    rows = app.as_user("admin", "GET", "/audit", params={"case_id": case_id}).json()
    seen = {(r["user_name"], r["method"], r["route"], r["status"]) for r in rows}
    assert ("intake_cm", "POST", "/cases", 201) in seen
    assert ("analyst", "GET", "/cases/{case_id}", 200) in seen
    assert not any(r["user_name"] == "scientist" for r in rows)
    assert all(r["client"] and r["request_id"] and ZONED.search(r["at"]) for r in rows)

    engine = create_engine(app.database_url)
    for statement in ("UPDATE audit_log SET user_name = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError), engine.begin() as connection:
            connection.execute(text(statement))
    engine.dispose()

    env = {**os.environ, "DATABASE_URL": app.database_url, "RESCUE_VAR": str(tmp_path)}
    printed = subprocess.run(
        [sys.executable, "-m", "rescue", "audit", "--case", case_id],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "intake_cm\tintake_officer\tPOST /cases\t201" in printed


def test_timestamps_keep_their_time_zone(app):
    created = app.as_user("analyst", "POST", "/cases", json=case_payload("B-T", "Chiang Mai"))
    history = app.as_user("analyst", "GET", f"/cases/{created.json()['case_id']}/history").json()
    assert ZONED.search(history[0]["changed_at"])


def test_login_page_and_scripts_carry_no_inline_code():
    templates = Path(__file__).resolve().parents[3] / "service" / "web" / "templates"
    for page in templates.glob("*.html"):
        html = page.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), page.name
        assert " style=" not in html and "<style" not in html and " on" + "click=" not in html
