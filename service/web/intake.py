"""OSS intake on the web: upload statements as they arrive (XLSX or CSV, Thai labels, B.E.
years), read the import report, then register the case for each business it found."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import Connection
from starlette.datastructures import FormData

from features.schema import (
    CHANNELS,
    COLLATERAL_TYPES,
    FACILITY_TYPES,
    LEGAL_FORMS,
    LEGAL_STAGES,
    PROBLEM_TYPES,
    SECTORS,
)
from service.access.auth import check_same_origin
from service.access.sessions import SignedIn
from service.api.deps import AppSettings, Assessing, Conn, Models
from service.cases.assessments import register_and_assess
from service.casework import intake_form as intake_form_rows
from service.intake.import_runner import preview_apart
from service.kit import schemas
from service.kit.audit import PERSONAL_DATA
from service.kit.errors import InvalidInputError, validation_details
from service.kit.roles import Permission
from service.web.pages import LINE_NAMES, allow, page_session, render

router = APIRouter(prefix="/ui", include_in_schema=False)
Session = Annotated[SignedIn, Depends(page_session)]


@router.get("/intake", response_class=HTMLResponse)
def intake_page(request: Request, signed: Session) -> HTMLResponse:
    allow(signed.user, Permission.register_cases)
    return render(request, "intake.html", signed.user, preview=None)


@router.post("/intake", response_class=HTMLResponse)
async def intake_upload(
    request: Request,
    signed: Session,
    settings: AppSettings,
    files: Annotated[list[UploadFile], File()],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """Read the uploaded files and show the import report; nothing is saved yet."""
    allow(signed.user, Permission.register_cases)
    check_same_origin(request, signed.csrf_token, csrf_token)
    contents = [((f.filename or "")[:200], await f.read()) for f in files]
    preview = await run_in_threadpool(preview_apart, contents, settings.import_seconds)
    payloads = [json.dumps(p, ensure_ascii=False) for p in preview.payloads]
    return render(
        request, "intake.html", signed.user, preview=preview, payloads=payloads,
        CHANNELS=CHANNELS, PROBLEM_TYPES=PROBLEM_TYPES, today=dt.date.today().isoformat(),
    )  # fmt: skip


@router.post("/intake/register")
def intake_register(
    request: Request,
    signed: Session,
    connection: Conn,
    snapshot: Models,
    assess: Assessing,
    payload: Annotated[str, Form(max_length=2_000_000)],
    channel: Annotated[str, Form(max_length=40)],
    problem_types: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI reads the default)
    intake_centre: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Register the case of one imported business, as POST /cases would."""
    allow(signed.user, Permission.register_cases)
    check_same_origin(request, signed.csrf_token, csrf_token)
    try:
        body = json.loads(payload)
        # Statements seldom name the province; an officer registers in their own.
        if signed.user.province and not body["business"].get("province"):
            body["business"]["province"] = signed.user.province
        case = schemas.CaseIn.model_validate(
            {
                **body, "channel": channel, "problem_types": problem_types,
                "intake_centre": intake_centre or None,
            }
        )  # fmt: skip
    except (ValueError, KeyError, TypeError, ValidationError) as exc:
        errors = exc.errors() if isinstance(exc, ValidationError) else []
        raise InvalidInputError(validation_details(errors) or "the payload is not JSON") from None
    created = register_and_assess(connection, snapshot, signed.user, case, None, assess)
    request.state.case_id = created.case_id
    target = (
        f"/ui/cases/{created.case_id}" if signed.user.may(Permission.work_cases) else "/ui/cases"
    )
    return RedirectResponse(target, status_code=303)


@router.get("/intake/form", openapi_extra=PERSONAL_DATA, response_class=HTMLResponse)
def intake_form(
    request: Request,
    signed: Session,
    connection: Conn,
    draft: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> HTMLResponse:
    """A case entered by hand, empty or resumed from a saved draft."""
    allow(signed.user, Permission.register_cases)
    values = intake_form_rows.draft(connection, signed.user, draft) if draft else {}
    return _form(request, signed, connection, values, {}, draft, saved=False)


async def _form_data(request: Request) -> FormData:
    return await request.form(max_fields=intake_form_rows.MAX_FIELDS)


@router.post("/intake/form", response_class=HTMLResponse)
def intake_form_submit(
    request: Request,
    signed: Session,
    connection: Conn,
    snapshot: Models,
    assess: Assessing,
    form: Annotated[FormData, Depends(_form_data)],
) -> Response:
    """Save the form as a draft, discard the draft, or register the case; a field that is not
    right is shown beside its input, and nothing is registered."""
    allow(signed.user, Permission.register_cases)
    check_same_origin(request, signed.csrf_token, str(form.get("csrf_token", "")))
    fields = {k: str(v) for k, v in form.items() if isinstance(v, str) and len(v) <= 200}
    fields["problem_types"] = ",".join(str(v) for v in form.getlist("problem_types"))
    action = fields.pop("action", "register")
    draft_text = fields.pop("draft", "")
    draft_id = int(draft_text) if draft_text.isdigit() else None
    if action == "save":
        saved = intake_form_rows.save_draft(connection, signed.user, fields, draft_id)
        return _form(request, signed, connection, fields, {}, saved, saved=True)
    if action == "discard":
        if draft_id is not None:
            intake_form_rows.discard_draft(connection, signed.user, draft_id)
        return RedirectResponse("/ui/intake/form", status_code=303)
    body = intake_form_rows.payload_from(fields)
    if signed.user.province and not body["business"].get("province"):
        body["business"]["province"] = signed.user.province
    try:
        case = schemas.CaseIn.model_validate(body)
    except ValidationError as exc:
        errors = intake_form_rows.field_errors(validation_details(exc.errors()))
        return _form(request, signed, connection, fields, errors, draft_id, saved=False)
    created = register_and_assess(connection, snapshot, signed.user, case, None, assess)
    if draft_id is not None:
        intake_form_rows.discard_draft(connection, signed.user, draft_id)
    request.state.case_id = created.case_id
    target = (
        f"/ui/cases/{created.case_id}" if signed.user.may(Permission.work_cases) else "/ui/cases"
    )
    return RedirectResponse(target, status_code=303)


def _form(
    request: Request,
    signed: SignedIn,
    connection: Connection,
    values: dict[str, str],
    errors: dict[str, tuple[str, str]],
    draft_id: int | None,
    *,
    saved: bool,
) -> HTMLResponse:
    response = render(
        request, "intake_form.html", signed.user, values=values, errors=errors,
        draft_id=draft_id, saved=saved, drafts=intake_form_rows.drafts(connection, signed.user),
        years=range(intake_form_rows.YEARS), facilities=range(intake_form_rows.FACILITIES),
        lines=intake_form_rows.STATEMENT_LINES, facility_fields=intake_form_rows.FACILITY_FIELDS,
        CHANNELS=CHANNELS, PROBLEM_TYPES=PROBLEM_TYPES, SECTORS=SECTORS, LEGAL_FORMS=LEGAL_FORMS,
        facility_choices={"facility_type": ("facility", FACILITY_TYPES),
                          "legal_stage": ("legal", LEGAL_STAGES),
                          "collateral_type": ("collateral", COLLATERAL_TYPES)},
        line_names=LINE_NAMES,
    )  # fmt: skip
    if errors:
        response.status_code = 422
    return response
