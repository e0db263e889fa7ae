"""The fields each path's template reads, formatted from the option's numbers (see
`models.advice.wording`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from features.catalogues.category_labels import (
    APPLICATION_STATUS_LABELS,
    COLLATERAL_TYPE_LABELS,
    FACILITY_TYPE_LABELS,
)
from models.advice import wording as w
from models.advice.lender_names import lender_name

Fields = dict[str, str]


def _plan(option: dict[str, Any], lang: str) -> Fields:
    n = option["numbers"]
    after, target = n["dscr_after"], n["target_dscr"]
    dscr_after, cmp_target, target_text = w.cmp(after, target, w.ratio, lang)
    npv, cmp_liq, liq = w.cmp(n["creditor_npv"], n["liquidation_value"], w.money, lang)
    feasibility = n.get("feasibility")
    nf = option.get("new_facility")
    out = {
        "dscr_before": w.ratio(n["dscr_before"], lang),
        "dscr_after": dscr_after,
        "cmp_target": cmp_target,
        "target_dscr": target_text,
        "installment_before": w.money(n["installment_before"], lang),
        "installment_after": w.money(n["installment_after"], lang),
        "creditor_npv": npv,
        "cmp_liquidation": cmp_liq,
        "liquidation_value": liq,
        "concession": w.money(n["concession"], lang),
        "feasibility": ""
        if feasibility is None
        else w.word("feasibility", lang, feasibility=w.percent(feasibility, lang, 0)),
        "creditors": " ".join(_creditor(r, option, lang) for r in option["creditors"]),
        "leg": w.word(
            "leg",
            lang,
            programme=w.pick((nf["programme"]["name_en"], nf["programme"]["name_th"]), lang),
        )
        if nf
        else "",
        "step": _step(option, lang),
        "provisional": w.word("provisional", lang) if option.get("provisional") else "",
    }
    return out


def _step(option: dict[str, Any], lang: str) -> str:
    """The step the new money waits for, and why: where the borrower stands."""
    step = option.get("after_step")
    if not step:
        return ""
    standing = option["standing"]
    suit = ""
    if standing["litigation"]:
        suit = w.word(
            "suit_withdrawn" if step == "restructuring_agreement" else "suit_stayed", lang
        )
    return w.word(
        step,
        lang,
        suit=suit,
        loan_class=w.pick(w.LOAN_CLASSES[standing["loan_class"]], lang),
        days=w.whole(standing["days_past_due"], lang),
    )


def _terms_of(term: dict[str, Any], lang: str) -> str:
    kind = w.pick(FACILITY_TYPE_LABELS[term["facility_type"]], lang)
    words = w.word(
        term["treatment"],
        lang,
        rate_before=w.rate(term["rate_before"], lang),
        rate_after=w.rate(term["rate_after"], lang),
        tenor_before=w.whole(term["tenor_before"], lang),
        tenor_after=w.whole(term["tenor_after"], lang),
        grace_months=w.whole(term["grace_months"], lang),
        haircut_amount=w.money(term["haircut_amount"], lang),
    )
    return f"{kind} {term['facility_id']} {words}{_arrears(term, lang)}{_reckoned(term, lang)}"


def _arrears(term: dict[str, Any], lang: str) -> str:
    """What the plan does with a facility's arrears: cured by the payoff, or capitalised."""
    if not term.get("arrears_treatment"):
        return ""
    return w.word(
        f"arrears_{term['arrears_treatment']}",
        lang,
        arrears=w.money(term["arrears"], lang),
        days=w.whole(term["days_past_due"], lang),
    )


def _reckoned(term: dict[str, Any], lang: str) -> str:
    """The assumption behind an informal claim reckoned below its balance, if it is."""
    if term.get("balance_on_record") is None:
        return ""
    return w.word(
        "reckoned",
        lang,
        claim=w.money(term["outstanding"], lang),
        balance=w.money(term["balance_on_record"], lang),
        months=w.whole(term["assumed_accrued_months"], lang),
        rate_before=w.rate(term["rate_before"], lang),
        lawful_rate=w.rate(term["lawful_rate"], lang),
    )


def _creditor(row: dict[str, Any], option: dict[str, Any], lang: str) -> str:
    terms = ", ".join(_terms_of(t, lang) for t in option["terms"] if t["lender"] == row["lender"])
    npv, sign, liq = w.cmp(row["plan_npv"], row["liquidation_value"], w.money, lang)
    short = (
        "" if row["agrees"] else w.word("short", lang, shortfall=w.money(row["shortfall"], lang))
    )
    return (
        w.word(
            "creditor",
            lang,
            lender=lender_name(row["lender"], lang),
            claim=w.money(row["claim"], lang),
            terms=terms,
            plan_npv=npv,
            cmp=sign,
            liquidation_value=liq,
            short=short,
        )
        + "."
    )


def _refinance(option: dict[str, Any], lang: str) -> Fields:
    nf = option["new_facility"]
    paid = [t for t in option["terms"] if t["treatment"] == "refinanced"]
    intro = (
        ""
        if nf["intro_rate"] is None
        else w.word(
            "intro",
            lang,
            intro_rate=w.rate(nf["intro_rate"], lang),
            intro_months=w.whole(nf["intro_months"], lang),
        )
    )
    fee = (
        ""
        if not nf["guarantee_fee_rate"]
        else w.word(
            "fee",
            lang,
            fee_rate=w.rate(nf["guarantee_fee_rate"], lang),
            waived=w.whole(nf["fee_waived_months"], lang),
        )
    )
    paid_off = ", ".join(
        w.word(
            "paid_off",
            lang,
            lender=lender_name(t["lender"], lang),
            facility_type=w.pick(FACILITY_TYPE_LABELS[t["facility_type"]], lang),
            rate_before=w.rate(t["rate_before"], lang),
        )
        + _arrears(t, lang)
        + _reckoned(t, lang)
        for t in paid
    )
    return {
        **_plan(option, lang),
        "amount": w.money(nf["amount"], lang),
        "programme": w.pick((nf["programme"]["name_en"], nf["programme"]["name_th"]), lang),
        "new_rate": w.rate(nf["annual_rate"], lang),
        "intro": intro,
        "new_tenor": w.whole(nf["tenor_months"], lang),
        "fee": fee,
        "paid_off": paid_off,
        "kept": _kept(option, lang),
        "leg": "",
    }


def _kept(option: dict[str, Any], lang: str) -> str:
    """The facilities a refinance keeps but changes (a rate capped, arrears capitalised)."""
    changed = [t for t in option["terms"] if t["treatment"] not in ("refinanced", "unchanged")]
    if not changed:
        return ""
    return w.word(
        "kept",
        lang,
        terms="; ".join(f"{lender_name(t['lender'], lang)} {_terms_of(t, lang)}" for t in changed),
    )


def _rehabilitation(option: dict[str, Any], lang: str) -> Fields:
    n = option["numbers"]
    share, sign, required = w.cmp(n["consent_share"], option["required_share"], w.percent, lang)
    holdouts = ", ".join(
        lender_name(r["lender"], lang) for r in option["creditors"] if not r["agrees"]
    )
    court = option["court"]
    return {
        **_plan(option, lang),
        "programme": w.pick((court["name_en"], court["name_th"]), lang),
        "consent_share": share,
        "cmp_consent": sign,
        "required_share": required,
        "holdouts": holdouts or w.word("none", lang),
    }


def _warehousing(option: dict[str, Any], lang: str) -> Fields:
    n, held = option["numbers"], option["warehoused"]
    lender = lender_name(held["lender"], lang)
    shortfall = ""
    if n["shortfall"] > 0:
        shortfall = w.word(
            "warehouse_shortfall",
            lang,
            shortfall=w.money(n["shortfall"], lang),
            rate=w.rate(next(t["rate_after"] for t in option["terms"]
                             if t["facility_id"] == held["facility_id"]), lang),
            months=w.whole(n["remaining_months"], lang),
            installment=w.money(n["shortfall_installment"], lang),
        )  # fmt: skip
    programme = option["programme"]
    return {
        **_plan(option, lang),
        "programme": w.pick((programme["name_en"], programme["name_th"]), lang),
        "lender": lender,
        "collateral": w.pick(COLLATERAL_TYPE_LABELS[held["collateral_type"]], lang),
        "transfer_value": w.money(n["transfer_value"], lang),
        "appraised": w.word("appraised", lang, appraised=w.money(n["appraised_value"], lang))
        if n["appraised_value"] > n["transfer_value"]
        else "",
        "claim": w.money(n["claim"], lang),
        "shortfall": shortfall,
        "rent": w.money(n["rent"], lang),
        "window": w.whole(n["buyback_months"], lang),
        "buyback_price": w.money(n["buyback_price"], lang),
        "holding": w.percent(n["holding_cost_rate"], lang),
        "credited": w.word("rent_credited", lang) if held["rent_credited"] else "",
    }


def _exit(option: dict[str, Any], lang: str) -> Fields:
    n = option["numbers"]
    closest, sign, target = w.cmp(n["closest_dscr"], n["target_dscr"], w.ratio, lang)
    liq, vsign, best = w.cmp(n["liquidation_value"], n["best_plan_value"], w.money, lang)
    return {
        "provisional": w.word("provisional", lang) if option.get("provisional") else "",
        "closest_dscr": closest,
        "cmp_target": sign,
        "target_dscr": target,
        "liquidation_value": liq,
        "cmp_value": vsign,
        "best_plan_value": best,
    }


def _reason(key: str, values: dict[str, float], lang: str) -> str:
    if key in ("weak_margin", "shrinking"):
        value, sign, limit = w.cmp(values["value"], values["limit"], w.percent, lang)
        return w.word(key, lang, value=value, cmp=sign, limit=limit)
    if key == "losses":
        value, sign, limit = w.cmp(values["value"], values["limit"], w.money, lang)
        return w.word(key, lang, value=value, cmp=sign, limit=limit)
    if key == "healthy":
        value, sign, limit = w.cmp(values["value"], values["limit"], w.ratio, lang)
        return w.word(key, lang, value=value, cmp=sign, limit=limit)
    if key == "statements_stale":
        age, sign, limit = w.cmp(
            values["statement_age_months"], values["stale_limit_months"], w.whole, lang
        )
        year = values["statement_year"] + (543 if lang == "th" else 0)
        return w.word(
            key, lang, year=w.whole(year, lang).replace(",", ""), age=age, cmp=sign, limit=limit
        )
    if key == "rates_unknown":
        return w.word(key, lang, count=w.whole(values["rates_unknown"], lang))
    return w.word(key, lang)


def _data_request(option: dict[str, Any], lang: str) -> Fields:
    asks = list(dict.fromkeys(option["asks"]))
    return {
        "items": " และ".join(w.word(a, lang) for a in asks)
        if lang == "th"
        else " and ".join(w.word(a, lang) for a in asks),
        "reasons": "; ".join(_reason(k, v, lang) for k, v in option["reasons"]),
    }


def _mentoring(option: dict[str, Any], lang: str) -> Fields:
    return {"reasons": "; ".join(_reason(k, v, lang) for k, v in option["reasons"])}


def missing_for(reason: str | None, lang: str) -> str:
    """What a rejection reason says is missing, by its words; otherwise, ask the lender."""
    text = (reason or "").lower()
    found = [w.pick(need, lang) for key, need in w.REJECTION_NEEDS.items() if key in text]
    return "; ".join(found) or w.pick(w.ASK_LENDER, lang)


def _follow_up(option: dict[str, Any], lang: str) -> Fields:
    app = option["application"]
    if app["stalled"]:
        days, sign, sla = w.cmp(app["days_pending"], app["sla_days"], w.whole, lang)
        documents = w.word("documents", lang) if app["status"] == "documents_requested" else ""
        status = w.pick(APPLICATION_STATUS_LABELS[app["status"]], lang)
        state = w.word(
            "pending",
            lang,
            status=status.capitalize() if lang == "en" else status,
            days_pending=days,
            cmp=sign,
            sla_days=sla,
            documents=documents,
        )
    else:
        state = w.word(
            "rejected",
            lang,
            reason=app["rejection_reason"] or w.word("none", lang),
            missing=missing_for(app["rejection_reason"], lang),
        )
    return {
        "lender": lender_name(app["lender"], lang),
        "application_id": app["application_id"],
        "amount": w.money(app["amount"], lang),
        "state": state,
    }


def _referral(option: dict[str, Any], lang: str) -> Fields:
    return {
        "problems": ", ".join(w.pick(p, lang) for p in option["problems"]),
        "agencies": "; ".join(
            w.pick((a["name_en"], a["name_th"]), lang) for a in option["agencies"]
        ),
    }


FIELDS: dict[str, Callable[[dict[str, Any], str], Fields]] = {
    "data_request": _data_request,
    "restructure": _plan,
    "refinance": _refinance,
    "rehabilitation": _rehabilitation,
    "asset_warehousing": _warehousing,
    "orderly_exit": _exit,
    "best_effort": _plan,
    "bank_follow_up": _follow_up,
    "agency_referral": _referral,
    "mentoring": _mentoring,
}


def fields(option: dict[str, Any], lang: str) -> Fields:
    return FIELDS[option["path"]](option, lang)
