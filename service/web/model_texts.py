"""The words of the models page: how a model stands against its brute-force reference, and
its drift."""

from __future__ import annotations

MODEL_TEXT: dict[str, dict[str, str]] = {
    "reference_auc": {"en": "Brute-force reference", "th": "แบบจำลองอ้างอิงแบบครอบคลุม"},
    "loses_to_reference": {"en": "loses to it", "th": "ด้อยกว่าแบบอ้างอิง"},
    "drift": {"en": "Drift", "th": "การเปลี่ยนแปลงของข้อมูล"},
    "drift_reading": {
        "en": "Population stability index (PSI) between the champion's holdout and recent "
        "intakes: under 0.10 stable, 0.10 to 0.25 watch, 0.25 or more act (re-validate or "
        "retrain).",
        "th": "ดัชนีความเสถียรของประชากร (PSI) ระหว่างข้อมูลทดสอบของแบบจำลองหลักกับเรื่องที่รับเข้า"
        "ล่าสุด: ต่ำกว่า 0.10 คงที่ 0.10 ถึง 0.25 เฝ้าระวัง 0.25 ขึ้นไปต้องดำเนินการ "
        "(ตรวจสอบใหม่หรือฝึกใหม่)",
    },
    "drift_none": {"en": "Not measured yet:", "th": "ยังไม่ได้วัด:"},
    "drift_measured": {"en": "Measured", "th": "วัดเมื่อ"},
    "drift_rows": {"en": "recent rows", "th": "รายการล่าสุด"},
    "drift_stable": {"en": "Every feature is stable.", "th": "ทุกตัวแปรคงที่"},
    "feature": {"en": "Feature", "th": "ตัวแปร"},
    "score": {"en": "Score", "th": "คะแนน"},
    "psi:stable": {"en": "stable", "th": "คงที่"},
    "psi:watch": {"en": "watch", "th": "เฝ้าระวัง"},
    "psi:act": {"en": "act", "th": "ต้องดำเนินการ"},
    "psi:n/a": {"en": "not measured", "th": "วัดไม่ได้"},
}
