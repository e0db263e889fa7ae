"""Request and response models. Portfolio rows mirror the documented schema (features.schema):
the API accepts exactly the columns, types, ranges and allowed values a portfolio file does."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from features.schema import (
    BUSINESSES,
    CASE_STATUSES,
    CHANNELS,
    DEBTS,
    FINANCIAL_STATEMENTS,
    LOAN_APPLICATIONS,
    PROBLEM_TYPES,
)
from features.schema import Column as SchemaColumn
from features.schema import Table as SchemaTable
from models.paths import PATH_NAMES


def _field(column: SchemaColumn) -> tuple[Any, Any]:
    kind: Any = {
        "int": int,
        "float": float,
        "date": dt.date,
        "bool": bool,
    }.get(column.kind, str)
    if column.allowed is not None and column.kind == "category":
        kind = Literal[column.allowed]
    constraints: dict[str, Any] = {"description": column.description or None}
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
    model: type[BaseModel] = create_model(name, __config__=ConfigDict(extra="forbid"), **fields)
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
else:
    BusinessIn = _row_model(BUSINESSES, "BusinessIn")
    StatementIn = _row_model(FINANCIAL_STATEMENTS, "StatementIn", omit=("business_id",))
    FacilityIn = _row_model(DEBTS, "FacilityIn", omit=("business_id",))
    ApplicationIn = _row_model(LOAN_APPLICATIONS, "ApplicationIn", omit=("business_id",))
    Channel = Literal[CHANNELS]
    ProblemType = Literal[PROBLEM_TYPES]
    CaseStatus = Literal[CASE_STATUSES]
    PathName = Literal[PATH_NAMES]


class BusinessPayload(BaseModel):
    """A business with its statements, facilities and applications: one validated unit."""

    model_config = ConfigDict(extra="forbid")
    business: BusinessIn
    financial_statements: list[StatementIn] = Field(default_factory=list)
    debts: list[FacilityIn] = Field(default_factory=list)
    loan_applications: list[ApplicationIn] = Field(default_factory=list)


class CaseIn(BusinessPayload):
    channel: Channel
    intake_centre: str | None = None
    received_at: dt.date | None = None
    problem_types: list[ProblemType] = Field(default_factory=list)


class ScoreRequest(BusinessPayload):
    as_of: dt.date | None = None


class Reason(BaseModel):
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
    reasons: list[Reason]
    contributions: dict[str, float]


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
    priority: float | None
    days_open: int


class CaseList(BaseModel):
    total: int
    items: list[CaseOut]


class StatusChange(BaseModel):
    to: CaseStatus
    note: str | None = None


class Assessment(BaseModel):
    id: int
    case_id: str
    as_of: dt.date
    created_at: dt.datetime
    created_by: str
    distress_probability: float
    risk_band: str
    distress_model_version: str
    reasons: list[Reason]
    features: dict[str, Any]


class AssessmentRequest(BaseModel):
    as_of: dt.date | None = None


class DecisionIn(BaseModel):
    path: PathName
    overrides_model: bool = False
    reason: str | None = Field(None, max_length=4000)


class OutcomeIn(BaseModel):
    as_of: dt.date
    distress_12m: bool | None = None
    performing_12m: bool | None = None
    note: str | None = Field(None, max_length=4000)


class Recorded(BaseModel):
    id: int
    case_id: str


class StalledApplication(BaseModel):
    application_id: str
    business_id: str
    lender: str
    product: str | None
    amount: float | None
    submitted_at: dt.date
    status: str
    days_pending: int
    sla_days: int
    days_over_sla: int


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


class PlanTerms(BaseModel):
    """What-if terms for a case's debt; the principal defaults to the outstanding less haircut."""

    model_config = ConfigDict(extra="forbid")
    annual_rate: float = Field(..., ge=0, le=3, description="annual rate, fraction (0.065)")
    tenor_months: int = Field(..., ge=1, le=600)
    grace_months: int = Field(0, ge=0, le=120)
    haircut: float = Field(0.0, ge=0, le=1, description="share of the debt forgiven")
    as_of: dt.date | None = None

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
    options: list[dict[str, Any]]
