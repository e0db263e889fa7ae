"""Rationales rendered from an option's own numbers, in English and Thai.

Every number in a rationale is one of the option's fields, formatted here; every comparison is
written `a <sign> b` with the sign computed from a and b. A test parses the text of every option
and checks both against the fields.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from models.advice.paths import PATHS

UNITS = {
    "en": {"thb": "THB", "months": "months", "days": "days"},
    "th": {"thb": "บาท", "months": "เดือน", "days": "วัน"},
}
NOT_KNOWN = {"en": "n/a", "th": "ไม่มีข้อมูล"}
WORDS = {
    "unchanged": ("unchanged", "คงเดิม"),
    "refinanced": ("paid off by the new facility", "ชำระด้วยวงเงินใหม่"),
    "capped": (
        "rate {rate_before} capped at {rate_after}, the legal ceiling",
        "อัตรา {rate_before} ลดลงเป็น {rate_after} ตามเพดานดอกเบี้ยตามกฎหมาย",
    ),
    "kept": (" Kept with their lenders: {terms}.", " วงเงินที่คงไว้: {terms}"),
    "capitalised": (
        "rate {rate_before} and {tenor_after} months kept",
        "คงอัตรา {rate_before} และระยะ {tenor_after} เดือน",
    ),
    "arrears_capitalised": (
        "; arrears of about {arrears} ({days} days past due) capitalised into the principal",
        "; ยอดค้างชำระประมาณ {arrears} (ค้าง {days} วัน) รวมเข้าเงินต้น",
    ),
    "arrears_cured": (
        "; arrears of about {arrears} ({days} days past due) cleared by the payoff",
        "; ยอดค้างชำระประมาณ {arrears} (ค้าง {days} วัน) ชำระหมดด้วยวงเงินใหม่",
    ),
    "arrears_settled": (
        "; arrears of about {arrears} ({days} days past due) settled with the claim",
        "; ยอดค้างชำระประมาณ {arrears} (ค้าง {days} วัน) ชำระพร้อมมูลหนี้ด้วยทรัพย์ที่โอน",
    ),
    "appraised": (" (appraised at {appraised})", " (ราคาประเมิน {appraised})"),
    "restructured": (
        "rate {rate_before} → {rate_after}, {tenor_before} → {tenor_after} months, "
        "grace {grace_months} months, haircut {haircut_amount}",
        "อัตรา {rate_before} → {rate_after}, {tenor_before} → {tenor_after} เดือน, "
        "ปลอดเงินต้น {grace_months} เดือน, ลดเงินต้น {haircut_amount}",
    ),
    "creditor": (
        "{lender} (claim {claim}): {terms}; NPV {plan_npv} {cmp} {liquidation_value} in "
        "liquidation{short}",
        "{lender} (มูลหนี้ {claim}): {terms}; มูลค่าปัจจุบัน {plan_npv} {cmp} "
        "{liquidation_value} (เมื่อชำระบัญชี){short}",
    ),
    "short": (
        "; short by {shortfall}, a concession it would need",
        "; ขาดอีก {shortfall} ที่ต้องชดเชย",
    ),
    "feasibility": ("; feasibility {feasibility}", "; โอกาสสำเร็จ {feasibility}"),
    "leg": (
        " The informal and costlier debt is refinanced first with {programme}.",
        " หนี้นอกระบบและหนี้ต้นทุนสูงรีไฟแนนซ์ก่อนด้วย{programme}",
    ),
    "intro": (
        " ({intro_rate} for the first {intro_months} months)",
        " ({intro_rate} ใน {intro_months} เดือนแรก)",
    ),
    "fee": (
        "; guarantee fee {fee_rate} a year paid to the guarantor, waived for the first "
        "{waived} months",
        "; ค่าธรรมเนียมค้ำประกัน {fee_rate} ต่อปี จ่ายให้ผู้ค้ำประกัน ยกเว้น {waived} เดือนแรก",
    ),
    "paid_off": (
        "{lender} {facility_type} at {rate_before}",
        "{lender} {facility_type} อัตรา {rate_before}",
    ),
    "pending": (
        "{status} for {days_pending} days {cmp} {sla_days} days, the lender's SLA; ask for a "
        "decision{documents}",
        "{status}มาแล้ว {days_pending} วัน {cmp} {sla_days} วัน ตาม SLA ของธนาคาร; "
        "ขอให้ธนาคารพิจารณา{documents}",
    ),
    "rejected": (
        "rejected for “{reason}”; what is missing: {missing}",
        "ถูกปฏิเสธเพราะ “{reason}”; สิ่งที่ขาด: {missing}",
    ),
    "statements_none": ("no financial statements on record", "ไม่มีงบการเงินในระบบ"),
    "statements_stale": (
        "the latest statement ({year}) is {age} months old {cmp} {limit} months",
        "งบการเงินล่าสุด (ปี {year}) มีอายุ {age} เดือน {cmp} {limit} เดือน",
    ),
    "ebitda_unknown": ("EBITDA is not known", "ไม่ทราบ EBITDA"),
    "rates_unknown": ("{count} facility rates are not on record", "ไม่มีอัตราดอกเบี้ยของ {count} วงเงิน"),
    "ask_statements": ("financial statements for the latest fiscal years", "งบการเงินปีบัญชีล่าสุด"),
    "ask_rates": ("the facility terms from each lender", "เงื่อนไขวงเงินจากเจ้าหนี้แต่ละราย"),
    "weak_margin": ("EBITDA margin {value} {cmp} {limit}", "อัตรากำไร EBITDA {value} {cmp} {limit}"),
    "shrinking": ("revenue growth {value} {cmp} {limit}", "รายได้เติบโต {value} {cmp} {limit}"),
    "losses": ("EBITDA {value} {cmp} {limit}", "EBITDA {value} {cmp} {limit}"),
    "collapse": ("the business is near collapse", "กิจการใกล้ล้มละลาย"),
    "healthy": (
        "no debt problem on record (DSCR {value} {cmp} {limit}, no arrears): light-touch "
        "monitoring",
        "ไม่พบปัญหาหนี้ (DSCR {value} {cmp} {limit} ไม่มีค้างชำระ): ติดตามตามปกติ",
    ),
    "no_debt": ("no debt on record: light-touch monitoring", "ไม่มีหนี้ในระบบ: ติดตามตามปกติ"),
    "documents": (
        " and send the documents the lender asked for",
        " และส่งเอกสารที่ธนาคารขอ",
    ),
    "none": ("none", "ไม่มี"),
    "reckoned": (
        "; claim reckoned at {claim} of a balance of {balance}: the interest clause above the "
        "ceiling is void, so {months} months of interest at {rate_before} are taken at "
        "{lawful_rate} (assumed; ask for the loan agreement and payment record)",
        "; มูลหนี้คิดเป็น {claim} จากยอดคงค้าง {balance}: ข้อตกลงดอกเบี้ยเกินเพดานเป็นโมฆะ "
        "จึงคิดดอกเบี้ย {months} เดือนที่อัตรา {lawful_rate} แทน {rate_before} (สมมติฐาน; "
        "ขอสัญญากู้และหลักฐานการชำระ)",
    ),
    "restructuring_agreement": (
        " The new money comes only after a restructuring agreement every creditor signs{suit}: "
        "the borrower is {loan_class}, {days} days past due.",
        " วงเงินใหม่เบิกได้หลังเจ้าหนี้ทุกรายลงนามในสัญญาปรับโครงสร้างหนี้{suit} เท่านั้น: "
        "ลูกหนี้จัดชั้น{loan_class} ค้างชำระ {days} วัน",
    ),
    "court_rehabilitation": (
        " The new money comes only within the plan the court approves, under its automatic "
        "stay{suit}: the borrower is {loan_class}, {days} days past due.",
        " วงเงินใหม่เบิกได้ภายใต้แผนที่ศาลเห็นชอบและการพักการบังคับชำระหนี้{suit} เท่านั้น: "
        "ลูกหนี้จัดชั้น{loan_class} ค้างชำระ {days} วัน",
    ),
    "suit_withdrawn": (" (the lawsuit withdrawn under it)", " (พร้อมถอนฟ้อง)"),
    "suit_stayed": (" (which halts the lawsuit)", " (ซึ่งหยุดการดำเนินคดี)"),
    "outside_sme": (
        "Outside SME programmes ({rule}): revenue {revenue} {cmp_revenue} {revenue_limit} and "
        "{employees} employees {cmp_employees} {employees_limit}, the medium class's limits. "
        "TCG guarantees, SME D Bank loans and Chapter 3/2 rehabilitation do not apply; "
        "advise as for a large company.",
        "อยู่นอกโครงการสำหรับ SME ({rule}): รายได้ {revenue} {cmp_revenue} {revenue_limit} และ"
        "การจ้างงาน {employees} คน {cmp_employees} {employees_limit} คน ตามเกณฑ์วิสาหกิจขนาดกลาง "
        "จึงใช้การค้ำประกันของ บสย. สินเชื่อ ธพว. และการฟื้นฟูกิจการตามหมวด 3/2 ไม่ได้ "
        "ให้คำแนะนำอย่างกิจการขนาดใหญ่",
    ),
    "warehoused": ("taken in settlement of its property", "รับโอนทรัพย์ชำระหนี้"),
    "warehouse_shortfall": (
        "; the {shortfall} the property does not settle is repaid at {rate} over {months} "
        "months ({installment} a month)",
        " ส่วนที่ทรัพย์ไม่พอชำระ {shortfall} ผ่อนต่อที่อัตรา {rate} ระยะ {months} เดือน (เดือนละ {installment})",
    ),
    "rent_credited": (", less the rent paid", " หักค่าเช่าที่ชำระแล้ว"),
    "provisional": (
        "If current statements confirm it: ",
        "หากงบการเงินปัจจุบันยืนยัน: ",
    ),
}
# Bank of Thailand loan classes (models.plans.lending.LOAN_CLASSES).
LOAN_CLASSES = {
    "pass": ("pass", "ปกติ"),
    "special_mention": ("special mention", "กล่าวถึงเป็นพิเศษ"),
    "substandard": ("substandard (non-performing)", "ต่ำกว่ามาตรฐาน (NPL)"),
    "doubtful": ("doubtful (non-performing)", "สงสัย (NPL)"),
    "doubtful_of_loss": ("doubtful of loss (non-performing)", "สงสัยจะสูญ (NPL)"),
}
# What a lender's rejection usually means is missing, by the words of the reason.
REJECTION_NEEDS = {
    "collateral": (
        "collateral, or a TCG credit guarantee in its place",
        "หลักประกัน หรือการค้ำประกันจาก บสย. แทน",
    ),
    "cash flow": (
        "a cash-flow projection showing the installments covered; restructure first",
        "ประมาณการกระแสเงินสดที่ครอบคลุมค่างวด; ปรับโครงสร้างหนี้ก่อน",
    ),
    "document": ("the documents the lender listed", "เอกสารที่ธนาคารระบุ"),
    "credit record": (
        "a settlement or restructuring of the arrears on record, with a letter explaining them",
        "การชำระหรือปรับโครงสร้างหนี้ค้างชำระ พร้อมหนังสือชี้แจง",
    ),
    "business plan": (
        "a revised business plan with the centre's turnaround advice",
        "แผนธุรกิจฉบับปรับปรุงตามคำแนะนำของศูนย์",
    ),
}
ASK_LENDER = ("ask the lender what is missing", "สอบถามธนาคารว่าขาดสิ่งใด")


def outside_sme(scope: dict[str, Any], lang: str) -> str:
    """Why a business is outside SME programmes, with its numbers against the limits."""
    revenue, cmp_revenue, revenue_limit = cmp(
        scope["revenue"], scope["medium_revenue_limit"], money, lang
    )
    employees, cmp_employees, employees_limit = cmp(
        scope["employees"], scope["medium_employees_limit"], whole, lang
    )
    return word(
        "outside_sme",
        lang,
        rule=scope["rule"],
        revenue=revenue,
        cmp_revenue=cmp_revenue,
        revenue_limit=revenue_limit,
        employees=employees,
        cmp_employees=cmp_employees,
        employees_limit=employees_limit,
    )


def word(key: str, lang: str, **fields: str) -> str:
    en, th = WORDS[key]
    return (th if lang == "th" else en).format(**fields)


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "th" else pair[0]


def _nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: Any, lang: str) -> str:
    if _nan(value):
        return NOT_KNOWN[lang]
    return f"{0.0 if abs(value) < 0.5 else value:,.0f} {UNITS[lang]['thb']}"


def ratio(value: Any, lang: str) -> str:
    return NOT_KNOWN[lang] if _nan(value) else f"{value:.2f}"


def percent(value: Any, lang: str, digits: int = 1) -> str:
    return NOT_KNOWN[lang] if _nan(value) else f"{100 * value:.{digits}f}%"


def rate(value: Any, lang: str) -> str:
    return percent(value, lang, 2)


def whole(value: Any, lang: str) -> str:
    return NOT_KNOWN[lang] if _nan(value) else f"{value:,.0f}"


def sign(a: Any, b: Any) -> str:
    """The sign between two numbers as they will read (both rounded alike by the caller)."""
    if _nan(a) or _nan(b):
        return "?"
    return "≥" if a >= b else "<"


def cmp(a: Any, b: Any, fmt: Callable[[Any, str], str], lang: str) -> tuple[str, str, str]:
    """`a`, its sign against `b` and `b`, formatted alike; the sign is taken on the values as
    shown, so rounding never makes the text say what its numbers do not."""
    left, right = fmt(a, lang), fmt(b, lang)
    shown = [_shown(left), _shown(right)]
    return left, sign(*shown) if None not in shown else sign(a, b), right


def _shown(text: str) -> float | None:
    digits = "".join(ch for ch in text if ch.isdigit() or ch in ".-")
    try:
        return float(digits)
    except ValueError:
        return None


def listing(items: list[str], lang: str) -> str:
    if not items:
        return word("none", lang)
    return "; ".join(items)


def render(option: dict[str, Any], lang: str, fields: dict[str, str]) -> str:
    path = PATHS[option["path"]]
    template = path.template_th if lang == "th" else path.template_en
    return " ".join(template.format(**fields).split())
