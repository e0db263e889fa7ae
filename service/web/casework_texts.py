"""The words of the case's paperwork and of the queue's filters: the assessment a page shows,
the creditors' meetings, the proposal letters, open or closed cases."""

from __future__ import annotations

CASEWORK_TEXT: dict[str, dict[str, str]] = {
    "advised_as_of": {
        "en": "Advice and triage of the case's latest assessment, as of",
        "th": "คำแนะนำและการคัดกรองจากการประเมินล่าสุดของเรื่อง ณ วันที่",
    },
    "letters": {"en": "Proposal letters to each lender", "th": "หนังสือเสนอแผนถึงเจ้าหนี้แต่ละราย"},
    "letters_title": {"en": "Proposal letters", "th": "หนังสือเสนอแผนปรับโครงสร้างหนี้"},
    "no_plan_to_propose": {
        "en": "The case's advice has no plan to propose to its lenders.",
        "th": "คำแนะนำของเรื่องนี้ยังไม่มีแผนที่จะเสนอต่อเจ้าหนี้",
    },
    "letter_to": {"en": "To", "th": "เรียน"},
    "letter_subject": {
        "en": "Proposal to restructure the debt of",
        "th": "เรื่อง ขอเสนอแผนปรับโครงสร้างหนี้ของ",
    },
    "letter_intro": {
        "en": "The SME rescue centre proposes, on behalf of the business,",
        "th": "ศูนย์ฟื้นฟู SME ขอเสนอในนามของกิจการ ให้ดำเนินการ",
    },
    "letter_terms": {
        "en": "The terms proposed for your facilities are:",
        "th": "เงื่อนไขที่เสนอสำหรับวงเงินของท่านมีดังนี้",
    },
    "letter_value": {
        "en": "Under the plan your claims are worth (present value)",
        "th": "ภายใต้แผน มูลค่าปัจจุบันของสิทธิเรียกร้องของท่านเท่ากับ",
    },
    "letter_close": {
        "en": "We ask for your consent, or your counter-proposal, within 30 days of this letter.",
        "th": "จึงเรียนมาเพื่อโปรดพิจารณาให้ความเห็นชอบ หรือเสนอเงื่อนไขอื่น ภายใน 30 วันนับจากวันที่ในหนังสือนี้",
    },
    "letter_step:restructuring_agreement": {
        "en": "The new money comes only once every creditor has signed the restructuring "
        "agreement.",
        "th": "วงเงินใหม่จะเบิกได้เมื่อเจ้าหนี้ทุกรายลงนามในสัญญาปรับโครงสร้างหนี้แล้วเท่านั้น",
    },
    "letter_step:court_rehabilitation": {
        "en": "The new money comes only within the plan the court approves.",
        "th": "วงเงินใหม่จะเบิกได้ภายใต้แผนที่ศาลเห็นชอบเท่านั้น",
    },
    "paid_off_in_full": {
        "en": "paid off in full by the new facility",
        "th": "ชำระเต็มจำนวนด้วยวงเงินใหม่",
    },
    "arrears:cured": {"en": "cleared by the payoff", "th": "ชำระหมดด้วยวงเงินใหม่"},
    "arrears:capitalised": {"en": "capitalised", "th": "รวมเข้าเงินต้น"},
    "arrears:settled": {"en": "settled with the claim", "th": "ชำระพร้อมมูลหนี้ด้วยทรัพย์ที่โอน"},
    "sign_centre": {"en": "For the SME rescue centre", "th": "ในนามศูนย์ฟื้นฟู SME"},
    "sign_lender": {"en": "For the lender: consent", "th": "ในนามเจ้าหนี้: ให้ความเห็นชอบ"},
    "creditor_meetings": {"en": "Creditors' meetings", "th": "การประชุมเจ้าหนี้"},
    "procedure:restructuring_agreement": {
        "en": "out of court (restructuring agreement)",
        "th": "นอกศาล (สัญญาปรับโครงสร้างหนี้)",
    },
    "procedure:court_chapter_3_2": {
        "en": "Bankruptcy Act Chapter 3/2 (SMEs)",
        "th": "พ.ร.บ.ล้มละลาย หมวด 3/2 (SMEs)",
    },
    "procedure:court_chapter_3_1": {
        "en": "Bankruptcy Act Chapter 3/1",
        "th": "พ.ร.บ.ล้มละลาย หมวด 3/1",
    },
    "share_for": {"en": "debt voting for", "th": "หนี้ที่ลงมติเห็นชอบ"},
    "required_share": {"en": "required", "th": "เกณฑ์"},
    "creditors_for": {"en": "creditors for", "th": "จำนวนเจ้าหนี้ที่เห็นชอบ"},
    "carried": {"en": "carried", "th": "ผ่านมติ"},
    "not_carried": {"en": "not carried", "th": "ไม่ผ่านมติ"},
    "short_by": {"en": "would have carried with", "th": "จะผ่านมติหากได้เสียงจาก"},
    "vote": {"en": "Vote", "th": "มติ"},
    "proxy": {"en": "Proxy", "th": "ผู้รับมอบฉันทะ"},
    "vote:for": {"en": "for", "th": "เห็นชอบ"},
    "vote:against": {"en": "against", "th": "ไม่เห็นชอบ"},
    "vote:abstained": {"en": "abstained", "th": "งดออกเสียง"},
    "vote:absent": {"en": "absent", "th": "ไม่มาประชุม"},
    "queue_state": {"en": "Cases", "th": "เรื่อง"},
    "queue_state:open": {"en": "Open", "th": "ที่ยังดำเนินการ"},
    "queue_state:closed": {"en": "Resolved or closed", "th": "ที่ยุติหรือปิดแล้ว"},
    "queue_state:all": {"en": "All", "th": "ทั้งหมด"},
    "transfer_value": {"en": "Transfer value", "th": "มูลค่าโอนทรัพย์"},
    "rent": {"en": "Lease-back rent a month", "th": "ค่าเช่ากลับต่อเดือน"},
    "buyback_price": {"en": "Buy-back price", "th": "ราคาซื้อคืน"},
}
