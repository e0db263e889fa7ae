"""The words of a case's standing against its peers."""

from __future__ import annotations

SIZE_CLASS_NAMES = {
    "micro": ("micro enterprise", "วิสาหกิจรายย่อย"),
    "small": ("small enterprise", "วิสาหกิจขนาดย่อม"),
    "medium": ("medium enterprise", "วิสาหกิจขนาดกลาง"),
    "large": ("large enterprise", "กิจการขนาดใหญ่"),
}

PEER_TEXT: dict[str, dict[str, str]] = {
    "peers": {"en": "Against its peers", "th": "เทียบกับกิจการกลุ่มเดียวกัน"},
    "peer_group": {"en": "Peer group", "th": "กลุ่มเปรียบเทียบ"},
    "peer_businesses": {
        "en": "other businesses with statements at the date",
        "th": "กิจการอื่นที่มีงบการเงิน ณ วันที่ประเมิน",
    },
    "whole_book": {"en": "every business on record", "th": "กิจการทั้งหมดในระบบ"},
    "peers_weakest": {
        "en": "The ratios on which it stands weakest: how many of its peers it is safer than",
        "th": "อัตราส่วนที่ด้อยที่สุดเมื่อเทียบกับกลุ่ม: ดีกว่ากิจการในกลุ่มกี่เปอร์เซ็นต์",
    },
    "peer_middle": {"en": "peers' middle half, median", "th": "ครึ่งกลางของกลุ่ม และค่ามัธยฐาน"},
    "peers_all": {"en": "Every ratio", "th": "อัตราส่วนทั้งหมด"},
    "ratio": {"en": "Ratio", "th": "อัตราส่วน"},
    "value": {"en": "Value", "th": "ค่า"},
    "peer_quartiles": {
        "en": "Peers: 25th / median / 75th",
        "th": "กลุ่ม: เปอร์เซ็นไทล์ที่ 25 / มัธยฐาน / 75",
    },
    "safer_than": {"en": "Safer than", "th": "ดีกว่า"},
    "no_peer_ratios": {
        "en": "No statements at the date, so nothing to compare.",
        "th": "ไม่มีงบการเงิน ณ วันที่ประเมิน จึงเปรียบเทียบไม่ได้",
    },
    "too_few_peers": {
        "en": "Too few businesses with statements at the date to compare with; at least",
        "th": "กิจการที่มีงบการเงิน ณ วันที่ประเมินมีน้อยเกินกว่าจะเปรียบเทียบได้ ต้องมีอย่างน้อย",
    },
    **{f"size:{k}": {"en": en, "th": th} for k, (en, th) in SIZE_CLASS_NAMES.items()},
}
