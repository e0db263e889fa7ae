"""Server-rendered pages for analysts, bank liaisons and data scientists, in English and Thai.

The pages sit behind the same tokens and roles as the API: signing in stores the token in an
HttpOnly, SameSite=Strict cookie, and the pages' scripts call the API with it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from mlflow.tracking import MlflowClient

from features.catalogues.case_statuses import CASE_STATUSES
from features.catalogues.languages import DEFAULT_LANGUAGE, LANGUAGES
from features.feature_labels import label, show
from features.imports.labels import line_names
from features.registry import BY_NAME
from features.schema import CHANNELS, PROBLEM_TYPES
from models.advice.lender_names import lender_name
from models.advice.paths import PATHS, PLAN_PATHS
from models.advice.recommend import load_config
from models.advice.triage import TRIAGE_CLASSES
from models.drift import latest_drift
from models.plans.programmes import Rules
from models.registry import CHALLENGER, CHAMPION, configure
from models.specs import SPECS
from service.access.auth import check_same_origin, signed_in, user_for_key
from service.access.sessions import SESSION_COOKIE, SignedIn, create_session, revoke_session
from service.api.deps import AppSettings, Conn, Models
from service.cases.queue import QueueQuery, list_cases, queue_filters
from service.casework import liaison
from service.casework import schemas as work
from service.casework.assignment import case_workers
from service.casework.creditor_meetings import meetings
from service.casework.dashboard import dashboard
from service.casework.documents import DOCUMENTS, checklist, waiting_documents
from service.casework.followups import followups_due, milestones, referrals
from service.casework.monitoring import plan_or_none, plans_in_arrears
from service.casework.notes import list_notes
from service.casework.timeline import timeline
from service.kit import schemas
from service.kit.audit import PERSONAL_DATA
from service.kit.errors import ForbiddenError, NotFoundError
from service.kit.roles import ROLES, Permission, User
from service.views.case_view import case_view
from service.web import i18n
from service.web.charts import bars_svg, peer_chart, waterfall_svg

HERE = Path(__file__).resolve().parent
# The what-if form's terms when the case has no plan to start from.
WHAT_IF_START = load_config()["plan"]["what_if"]
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(
    t=i18n.t, thb=i18n.thb, number=i18n.number, percent=i18n.percent, date=i18n.date,
    year=i18n.year, TEXT=i18n.TEXT, Permission=Permission, PATHS=PATHS, CASE_STATUSES=CASE_STATUSES,
    PROBLEM_TYPES=PROBLEM_TYPES, CHANNELS=CHANNELS, datetime=i18n.datetime, DOCUMENTS=DOCUMENTS,
    FOLLOW_UP_ACTIONS=work.FOLLOW_UP_ACTIONS, invalid=i18n.invalid,
    sector_name=i18n.sector_name, TRIAGE_CLASSES=TRIAGE_CLASSES, province_name=i18n.province_name,
    feature_label=label, lender_name=lender_name, show=show,
)  # fmt: skip
router = APIRouter(prefix="/ui", include_in_schema=False)
LINE_NAMES = line_names()
LANG_COOKIE = "rescue_lang"


class SignInRequiredError(Exception):
    pass


def page_lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "en"
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def page_session(request: Request) -> SignedIn:
    signed = signed_in(request)
    if signed is None:
        raise SignInRequiredError
    request.state.user = signed.user.name
    request.state.role = signed.user.role.value
    request.state.csrf_token = signed.csrf_token
    return signed


def page_user(signed: Annotated[SignedIn, Depends(page_session)]) -> User:
    return signed.user


PageUser = Annotated[User, Depends(page_user)]


def render(request: Request, name: str, user: User | None, **context: Any) -> HTMLResponse:
    lang = page_lang(request)
    csrf = getattr(request.state, "csrf_token", "")

    def request_query(**changes: object) -> str:
        """This page's query string with some parameters changed (for pagers)."""
        return urlencode({**request.query_params, **{k: str(v) for k, v in changes.items()}})

    response = templates.TemplateResponse(
        request,
        name,
        {
            "lang": lang, "user": user, "path": request.url.path, "csrf_token": csrf,
            "request_query": request_query, **context,
        },
    )  # fmt: skip
    response.set_cookie(LANG_COOKIE, lang, samesite="strict", secure=_secure(request))
    return response


def _secure(request: Request) -> bool:
    return bool(request.app.state.settings.secure_cookies)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An error on a web page as a page in the user's language, with its status."""
    response = render(request, "error.html", None, status=status, message=message)
    response.status_code = status
    return response


def allow(user: User, permission: Permission) -> None:
    if not user.may(permission):
        raise ForbiddenError(f"role {user.role} may not open this page")


def agency_names(lang: str) -> list[str]:
    """The agencies of the programme rules in force, for the referral form to suggest."""
    rules = Rules.on_date(dt.date.today())
    names = {
        (a["name_th"] if lang == "th" else a["name_en"]).split(":")[0]
        for rule in rules.agencies.values()
        for a in rule["agency"]
    }
    return sorted(names)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, error: str | None = None) -> HTMLResponse:
    return render(request, "login.html", None, error=error)


@router.post("/login")
def login(request: Request, token: Annotated[str, Form(max_length=200)]) -> Response:
    """Sign in with an API key: a new server-side session, its id in an HttpOnly cookie."""
    origin = request.headers.get("origin")
    if origin is not None and origin.rstrip("/") != str(request.base_url).rstrip("/"):
        raise ForbiddenError("cross-origin sign-in refused")
    user = user_for_key(request, token.strip())
    if user is None:
        return render(request, "login.html", None, error=i18n.t("bad_token", page_lang(request)))
    settings = request.app.state.settings
    with request.app.state.db.sessions() as session:
        session_id, _ = create_session(session, user.name, settings.session_hours)
    response = RedirectResponse(ROLES[user.role].home, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, session_id, httponly=True, samesite="strict", secure=_secure(request),
        max_age=int(settings.session_hours * 3600),
    )  # fmt: skip
    return response


@router.post("/logout")
def logout(
    request: Request,
    signed: Annotated[SignedIn, Depends(page_session)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Sign out: the session is revoked on the server, not only forgotten by the browser."""
    check_same_origin(request, signed.csrf_token, csrf_token)
    with request.app.state.db.sessions() as session:
        revoke_session(session, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


QUEUE_STATES = ("open", "closed", "all")
PAGE_SORTS = ("-priority", "-received_at", "received_at", "-distress_probability",
              "-best_feasibility", "province", "business_name")  # fmt: skip


@router.get("/cases", openapi_extra=PERSONAL_DATA, response_class=HTMLResponse)
def queue(
    request: Request,
    connection: Conn,
    user: PageUser,
    status: str | None = None,
    province: Annotated[str | None, Query(max_length=200)] = None,
    risk_band: str | None = None,
    problem_type: str | None = None,
    q: Annotated[schemas.SearchText | None, Query()] = None,
    sort: str = "-priority",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    assigned: Annotated[str | None, Query(max_length=200)] = None,
    overdue: bool | None = None,
    triage: str | None = None,
    channel: str | None = None,
    state: str = "open",
) -> HTMLResponse:
    """The queue with search, filters from the data, an order to choose and pages."""
    allow(user, Permission.read_cases)
    choices = queue_filters(connection, user)

    def known(value: str | None, allowed: list[str] | tuple[str, ...]) -> str | None:
        return value if value in allowed else None

    query = QueueQuery(
        status=known(status, CASE_STATUSES), province=province or None,
        problem_type=known(problem_type, PROBLEM_TYPES), risk_band=known(risk_band, tuple("ABCDE")),
        search=q or None, sort=known(sort, PAGE_SORTS) or "-priority", limit=limit,
        offset=offset, assigned=assigned or None, overdue=overdue,
        triage=known(triage, TRIAGE_CLASSES), channel=known(channel, CHANNELS),
        open_only=state != "all", closed_only=state == "closed",
    )  # fmt: skip
    listed = list_cases(connection, user, query, request.app.state.counts)
    filters = {
        "status": query.status, "province": province, "risk_band": query.risk_band,
        "problem_type": query.problem_type, "q": q, "sort": query.sort,
        "assigned": query.assigned, "overdue": overdue, "triage": query.triage,
        "channel": query.channel, "state": state if state in QUEUE_STATES else "open",
    }  # fmt: skip
    reminders = None
    if query.assigned == "me":
        late = list_cases(connection, user, QueueQuery(assigned="me", overdue=True, limit=20))
        reminders = {
            "cases": late.items,
            "documents": waiting_documents(connection, user, user.name),
            "plans": plans_in_arrears(connection, user, user.name),
            **followups_due(connection, user.name),
        }
    pages = {
        "first": offset + 1 if listed.total else 0,
        "last": offset + len(listed.items),
        "previous": max(offset - limit, 0) if offset > 0 else None,
        "next": offset + limit if offset + limit < listed.total else None,
    }
    return render(
        request, "queue.html", user, cases=listed, filters=filters, choices=choices,
        pages=pages, sorts=PAGE_SORTS, reminders=reminders, states=QUEUE_STATES,
    )  # fmt: skip


@router.get("/cases/{case_id}", openapi_extra=PERSONAL_DATA, response_class=HTMLResponse)
def case_page(
    request: Request, case_id: str, connection: Conn, snapshot: Models, user: PageUser
) -> HTMLResponse:
    allow(user, Permission.read_casework)
    view = case_view(connection, snapshot, request.app.state.settings, user, case_id)
    lang = page_lang(request)
    chart = None
    if view.score is not None:
        contributions = view.score["contributions"]
        labels = {name: label(name, lang) for name in contributions if name in BY_NAME}
        chart = waterfall_svg(view.score["base_value"], contributions, labels, lang=lang)
    assert view.sheet is not None
    return render(
        request, "case.html", user, row=view.row, case=view.case, sheet=view.sheet,
        statements=view.sheet.statements, line_names=LINE_NAMES, advice=view.advice,
        score=view.score, chart=chart, decisions=view.decisions, peers=view.peers,
        peer_chart=peer_chart(view.peers, lang),
        notes=list_notes(connection, user, case_id), documents=checklist(connection, user, case_id),
        timeline=timeline(connection, user, case_id), plan=plan_or_none(connection, user, case_id),
        referrals=referrals(connection, user, case_id),
        milestones=milestones(connection, user, case_id), agencies=agency_names(lang),
        meetings=meetings(connection, user, case_id), what_if=WHAT_IF_START,
        today=dt.date.today(),
        analysts=case_workers(connection) if user.may(Permission.assign_anyone) else [],
    )  # fmt: skip


@router.get("/cases/{case_id}/letters", openapi_extra=PERSONAL_DATA, response_class=HTMLResponse)
def letters_page(
    request: Request, case_id: str, connection: Conn, snapshot: Models, user: PageUser
) -> HTMLResponse:
    """A proposal letter to each lender with its own terms, from the plan decided on (or the
    plan the case's assessment recommends first): print them, or save as PDF."""
    allow(user, Permission.read_casework)
    view = case_view(connection, snapshot, request.app.state.settings, user, case_id, whole=False)
    option: dict[str, Any] | None = None
    if view.advice is not None:
        decided = [d.path for d in view.decisions]
        options = view.advice.options
        plans = [o for o in options if o["path"] in PLAN_PATHS and o.get("creditors")]
        chosen = [o for o in plans if decided and o["path"] == decided[-1]]
        option = next(iter(chosen or plans), None)
    return render(
        request, "letters.html", user, case=view.case, option=option, today=dt.date.today()
    )


@router.get("/cases/{case_id}/memo", openapi_extra=PERSONAL_DATA, response_class=HTMLResponse)
def memo_page(
    request: Request, case_id: str, connection: Conn, snapshot: Models, user: PageUser
) -> HTMLResponse:
    """The committee memo: the case on paper, with signature lines (print it, or save as PDF)."""
    allow(user, Permission.read_casework)
    view = case_view(connection, snapshot, request.app.state.settings, user, case_id)
    assert view.sheet is not None
    return render(
        request, "memo.html", user, row=view.row, case=view.case, sheet=view.sheet,
        statements=view.sheet.statements, line_names=LINE_NAMES, advice=view.advice,
        score=view.score, decisions=view.decisions, peers=view.peers,
        peer_chart=peer_chart(view.peers, page_lang(request)),
        plan=plan_or_none(connection, user, case_id), today=dt.date.today(),
    )  # fmt: skip


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    connection: Conn,
    user: PageUser,
    query: Annotated[work.DashboardQuery, Depends()],
) -> HTMLResponse:
    """The centre at a glance for its managers: charts, plan performance, workload."""
    allow(user, Permission.read_dashboard)
    lang = page_lang(request)
    board = dashboard(connection, user, query)

    def named(dimension: str, value: str) -> str:
        if dimension == "province":
            return i18n.province_name(value, lang)
        if dimension in ("problem_type", "channel", "status", "triage") and value != "–":
            prefix = {"problem_type": "problem", "channel": "channel", "status": "status",
                      "triage": "triage"}[dimension]  # fmt: skip
            return i18n.t(f"{prefix}:{value}", lang)
        return value

    charts = [
        (d, bars_svg([(named(d, k), v) for k, v in counts.items()], i18n.t(f"by_{d}", lang)))
        for d, counts in board.counts.items()
    ]
    return render(request, "dashboard.html", user, board=board, charts=charts, query=query)


@router.get("/liaison", openapi_extra=PERSONAL_DATA, response_class=HTMLResponse)
def liaison_page(
    request: Request, connection: Conn, settings: AppSettings, user: PageUser
) -> HTMLResponse:
    allow(user, Permission.read_applications)
    summary = None
    if user.lender:
        try:
            summary = liaison.lender_summary(connection, user, user.lender, settings.sla())
        except NotFoundError:
            summary = None
    return render(request, "liaison.html", user, summary=summary)


@router.get("/models", response_class=HTMLResponse)
def models_page(request: Request, user: PageUser) -> HTMLResponse:
    allow(user, Permission.manage_models)
    configure(request.app.state.settings.tracking_uri)
    client = MlflowClient()
    rows: list[dict[str, Any]] = []
    for name in SPECS:
        for alias in (CHAMPION, CHALLENGER):
            try:
                version = client.get_model_version_by_alias(name, alias)
            except Exception:
                rows.append({"name": name, "alias": alias, "version": None})
                continue
            run = client.get_run(version.run_id or "")
            rows.append(
                {
                    "name": name, "alias": alias, "version": version.version,
                    "run_id": version.run_id, "metrics": run.data.metrics,
                    "trained_at": dt.datetime.fromtimestamp(run.info.start_time / 1000, dt.UTC),
                    "tags": run.data.tags,
                    "run_url": f"{request.app.state.settings.mlflow_ui_url}/#/experiments/"
                    f"{run.info.experiment_id}/runs/{version.run_id}",
                }
            )  # fmt: skip
    drift = {name: latest_drift(name) for name in SPECS}
    return render(request, "models.html", user, rows=rows, drift=drift)
