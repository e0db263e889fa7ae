"""Fixed reference data of the synthetic Thai SME portfolio: geography, sectors, lenders, names.

Province weights are rough population shares in hundreds of thousands; lender names are
fictitious and match no real institution.
"""

from __future__ import annotations

# province: (region, weight)
PROVINCES: dict[str, tuple[str, float]] = {
    # north
    "Chiang Mai": ("north", 18),
    "Chiang Rai": ("north", 13),
    "Lampang": ("north", 7),
    "Lamphun": ("north", 4),
    "Mae Hong Son": ("north", 3),
    "Nan": ("north", 5),
    "Phayao": ("north", 5),
    "Phrae": ("north", 4),
    "Uttaradit": ("north", 5),
    # northeast
    "Amnat Charoen": ("northeast", 4),
    "Bueng Kan": ("northeast", 4),
    "Buriram": ("northeast", 16),
    "Chaiyaphum": ("northeast", 11),
    "Kalasin": ("northeast", 10),
    "Khon Kaen": ("northeast", 18),
    "Loei": ("northeast", 6),
    "Maha Sarakham": ("northeast", 10),
    "Mukdahan": ("northeast", 4),
    "Nakhon Phanom": ("northeast", 7),
    "Nakhon Ratchasima": ("northeast", 26),
    "Nong Bua Lamphu": ("northeast", 5),
    "Nong Khai": ("northeast", 5),
    "Roi Et": ("northeast", 13),
    "Sakon Nakhon": ("northeast", 12),
    "Sisaket": ("northeast", 15),
    "Surin": ("northeast", 14),
    "Ubon Ratchathani": ("northeast", 19),
    "Udon Thani": ("northeast", 16),
    "Yasothon": ("northeast", 5),
    # central (Bangkok and its vicinity included)
    "Ang Thong": ("central", 3),
    "Bangkok": ("central", 55),
    "Chai Nat": ("central", 3),
    "Kamphaeng Phet": ("central", 7),
    "Lopburi": ("central", 8),
    "Nakhon Nayok": ("central", 3),
    "Nakhon Pathom": ("central", 9),
    "Nakhon Sawan": ("central", 11),
    "Nonthaburi": ("central", 13),
    "Pathum Thani": ("central", 12),
    "Phetchabun": ("central", 10),
    "Phichit": ("central", 5),
    "Phitsanulok": ("central", 9),
    "Phra Nakhon Si Ayutthaya": ("central", 8),
    "Samut Prakan": ("central", 14),
    "Samut Sakhon": ("central", 6),
    "Samut Songkhram": ("central", 2),
    "Saraburi": ("central", 6),
    "Sing Buri": ("central", 2),
    "Sukhothai": ("central", 6),
    "Suphan Buri": ("central", 8),
    "Uthai Thani": ("central", 3),
    # east
    "Chachoengsao": ("east", 7),
    "Chanthaburi": ("east", 5),
    "Chonburi": ("east", 16),
    "Prachinburi": ("east", 5),
    "Rayong": ("east", 8),
    "Sa Kaeo": ("east", 6),
    "Trat": ("east", 2),
    # west
    "Kanchanaburi": ("west", 9),
    "Phetchaburi": ("west", 5),
    "Prachuap Khiri Khan": ("west", 5),
    "Ratchaburi": ("west", 9),
    "Tak": ("west", 7),
    # south
    "Chumphon": ("south", 5),
    "Krabi": ("south", 5),
    "Nakhon Si Thammarat": ("south", 16),
    "Narathiwat": ("south", 8),
    "Pattani": ("south", 7),
    "Phang Nga": ("south", 3),
    "Phatthalung": ("south", 5),
    "Phuket": ("south", 4),
    "Ranong": ("south", 2),
    "Satun": ("south", 3),
    "Songkhla": ("south", 14),
    "Surat Thani": ("south", 11),
    "Trang": ("south", 6),
    "Yala": ("south", 5),
}

# sector: (share of SMEs, gross margin, asset turnover, days inventory, COVID exposure)
SECTOR_PROFILES: dict[str, tuple[float, float, float, float, float]] = {
    "G": (0.30, 0.18, 2.2, 55, 0.4),
    "C": (0.14, 0.26, 1.3, 70, 0.5),
    "I": (0.12, 0.55, 0.9, 12, 2.5),
    "A": (0.08, 0.22, 0.9, 80, 0.3),
    "F": (0.08, 0.16, 1.4, 30, 0.6),
    "S": (0.06, 0.45, 1.6, 10, 0.9),
    "H": (0.05, 0.30, 1.1, 5, 1.0),
    "M": (0.05, 0.50, 1.7, 3, 0.4),
    "N": (0.04, 0.40, 1.8, 5, 0.9),
    "J": (0.03, 0.50, 1.5, 3, 0.1),
    "L": (0.02, 0.45, 0.35, 200, 0.7),
    "Q": (0.02, 0.40, 1.2, 15, 0.2),
    "P": (0.01, 0.45, 1.0, 5, 0.6),
}

# lender: (SLA days, median processing days, approval bias)
LENDERS: dict[str, tuple[int, int, float]] = {
    "Chao Phraya Commercial Bank": (30, 24, 0.2),
    "Lanna Enterprise Bank": (45, 38, 0.0),
    "Mekong Savings Bank": (30, 36, -0.1),
    "Andaman Trust Bank": (30, 20, 0.1),
    "Rattanakosin Bank": (45, 30, 0.0),
    "Isan Development Bank": (60, 52, 0.3),
    "Golden Peninsula Bank": (30, 27, -0.2),
    "Sukhothai Microfinance": (21, 14, 0.4),
}
INFORMAL_LENDERS = ("informal moneylender", "family and friends", "supplier credit line")
PRODUCTS = ("working capital loan", "term loan", "soft loan", "trade finance", "equipment lease")
REJECTION_REASONS = (
    "insufficient collateral",
    "weak cash flow",
    "incomplete documents",
    "adverse credit record",
    "business plan not viable",
)
AGENCIES = (
    "Industrial Promotion Agency",
    "Innovation Support Agency",
    "Provincial Commerce Office",
    "Cooperative Promotion Office",
)

NAME_PREFIXES = (
    "Siam Thong",
    "Ruam Jai",
    "Chok Dee",
    "Sinsap",
    "Mongkol",
    "Charoen Phon",
    "Saeng Thong",
    "Rung Ruang",
    "Thanakit",
    "Sombat",
    "Kaew Kanya",
    "Boon Rak",
    "Pattana",
    "Sri Mueang",
    "Nakhon Thong",
    "Fah Sai",
    "Chai Mongkol",
    "Suk Som",
    "Thep Phanom",
    "Wattana Phan",
)
SECTOR_WORDS: dict[str, tuple[str, ...]] = {
    "G": ("Trading", "Mart", "Supply", "Wholesale"),
    "C": ("Industry", "Manufacturing", "Foods", "Products"),
    "I": ("Resort", "Kitchen", "Hotel", "Cafe"),
    "A": ("Farm", "Agro", "Orchard", "Fishery"),
    "F": ("Construction", "Builders", "Engineering", "Contractor"),
    "S": ("Services", "Salon", "Repair", "Laundry"),
    "H": ("Logistics", "Transport", "Express", "Freight"),
    "M": ("Consulting", "Design", "Advisory", "Lab"),
    "N": ("Staffing", "Cleaning", "Rental", "Travel"),
    "J": ("Digital", "Media", "Software", "Studio"),
    "L": ("Property", "Estate", "Land", "Housing"),
    "Q": ("Clinic", "Care", "Pharmacy", "Wellness"),
    "P": ("Academy", "Tutoring", "School", "Institute"),
}
LEGAL_SUFFIX = {
    "sole_proprietorship": "",
    "ordinary_partnership": " Ordinary Partnership",
    "limited_partnership": " Limited Partnership",
    "company_limited": " Co., Ltd.",
    "public_company_limited": " Public Co., Ltd.",
    "community_enterprise": " Community Enterprise",
}
