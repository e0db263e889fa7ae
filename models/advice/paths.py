"""The paths a case can be recommended, declared once: the API's enum, the decision form, the
option labels, the table in docs/advice.md and the ranking stages all derive from this registry.

Each path's rationale is rendered from the option's own numbers by its template (English and
Thai); `models.advice.wording` fills the fields. A comparison in a template is always written as
`{a} {cmp_…} {b}`, the sign chosen from the two numbers, so the text cannot contradict them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecommendationPath:
    name: str
    label_en: str
    label_th: str
    stage: int  # ranking stage: lower first (see recommendation.toml)
    rule: str  # when the path is offered
    template_en: str
    template_th: str


_PLAN_EN = (
    "DSCR {dscr_before} → {dscr_after} {cmp_target} {target_dscr} (target); installments "
    "{installment_before} → {installment_after} a month; creditors' NPV {creditor_npv} "
    "{cmp_liquidation} {liquidation_value} in liquidation; concession {concession}{feasibility}."
)
_PLAN_TH = (
    "DSCR {dscr_before} → {dscr_after} {cmp_target} {target_dscr} (เป้าหมาย); ค่างวด "
    "{installment_before} → {installment_after} ต่อเดือน; มูลค่าปัจจุบันของเจ้าหนี้ "
    "{creditor_npv} {cmp_liquidation} {liquidation_value} (มูลค่าเมื่อชำระบัญชี); "
    "ส่วนที่เจ้าหนี้ผ่อนปรน {concession}{feasibility}"
)

PATHS: dict[str, RecommendationPath] = {
    p.name: p
    for p in (
        RecommendationPath(
            "data_request",
            "Request missing data",
            "ขอข้อมูลเพิ่มเติม",
            0,
            "statements missing or older than the stale limit, EBITDA unknown, or facility "
            "rates not on record",
            "Request {items} before judging the case: {reasons}.",
            "ขอ{items}ก่อนพิจารณา: {reasons}",
        ),
        RecommendationPath(
            "restructure",
            "Restructure the debt",
            "ปรับโครงสร้างหนี้",
            1,
            "the debt is in trouble (arrears, DSCR under target, losses or unlawful rates) and "
            "a plan of new terms per creditor reaches the target",
            "Restructure with each creditor: " + _PLAN_EN + "{leg}{step} {creditors}",
            "ปรับโครงสร้างหนี้รายเจ้าหนี้: " + _PLAN_TH + "{leg}{step} {creditors}",
        ),
        RecommendationPath(
            "refinance",
            "Refinance",
            "รีไฟแนนซ์",
            1,
            "an eligible source is cheaper than some facilities (always for informal debt) "
            "and the business can service the new facility",
            "Refinance {amount} with {programme} at {new_rate}{intro} for {new_tenor} months"
            "{fee}: pays off {paid_off}.{kept} " + _PLAN_EN + "{step}",
            "รีไฟแนนซ์ {amount} กับ{programme} อัตรา {new_rate}{intro} ระยะ {new_tenor} เดือน"
            "{fee}: ชำระแทน {paid_off}{kept} " + _PLAN_TH + "{step}",
        ),
        RecommendationPath(
            "rehabilitation",
            "Business rehabilitation (Bankruptcy Act)",
            "ฟื้นฟูกิจการตาม พ.ร.บ.ล้มละลาย",
            1,
            "a viable plan that some creditors would refuse, where the business meets the "
            "Act's thresholds and creditors holding the consent share agree",
            "{provisional}Business rehabilitation in court under {programme}: creditors holding "
            "{consent_share} {cmp_consent} {required_share} of the debt agree, and the plan "
            "binds the others ({holdouts}). " + _PLAN_EN + "{leg}{step} {creditors}",
            "{provisional}ฟื้นฟูกิจการในศาลตาม{programme}: เจ้าหนี้ที่ถือหนี้ {consent_share} "
            "{cmp_consent} {required_share} ของหนี้ทั้งหมดเห็นชอบ และแผนผูกพันเจ้าหนี้รายอื่น "
            "({holdouts}) " + _PLAN_TH + "{leg}{step} {creditors}",
        ),
        RecommendationPath(
            "asset_warehousing",
            "Asset warehousing",
            "พักทรัพย์ พักหนี้",
            1,
            "a financial institution's facility is secured on real estate, a warehousing rule "
            "takes applications on the date, and the business services the rent and its other "
            "debt at the target while the lender gets more than in a liquidation",
            "{provisional}Asset warehousing under {programme}: {lender} takes the {collateral} "
            "at {transfer_value}{appraised} in settlement of its {claim} claim{shortfall}; the "
            "business leases it back at {rent} a month and may buy it back within {window} "
            "months for "
            "{buyback_price} (holding cost {holding} a year{credited}). DSCR {dscr_before} → "
            "{dscr_after} {cmp_target} {target_dscr} (target); installments and rent "
            "{installment_before} → {installment_after} a month; creditors' NPV {creditor_npv} "
            "{cmp_liquidation} {liquidation_value} in liquidation; concession {concession}. "
            "{creditors}",
            "{provisional}พักทรัพย์ พักหนี้ตาม{programme}: {lender} รับโอน{collateral} มูลค่า "
            "{transfer_value}{appraised} ชำระหนี้จากยอด {claim}{shortfall} กิจการเช่ากลับ {rent} "
            "ต่อเดือน "
            "และซื้อคืนได้ภายใน {window} เดือน ในราคา {buyback_price} (ค่าถือครอง {holding} "
            "ต่อปี{credited}) DSCR {dscr_before} → {dscr_after} {cmp_target} {target_dscr} "
            "(เป้าหมาย); ค่างวดรวมค่าเช่า {installment_before} → {installment_after} ต่อเดือน; "
            "มูลค่าปัจจุบันของเจ้าหนี้ {creditor_npv} {cmp_liquidation} {liquidation_value} "
            "(มูลค่าเมื่อชำระบัญชี); ส่วนที่เจ้าหนี้ผ่อนปรน {concession} {creditors}",
        ),
        RecommendationPath(
            "orderly_exit",
            "Orderly exit",
            "เลิกกิจการอย่างเป็นระบบ",
            2,
            "no plan makes the business viable and liquidation recovers more for the "
            "creditors than every plan",
            "{provisional}Orderly exit: no plan makes the business viable (closest DSCR "
            "{closest_dscr} "
            "{cmp_target} {target_dscr}) and liquidation recovers {liquidation_value} "
            "{cmp_value} {best_plan_value}, the most any plan can pay the creditors.",
            "{provisional}เลิกกิจการอย่างเป็นระบบ: ไม่มีแผนที่ทำให้กิจการอยู่รอดได้ (DSCR ที่ใกล้ที่สุด "
            "{closest_dscr} {cmp_target} {target_dscr}) และการชำระบัญชีได้คืน "
            "{liquidation_value} {cmp_value} {best_plan_value} ซึ่งเป็นมูลค่าสูงสุดที่แผนใดจ่ายเจ้าหนี้ได้",
        ),
        RecommendationPath(
            "best_effort",
            "Restructure as far as it goes, with a turnaround",
            "ปรับโครงสร้างหนี้เท่าที่ทำได้ ควบคู่การฟื้นฟูการดำเนินงาน",
            3,
            "no plan makes the business viable but the closest one is worth more to the "
            "creditors than liquidation",
            "Restructure as far as the numbers allow and turn the business around: "
            + _PLAN_EN
            + "{leg}{step} {creditors}",
            "ปรับโครงสร้างหนี้เท่าที่ตัวเลขเอื้อ ควบคู่การฟื้นฟูการดำเนินงาน: "
            + _PLAN_TH
            + "{leg}{step} {creditors}",
        ),
        RecommendationPath(
            "bank_follow_up",
            "Follow up with the bank",
            "ติดตามกับธนาคาร",
            4,
            "an application stalled past its lender's SLA, or rejected in the last 24 months",
            "Follow up with {lender} on application {application_id} for {amount}: {state}.",
            "ติดตามกับ {lender} เรื่องคำขอ {application_id} วงเงิน {amount}: {state}",
        ),
        RecommendationPath(
            "agency_referral",
            "Refer to a named agency",
            "ส่งต่อหน่วยงาน",
            5,
            "the case's problem types have agencies in the programme rules",
            "Refer for {problems} to: {agencies}.",
            "ส่งต่อเรื่อง{problems} ไปยัง: {agencies}",
        ),
        RecommendationPath(
            "mentoring",
            "Mentoring and turnaround",
            "ให้คำปรึกษาและฟื้นฟูการดำเนินงาน",
            6,
            "a weak margin, shrinking revenue, losses or a business near collapse; or no debt "
            "problem at all (light touch)",
            "Mentoring and operational turnaround: {reasons}.",
            "ให้คำปรึกษาและฟื้นฟูการดำเนินงาน: {reasons}",
        ),
    )
}
PATH_NAMES = tuple(PATHS)
PLAN_PATHS = ("restructure", "refinance", "rehabilitation", "best_effort")  # repayment plans
# The ways the advice makes a business viable: a repayment plan, or warehousing its property.
SOLUTION_PATHS = (*PLAN_PATHS, "asset_warehousing")


def paths_markdown() -> str:
    """The advice guide's table of paths, generated from the registry."""
    lines = [
        "| stage | path | English | Thai | offered when |",
        "| --- | --- | --- | --- | --- |",
    ]
    for p in sorted(PATHS.values(), key=lambda p: p.stage):
        lines.append(f"| {p.stage} | `{p.name}` | {p.label_en} | {p.label_th} | {p.rule} |")
    return "\n".join(lines)
