"""What an import did, in English and Thai: every conversion, every line it did not map, every
statement that does not balance, every cell it could not read, each with file, sheet, row and
column."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Literal

Kind = Literal[
    "converted", "buddhist_era", "unit", "default_period_end", "component", "subtotal",
    "duplicate_line", "unmapped", "unbalanced", "error",
]  # fmt: skip

TEXT: dict[str, tuple[str, str]] = {
    "converted": ("value converted", "แปลงรูปแบบค่า"),
    "buddhist_era": ("Buddhist-era year converted", "แปลงปี พ.ศ. เป็น ค.ศ."),
    "unit": ("amounts scaled to baht", "ปรับหน่วยเป็นบาท"),
    "default_period_end": (
        "no period end given: 31 December of the fiscal year",
        "ไม่ระบุวันสิ้นงวด ใช้วันที่ 31 ธันวาคมของปีบัญชี",
    ),
    "component": ("line made of its parts", "รวมรายการย่อยเป็นบรรทัดหลัก"),
    "subtotal": ("subtotal recognised, not stored", "บรรทัดยอดรวมย่อย ตรวจแล้ว ไม่ได้จัดเก็บ"),
    "duplicate_line": (
        "another label for a line already read: kept the first",
        "ชื่อบรรทัดซ้ำกับรายการที่อ่านแล้ว ใช้ค่าแรก",
    ),
    "unmapped": ("line not in the label dictionary: not imported", "ไม่รู้จักชื่อบรรทัดนี้ ไม่ได้นำเข้า"),
    "unbalanced": (
        "total assets differ from total liabilities plus equity",
        "สินทรัพย์รวมไม่เท่ากับหนี้สินรวมบวกส่วนของผู้ถือหุ้น",
    ),
    "error": ("cannot be read", "อ่านค่าไม่ได้"),
}


# The connecting words of the readers' notes, in Thai; the quoted cells, numbers and dates they
# join stay as the file has them.
THAI_PHRASES: tuple[tuple[str, str], ...] = (
    (" is a B.E. date: ", " เป็นวันที่ พ.ศ. = "),
    (" is B.E. ", " เป็นปี พ.ศ. "),
    (": C.E. ", " = ค.ศ. "),
    (" read as ", " อ่านได้เป็น "),
    ("a dash for nil read as 0", "ขีด (-) หมายถึงศูนย์ อ่านเป็น 0"),
    (" amounts with thousands separators, from this cell on", " จำนวนที่มีเครื่องหมายคั่นหลักพัน ตั้งแต่ช่องนี้"),
    (" value(s); first: ", " ค่า; ค่าแรก: "),
    ("no business id row: the sheet name ", "ไม่มีบรรทัดรหัสกิจการ ใช้ชื่อชีต "),
    ("no business id row: the file name ", "ไม่มีบรรทัดรหัสกิจการ ใช้ชื่อไฟล์ "),
    (", the sum of its parts, for ", " รวมจากรายการย่อย ปี "),
    (": kept the first", ": ใช้รายการแรก"),
    (", read at row ", " อ่านแล้วที่แถว "),
    (" against ", " เทียบกับ "),
    (": amounts x ", ": คูณจำนวนเงินด้วย "),
    ("tax id ", "เลขประจำตัวผู้เสียภาษี "),
    ("business ", "กิจการ "),
    ("not a number: ", "ไม่ใช่ตัวเลข: "),
    ("not a calendar date: ", "ไม่ใช่วันที่ที่มีอยู่จริง: "),
    (
        "not a date (YYYY-MM-DD, DD/MM/YYYY or 31 ธ.ค. 2567): ",
        "ไม่ใช่วันที่ (ปปปป-ดด-วว, วว/ดด/ปปปป หรือ 31 ธ.ค. 2567): ",
    ),
    ("not a year: ", "ไม่ใช่ปี: "),
    ("cannot be read: ", "อ่านไฟล์ไม่ได้: "),
    ("not CSV or XLSX; read: ", "ไม่ใช่ไฟล์ CSV หรือ XLSX; อ่านได้: "),
    ("no fiscal years across a row", "ไม่พบแถวปีบัญชี"),
    (" names ", " คือรายการ "),
)


def in_thai(detail: str) -> str:
    for english, thai in THAI_PHRASES:
        detail = detail.replace(english, thai)
    return detail


def note_kind(note: str) -> Kind:
    """The kind of a reader's note: an era conversion, or another change of form."""
    return "buddhist_era" if "B.E." in note else "converted"


@dataclass(frozen=True)
class Entry:
    kind: Kind
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    detail: str

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"[{self.sheet}]")
        place = ":".join(str(p) for p in (self.row, self.column) if p is not None)
        return "".join(parts) + (f":{place}" if place else "")

    def text(self, lang: str) -> str:
        en, th = TEXT[self.kind]
        if lang == "th":
            return f"{self.where()}: {th}: {in_thai(self.detail)}"
        return f"{self.where()}: {en}: {self.detail}"


@dataclass
class ImportReport:
    entries: list[Entry] = field(default_factory=list)

    def add(
        self,
        kind: Kind,
        file: str,
        detail: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.entries.append(Entry(kind, file, sheet, row, column, detail))

    @property
    def errors(self) -> list[Entry]:
        return [e for e in self.entries if e.kind == "error"]

    def count(self, kind: Kind) -> int:
        return sum(e.kind == kind for e in self.entries)

    def text(self, lang: str = "en") -> str:
        head = "Import report" if lang == "en" else "รายงานการนำเข้า"
        return "\n".join([head, *(e.text(lang) for e in self.entries)]) + "\n"

    def to_json(self) -> str:
        return json.dumps(
            [{**asdict(e), "en": e.text("en"), "th": e.text("th")} for e in self.entries],
            ensure_ascii=False,
            indent=1,
        )
