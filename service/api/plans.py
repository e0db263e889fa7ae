"""Recommended paths for a case, its standing against its peers, and the analyst's what-if on
plan terms."""

from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import CaseId, CaseWorker, CaseworkReader, Conn, Models
from service.cases import advice
from service.kit import schemas
from service.views import peers
from service.views import schemas as views

router = APIRouter(prefix="/cases", tags=["recommendations"])


@router.get("/{case_id}/recommendations", response_model=schemas.Recommendations)
def recommendations(
    case_id: CaseId,
    connection: Conn,
    snapshot: Models,
    user: CaseWorker,
    as_of: schemas.Day | None = None,
) -> schemas.Recommendations:
    """Ranked options (restructure, refinance, bank follow-up, ...), each with its numbers, as
    of `as_of` or, by default, the date of the case's latest assessment (the one the queue's
    triage comes from)."""
    return advice.recommendations(connection, snapshot, user, case_id, as_of)


@router.get("/{case_id}/peers", response_model=views.Peers)
def case_peers(
    case_id: CaseId, connection: Conn, user: CaseworkReader, as_of: schemas.Day | None = None
) -> views.Peers:
    """Each ratio of the case's business as a percentile among its peers (TSIC section and size
    class, and region where that group holds 30 or more; coarser groups otherwise), with the
    peers' quartiles, the group and its size, as of `as_of` or the case's latest assessment.
    Peers are counted, never named."""
    return peers.case_peers(connection, user, case_id, as_of)


@router.post("/{case_id}/simulate", response_model=schemas.Simulation)
def simulate(
    case_id: CaseId, terms: schemas.PlanTerms, connection: Conn, snapshot: Models, user: CaseWorker
) -> schemas.Simulation:
    """Re-compute installment, DSCR, lender NPV and feasibility for the given plan terms."""
    return advice.simulate(connection, snapshot, user, case_id, terms)
