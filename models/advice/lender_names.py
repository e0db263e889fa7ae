"""Lenders' names as Thai readers know them: the one catalogue every Thai text (rationales,
triage reasons, pages, the memo, letters) takes a lender's or an informal creditor's name from.
A name not in the catalogue is shown as it is on record."""

from __future__ import annotations

# English name on record (as lenders and the generator write it) -> Thai name.
THAI_NAMES: dict[str, str] = {
    # Thai commercial and state banks
    "Bangkok Bank": "ธนาคารกรุงเทพ",
    "Kasikornbank": "ธนาคารกสิกรไทย",
    "Krungthai Bank": "ธนาคารกรุงไทย",
    "Siam Commercial Bank": "ธนาคารไทยพาณิชย์",
    "Bank of Ayudhya": "ธนาคารกรุงศรีอยุธยา",
    "Krungsri": "ธนาคารกรุงศรีอยุธยา",
    "TMBThanachart Bank": "ธนาคารทหารไทยธนชาต",
    "Kiatnakin Phatra Bank": "ธนาคารเกียรตินาคินภัทร",
    "TISCO Bank": "ธนาคารทิสโก้",
    "CIMB Thai Bank": "ธนาคารซีไอเอ็มบี ไทย",
    "UOB Thailand": "ธนาคารยูโอบี",
    "LH Bank": "ธนาคารแลนด์ แอนด์ เฮ้าส์",
    "Government Savings Bank": "ธนาคารออมสิน",
    "Government Housing Bank": "ธนาคารอาคารสงเคราะห์",
    "BAAC": "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร",
    "SME D Bank": "ธนาคารพัฒนาวิสาหกิจขนาดกลางและขนาดย่อมแห่งประเทศไทย",
    "SME Development Bank": "ธนาคารพัฒนาวิสาหกิจขนาดกลางและขนาดย่อมแห่งประเทศไทย",
    "EXIM Thailand": "ธนาคารเพื่อการส่งออกและนำเข้าแห่งประเทศไทย",
    # The generated portfolio's lenders
    "Chao Phraya Commercial Bank": "ธนาคารเจ้าพระยาพาณิชย์",
    "Lanna Enterprise Bank": "ธนาคารล้านนาวิสาหกิจ",
    "Mekong Savings Bank": "ธนาคารออมทรัพย์แม่โขง",
    "Andaman Trust Bank": "ธนาคารอันดามันทรัสต์",
    "Rattanakosin Bank": "ธนาคารรัตนโกสินทร์",
    "Isan Development Bank": "ธนาคารพัฒนาอีสาน",
    "Golden Peninsula Bank": "ธนาคารแหลมทอง",
    "Sukhothai Microfinance": "สุโขทัยไมโครไฟแนนซ์",
    # Informal creditors, by kind
    "informal moneylender": "เจ้าหนี้เงินกู้นอกระบบ",
    "moneylender": "เจ้าหนี้เงินกู้นอกระบบ",
    "family and friends": "ญาติและเพื่อน",
    "supplier credit line": "เครดิตการค้าจากผู้ขายสินค้า",
}
_BY_KEY = {name.casefold(): thai for name, thai in THAI_NAMES.items()}


def lender_name(name: str, lang: str) -> str:
    """The lender's name for a reader of `lang`: its Thai form where the catalogue has one."""
    if lang != "th":
        return name
    return _BY_KEY.get(" ".join(name.split()).casefold(), name)
