"""Thailand's 77 provinces by their usual English spelling, with their Thai names; a few other
romanisations in common use are accepted too. Province is free text in a portfolio: a name not
listed here is shown as written."""

from __future__ import annotations

PROVINCE_NAMES_TH: dict[str, str] = {
    "Amnat Charoen": "อำนาจเจริญ", "Ang Thong": "อ่างทอง", "Bangkok": "กรุงเทพมหานคร",
    "Bueng Kan": "บึงกาฬ", "Buriram": "บุรีรัมย์", "Chachoengsao": "ฉะเชิงเทรา",
    "Chai Nat": "ชัยนาท", "Chaiyaphum": "ชัยภูมิ", "Chanthaburi": "จันทบุรี",
    "Chiang Mai": "เชียงใหม่", "Chiang Rai": "เชียงราย", "Chonburi": "ชลบุรี",
    "Chumphon": "ชุมพร", "Kalasin": "กาฬสินธุ์", "Kamphaeng Phet": "กำแพงเพชร",
    "Kanchanaburi": "กาญจนบุรี", "Khon Kaen": "ขอนแก่น", "Krabi": "กระบี่",
    "Lampang": "ลำปาง", "Lamphun": "ลำพูน", "Loei": "เลย", "Lopburi": "ลพบุรี",
    "Mae Hong Son": "แม่ฮ่องสอน", "Maha Sarakham": "มหาสารคาม", "Mukdahan": "มุกดาหาร",
    "Nakhon Nayok": "นครนายก", "Nakhon Pathom": "นครปฐม", "Nakhon Phanom": "นครพนม",
    "Nakhon Ratchasima": "นครราชสีมา", "Nakhon Sawan": "นครสวรรค์",
    "Nakhon Si Thammarat": "นครศรีธรรมราช", "Nan": "น่าน", "Narathiwat": "นราธิวาส",
    "Nong Bua Lamphu": "หนองบัวลำภู", "Nong Khai": "หนองคาย", "Nonthaburi": "นนทบุรี",
    "Pathum Thani": "ปทุมธานี", "Pattani": "ปัตตานี", "Phang Nga": "พังงา",
    "Phatthalung": "พัทลุง", "Phayao": "พะเยา", "Phetchabun": "เพชรบูรณ์",
    "Phetchaburi": "เพชรบุรี", "Phichit": "พิจิตร", "Phitsanulok": "พิษณุโลก",
    "Phra Nakhon Si Ayutthaya": "พระนครศรีอยุธยา", "Phrae": "แพร่", "Phuket": "ภูเก็ต",
    "Prachinburi": "ปราจีนบุรี", "Prachuap Khiri Khan": "ประจวบคีรีขันธ์", "Ranong": "ระนอง",
    "Ratchaburi": "ราชบุรี", "Rayong": "ระยอง", "Roi Et": "ร้อยเอ็ด", "Sa Kaeo": "สระแก้ว",
    "Sakon Nakhon": "สกลนคร", "Samut Prakan": "สมุทรปราการ", "Samut Sakhon": "สมุทรสาคร",
    "Samut Songkhram": "สมุทรสงคราม", "Saraburi": "สระบุรี", "Satun": "สตูล",
    "Sing Buri": "สิงห์บุรี", "Sisaket": "ศรีสะเกษ", "Songkhla": "สงขลา", "Sukhothai": "สุโขทัย",
    "Suphan Buri": "สุพรรณบุรี", "Surat Thani": "สุราษฎร์ธานี", "Surin": "สุรินทร์", "Tak": "ตาก",
    "Trang": "ตรัง", "Trat": "ตราด", "Ubon Ratchathani": "อุบลราชธานี", "Udon Thani": "อุดรธานี",
    "Uthai Thani": "อุทัยธานี", "Uttaradit": "อุตรดิตถ์", "Yala": "ยะลา", "Yasothon": "ยโสธร",
}  # fmt: skip
ALIASES = {
    "Ayutthaya": "Phra Nakhon Si Ayutthaya", "Chon Buri": "Chonburi", "Lop Buri": "Lopburi",
    "Prachin Buri": "Prachinburi", "Buri Ram": "Buriram", "Si Sa Ket": "Sisaket",
    "Krung Thep Maha Nakhon": "Bangkok", "Nong Bua Lam Phu": "Nong Bua Lamphu",
}  # fmt: skip


def province_th(name: str | None) -> str | None:
    """The Thai name of a province written in English (any case), or the name as written."""
    if name is None:
        return None
    key = " ".join(name.split()).title()
    key = ALIASES.get(key, key)
    return PROVINCE_NAMES_TH.get(key, name)
