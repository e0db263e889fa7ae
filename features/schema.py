"""The documented portfolio input schema, declared once.

Every table of a portfolio is described here: its columns with their kind, whether they are
required, their allowed ranges or values, the table's key and its foreign keys. The validator
(`features.cells`, `features.validation`), the loader, the generator's tests and the API's
intake models all read these declarations, so the schema has a single source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from features.catalogues.case_statuses import CASE_STATUSES
from features.catalogues.category_labels import (
    APPLICATION_STATUS_LABELS,
    COLLATERAL_TYPE_LABELS,
    FACILITY_TYPE_LABELS,
    LEGAL_STAGE_LABELS,
)

Kind = Literal["id", "text", "category", "list", "int", "float", "date", "bool", "tax_id"]

SECTORS: dict[str, str] = {
    "A": "Agriculture, forestry and fishing",
    "B": "Mining and quarrying",
    "C": "Manufacturing",
    "D": "Electricity, gas, steam and air conditioning supply",
    "E": "Water supply; sewerage, waste management",
    "F": "Construction",
    "G": "Wholesale and retail trade; repair of motor vehicles",
    "H": "Transportation and storage",
    "I": "Accommodation and food service activities",
    "J": "Information and communication",
    "K": "Financial and insurance activities",
    "L": "Real estate activities",
    "M": "Professional, scientific and technical activities",
    "N": "Administrative and support service activities",
    "O": "Public administration and defence",
    "P": "Education",
    "Q": "Human health and social work activities",
    "R": "Arts, entertainment and recreation",
    "S": "Other service activities",
    "T": "Activities of households as employers",
    "U": "Activities of extraterritorial organizations",
}
SECTOR_NAMES_TH: dict[str, str] = {
    "A": "เกษตรกรรม การป่าไม้ และการประมง",
    "B": "การทำเหมืองแร่และเหมืองหิน",
    "C": "การผลิต",
    "D": "ไฟฟ้า ก๊าซ ไอน้ำ และระบบการปรับอากาศ",
    "E": "การจัดหาน้ำ การจัดการน้ำเสีย และของเสีย",
    "F": "การก่อสร้าง",
    "G": "การขายส่งและการขายปลีก การซ่อมยานยนต์",
    "H": "การขนส่งและสถานที่เก็บสินค้า",
    "I": "ที่พักแรมและบริการด้านอาหาร",
    "J": "ข้อมูลข่าวสารและการสื่อสาร",
    "K": "กิจกรรมทางการเงินและการประกันภัย",
    "L": "กิจกรรมอสังหาริมทรัพย์",
    "M": "กิจกรรมทางวิชาชีพ วิทยาศาสตร์ และเทคนิค",
    "N": "กิจกรรมการบริหารและการบริการสนับสนุน",
    "O": "การบริหารราชการ การป้องกันประเทศ และการประกันสังคมภาคบังคับ",
    "P": "การศึกษา",
    "Q": "กิจกรรมด้านสุขภาพและงานสังคมสงเคราะห์",
    "R": "ศิลปะ ความบันเทิง และนันทนาการ",
    "S": "กิจกรรมบริการด้านอื่น ๆ",
    "T": "กิจกรรมการจ้างงานในครัวเรือน",
    "U": "กิจกรรมขององค์การระหว่างประเทศ",
}
REGIONS = ("central", "east", "west", "north", "northeast", "south")
REGION_NAMES_TH: dict[str, str] = {
    "central": "ภาคกลาง",
    "east": "ภาคตะวันออก",
    "west": "ภาคตะวันตก",
    "north": "ภาคเหนือ",
    "northeast": "ภาคตะวันออกเฉียงเหนือ",
    "south": "ภาคใต้",
}
LEGAL_FORMS = (
    "sole_proprietorship",
    "ordinary_partnership",
    "limited_partnership",
    "company_limited",
    "public_company_limited",
    "community_enterprise",
)
FACILITY_TYPES = tuple(FACILITY_TYPE_LABELS)
AMORTISING_FACILITIES = ("term_loan", "leasing", "informal")
# How far a lender has gone to collect, in the order of Thai civil procedure: a demand notice,
# a lawsuit filed, a judgment, then enforcement (seizure and auction by the Legal Execution
# Department). A case with any of these has little time left to agree a plan.
LEGAL_STAGES = tuple(LEGAL_STAGE_LABELS)
# What secures a facility. Real estate (land, buildings, condominium units) is what a lender
# can take in settlement and lease back (asset warehousing).
COLLATERAL_TYPES = tuple(COLLATERAL_TYPE_LABELS)
REAL_ESTATE = ("land", "land_and_buildings", "condominium")
APPLICATION_STATUSES = tuple(APPLICATION_STATUS_LABELS)
PENDING_STATUSES = ("submitted", "documents_requested", "under_review")
# Who a pending application waits on: the borrower once the lender has asked for documents, the
# bank otherwise. Only a wait on the bank counts against the lender's SLA.
BORROWER_SIDE_STATUSES = ("documents_requested",)
BANK_SIDE_STATUSES = tuple(s for s in PENDING_STATUSES if s not in BORROWER_SIDE_STATUSES)
CHANNELS = ("oss_centre", "agency_referral", "direct")
PROBLEM_TYPES = (
    "debt_distress",
    "near_collapse",
    "outdated_business",
    "loan_stalled",
    "loan_rejected",
    "technology_innovation",
    "other",
)
PLAN_TYPES = ("term_extension", "grace_period", "rate_reduction", "haircut", "combined")

# Amounts in THB beyond this are taken as a unit or typing error (a trillion baht).
MAX_AMOUNT = 1e12
# Every date of a portfolio lies in these years, and every text cell within this length (the
# database's text columns hold that many characters).
FIRST_YEAR = 1900
LAST_YEAR = 2100
MAX_TEXT_LENGTH = 200


@dataclass(frozen=True)
class Column:
    """One column: how to parse it and what values it may hold."""

    name: str
    kind: Kind
    required: bool = False
    nullable: bool = True
    min: float | None = None
    max: float | None = None
    allowed: tuple[str, ...] | None = None
    description: str = ""
    money: bool = False  # an amount in THB: stored as a fixed-point decimal


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    required: bool = False
    description: str = ""
    by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {c.name: c for c in self.columns})

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _money(name: str, *, signed: bool = False, description: str = "") -> Column:
    low = -MAX_AMOUNT if signed else 0.0
    return Column(
        name, "float", min=low, max=MAX_AMOUNT, description=description or "THB", money=True
    )


def _id(name: str, description: str = "") -> Column:
    return Column(name, "id", required=True, nullable=False, description=description)


_BUSINESS_FK = ForeignKey(("business_id",), "businesses", ("business_id",))

BUSINESSES = Table(
    "businesses",
    (
        _id("business_id"),
        Column("name", "text", description="registered name (PII for sole proprietors)"),
        Column("tax_id", "tax_id", description="13-digit Thai tax identification number (PII)"),
        Column("sector", "category", allowed=tuple(SECTORS), description="TSIC section letter"),
        Column("province", "text"),
        Column("region", "category", allowed=REGIONS),
        Column("founded_year", "int", min=1800, max=2100),
        Column("employees", "int", min=0, max=1_000_000),
        Column("legal_form", "category", allowed=LEGAL_FORMS),
    ),
    key=("business_id",),
    required=True,
    description="one row per business in the programme",
)

STATEMENT_AMOUNTS_NONNEGATIVE = (
    "revenue",
    "cost_of_sales",
    "depreciation",
    "interest_expense",
    "cash",
    "receivables",
    "inventory",
    "current_assets",
    "fixed_assets",
    "total_assets",
    "payables",
    "short_term_debt",
    "current_liabilities",
    "long_term_debt",
    "total_liabilities",
    "capex",
)
# Operating expenses net of other operating income, as small firms file them, can be negative:
# kept, with a warning (features.validation.statement_warnings).
STATEMENT_AMOUNTS_SIGNED = (
    "operating_expenses",
    "tax_expense",
    "net_income",
    "equity",
    "retained_earnings",
    "operating_cash_flow",
)

FINANCIAL_STATEMENTS = Table(
    "financial_statements",
    (
        _id("business_id"),
        Column("fiscal_year", "int", required=True, nullable=False, min=1950, max=2100),
        Column(
            "period_end",
            "date",
            required=True,
            nullable=False,
            description="the statement is visible from this date on",
        ),
        *(_money(n) for n in STATEMENT_AMOUNTS_NONNEGATIVE),
        *(_money(n, signed=True) for n in STATEMENT_AMOUNTS_SIGNED),
    ),
    key=("business_id", "fiscal_year"),
    foreign_keys=(_BUSINESS_FK,),
    description="one row per business and fiscal year",
)

DEBTS = Table(
    "debts",
    (
        _id("facility_id"),
        _id("business_id"),
        Column("lender", "text", required=True, nullable=False),
        Column("facility_type", "category", required=True, nullable=False, allowed=FACILITY_TYPES),
        _money("outstanding"),
        Column("annual_rate", "float", min=0.0, max=3.0, description="fraction a year, 0.065"),
        Column("remaining_months", "int", min=0, max=600),
        _money("monthly_installment"),
        Column("days_past_due", "int", min=0, max=10_000),
        _money("collateral_value"),
        Column(
            "collateral_type",
            "category",
            allowed=COLLATERAL_TYPES,
            description="what secures the facility: none, land, land_and_buildings, "
            "condominium, machinery, vehicles, deposits, inventory_receivables or other",
        ),
        Column("guarantee", "text", description="credit-guarantee scheme, or none"),
        Column("restructured_before", "bool"),
        Column(
            "legal_stage",
            "category",
            allowed=LEGAL_STAGES,
            description="how far the lender has gone to collect: none, demand_notice, lawsuit, "
            "judgment or enforcement",
        ),
        Column("as_of", "date", required=True, nullable=False, description="snapshot date"),
    ),
    key=("facility_id", "as_of"),
    foreign_keys=(_BUSINESS_FK,),
    description="credit facilities, one row per facility and snapshot date",
)

LOAN_APPLICATIONS = Table(
    "loan_applications",
    (
        _id("application_id"),
        _id("business_id"),
        Column("lender", "text", required=True, nullable=False),
        Column("product", "text"),
        _money("amount"),
        Column("submitted_at", "date", required=True, nullable=False),
        Column("status", "category", required=True, nullable=False, allowed=APPLICATION_STATUSES),
        Column("status_changed_at", "date"),
        Column("decided_at", "date"),
        Column("rejection_reason", "text"),
    ),
    key=("application_id",),
    foreign_keys=(_BUSINESS_FK,),
    description="loan applications with their current status",
)

APPLICATION_STATUS_HISTORY = Table(
    "application_status_history",
    (
        _id("application_id"),
        Column("status", "category", required=True, nullable=False, allowed=APPLICATION_STATUSES),
        Column("changed_at", "date", required=True, nullable=False),
    ),
    key=("application_id", "status", "changed_at"),
    foreign_keys=(ForeignKey(("application_id",), "loan_applications", ("application_id",)),),
    description="every status an application passed through, with its date",
)

CASES = Table(
    "cases",
    (
        _id("case_id"),
        _id("business_id"),
        Column("channel", "category", required=True, nullable=False, allowed=CHANNELS),
        Column("intake_centre", "text"),
        Column("received_at", "date", required=True, nullable=False),
        Column(
            "problem_types",
            "list",
            allowed=PROBLEM_TYPES,
            description="semicolon-separated problem types",
        ),
        Column("status", "category", allowed=CASE_STATUSES),
    ),
    key=("case_id",),
    foreign_keys=(_BUSINESS_FK,),
    description="cases received by the rescue centre",
)

OUTCOMES = Table(
    "outcomes",
    (
        _id("business_id"),
        Column("as_of", "date", required=True, nullable=False),
        Column("distress_12m", "bool", description="distress within 12 months after as_of"),
        Column("restructuring_id", "text"),
        Column("restructured_at", "date"),
        Column("plan_type", "category", allowed=PLAN_TYPES),
        _money("plan_outstanding", description="principal after any haircut, THB"),
        Column("plan_rate", "float", min=0.0, max=3.0),
        Column("plan_tenor_months", "int", min=1, max=600),
        Column("plan_grace_months", "int", min=0, max=120),
        Column("plan_haircut", "float", min=0.0, max=1.0, description="share of debt forgiven"),
        _money("plan_installment"),
        Column("performing_12m", "bool", description="the plan performed for 12 months"),
    ),
    key=("business_id", "as_of", "restructuring_id"),
    foreign_keys=(_BUSINESS_FK,),
    description="labels: distress rows, and restructuring rows with plan terms",
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        BUSINESSES,
        FINANCIAL_STATEMENTS,
        DEBTS,
        LOAN_APPLICATIONS,
        APPLICATION_STATUS_HISTORY,
        CASES,
        OUTCOMES,
    )
}

# Balance-sheet identity tolerance: total_assets = total_liabilities + equity within
# this absolute amount plus this share of total assets (rounding in filed statements).
IDENTITY_ABS_TOLERANCE = 1.0
IDENTITY_REL_TOLERANCE = 0.005
