"""The labels of the portfolio's categories in both languages, declared once with their names:
`features.schema` takes the allowed values from these keys, in this order; the pages, the
rationales and the reports show the labels."""

from __future__ import annotations

FACILITY_TYPE_LABELS: dict[str, tuple[str, str]] = {
    "term_loan": ("term loan", "เงินกู้ระยะยาว"),
    "overdraft": ("overdraft", "เงินเบิกเกินบัญชี"),
    "trade_finance": ("trade finance", "สินเชื่อเพื่อการค้า"),
    "leasing": ("leasing", "ลีสซิ่ง"),
    "informal": ("informal loan", "หนี้นอกระบบ"),
}

LEGAL_STAGE_LABELS: dict[str, tuple[str, str]] = {
    "none": ("no legal action", "ยังไม่มีการดำเนินคดี"),
    "demand_notice": ("demand notice served", "ได้รับหนังสือบอกกล่าวทวงถาม"),
    "lawsuit": ("lender has sued", "เจ้าหนี้ยื่นฟ้องแล้ว"),
    "judgment": ("judgment against the business", "ศาลมีคำพิพากษาแล้ว"),
    "enforcement": ("enforcement under way (seizure or auction)",
                    "อยู่ระหว่างบังคับคดี (ยึดหรือขายทอดตลาด)"),
}  # fmt: skip

APPLICATION_STATUS_LABELS: dict[str, tuple[str, str]] = {
    "submitted": ("submitted", "ยื่นแล้ว"),
    "documents_requested": ("documents requested", "ขอเอกสารเพิ่ม"),
    "under_review": ("under review", "อยู่ระหว่างพิจารณา"),
    "approved": ("approved", "อนุมัติ"),
    "rejected": ("rejected", "ปฏิเสธ"),
    "withdrawn": ("withdrawn", "ถอนคำขอ"),
    "disbursed": ("disbursed", "เบิกจ่ายแล้ว"),
}

COLLATERAL_TYPE_LABELS: dict[str, tuple[str, str]] = {
    "none": ("no collateral", "ไม่มีหลักประกัน"),
    "land": ("land", "ที่ดิน"),
    "land_and_buildings": ("land and buildings", "ที่ดินพร้อมสิ่งปลูกสร้าง"),
    "condominium": ("condominium unit", "ห้องชุด"),
    "machinery": ("machinery", "เครื่องจักร"),
    "vehicles": ("vehicles", "ยานพาหนะ"),
    "deposits": ("deposits", "เงินฝาก"),
    "inventory_receivables": ("inventory and receivables", "สินค้าคงคลังและลูกหนี้การค้า"),
    "other": ("other collateral", "หลักประกันอื่น"),
}
