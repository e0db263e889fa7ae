"""Page text in English and Thai, and locale-aware formatting of numbers, THB and dates."""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

from features.catalogues.case_statuses import STATUS_LABELS
from features.catalogues.category_labels import (
    APPLICATION_STATUS_LABELS,
    COLLATERAL_TYPE_LABELS,
    FACILITY_TYPE_LABELS,
    LEGAL_STAGE_LABELS,
)
from features.provinces import province_th
from features.schema import SECTOR_NAMES_TH, SECTORS
from service.web.casework_texts import CASEWORK_TEXT
from service.web.intake_texts import INTAKE_FORM_TEXT
from service.web.model_texts import MODEL_TEXT
from service.web.peer_texts import PEER_TEXT

THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.",
               "พ.ย.", "ธ.ค.")  # fmt: skip

TEXT: dict[str, dict[str, str]] = {
    "title": {"en": "SME Rescue", "th": "ศูนย์ฟื้นฟู SME"},
    "sign_in": {"en": "Sign in", "th": "เข้าสู่ระบบ"},
    "sign_out": {"en": "Sign out", "th": "ออกจากระบบ"},
    "token": {"en": "Access token", "th": "โทเคนเข้าใช้งาน"},
    "bad_token": {"en": "Unknown token", "th": "โทเคนไม่ถูกต้อง"},
    "signed_in_as": {"en": "Signed in as", "th": "เข้าสู่ระบบในชื่อ"},
    "queue": {"en": "Case queue", "th": "คิวเคส"},
    "models": {"en": "Models", "th": "แบบจำลอง"},
    "liaison": {"en": "Stalled applications", "th": "คำขอสินเชื่อที่ค้างพิจารณา"},
    "case": {"en": "Case", "th": "เคส"},
    "business": {"en": "Business", "th": "กิจการ"},
    "band": {"en": "Risk band", "th": "ระดับความเสี่ยง"},
    "distress": {"en": "Distress probability", "th": "โอกาสประสบปัญหา"},
    "feasibility": {"en": "Feasibility", "th": "ความเป็นไปได้ของแผน"},
    "province": {"en": "Province", "th": "จังหวัด"},
    "channel": {"en": "Channel", "th": "ช่องทาง"},
    "problems": {"en": "Problems", "th": "ปัญหา"},
    "days_open": {"en": "Days open", "th": "จำนวนวันที่เปิดเคส"},
    "status": {"en": "Status", "th": "สถานะ"},
    "filter": {"en": "Filter", "th": "กรอง"},
    "all": {"en": "all", "th": "ทั้งหมด"},
    "statements": {"en": "Financial statements", "th": "งบการเงิน"},
    "fiscal_year": {"en": "Fiscal year", "th": "ปีบัญชี"},
    "drivers": {"en": "Why this score (SHAP, log-odds)", "th": "เหตุผลของคะแนน (SHAP)"},
    "reasons": {"en": "Reason codes", "th": "เหตุผลหลัก"},
    "options": {"en": "Recommended options", "th": "ทางเลือกที่แนะนำ"},
    "whatif": {"en": "What-if: plan terms", "th": "จำลองเงื่อนไขแผน"},
    "rate": {"en": "Annual rate", "th": "อัตราดอกเบี้ยต่อปี"},
    "tenor": {"en": "Tenor (months)", "th": "ระยะเวลา (เดือน)"},
    "grace": {"en": "Grace (months)", "th": "ปลอดเงินต้น (เดือน)"},
    "haircut": {"en": "Haircut", "th": "ลดเงินต้น"},
    "recompute": {"en": "Recompute", "th": "คำนวณใหม่"},
    "decision": {"en": "Decision", "th": "การตัดสินใจ"},
    "path": {"en": "Path", "th": "แนวทาง"},
    "search": {"en": "Search", "th": "ค้นหา"},
    "error:403": {"en": "You may not open this", "th": "คุณไม่มีสิทธิ์เปิดหน้านี้"},
    "error:404": {"en": "Not found", "th": "ไม่พบข้อมูล"},
    "error:409": {"en": "It conflicts with what is on record", "th": "ขัดแย้งกับข้อมูลที่มีอยู่"},
    "error:413": {"en": "The upload is too large", "th": "ไฟล์ที่ส่งมีขนาดใหญ่เกินไป"},
    "error:422": {"en": "Some input was not right", "th": "ข้อมูลที่กรอกไม่ถูกต้อง"},
    "error:429": {"en": "Too many requests: wait a moment", "th": "ส่งคำขอมากเกินไป โปรดรอสักครู่"},
    "error:503": {"en": "No model is loaded", "th": "ยังไม่มีแบบจำลองพร้อมใช้งาน"},
    "error": {"en": "Something went wrong", "th": "เกิดข้อผิดพลาด"},
    "back": {"en": "Back to the queue", "th": "กลับไปที่คิวเคส"},
    "triage": {"en": "Triage", "th": "การคัดกรอง"},
    "best_feasibility": {"en": "Best plan feasibility", "th": "โอกาสสำเร็จของแผนที่ดีที่สุด"},
    "triage:act_now": {"en": "Act now", "th": "ต้องดำเนินการทันที"},
    "triage:in_court_needs_data": {
        "en": "In court, needs numbers",
        "th": "อยู่ในชั้นศาล ต้องขอข้อมูล",
    },
    "triage:urgent_needs_data": {"en": "Urgent, needs data", "th": "เร่งด่วน ต้องขอข้อมูล"},
    "triage:rescuable": {"en": "Rescuable", "th": "ฟื้นฟูได้"},
    "triage:needs_data": {"en": "Needs data", "th": "ต้องการข้อมูลเพิ่ม"},
    "triage:needs_turnaround": {"en": "Needs a turnaround", "th": "ต้องฟื้นฟูการดำเนินงานก่อน"},
    "triage:exit_likely": {"en": "Exit likely", "th": "มีแนวโน้มต้องเลิกกิจการ"},
    "triage:no_debt_problem": {"en": "No debt problem", "th": "ไม่มีปัญหาหนี้"},
    "no_statements": {
        "en": "No financial statements on record: ask the business for them.",
        "th": "ไม่มีงบการเงินในระบบ โปรดขอเอกสารจากกิจการ",
    },
    "stale_statements": {"en": "Latest statement is", "th": "งบการเงินล่าสุดมีอายุ"},
    "months": {"en": "months old: ask for newer ones", "th": "เดือน โปรดขอฉบับล่าสุด"},
    "facilities": {"en": "Credit facilities", "th": "วงเงินสินเชื่อ"},
    "no_facilities": {"en": "No credit facilities on record.", "th": "ไม่มีข้อมูลวงเงินสินเชื่อ"},
    "applications": {"en": "Loan applications", "th": "คำขอสินเชื่อ"},
    "no_applications": {"en": "No loan applications on record.", "th": "ไม่มีคำขอสินเชื่อ"},
    "lender": {"en": "Lender", "th": "ผู้ให้กู้"},
    "facility_type": {"en": "Type", "th": "ประเภท"},
    "outstanding": {"en": "Outstanding (THB)", "th": "ยอดคงค้าง (บาท)"},
    "installment": {"en": "Monthly installment", "th": "ค่างวดต่อเดือน"},
    "days_past_due": {"en": "Days past due", "th": "จำนวนวันค้างชำระ"},
    "legal_stage": {"en": "Legal action", "th": "การดำเนินคดี"},
    "collateral": {"en": "Collateral (THB)", "th": "หลักประกัน (บาท)"},
    "guarantee": {"en": "Guarantee", "th": "การค้ำประกัน"},
    "snapshot_of": {"en": "As reported on", "th": "ข้อมูล ณ วันที่"},
    "rejection_reason": {"en": "Rejection reason", "th": "เหตุผลที่ถูกปฏิเสธ"},
    "decisions": {"en": "Decisions", "th": "การตัดสินใจที่บันทึกแล้ว"},
    "overrides": {"en": "overrides the model", "th": "ไม่เป็นไปตามแบบจำลอง"},
    "sort": {"en": "Order", "th": "เรียงตาม"},
    "sort:-priority": {"en": "most urgent first", "th": "เร่งด่วนก่อน"},
    "sort:-received_at": {"en": "newest first", "th": "รับเรื่องล่าสุดก่อน"},
    "sort:received_at": {"en": "oldest first", "th": "รับเรื่องนานที่สุดก่อน"},
    "sort:-distress_probability": {"en": "highest distress first", "th": "โอกาสประสบปัญหาสูงก่อน"},
    "sort:-best_feasibility": {"en": "most feasible plan first", "th": "แผนที่เป็นไปได้มากที่สุดก่อน"},
    "sort:province": {"en": "province", "th": "จังหวัด"},
    "sort:business_name": {"en": "business name", "th": "ชื่อกิจการ"},
    "showing": {"en": "Cases", "th": "เคสที่"},
    "previous": {"en": "‹ previous", "th": "‹ ก่อนหน้า"},
    "next": {"en": "next ›", "th": "ถัดไป ›"},
    "choose": {"en": "— choose a path —", "th": "— เลือกแนวทาง —"},
    "recommended": {"en": "recommended first", "th": "แนะนำอันดับแรก"},
    "override_hint": {
        "en": "A path other than the one recommended first overrides the model: give the reason.",
        "th": "หากเลือกแนวทางอื่นนอกจากที่แนะนำอันดับแรก ถือว่าไม่เป็นไปตามแบบจำลอง โปรดระบุเหตุผล",
    },
    "reason": {"en": "Reason", "th": "เหตุผล"},
    "record": {"en": "Record decision", "th": "บันทึกการตัดสินใจ"},
    "installment_before": {"en": "Installment before", "th": "ค่างวดเดิม"},
    "installment_after": {"en": "Installment after", "th": "ค่างวดใหม่"},
    "dscr_before": {"en": "DSCR before", "th": "DSCR เดิม"},
    "dscr_after": {"en": "DSCR after", "th": "DSCR ใหม่"},
    "creditor_npv": {"en": "Creditors' NPV", "th": "มูลค่าปัจจุบันของเจ้าหนี้"},
    "concession": {"en": "Concession", "th": "ส่วนที่เจ้าหนี้ผ่อนปรน"},
    "consent_share": {"en": "Creditors agreeing (share of debt)", "th": "สัดส่วนหนี้ของเจ้าหนี้ที่เห็นชอบ"},
    "creditor": {"en": "Creditor", "th": "เจ้าหนี้"},
    "claim": {"en": "Claim", "th": "มูลหนี้"},
    "plan_npv": {"en": "NPV under the plan", "th": "มูลค่าปัจจุบันตามแผน"},
    "agrees": {"en": "Better than liquidation", "th": "ดีกว่าการชำระบัญชี"},
    "programme": {"en": "Programme", "th": "โครงการ"},
    "checks": {"en": "Eligibility checks", "th": "การตรวจคุณสมบัติ"},
    "whatif_prefilled": {
        "en": "Pre-filled from the top plan, as one consolidated facility.",
        "th": "กรอกไว้จากแผนอันดับแรก ในรูปวงเงินรวมวงเดียว",
    },
    "liquidation_value": {"en": "Liquidation value", "th": "มูลค่าหากชำระบัญชี"},
    "pending": {"en": "Pending", "th": "รอพิจารณา"},
    "stalled": {"en": "Stalled", "th": "เกินกำหนด"},
    "median_days": {"en": "Median days pending", "th": "ค่ามัธยฐานวันที่รอ"},
    "p90_days": {"en": "90th percentile days", "th": "เปอร์เซ็นไทล์ที่ 90 ของวันที่รอ"},
    "approval_rate": {"en": "Approval rate", "th": "อัตราการอนุมัติ"},
    "download_csv": {"en": "Download CSV", "th": "ดาวน์โหลด CSV"},
    "days_pending": {"en": "Days pending", "th": "จำนวนวันที่รอ"},
    "sla": {"en": "SLA (days)", "th": "กำหนด (วัน)"},
    "amount": {"en": "Amount", "th": "วงเงิน"},
    "submitted": {"en": "Submitted", "th": "วันที่ยื่น"},
    "champion": {"en": "Champion", "th": "แบบจำลองหลัก"},
    "challenger": {"en": "Challenger", "th": "แบบจำลองผู้ท้าชิง"},
    "version": {"en": "Version", "th": "เวอร์ชัน"},
    "run": {"en": "MLflow run", "th": "รายการ MLflow"},
    "not_assessed": {"en": "No model loaded", "th": "ยังไม่มีแบบจำลอง"},
    "saved": {"en": "Saved", "th": "บันทึกแล้ว"},
    "open": {"en": "Open", "th": "เปิด"},
    "intake": {"en": "Register a case", "th": "รับเรื่องใหม่"},
    "intake_files": {
        "en": "Statements or tables (XLSX or CSV; Thai labels and B.E. years are read)",
        "th": "งบการเงินหรือตาราง (XLSX หรือ CSV อ่านชื่อบรรทัดภาษาไทยและปี พ.ศ. ได้)",
    },
    "read_files": {"en": "Read the files", "th": "อ่านไฟล์"},
    "import_report": {"en": "Import report", "th": "รายงานการนำเข้า"},
    "nothing_to_report": {"en": "Nothing was changed.", "th": "ไม่มีการแปลงค่า"},
    "import_errors": {
        "en": "Correct the files and read them again: nothing can be registered yet.",
        "th": "โปรดแก้ไขไฟล์แล้วอ่านใหม่ ยังไม่สามารถรับเรื่องได้",
    },
    "assignment": {"en": "Assignment and deadlines", "th": "ผู้รับผิดชอบและกำหนดเวลา"},
    "assigned_to": {"en": "Assigned to", "th": "ผู้รับผิดชอบ"},
    "unassigned": {"en": "nobody yet", "th": "ยังไม่มีผู้รับผิดชอบ"},
    "in_status": {"en": "in this status for", "th": "อยู่ในสถานะนี้มาแล้ว"},
    "days": {"en": "days", "th": "วัน"},
    "overdue": {"en": "overdue", "th": "เกินกำหนด"},
    "assign_to": {"en": "Assign to", "th": "มอบหมายให้"},
    "assign": {"en": "Assign", "th": "มอบหมาย"},
    "take_case": {"en": "Take this case", "th": "รับผิดชอบเรื่องนี้"},
    "notes": {"en": "Notes", "th": "บันทึก"},
    "no_notes": {"en": "No notes yet.", "th": "ยังไม่มีบันทึก"},
    "new_note": {"en": "New note", "th": "บันทึกใหม่"},
    "add_note": {"en": "Add the note", "th": "เพิ่มบันทึก"},
    "edited": {"en": "edited", "th": "แก้ไขเมื่อ"},
    "earlier_versions": {"en": "Earlier versions", "th": "ฉบับก่อนหน้า"},
    "documents": {"en": "Documents", "th": "เอกสาร"},
    "document": {"en": "Document", "th": "เอกสาร"},
    "requested": {"en": "Requested", "th": "ขอเมื่อ"},
    "received": {"en": "Received", "th": "ได้รับเมื่อ"},
    "request": {"en": "Request", "th": "ขอเอกสาร"},
    "mark_received": {"en": "Mark received", "th": "บันทึกว่าได้รับแล้ว"},
    "extra": {"en": "extra", "th": "เพิ่มเติม"},
    "timeline": {"en": "Timeline", "th": "ลำดับเหตุการณ์"},
    "event:status": {"en": "Status", "th": "สถานะ"},
    "event:assignment": {"en": "Assigned", "th": "มอบหมาย"},
    "event:assessment": {"en": "Assessed", "th": "ประเมิน"},
    "event:decision": {"en": "Decision", "th": "การตัดสินใจ"},
    "event:note": {"en": "Note", "th": "บันทึก"},
    "event:note_edit": {"en": "Note edited", "th": "แก้ไขบันทึก"},
    "event:document_requested": {"en": "Document requested", "th": "ขอเอกสาร"},
    "event:document_received": {"en": "Document received", "th": "ได้รับเอกสาร"},
    "event:plan": {"en": "Plan in effect", "th": "เริ่มใช้แผน"},
    "event:repayment": {"en": "Repayment", "th": "การชำระคืน"},
    "plan_monitoring": {"en": "Plan in effect", "th": "แผนที่ใช้อยู่"},
    "creditor_due": {"en": "Due so far", "th": "ครบกำหนดแล้ว"},
    "paid": {"en": "Paid", "th": "ชำระแล้ว"},
    "arrears": {"en": "Arrears", "th": "ค้างชำระ"},
    "next_due": {"en": "Next due", "th": "งวดถัดไป"},
    "alert:arrears": {"en": "in arrears", "th": "ค้างชำระ"},
    "alert:special_mention": {"en": "special mention (30+ days)", "th": "ค้างชำระเกิน 30 วัน"},
    "alert:re_default": {"en": "re-default (90+ days)", "th": "ผิดนัดซ้ำ (เกิน 90 วัน)"},
    "alert:covenant_dscr": {"en": "DSCR covenant broken", "th": "ผิดเงื่อนไขความสามารถชำระหนี้ (DSCR)"},
    "alert:statements_overdue": {"en": "statements overdue", "th": "ส่งงบการเงินล่าช้า"},
    "reminder_plan": {"en": "plan in arrears:", "th": "แผนค้างชำระ:"},
    "paid_at": {"en": "Paid on", "th": "วันที่ชำระ"},
    "trained_at": {"en": "Trained", "th": "ฝึกเมื่อ"},
    "model_name": {"en": "Model", "th": "แบบจำลอง"},
    "alias": {"en": "Alias", "th": "สถานะ"},
    "train_window": {"en": "Training as-of dates", "th": "ช่วงข้อมูลฝึก"},
    "holdout_window": {"en": "Holdout as-of dates", "th": "ช่วงข้อมูลทดสอบ"},
    "sample_sizes": {
        "en": "Rows: train / validation / holdout",
        "th": "จำนวนแถว: ฝึก / ตรวจสอบ / ทดสอบ",
    },
    "waiting_on": {"en": "Waiting on", "th": "รอใคร"},
    "waiting:bank": {"en": "the bank", "th": "ธนาคาร"},
    "waiting:borrower": {"en": "the borrower", "th": "ผู้กู้"},
    "days_since_change": {"en": "Days since last change", "th": "วันนับจากเปลี่ยนสถานะล่าสุด"},
    "follow_up": {"en": "Follow-up", "th": "การติดตาม"},
    "followup:contacted": {"en": "Contacted", "th": "ติดต่อแล้ว"},
    "followup:documents_received": {"en": "Documents received", "th": "ได้รับเอกสารแล้ว"},
    "followup:escalated": {"en": "Escalated", "th": "ส่งเรื่องขึ้นไป"},
    "event:application_follow_up": {"en": "Loan application followed up", "th": "ติดตามคำขอสินเชื่อ"},
    "dashboard": {"en": "Dashboard", "th": "ภาพรวม"},
    "received_from": {"en": "Received from", "th": "รับเรื่องตั้งแต่"},
    "received_to": {"en": "to", "th": "ถึง"},
    "plans_performing": {"en": "plans performing", "th": "แผนที่ชำระตามกำหนด"},
    "plans_in_arrears": {"en": "plans in arrears", "th": "แผนที่ค้างชำระ"},
    "plans_failed": {"en": "plans failed (90+ days)", "th": "แผนที่ล้มเหลว (เกิน 90 วัน)"},
    "days_to_decision": {
        "en": "median days from intake to decision",
        "th": "มัธยฐานจำนวนวันจากรับเรื่องถึงตัดสินใจ",
    },
    "by_province": {"en": "By province", "th": "ตามจังหวัด"},
    "by_intake_centre": {"en": "By intake centre", "th": "ตามศูนย์รับเรื่อง"},
    "by_problem_type": {"en": "By problem type", "th": "ตามประเภทปัญหา"},
    "by_channel": {"en": "By channel", "th": "ตามช่องทาง"},
    "by_status": {"en": "By status", "th": "ตามสถานะ"},
    "by_triage": {"en": "By triage class", "th": "ตามระดับความเร่งด่วน"},
    "workload": {"en": "Workload", "th": "ภาระงาน"},
    "open_cases": {"en": "Open cases", "th": "เรื่องที่เปิดอยู่"},
    "referrals": {"en": "Referrals", "th": "การส่งต่อหน่วยงาน"},
    "no_referrals": {"en": "No referral yet.", "th": "ยังไม่มีการส่งต่อ"},
    "agency": {"en": "Agency", "th": "หน่วยงาน"},
    "contact": {"en": "Contact", "th": "ผู้ประสานงาน"},
    "sent_on": {"en": "Sent on", "th": "ส่งเมื่อ"},
    "follow_up_on": {"en": "Follow up on", "th": "ติดตามวันที่"},
    "follow_up_due": {"en": "follow-up due", "th": "ถึงกำหนดติดตาม"},
    "result": {"en": "Result", "th": "ผลลัพธ์"},
    "record_result": {"en": "Record the result", "th": "บันทึกผล"},
    "send_referral": {"en": "Record the referral", "th": "บันทึกการส่งต่อ"},
    "milestones": {"en": "Mentoring plan", "th": "แผนการให้คำปรึกษา"},
    "no_milestones": {"en": "No milestone yet.", "th": "ยังไม่มีขั้นตอน"},
    "milestone": {"en": "Milestone", "th": "ขั้นตอน"},
    "owner": {"en": "Owner", "th": "ผู้รับผิดชอบ"},
    "due_on": {"en": "Due on", "th": "กำหนดเสร็จ"},
    "mark_done": {"en": "Mark done", "th": "เสร็จแล้ว"},
    "add_milestone": {"en": "Add the milestone", "th": "เพิ่มขั้นตอน"},
    "reminder_referral": {"en": "follow up the referral to", "th": "ติดตามการส่งต่อไปยัง"},
    "reminder_milestone": {"en": "milestone past due:", "th": "ขั้นตอนเกินกำหนด:"},
    "event:referral": {"en": "Referred", "th": "ส่งต่อหน่วยงาน"},
    "event:referral_result": {"en": "Referral result", "th": "ผลการส่งต่อ"},
    "event:milestone": {"en": "Milestone set", "th": "กำหนดขั้นตอน"},
    "event:milestone_done": {"en": "Milestone done", "th": "ขั้นตอนเสร็จแล้ว"},
    "print_memo": {"en": "Print or save as PDF", "th": "พิมพ์หรือบันทึกเป็น PDF"},
    "memo_title": {"en": "Case memo for the committee", "th": "บันทึกเสนอคณะกรรมการ"},
    "memo": {"en": "Committee memo", "th": "บันทึกเสนอคณะกรรมการ"},
    "tax_id": {"en": "Tax ID", "th": "เลขประจำตัวผู้เสียภาษี"},
    "sector": {"en": "Sector", "th": "หมวดธุรกิจ"},
    "no_decision": {"en": "No decision yet.", "th": "ยังไม่มีการตัดสินใจ"},
    "sign_analyst": {"en": "Analyst", "th": "นักวิเคราะห์"},
    "sign_manager": {"en": "Centre manager", "th": "ผู้จัดการศูนย์"},
    "sign_chair": {"en": "Committee chair", "th": "ประธานคณะกรรมการ"},
    "sign_date": {"en": "Date", "th": "วันที่"},
    "repayment_amount": {"en": "Amount (THB)", "th": "จำนวนเงิน (บาท)"},
    "record_repayment": {"en": "Record the repayment", "th": "บันทึกการชำระ"},
    "status:new": {"en": "new", "th": "ใหม่"},
    "my_cases": {"en": "My cases", "th": "งานของฉัน"},
    "all_cases": {"en": "All cases", "th": "ทุกเรื่อง"},
    "unassigned_cases": {"en": "Unassigned", "th": "ยังไม่มีผู้รับผิดชอบ"},
    "overdue_cases": {"en": "Overdue", "th": "เกินกำหนด"},
    "reminders": {"en": "Reminders", "th": "การแจ้งเตือน"},
    "reminder_case": {"en": "past its SLA in", "th": "เกินกำหนดในสถานะ"},
    "reminder_document": {"en": "waiting since", "th": "รอตั้งแต่"},
    "assigned": {"en": "Assigned", "th": "ผู้รับผิดชอบ"},
    "problem:debt_distress": {"en": "debt distress", "th": "ปัญหาหนี้"},
    "problem:near_collapse": {"en": "near collapse", "th": "ใกล้ล้มละลาย"},
    "problem:outdated_business": {"en": "outdated business", "th": "ธุรกิจล้าสมัย"},
    "problem:loan_stalled": {"en": "loan application stalled", "th": "คำขอสินเชื่อค้างพิจารณา"},
    "problem:loan_rejected": {"en": "loan rejected", "th": "ถูกปฏิเสธสินเชื่อ"},
    "problem:technology_innovation": {
        "en": "technology and innovation",
        "th": "เทคโนโลยีและนวัตกรรม",
    },
    "problem:other": {"en": "other", "th": "อื่น ๆ"},
    "channel:oss_centre": {"en": "OSS centre", "th": "ศูนย์ OSS"},
    "channel:agency_referral": {"en": "agency referral", "th": "หน่วยงานส่งต่อ"},
    "channel:direct": {"en": "direct", "th": "ติดต่อโดยตรง"},
    "years": {"en": "Fiscal years", "th": "ปีบัญชี"},
    "register": {"en": "Register the case", "th": "รับเรื่อง"},
    "intake_centre": {"en": "Intake centre", "th": "ศูนย์รับเรื่อง"},
}
TEXT.update(INTAKE_FORM_TEXT)
TEXT.update(MODEL_TEXT)
TEXT.update(CASEWORK_TEXT)
TEXT.update(PEER_TEXT)
TEXT.update({f"status:{name}": labels for name, labels in STATUS_LABELS.items()})
# Facility types and application statuses read as the advice's words do.
TEXT.update({f"facility:{k}": {"en": en, "th": th} for k, (en, th) in FACILITY_TYPE_LABELS.items()})
TEXT.update({f"legal:{k}": {"en": en, "th": th} for k, (en, th) in LEGAL_STAGE_LABELS.items()})
TEXT.update({f"collateral:{k}": {"en": e, "th": t} for k, (e, t) in COLLATERAL_TYPE_LABELS.items()})
TEXT.update(
    {f"app_status:{k}": {"en": en, "th": th} for k, (en, th) in APPLICATION_STATUS_LABELS.items()}
)
BANGKOK = ZoneInfo("Asia/Bangkok")


def t(key: str, lang: str) -> str:
    entry = TEXT.get(key)
    return entry.get(lang, entry["en"]) if entry else key


def number(value: float | None, lang: str, digits: int = 0) -> str:
    """Thousands separators; the same digits in Thai and English (as Thai banks print them)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def thb(value: float | None, lang: str) -> str:
    text = number(value, lang)
    return text if text == "–" else (f"{text} บาท" if lang == "th" else f"THB {text}")


def percent(value: float | None, lang: str, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100 * value:.{digits}f}%"


def date(value: dt.date | dt.datetime | None, lang: str) -> str:
    """A date as its readers write it: "18 มี.ค. 2569" in the Buddhist era in Thai,
    "18 Mar 2026" in English."""
    if value is None:
        return "–"
    if lang == "th":
        return f"{value.day} {THAI_MONTHS[value.month - 1]} {value.year + 543}"
    return f"{value.day} {value:%b %Y}"


def datetime(value: dt.datetime | None, lang: str) -> str:
    """A moment in Bangkok time, after its date."""
    if value is None:
        return "–"
    local = value.astimezone(BANGKOK)
    return f"{date(local, lang)} {local:%H:%M}"


def invalid(error: tuple[str, str], lang: str) -> str:
    """A form field's validation error: its type in the reader's words, else the message."""
    kind, message = error
    entry = TEXT.get(f"invalid:{kind}")
    return entry.get(lang, entry["en"]) if entry else message


def province_name(name: str | None, lang: str) -> str:
    """A province in the reader's language."""
    if name is None:
        return "–"
    return (province_th(name) or name) if lang == "th" else name


def sector_name(code: str | None, lang: str) -> str:
    """A TSIC section by its name in the reader's language."""
    if code is None:
        return "–"
    return (SECTOR_NAMES_TH if lang == "th" else SECTORS).get(code, code)


def year(value: int, lang: str) -> str:
    """A fiscal year: "พ.ศ. 2566" in Thai, "2023" in English."""
    return f"พ.ศ. {value + 543}" if lang == "th" else str(value)
