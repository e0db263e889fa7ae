"""A business's rows on record, replaced explicitly and within the caller's scope."""

from __future__ import annotations

from fastapi import APIRouter, Request

from service import schemas
from service.deps import CaseRegistrar, Conn
from service.errors import InvalidInputError
from service.payloads import payload_frames
from service.records import replace_business
from service.scoring import checked_portfolio

router = APIRouter(prefix="/businesses", tags=["cases"])


@router.put("/{business_id}", response_model=dict[str, int])
def replace(
    business_id: str,
    payload: schemas.BusinessPayload,
    request: Request,
    connection: Conn,
    user: CaseRegistrar,
) -> dict[str, int]:
    """Replace the business's details, statements, facilities and applications with these;
    the audit log records who did it."""
    if payload.business.business_id != business_id:
        raise InvalidInputError.field(
            ["body", "business", "business_id"], f"must be {business_id}, the business in the path"
        )
    request.state.business_id = business_id
    return replace_business(connection, user, checked_portfolio(payload_frames(payload)))
