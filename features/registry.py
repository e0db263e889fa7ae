"""Every model feature, defined once: its family, meaning and direction of risk.

`risk` is +1 where a higher value means more distress risk, -1 where it means less, and 0 where
credit practice sets no direction. Monotone constraints and reason-code sentences read it, so a
feature added here is explained and constrained consistently everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast, get_args

from features.ratio_library import LIBRARY, Ratio
from features.schema import REGIONS, SECTORS

Family = Literal[
    "liquidity",
    "leverage",
    "coverage",
    "profitability",
    "activity",
    "growth",
    "cash_flow",
    "distress_score",
    "size",
    "firmographics",
    "credit",
    "applications",
    "availability",
    "plan",
]


@dataclass(frozen=True)
class Feature:
    name: str
    family: Family
    description: str
    risk: int = 0
    categorical: bool = False
    label_th: str = ""
    source: str = ""


FEATURES: tuple[Feature, ...] = (
    Feature(
        "current_ratio",
        "liquidity",
        "current assets / current liabilities",
        -1,
        label_th="อัตราส่วนเงินทุนหมุนเวียน",
    ),
    Feature(
        "quick_ratio",
        "liquidity",
        "(current assets - inventory) / current liabilities",
        -1,
        label_th="อัตราส่วนสินทรัพย์คล่องตัว",
    ),
    Feature("cash_ratio", "liquidity", "cash / current liabilities", -1, label_th="อัตราส่วนเงินสด"),
    Feature(
        "working_capital_to_assets",
        "liquidity",
        "(current assets - current liabilities) / total assets",
        -1,
        label_th="เงินทุนหมุนเวียนต่อสินทรัพย์รวม",
    ),
    Feature(
        "debt_to_equity",
        "leverage",
        "(short- + long-term debt) / equity; NaN where equity <= 0",
        1,
        label_th="หนี้สินที่มีภาระดอกเบี้ยต่อทุน",
    ),
    Feature("negative_equity", "leverage", "1 where equity <= 0", 1, label_th="ส่วนของผู้ถือหุ้นติดลบ"),
    Feature(
        "liabilities_to_assets",
        "leverage",
        "total liabilities / total assets",
        1,
        label_th="หนี้สินรวมต่อสินทรัพย์รวม",
    ),
    Feature(
        "debt_to_ebitda",
        "leverage",
        "debt / EBITDA; NaN where EBITDA <= 0",
        1,
        label_th="หนี้สินต่อกำไรก่อนดอกเบี้ย ภาษี และค่าเสื่อม",
    ),
    Feature(
        "interest_coverage",
        "coverage",
        "EBIT / interest expense",
        -1,
        label_th="ความสามารถในการจ่ายดอกเบี้ย",
    ),
    Feature(
        "dscr",
        "coverage",
        "EBITDA / annual debt service (12 x installments of facilities on record)",
        -1,
        label_th="ความสามารถในการชำระหนี้ (DSCR)",
    ),
    Feature("roa", "profitability", "net income / total assets", -1, label_th="ผลตอบแทนต่อสินทรัพย์"),
    Feature("ebitda_margin", "profitability", "EBITDA / revenue", -1, label_th="อัตรากำไร EBITDA"),
    Feature("net_margin", "profitability", "net income / revenue", -1, label_th="อัตรากำไรสุทธิ"),
    Feature(
        "asset_turnover", "activity", "revenue / total assets", 0, label_th="อัตราการหมุนของสินทรัพย์"
    ),
    Feature(
        "dso", "activity", "receivables / revenue x 365 days", 0, label_th="ระยะเวลาเก็บหนี้ (วัน)"
    ),
    Feature(
        "dio",
        "activity",
        "inventory / cost of sales x 365 days",
        0,
        label_th="ระยะเวลาขายสินค้า (วัน)",
    ),
    Feature(
        "dpo",
        "activity",
        "payables / cost of sales x 365 days",
        0,
        label_th="ระยะเวลาชำระหนี้การค้า (วัน)",
    ),
    Feature(
        "cash_conversion_cycle", "activity", "DSO + DIO - DPO, days", 0, label_th="วงจรเงินสด (วัน)"
    ),
    Feature(
        "revenue_growth",
        "growth",
        "revenue of the latest year / the year before - 1",
        -1,
        label_th="การเติบโตของรายได้",
    ),
    Feature(
        "ebitda_growth",
        "growth",
        "EBITDA of the latest year / the year before - 1; NaN where the base <= 0",
        -1,
        label_th="การเติบโตของ EBITDA",
    ),
    Feature(
        "revenue_volatility",
        "growth",
        "standard deviation of yearly revenue growth over the visible years",
        1,
        label_th="ความผันผวนของรายได้",
    ),
    Feature(
        "years_of_statements",
        "availability",
        "fiscal years of statements visible",
        0,
        label_th="จำนวนปีของงบการเงิน",
    ),
    Feature(
        "altman_z2",
        "distress_score",
        "Altman Z'' for private non-manufacturing firms",
        -1,
        label_th="คะแนน Altman Z''",
    ),
    Feature(
        "log_total_assets",
        "size",
        "log(1 + total assets in THB)",
        0,
        label_th="ขนาดสินทรัพย์ (ลอการิทึม)",
    ),
    Feature("log_revenue", "size", "log(1 + revenue in THB)", 0, label_th="ขนาดรายได้ (ลอการิทึม)"),
    Feature("employees", "firmographics", "number of employees", 0, label_th="จำนวนพนักงาน"),
    Feature(
        "firm_age",
        "firmographics",
        "years since founding at the as-of date",
        -1,
        label_th="อายุกิจการ (ปี)",
    ),
    Feature("sector", "firmographics", "TSIC section", 0, categorical=True, label_th="หมวดธุรกิจ"),
    Feature(
        "region", "firmographics", "region of the province", 0, categorical=True, label_th="ภูมิภาค"
    ),
    Feature("n_facilities", "credit", "credit facilities on record", 0, label_th="จำนวนวงเงินสินเชื่อ"),
    Feature(
        "total_outstanding",
        "credit",
        "outstanding balance of all facilities, THB",
        0,
        label_th="ยอดหนี้คงค้างรวม",
    ),
    Feature(
        "annual_debt_service",
        "credit",
        "12 x the sum of monthly installments, THB",
        0,
        label_th="ภาระผ่อนชำระต่อปี",
    ),
    Feature(
        "max_days_past_due",
        "credit",
        "worst days past due over all facilities",
        1,
        label_th="จำนวนวันค้างชำระสูงสุด",
    ),
    Feature(
        "share_informal_debt",
        "credit",
        "informal outstanding / total outstanding",
        1,
        label_th="สัดส่วนหนี้นอกระบบ",
    ),
    Feature(
        "collateral_cover",
        "credit",
        "collateral value / total outstanding",
        -1,
        label_th="อัตราส่วนหลักประกันต่อหนี้",
    ),
    Feature(
        "restructured_before",
        "credit",
        "1 if any facility was restructured before",
        1,
        label_th="เคยปรับโครงสร้างหนี้",
    ),
    Feature(
        "weighted_rate",
        "credit",
        "outstanding-weighted annual interest rate",
        1,
        label_th="อัตราดอกเบี้ยถัวเฉลี่ย",
    ),
    Feature(
        "n_applications_24m",
        "applications",
        "loan applications in the last 24 months",
        0,
        label_th="จำนวนคำขอสินเชื่อใน 24 เดือน",
    ),
    Feature(
        "n_rejections_24m",
        "applications",
        "rejections decided in the last 24 months",
        1,
        label_th="จำนวนครั้งที่ถูกปฏิเสธใน 24 เดือน",
    ),
    Feature(
        "days_since_last_rejection",
        "applications",
        "days since the latest rejection; NaN if never rejected",
        -1,
        label_th="จำนวนวันนับจากการถูกปฏิเสธครั้งล่าสุด",
    ),
    Feature(
        "pending_days_max",
        "applications",
        "longest time an application has been pending, days",
        1,
        label_th="ระยะเวลารอพิจารณาสินเชื่อนานที่สุด (วัน)",
    ),
    Feature(
        "has_stalled_application",
        "applications",
        "1 if an application is pending beyond its lender's SLA",
        1,
        label_th="มีคำขอสินเชื่อค้างพิจารณาเกินกำหนด",
    ),
    Feature(
        "has_statements", "availability", "1 if any statement is visible", -1, label_th="มีงบการเงิน"
    ),
    Feature(
        "statement_age_days",
        "availability",
        "days from the latest visible statement's period end to the as-of date; NaN without one",
        1,
        label_th="อายุของงบการเงินล่าสุด (วัน)",
    ),
)

# Terms of a restructuring plan and their effect, for the feasibility model (features.plan).
PLAN_FEATURES: tuple[Feature, ...] = (
    Feature(
        "plan_installment",
        "plan",
        "monthly installment after the plan, THB",
        0,
        label_th="ค่างวดรายเดือนหลังปรับโครงสร้าง",
    ),
    Feature(
        "post_plan_dscr",
        "plan",
        "EBITDA / annual debt service after the plan",
        -1,
        label_th="DSCR หลังปรับโครงสร้าง",
    ),
    Feature(
        "debt_service_relief",
        "plan",
        "1 - debt service after / before the plan",
        -1,
        label_th="ภาระผ่อนที่ลดลง",
    ),
    Feature("plan_haircut", "plan", "share of the debt forgiven", 0, label_th="สัดส่วนการลดเงินต้น"),
    Feature(
        "plan_tenor_months",
        "plan",
        "months to repay under the plan",
        0,
        label_th="ระยะเวลาผ่อนชำระ (เดือน)",
    ),
    Feature(
        "plan_grace_months",
        "plan",
        "interest-only months at the start",
        0,
        label_th="ระยะเวลาปลอดเงินต้น (เดือน)",
    ),
    Feature(
        "plan_rate",
        "plan",
        "annual interest rate under the plan",
        1,
        label_th="อัตราดอกเบี้ยหลังปรับโครงสร้าง",
    ),
)

FAMILIES: tuple[str, ...] = get_args(Family)


def _library_feature(r: Ratio) -> Feature:
    if r.family not in FAMILIES:
        raise ValueError(f"{r.name}: unknown family {r.family!r}")
    return Feature(
        r.name, cast(Family, r.family), r.formula, r.risk, label_th=r.label_th, source=r.source
    )


# The ratio library joins the core features, in its own order. The composite scores are linear
# combinations of ratios the models already read: as model inputs they added nothing measurable
# on the default portfolio (holdout ROC AUC 0.8762 with them, 0.8765 without) and took the credit
# of the ratios they combine, so a reason read "Zmijewski score" where an analyst needs
# "liabilities to assets". They are computed beside the features and every training run scores
# them as baselines (training.train), as it does Altman Z''.
FEATURES += tuple(_library_feature(r) for r in LIBRARY if r.family != "distress_score")
COMPOSITES: tuple[Feature, ...] = tuple(
    _library_feature(r) for r in LIBRARY if r.family == "distress_score"
)
COMPOSITE_NAMES: list[str] = [f.name for f in COMPOSITES]
BY_NAME: dict[str, Feature] = {f.name: f for f in FEATURES + PLAN_FEATURES + COMPOSITES}
FEATURE_NAMES: list[str] = [f.name for f in FEATURES]
PLAN_FEATURE_NAMES: list[str] = [f.name for f in PLAN_FEATURES]
CATEGORICAL: list[str] = [f.name for f in FEATURES if f.categorical]
# Fixed category lists: a category's code is its position, in training and in serving alike.
CATEGORIES: dict[str, tuple[str, ...]] = {"sector": tuple(SECTORS), "region": REGIONS}


def monotone_constraints(names: list[str], *, target_is_risk: bool = True) -> list[int]:
    """LightGBM's monotone_constraints for `names`, from the registry's risk directions.

    For a model whose target is a good outcome (a plan performing) every direction flips.
    """
    sign = 1 if target_is_risk else -1
    return [sign * BY_NAME[n].risk for n in names]
