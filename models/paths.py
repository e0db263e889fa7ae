"""The paths a case can be recommended, declared once: the API's enum, the decision form and the
option labels all derive from this registry."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecommendationPath:
    name: str
    label_en: str
    label_th: str


PATHS: dict[str, RecommendationPath] = {
    p.name: p
    for p in (
        RecommendationPath("restructure", "Restructure the debt", "ปรับโครงสร้างหนี้"),
        RecommendationPath("refinance", "Refinance", "รีไฟแนนซ์"),
        RecommendationPath("bank_follow_up", "Follow up with the bank", "ติดตามกับธนาคาร"),
        RecommendationPath("mentoring", "Mentoring and turnaround", "ให้คำปรึกษาและฟื้นฟูการดำเนินงาน"),
        RecommendationPath("agency_referral", "Refer to an agency", "ส่งต่อหน่วยงานเฉพาะด้าน"),
        RecommendationPath("rehabilitation", "Business rehabilitation", "ฟื้นฟูกิจการ"),
        RecommendationPath("orderly_exit", "Orderly exit", "เลิกกิจการอย่างเป็นระบบ"),
    )
}
PATH_NAMES = tuple(PATHS)
