"""How each feature reads to an analyst: its English label and the unit its value is shown in,
so that a reason says "EBITDA margin 1.5%" or "sector: Manufacturing", never "ebitda_margin =
0.02" or "sector = C". (Thai labels are in `features.registry`.)"""

from __future__ import annotations

import math
import unicodedata
from typing import Literal, cast, get_args

from features.ratio_library import LIBRARY
from features.registry import BY_NAME
from features.schema import REGION_NAMES_TH, SECTOR_NAMES_TH, SECTORS

Unit = Literal["ratio", "percent", "days", "thb", "count", "flag", "years", "months", "log_thb",
               "score", "sector", "region"]  # fmt: skip

READING: dict[str, tuple[str, Unit]] = {
    "current_ratio": ("current ratio", "ratio"),
    "quick_ratio": ("quick ratio", "ratio"),
    "cash_ratio": ("cash ratio", "ratio"),
    "working_capital_to_assets": ("working capital to total assets", "percent"),
    "debt_to_equity": ("debt to equity", "ratio"),
    "negative_equity": ("negative equity", "flag"),
    "liabilities_to_assets": ("liabilities to assets", "percent"),
    "debt_to_ebitda": ("debt to EBITDA", "ratio"),
    "interest_coverage": ("interest coverage", "ratio"),
    "dscr": ("DSCR", "ratio"),
    "roa": ("return on assets", "percent"),
    "ebitda_margin": ("EBITDA margin", "percent"),
    "net_margin": ("net margin", "percent"),
    "asset_turnover": ("asset turnover", "ratio"),
    "dso": ("days sales outstanding", "days"),
    "dio": ("days inventory outstanding", "days"),
    "dpo": ("days payables outstanding", "days"),
    "cash_conversion_cycle": ("cash conversion cycle", "days"),
    "revenue_growth": ("revenue growth", "percent"),
    "ebitda_growth": ("EBITDA growth", "percent"),
    "revenue_volatility": ("revenue volatility", "percent"),
    "years_of_statements": ("years of statements", "years"),
    "altman_z2": ("Altman Z''", "score"),
    "log_total_assets": ("total assets", "log_thb"),
    "log_revenue": ("revenue", "log_thb"),
    "employees": ("employees", "count"),
    "firm_age": ("business age", "years"),
    "sector": ("sector", "sector"),
    "region": ("region", "region"),
    "n_facilities": ("credit facilities", "count"),
    "total_outstanding": ("total outstanding", "thb"),
    "annual_debt_service": ("annual debt service", "thb"),
    "max_days_past_due": ("days past due (worst facility)", "days"),
    "share_informal_debt": ("share of informal debt", "percent"),
    "collateral_cover": ("collateral cover", "percent"),
    "restructured_before": ("restructured before", "flag"),
    "weighted_rate": ("weighted interest rate", "percent"),
    "n_applications_24m": ("loan applications in 24 months", "count"),
    "n_rejections_24m": ("rejections in 24 months", "count"),
    "days_since_last_rejection": ("days since the last rejection", "days"),
    "pending_days_max": ("longest pending application", "days"),
    "has_stalled_application": ("an application stalled past its SLA", "flag"),
    "has_statements": ("statements on record", "flag"),
    "statement_age_days": ("age of the latest statement", "days"),
    "plan_installment": ("installment under the plan", "thb"),
    "post_plan_dscr": ("DSCR under the plan", "ratio"),
    "debt_service_relief": ("debt service relief", "percent"),
    "plan_haircut": ("haircut", "percent"),
    "plan_tenor_months": ("plan tenor", "months"),
    "plan_grace_months": ("grace period", "months"),
    "plan_rate": ("rate under the plan", "percent"),
}
READING.update({r.name: (r.label, cast(Unit, r.unit)) for r in LIBRARY})
if not {unit for _, unit in READING.values()} <= set(get_args(Unit)):
    raise ValueError("a feature reads in a unit the pages do not know")
UNIT_WORDS = {
    "days": ("days", "วัน"), "years": ("years", "ปี"), "months": ("months", "เดือน"),
    "thb": ("THB", "บาท"), "yes": ("yes", "ใช่"), "no": ("no", "ไม่ใช่"),
    "missing": ("not on record", "ไม่มีข้อมูล"),
}  # fmt: skip
REGION_NAMES_EN = {r: r.replace("northeast", "north-east").capitalize() for r in REGION_NAMES_TH}


def label(name: str, lang: str) -> str:
    if lang == "th" and name in BY_NAME and BY_NAME[name].label_th:
        return BY_NAME[name].label_th
    return READING[name][0] if name in READING else name.replace("_", " ")


def columns(text: str) -> int:
    """The terminal columns `text` takes: a Thai vowel or tone mark sits on its consonant."""
    return sum(unicodedata.category(c) not in ("Mn", "Me", "Cf") for c in text)


def padded(text: str, width: int) -> str:
    """`text` padded with spaces to `width` terminal columns, so Thai names line up."""
    return text + " " * max(width - columns(text), 0)


def _word(key: str, lang: str) -> str:
    en, th = UNIT_WORDS[key]
    return th if lang == "th" else en


def show(name: str, value: object, lang: str) -> str:
    """A feature's value in its unit, in the reader's language."""
    unit = READING[name][1] if name in READING else "ratio"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _word("missing", lang)
    if unit == "sector":
        code = str(value)
        return (SECTOR_NAMES_TH if lang == "th" else SECTORS).get(code, code)
    if unit == "region":
        code = str(value)
        return (REGION_NAMES_TH if lang == "th" else REGION_NAMES_EN).get(code, code)
    number = float(value) if isinstance(value, int | float) else float(str(value))
    if unit == "percent":
        return f"{100 * number:.1f}%"
    if unit == "flag":
        return _word("yes" if number > 0 else "no", lang)
    if unit == "thb":
        return f"{number:,.0f} {_word('thb', lang)}"
    if unit == "log_thb":
        return f"{math.expm1(number):,.0f} {_word('thb', lang)}"
    if unit in ("days", "years", "months"):
        return f"{number:,.0f} {_word(unit, lang)}"
    if unit == "count":
        return f"{number:,.0f}"
    return f"{number:.2f}"
