"""The ratio library: the statement ratios of the bankruptcy-prediction and credit-rating
literature beyond the core set, each with its formula, direction of risk, source, and how it
reads in English (label, unit) and Thai. `features.registry` makes them features,
`features.ratios` computes them, `features.feature_labels` reads them out.

Lines follow the accounting conventions of the design brief. Where a finer line is missing a
coarser one stands in, and a flag says so (`features.ratios.fill_lines`): debt from total
liabilities less payables, operating cash flow from net income plus depreciation (funds from
operations), current assets from cash, receivables and inventory. A missing line is never zero.
"""

from __future__ import annotations

from typing import NamedTuple


class Ratio(NamedTuple):
    name: str
    family: str
    formula: str
    risk: int  # +1 higher is riskier, -1 safer, 0 no settled direction
    source: str
    label: str
    unit: str
    label_th: str


PRACTICE = "credit-analysis practice"
ALTMAN = "Altman (1968); Altman (1983) for private firms"
OHLSON = "Ohlson (1980)"
BEAVER = "Beaver (1966)"
TAFFLER = "Taffler (1983)"

LIBRARY: tuple[Ratio, ...] = (
    # Profitability
    Ratio("gross_margin", "profitability", "(revenue - cost of sales) / revenue", -1, PRACTICE,
          "gross margin", "percent", "อัตรากำไรขั้นต้น"),
    Ratio("operating_margin", "profitability", "EBIT / revenue", -1, PRACTICE,
          "operating margin", "percent", "อัตรากำไรจากการดำเนินงาน"),
    Ratio("pretax_margin", "profitability", "(net income + tax expense) / revenue", -1, PRACTICE,
          "pre-tax margin", "percent", "อัตรากำไรก่อนภาษี"),
    Ratio("ebit_to_assets", "profitability", "EBIT / total assets", -1, ALTMAN,
          "EBIT to total assets", "percent", "กำไรจากการดำเนินงานต่อสินทรัพย์รวม"),
    Ratio("retained_earnings_to_assets", "profitability", "retained earnings / total assets", -1,
          ALTMAN, "retained earnings to assets", "percent", "กำไรสะสมต่อสินทรัพย์รวม"),
    Ratio("roe", "profitability", "net income / equity; NaN where equity <= 0", -1, PRACTICE,
          "return on equity", "percent", "อัตราผลตอบแทนต่อส่วนของผู้ถือหุ้น"),
    Ratio("loss_two_years", "profitability", "1 where net income < 0 this year and last", 1,
          OHLSON, "losses two years running", "flag", "ขาดทุนสองปีติดต่อกัน"),
    # Leverage
    Ratio("debt_to_assets", "leverage", "debt / total assets", 1, PRACTICE,
          "debt to assets", "percent", "หนี้ที่มีภาระดอกเบี้ยต่อสินทรัพย์รวม"),
    Ratio("short_term_debt_share", "leverage", "short-term debt / debt", 1, PRACTICE,
          "short-term share of debt", "percent", "สัดส่วนหนี้ระยะสั้นในหนี้ที่มีภาระดอกเบี้ย"),
    Ratio("current_liabilities_to_assets", "leverage", "current liabilities / total assets", 1,
          TAFFLER, "current liabilities to assets", "percent", "หนี้สินหมุนเวียนต่อสินทรัพย์รวม"),
    Ratio("fixed_assets_to_equity", "leverage", "fixed assets / equity; NaN where equity <= 0",
          0, PRACTICE, "fixed assets to equity", "ratio", "สินทรัพย์ถาวรต่อส่วนของผู้ถือหุ้น"),
    # Coverage
    Ratio("ebitda_interest_coverage", "coverage", "EBITDA / interest expense", -1, PRACTICE,
          "EBITDA interest coverage", "ratio", "EBITDA ต่อดอกเบี้ยจ่าย"),
    Ratio("cash_flow_interest_coverage", "coverage",
          "(operating cash flow + interest expense) / interest expense", -1, PRACTICE,
          "cash-flow interest coverage", "ratio", "กระแสเงินสดต่อดอกเบี้ยจ่าย"),
    Ratio("cash_flow_to_liabilities", "coverage", "operating cash flow / total liabilities", -1,
          BEAVER, "operating cash flow to liabilities", "percent",
          "กระแสเงินสดจากการดำเนินงานต่อหนี้สินรวม"),
    Ratio("cash_flow_to_current_liabilities", "coverage",
          "operating cash flow / current liabilities", -1, PRACTICE,
          "operating cash flow to current liabilities", "percent",
          "กระแสเงินสดจากการดำเนินงานต่อหนี้สินหมุนเวียน"),
    Ratio("net_debt_to_ebitda", "coverage", "(debt - cash) / EBITDA; NaN where EBITDA <= 0", 1,
          PRACTICE, "net debt to EBITDA", "ratio", "หนี้สุทธิต่อ EBITDA"),
    # Liquidity
    Ratio("cash_to_assets", "liquidity", "cash / total assets", -1, PRACTICE,
          "cash to assets", "percent", "เงินสดต่อสินทรัพย์รวม"),
    Ratio("current_assets_to_assets", "liquidity", "current assets / total assets", 0, PRACTICE,
          "current assets to total assets", "percent", "สินทรัพย์หมุนเวียนต่อสินทรัพย์รวม"),
    Ratio("inventory_to_current_assets", "liquidity", "inventory / current assets", 0, PRACTICE,
          "inventory to current assets", "percent", "สินค้าคงเหลือต่อสินทรัพย์หมุนเวียน"),
    Ratio("working_capital_to_revenue", "liquidity", "(current assets - current liabilities) / "
          "revenue", -1, PRACTICE, "working capital to revenue", "percent",
          "เงินทุนหมุนเวียนต่อรายได้"),
    Ratio("no_credit_interval", "liquidity", "(current assets - inventory - current liabilities) "
          "/ daily cash operating costs, days", -1, TAFFLER, "no-credit interval", "days",
          "จำนวนวันที่ดำเนินงานได้โดยไม่พึ่งสินเชื่อ"),
    Ratio("cash_days", "liquidity", "cash / daily cash operating costs (cost of sales + "
          "operating expenses - depreciation), days", -1, PRACTICE, "days of cash", "days",
          "จำนวนวันที่เงินสดรองรับค่าใช้จ่าย"),
    # Activity
    Ratio("fixed_asset_turnover", "activity", "revenue / fixed assets", 0, PRACTICE,
          "fixed asset turnover", "ratio", "อัตราการหมุนของสินทรัพย์ถาวร"),
    Ratio("operating_expense_ratio", "activity", "operating expenses / revenue", 1, PRACTICE,
          "operating expenses to revenue", "percent", "ค่าใช้จ่ายในการดำเนินงานต่อรายได้"),
    Ratio("interest_to_revenue", "activity", "interest expense / revenue", 1, PRACTICE,
          "interest expense to revenue", "percent", "ดอกเบี้ยจ่ายต่อรายได้"),
    Ratio("payables_days_of_revenue", "activity", "payables / revenue x 365", 0, PRACTICE,
          "payables in days of revenue", "days", "เจ้าหนี้การค้าคิดเป็นจำนวนวันของรายได้"),
    # Growth and change on the year before
    Ratio("assets_growth", "growth", "total assets / last year's - 1", 0, PRACTICE,
          "total assets growth", "percent", "การเติบโตของสินทรัพย์รวม"),
    Ratio("debt_growth", "growth", "debt / last year's - 1", 1, PRACTICE,
          "debt growth", "percent", "การเพิ่มขึ้นของหนี้ที่มีภาระดอกเบี้ย"),
    Ratio("receivables_growth", "growth", "receivables / last year's - 1", 0, PRACTICE,
          "receivables growth", "percent", "การเปลี่ยนแปลงของลูกหนี้การค้า"),
    Ratio("inventory_growth", "growth", "inventory / last year's - 1", 0, PRACTICE,
          "inventory growth", "percent", "การเปลี่ยนแปลงของสินค้าคงเหลือ"),
    Ratio("payables_growth", "growth", "payables / last year's - 1", 0, PRACTICE,
          "payables growth", "percent", "การเปลี่ยนแปลงของเจ้าหนี้การค้า"),
    Ratio("cash_growth", "growth", "cash / last year's - 1", 0, PRACTICE,
          "cash growth", "percent", "การเปลี่ยนแปลงของเงินสด"),
    Ratio("current_liabilities_growth", "growth", "current liabilities / last year's - 1", 0,
          PRACTICE, "current liabilities growth", "percent", "การเปลี่ยนแปลงของหนี้สินหมุนเวียน"),
    Ratio("operating_expenses_growth", "growth", "operating expenses / last year's - 1", 0,
          PRACTICE, "operating expenses growth", "percent", "การเปลี่ยนแปลงของค่าใช้จ่ายดำเนินงาน"),
    Ratio("equity_change_to_assets", "growth", "(equity - last year's) / total assets", -1,
          PRACTICE, "change in equity to assets", "percent",
          "การเปลี่ยนแปลงของส่วนของผู้ถือหุ้นต่อสินทรัพย์รวม"),
    Ratio("net_income_change", "growth", "(net income - last year's) / (|net income| + "
          "|last year's|)", -1, OHLSON, "change in net income", "ratio",
          "การเปลี่ยนแปลงของกำไรสุทธิ"),
    Ratio("margin_change", "growth", "EBITDA margin - last year's", -1, PRACTICE,
          "change in EBITDA margin", "percent", "การเปลี่ยนแปลงของอัตรากำไร EBITDA"),
    # Cash flow
    Ratio("cash_flow_margin", "cash_flow", "operating cash flow / revenue", -1, PRACTICE,
          "operating cash-flow margin", "percent", "กระแสเงินสดจากการดำเนินงานต่อรายได้"),
    Ratio("cash_flow_to_assets", "cash_flow", "operating cash flow / total assets", -1, PRACTICE,
          "operating cash flow to assets", "percent", "กระแสเงินสดจากการดำเนินงานต่อสินทรัพย์รวม"),
    Ratio("capex_to_revenue", "cash_flow", "capital expenditure / revenue", 0, PRACTICE,
          "capital expenditure to revenue", "percent", "รายจ่ายลงทุนต่อรายได้"),
    Ratio("capex_to_depreciation", "cash_flow", "capital expenditure / depreciation", 0,
          PRACTICE, "capital expenditure to depreciation", "ratio", "รายจ่ายลงทุนต่อค่าเสื่อมราคา"),
    Ratio("free_cash_flow_to_debt", "cash_flow", "(operating cash flow - capital expenditure) / "
          "debt", -1, PRACTICE, "free cash flow to debt", "percent",
          "กระแสเงินสดอิสระต่อหนี้ที่มีภาระดอกเบี้ย"),
    Ratio("accruals_to_assets", "cash_flow", "(net income - operating cash flow) / total assets",
          1, "Sloan (1996)", "accruals to assets", "percent", "รายการคงค้างต่อสินทรัพย์รวม"),
    # Composite scores, book equity where the originals use market value
    Ratio("altman_z", "distress_score", "1.2 WC/TA + 1.4 RE/TA + 3.3 EBIT/TA + 0.6 E/TL + "
          "1.0 S/TA", -1, "Altman (1968), book equity for market value", "Altman Z", "score",
          "Altman Z"),
    Ratio("altman_z1", "distress_score", "0.717 WC/TA + 0.847 RE/TA + 3.107 EBIT/TA + "
          "0.420 E/TL + 0.998 S/TA", -1, "Altman (1983), private firms", "Altman Z'", "score",
          "Altman Z'"),
    Ratio("ohlson_o", "distress_score", "-1.32 - 0.407 ln(TA in THB millions) + 6.03 TL/TA - "
          "1.43 WC/TA + 0.0757 CL/CA - 1.72 [TL > TA] - 2.37 NI/TA - 1.83 FFO/TL + "
          "0.285 [losses two years] - 0.521 change in NI", 1,
          "Ohlson (1980), THB millions for the price-level-adjusted size", "Ohlson O-score",
          "score", "Ohlson O-score"),
    Ratio("zmijewski", "distress_score", "-4.336 - 4.513 NI/TA + 5.679 TL/TA + 0.004 CA/CL", 1,
          "Zmijewski (1984)", "Zmijewski score", "score", "Zmijewski score"),
    Ratio("springate", "distress_score", "1.03 WC/TA + 3.07 EBIT/TA + 0.66 EBT/CL + 0.4 S/TA",
          -1, "Springate (1978)", "Springate score", "score", "Springate score"),
    Ratio("taffler", "distress_score", "3.20 + 12.18 EBT/CL + 2.50 CA/TL - 10.68 CL/TA + "
          "0.029 no-credit interval", -1, TAFFLER, "Taffler score", "score", "Taffler score"),
    # Which lines were estimated from coarser ones
    Ratio("debt_estimated", "availability", "1 where debt is total liabilities less payables",
          0, PRACTICE, "debt estimated from total liabilities", "flag",
          "ประมาณหนี้จากหนี้สินรวม"),
    Ratio("cash_flow_estimated", "availability", "1 where operating cash flow is net income "
          "plus depreciation", 0, OHLSON, "cash flow estimated from earnings", "flag",
          "ประมาณกระแสเงินสดจากกำไร"),
    Ratio("current_assets_estimated", "availability", "1 where current assets are cash, "
          "receivables and inventory", 0, PRACTICE, "current assets estimated from their parts",
          "flag", "ประมาณสินทรัพย์หมุนเวียนจากองค์ประกอบ"),
)  # fmt: skip
