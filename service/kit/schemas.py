"""Request and response models. Portfolio rows mirror the documented schema (features.schema):
the API accepts exactly the columns, types, ranges and allowed values a portfolio file does."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model, model_validator

from features.catalogues.case_statuses import CASE_STATUSES
from features.schema import (
    APPLICATION_STATUSES,
    BUSINESSES,
    CHANNELS,
    DEBTS,
    FINANCIAL_STATEMENTS,
    FIRST_YEAR,
    LAST_YEAR,
    LOAN_APPLICATIONS,
    MAX_TEXT_LENGTH,
    PROBLEM_TYPES,
)
from features.schema import Column as SchemaColumn
from features.schema import Table as SchemaTable
from models.advice.paths import PATH_NAMES
from models.advice.triage import TRIAGE_CLASSES
from models.bands import BANDS

MAX_NOTE_LENGTH = 4000
# Invisible characters: separators, controls and formatting (zero-width spaces among them).
_INVISIBLE = ("Zs", "Zl", "Zp", "Cc", "Cf")


def _plain_text(value: str) -> str:
    """Text a database and a CSV can hold: valid Unicode, no control characters but tab and
    line breaks."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not valid Unicode text (a lone surrogate)") from None
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in value):
        raise ValueError("contains control characters")
    return value


def _visible(value: str) -> str:
    if not any(unicodedata.category(c) not in _INVISIBLE for c in value):
        raise ValueError("has no visible characters")
    return value


def _within_years(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"outside the years {FIRST_YEAR}-{LAST_YEAR}")
    return value


Text = Annotated[str, AfterValidator(_plain_text), Field(max_length=MAX_TEXT_LENGTH)]
Note = Annotated[str, AfterValidator(_plain_text), Field(max_length=MAX_NOTE_LENGTH)]
Reason = Annotated[Note, AfterValidator(_visible)]
# What a search box sends: plain text of a name, an id or a tax id.
SearchText = Annotated[str, AfterValidator(_plain_text), Field(max_length=100)]
Day = Annotated[dt.date, AfterValidator(_within_years)]


class Strict(BaseModel):
    """Request bodies: unknown fields, NaN and infinity are refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _field(column: SchemaColumn) -> tuple[Any, Any]:
    kind: Any = {"int": int, "float": float, "date": Day, "bool": bool}.get(column.kind, Text)
    if column.allowed is not None and column.kind == "category":
        kind = Literal[column.allowed]
    constraints: dict[str, Any] = {"description": column.description or None}
    if column.kind in ("int", "float", "bool"):
        constraints["strict"] = True  # true is not 1, and 2.5 is not an integer
    if column.kind == "id":
        constraints["min_length"] = 1
        constraints["pattern"] = r"^\S(.*\S)?$"
    if column.min is not None and column.kind in ("int", "float"):
        constraints["ge"] = column.min
    if column.max is not None and column.kind in ("int", "float"):
        constraints["le"] = column.max
    if column.kind == "tax_id":
        constraints["pattern"] = r"^\d{13}$"
    if column.required and not column.nullable:
        return kind, Field(..., **constraints)
    return kind | None, Field(None, **constraints)


def _row_model(table: SchemaTable, name: str, omit: tuple[str, ...] = ()) -> type[BaseModel]:
    fields: dict[str, Any] = {c.name: _field(c) for c in table.columns if c.name not in omit}
    model: type[BaseModel] = create_model(name, __base__=Strict, **fields)
    return model


# The row models and enums are built at run time from the schema declarations, which a type
# checker cannot follow; it sees them as what they hold.
if TYPE_CHECKING:
    BusinessIn: TypeAlias = Any
    StatementIn: TypeAlias = Any
    FacilityIn: TypeAlias = Any
    ApplicationIn: TypeAlias = Any
    Channel: TypeAlias = str
    ProblemType: TypeAlias = str
    CaseStatus: TypeAlias = str
    PathName: TypeAlias = str
    RiskBand: TypeAlias = str
    ApplicationStatus: TypeAlias = str
    TriageClass: TypeAlias = str
else:
    BusinessIn = _row_model(BUSINESSES, "BusinessIn")
    StatementIn = _row_model(FINANCIAL_STATEMENTS, "StatementIn", omit=("business_id",))
    FacilityIn = _row_model(DEBTS, "FacilityIn", omit=("business_id",))
    ApplicationIn = _row_model(LOAN_APPLICATIONS, "ApplicationIn", omit=("business_id",))
    Channel = Literal[CHANNELS]
    ProblemType = Literal[PROBLEM_TYPES]
    CaseStatus = Literal[CASE_STATUSES]
    PathName = Literal[PATH_NAMES]
    RiskBand = Literal[tuple(band for band, _ in BANDS)]
    ApplicationStatus = Literal[APPLICATION_STATUSES]
    TriageClass = Literal[TRIAGE_CLASSES]


class BusinessPayload(Strict):
    """A business with its statements, facilities and applications: one validated unit."""

    business: BusinessIn
    financial_statements: list[StatementIn] = Field(default_factory=list, max_length=100)
    debts: list[FacilityIn] = Field(default_factory=list, max_length=500)
    loan_applications: list[ApplicationIn] = Field(default_factory=list, max_length=500)


class CaseIn(BusinessPayload):
    channel: Channel
    intake_centre: Text | None = None
    received_at: Day | None = None
    problem_types: list[ProblemType] = Field(default_factory=list, max_length=10)


class ScoreRequest(BusinessPayload):
    as_of: Day | None = None


class ReasonCode(BaseModel):
    feature: str
    value: str
    contribution: float
    description: str
    text_en: str
    text_th: str


class Score(BaseModel):
    business_id: str
    as_of: dt.date
    distress_probability: float
    risk_band: str
    model_version: str
    base_value: float
    raw_score: float
    reasons: list[ReasonCode]
    contributions: dict[str, float]
    statement_age_days: int | None = None  # days from the latest statement's period end
    stale_statements: bool = False  # none on record, or older than the stale limit


class CaseOut(BaseModel):
    case_id: str
    business_id: str
    business_name: str | None
    tax_id: str | None
    sector: str | None
    province: str | None
    channel: str
    intake_centre: str | None
    received_at: dt.date
    problem_types: list[str]
    status: str
    distress_probability: float | None
    risk_band: str | None
    triage: str | None
    best_feasibility: float | None = None  # the best plan's chance of performing 12 months
    triage_reasons: list[str]
    triage_reasons_th: list[str] = []
    priority: float | None
    days_open: int
    assigned_to: str | None = None
    days_in_status: int | None = None
    sla_days: int | None = None
    overdue: bool = False


class CaseList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[CaseOut]
    next_cursor: str | None = None  # `after` for the next page; None on the last
    triage_counts: dict[str, int] = {}  # the selected cases by triage class
    band_counts: dict[str, int] = {}  # and by risk band


class QueueFilters(BaseModel):
    triage: list[str]
    provinces: list[str]
    statuses: list[str]
    channels: list[str]
    risk_bands: list[str]
    problem_types: list[str]


class StatusChange(Strict):
    to: CaseStatus
    note: Note | None = None


class Assessment(BaseModel):
    id: int
    case_id: str
    as_of: dt.date
    created_at: dt.datetime
    created_by: str
    distress_probability: float
    risk_band: str
    distress_model_version: str
    reasons: list[ReasonCode]
    features: dict[str, Any]


class AssessmentRequest(Strict):
    as_of: Day | None = None


class DecisionIn(Strict):
    """The chosen path; a reason is required when it is not the path recommended first."""

    path: PathName
    reason: Reason | None = None


class DecisionOut(BaseModel):
    id: int
    case_id: str
    path: str
    recommended_path: str | None
    overrides_model: bool
    reason: str | None
    decided_by: str
    decided_at: dt.datetime


class OutcomeIn(Strict):
    as_of: Day
    distress_12m: bool | None = Field(None, strict=True)
    performing_12m: bool | None = Field(None, strict=True)
    note: Note | None = None


class Recorded(BaseModel):
    id: int
    case_id: str


class StalledApplication(BaseModel):
    application_id: str
    business_id: str
    business_name: str | None = None
    case_id: str | None = None  # the centre's open case on the business
    assigned_to: str | None = None
    lender: str
    product: str | None
    amount: float | None
    submitted_at: dt.date
    status: str
    waiting_on: str = "bank"  # bank, or borrower (documents requested)
    days_since_change: int | None = None
    days_pending: int
    sla_days: int
    days_over_sla: int
    rejection_reason: str | None = None
    last_follow_up: str | None = None
    follow_ups: int = 0
    missing_documents: list[str] = []  # requested by the centre, not yet received


class LenderSummary(BaseModel):
    lender: str
    pending: int
    stalled: int
    median_days_pending: float | None
    p90_days_pending: float | None
    approval_rate: float | None
    stalled_applications: list[StalledApplication]


class ModelInfo(BaseModel):
    name: str
    version: str | None
    loaded_at: dt.datetime | None
    error: str | None


class PlanTerms(Strict):
    """What-if terms for a case's debt; the principal defaults to the outstanding less haircut."""

    annual_rate: float = Field(
        ..., ge=0, le=3, strict=True, description="annual rate, fraction (0.065)"
    )
    tenor_months: int = Field(..., ge=1, le=600, strict=True)
    grace_months: int = Field(0, ge=0, le=120, strict=True)
    haircut: float = Field(0.0, ge=0, le=1, strict=True, description="share of the debt forgiven")
    as_of: Day | None = None

    @model_validator(mode="after")
    def _grace_within_tenor(self) -> PlanTerms:
        if self.grace_months >= self.tenor_months:
            raise ValueError("grace_months must be shorter than tenor_months")
        return self


class Simulation(BaseModel):
    case_id: str
    numbers: dict[str, float | None]
    feasibility: float | None
    feasibility_model_version: str | None


class Recommendations(BaseModel):
    case_id: str
    as_of: dt.date
    distress_probability: float
    risk_band: str
    plan_search: str
    size_class: str | None = None
    outside_sme: dict[str, Any] | None = None  # why a business above medium gets no SME programme
    programmes_considered: list[dict[str, Any]] = []
    options: list[dict[str, Any]]


class ApplicationStatusIn(Strict):
    """An application's next status, when it changed (default today) and, for a rejection,
    the lender's reason."""

    to: ApplicationStatus
    changed_at: Day | None = None
    rejection_reason: Text | None = None


class ApplicationStatusOut(BaseModel):
    application_id: str
    business_id: str
    lender: str
    status: str
    status_changed_at: dt.date
    decided_at: dt.date | None
    rejection_reason: str | None
