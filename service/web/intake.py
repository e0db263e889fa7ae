"""OSS intake on the web: upload statements as they arrive (XLSX or CSV, Thai labels, B.E.
years), read the import report, then register the case for each business it found."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from features.schema import CHANNELS, PROBLEM_TYPES
from service import schemas
from service.assessments import register_and_assess
from service.auth import check_same_origin
from service.deps import Conn, Models
from service.errors import InvalidInputError, validation_details
from service.imports import preview_import
from service.roles import Permission
from service.sessions import SignedIn
from service.web.pages import allow, page_session, render

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
    files: Annotated[list[UploadFile], File()],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """Read the uploaded files and show the import report; nothing is saved yet."""
    allow(signed.user, Permission.register_cases)
    check_same_origin(request, signed.csrf_token, csrf_token)
    contents = [((f.filename or "")[:200], await f.read()) for f in files]
    preview = await run_in_threadpool(preview_import, contents)
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
    created = register_and_assess(connection, snapshot, signed.user, case, None)
    request.state.case_id = created.case_id
    target = (
        f"/ui/cases/{created.case_id}" if signed.user.may(Permission.work_cases) else "/ui/cases"
    )
    return RedirectResponse(target, status_code=303)
