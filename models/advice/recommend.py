"""Advice on one business: the options its situation calls for, ranked by the objective in
`recommendation.toml`, each with its numbers, programme, checks and a rationale in both
languages rendered from those numbers.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from features.catalogues.languages import LANGUAGES
from features.schema import FACILITY_TYPES
from models.advice import wording as w
from models.advice.guidance import (
    NEEDS_CURRENT_NUMBERS,
    current_numbers,
    data_request,
    follow_up,
    mentoring,
    option,
    referral,
)
from models.advice.paths import PLAN_PATHS
from models.advice.rationale import fields
from models.advice.situation import Situation
from models.advice.sme_scope import sme_scope
from models.advice.warehousing import warehousing_option
from models.plans.arithmetic import Plan, dscr
from models.plans.creditor_vote import consents
from models.plans.creditors import Facility, facilities_from
from models.plans.debt_plans import Candidate, Debt, creditor_rows, plan_terms
from models.plans.lending import Standing
from models.plans.plan_search import Feasibility, PlanSearch, search_plans
from models.plans.programmes import Check, Rules, programme_of, size_check
from models.plans.refinancing import SourceCheck, consider_sources

CONFIG_PATH = Path(__file__).with_name("recommendation.toml")


@lru_cache
def load_config(path: str | None = None) -> dict[str, Any]:
    with open(path or CONFIG_PATH, "rb") as handle:
        return tomllib.load(handle)


@dataclass
class Advice:
    options: list[dict[str, Any]]
    plan_search: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    size_class: str | None = None
    scope: dict[str, Any] | None = None  # set when the business is outside SME programmes


def _court_rule(
    rules: Rules, situation: Situation, size_class: str | None, outstanding: float
) -> tuple[dict[str, Any] | None, list[Check]]:
    """The Bankruptcy Act rehabilitation chapter the business qualifies for, with the checks."""
    checks: list[Check] = []
    form = situation.legal_form or ""
    for rule in rules.court_rehabilitation:
        low = rule["min_debt"].get(form)
        high = rule.get("max_debt", {}).get(form)
        these = [
            size_check(rule, size_class),
            Check(
                rule["id"], low is not None, form or None, "/".join(rule["min_debt"]), "legal_form"
            ),
        ]
        if low is not None:
            these.append(Check(rule["id"], outstanding >= low, outstanding, float(low), "min_debt"))
        if high is not None:
            these.append(
                Check(rule["id"], outstanding <= high, outstanding, float(high), "max_debt")
            )
        checks += these
        if all(c.passed for c in these):
            return rule, these
    return None, checks


def _plan_option(
    path: str,
    c: Candidate,
    search: PlanSearch,
    debt: Debt,
    dscr_before: float,
    config: dict[str, Any],
    **extra: Any,
) -> dict[str, Any]:
    feasibility = search.feasibility_of(c)
    target = config["plan"]["target_dscr"]
    viable = c.dscr >= target and (
        feasibility is None or feasibility >= config["thresholds"]["feasible"]
    )
    nf = c.ev.new_facility
    numbers = {
        "dscr_before": dscr_before,
        "dscr_after": c.dscr,
        "target_dscr": target,
        "installment_before": debt.monthly_before,
        "installment_after": float(c.ev.monthly[c.row]),
        "creditor_npv": c.creditor_npv,
        "liquidation_value": debt.liquidation.total,
        "concession": c.concession,
        "feasibility": feasibility,
        "consent_share": c.consent_share,
        "outstanding": debt.outstanding,
    }
    tier = 0 if c.all_agree else (1 if path == "rehabilitation" else 2)
    sort = (
        not viable,
        tier,
        round(c.concession, 2),
        -(feasibility or 0.0),
        -round(c.dscr, 6),
        c.key,
    )
    terms = plan_terms(debt, c.ev, c.row)
    capped = [
        (t, f.ceiling)
        for t, f in zip(terms, debt.facilities, strict=True)
        if f.ceiling is not None and t["rate_after"] is not None
    ]
    if capped:  # the plan keeps lenders that are not financial institutions: within the law?
        highest = max(t["rate_after"] for t, _ in capped)
        ceiling = min(limit for _, limit in capped)
        ceiling_check = Check("interest_ceiling", highest <= ceiling + 1e-12, highest, ceiling,
                              "rates_within_ceiling")  # fmt: skip
        extra["checks"] = [*extra.get("checks", []), ceiling_check.as_dict()]
    return option(
        path,
        numbers,
        sort,
        viable=viable,
        all_agree=c.all_agree,
        creditors=creditor_rows(debt, c.ev, c.row),
        terms=terms,
        new_facility=nf.describe() if nf else None,
        programme=programme_of(nf.source) if nf else None,
        plan_terms=c.model_terms(),
        **extra,
    )


def dominates(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """`a` is at least as feasible, has at least the DSCR and is at least as good for every
    creditor as `b`, and better in one of them."""
    fa, fb = a["numbers"]["feasibility"], b["numbers"]["feasibility"]
    fa, fb = (0.0 if fa is None else fa), (0.0 if fb is None else fb)
    da, db = a["numbers"]["dscr_after"], b["numbers"]["dscr_after"]
    ca = {r["lender"]: r["plan_npv"] for r in a["creditors"]}
    cb = {r["lender"]: r["plan_npv"] for r in b["creditors"]}
    eps = 1e-6
    at_least = fa >= fb - eps and da >= db - eps and all(ca[k] >= cb[k] - 1e-3 for k in cb)
    better = fa > fb + eps or da > db + eps or any(ca[k] > cb[k] + 1e-3 for k in cb)
    return at_least and better


def facilities_of(situation: Situation, rules: Rules, config: dict[str, Any]) -> list[Facility]:
    """The business's facilities with the legal ceiling in force on its as-of date."""
    return facilities_from(
        situation.debts,
        {t: rules.ceiling_for(t) for t in FACILITY_TYPES},
        config["plan"]["assumed_rate"],
        config["plan"]["default_tenor_months"],
        config["informal"]["assumed_accrued_months"],
    )


def advise(
    situation: Situation,
    *,
    feasibility: Feasibility | None = None,
    config: dict[str, Any] | None = None,
    rules: Rules | None = None,
) -> Advice:
    config = config or load_config()
    rules = rules or Rules.on_date(situation.as_of)
    target = config["plan"]["target_dscr"]
    facilities = facilities_of(situation, rules, config)
    debt = Debt.of(facilities, config)
    ebitda = situation.number("ebitda")
    annual_before = 12 * debt.monthly_before
    dscr_before = (
        ebitda / annual_before if annual_before > 0 and not math.isnan(ebitda) else math.nan
    )
    statement = situation.latest_statement or {}
    size_class = rules.size_class(
        situation.sector, float(statement.get("revenue", math.nan)), situation.employees
    )
    arrears = max((f.days_past_due for f in facilities), default=0.0)
    usury = any(f.above_ceiling for f in facilities)
    troubled = debt.outstanding > 0 and (
        arrears > 0
        or usury
        or not dscr_before >= target
        or not ebitda > 0
        or bool({"debt_distress", "near_collapse"} & set(situation.problem_types))
    )
    options: list[dict[str, Any]] = []
    request = data_request(situation, facilities, ebitda)
    if request:
        options.append(request)

    sources = []
    message = "no debt on record: nothing to restructure"
    if debt.outstanding > 0 and math.isnan(ebitda):
        message = "EBITDA not known: plans cannot be judged until the statements arrive"
    elif debt.outstanding > 0:
        standing = Standing.of(facilities)
        sources = consider_sources(
            facilities, rules, size_class, troubled, config["refinance"]["min_rate_gap"], standing
        )
        court = _court_rule(rules, situation, size_class, debt.outstanding)
        search = search_plans(
            debt,
            ebitda,
            config,
            sources,
            restructure=troubled,
            feasibility=feasibility,
            court_share=court[0]["consent_share"] if court[0] else None,
        )
        plans = _plan_options(search, sources, court, debt, dscr_before, config, standing)
        viable = [p for p in plans if p["viable"]]
        options += _best_plans(viable)
        message = _search_message(search, viable, target)
        if troubled:
            held = warehousing_option(debt, ebitda, dscr_before, rules, size_class, config)
            options += [held] if held else []
        if not viable and troubled and search.closest is not None:
            fallback = _no_viable_plan(search, debt, dscr_before, config, sources, standing)
            options += [fallback] if fallback else []
    options += follow_up(situation)
    options += referral(situation, rules)
    options += mentoring(situation, config, troubled, debt.outstanding, dscr_before, not options)
    if not current_numbers(situation):
        for each in options:
            if each["path"] in NEEDS_CURRENT_NUMBERS:
                each["provisional"] = True
    for each in options:
        for lang in LANGUAGES:
            each[f"rationale_{lang}"] = w.render(each, lang, fields(each, lang))
    options.sort(key=lambda o: o["_sort"])
    for rank, each in enumerate(options, start=1):
        each["rank"] = rank
        each["stage"] = each.pop("_sort")[0]
    scope = sme_scope(rules, situation, size_class)
    return Advice(options, message, [s.describe() for s in sources], size_class, scope)


def _plan_options(
    search: PlanSearch,
    sources: list[SourceCheck],
    court: tuple[dict[str, Any] | None, list[Check]],
    debt: Debt,
    dscr_before: float,
    config: dict[str, Any],
    standing: Standing,
) -> list[dict[str, Any]]:
    """The shortlisted plans as options: a refinance with its source's checks, a plan some
    creditors refuse as a court rehabilitation where the Act applies and enough agree. New
    money a lender gives only after a step names the step: a restructuring agreement where
    every creditor agrees, otherwise the court's plan."""
    rule, court_checks = court
    out = []
    for c in search.shortlist:
        path = "refinance" if c.is_refinance else "restructure"
        extra = _new_money(c, sources, standing)
        court_needed = extra.get("after_step") == "court_rehabilitation"
        if (not c.all_agree or court_needed) and (
            rule is not None and consents(c.consent_share, rule["consent_share"])
        ):
            path = "rehabilitation"
            extra = {
                **extra,
                "checks": [*extra["checks"], *(k.as_dict() for k in court_checks)],
                "court": programme_of(rule),
                "required_share": rule["consent_share"],
            }
        out.append(_plan_option(path, c, search, debt, dscr_before, config, **extra))
    return out


def _new_money(c: Candidate, sources: list[SourceCheck], standing: Standing) -> dict[str, Any]:
    """A plan's new facility: its source's checks, where the borrower stands, and the step
    its lender waits for (a restructuring agreement where every creditor agrees, otherwise
    the court's plan)."""
    nf = c.ev.new_facility
    if nf is None:
        return {"checks": []}
    checks = next(s.checks for s in sources if s.facility is nf)
    out: dict[str, Any] = {"checks": [k.as_dict() for k in checks], "standing": standing.describe()}
    if nf.after_steps:
        agreement = c.all_agree and "restructuring_agreement" in nf.after_steps
        out["after_step"] = "restructuring_agreement" if agreement else "court_rehabilitation"
    return out


def _best_plans(viable: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The best plan of each path and programme, without those another plan dominates."""
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for p in sorted(viable, key=lambda o: o["_sort"]):
        best.setdefault((p["path"], (p["programme"] or {}).get("id", "")), p)
    kept = list(best.values())
    return [p for p in kept if not any(dominates(q, p) for q in kept if q is not p)]


def _search_message(search: PlanSearch, viable: list[dict[str, Any]], target: float) -> str:
    if viable:
        return f"{len(viable)} shortlisted plan(s) make the business viable at DSCR >= {target:g}"
    if search.closest is None:
        return "no plan to search: the debt needs no change"
    return (
        f"no plan makes the business viable: the closest reaches DSCR {search.closest.dscr:.2f}"
        f" against the {target:g} target"
    )


def _no_viable_plan(
    search: PlanSearch,
    debt: Debt,
    dscr_before: float,
    config: dict[str, Any],
    sources: list[SourceCheck],
    standing: Standing,
) -> dict[str, Any] | None:
    """Exit when liquidation beats every plan; otherwise the closest plan that beats it."""
    assert search.closest is not None and search.most_for_creditors is not None
    liquidation = debt.liquidation.total
    best_value = search.most_for_creditors.serviceable_value()
    target = config["plan"]["target_dscr"]
    if best_value < liquidation:  # liquidation recovers more than every plan
        numbers = {
            "closest_dscr": search.closest.dscr,
            "target_dscr": target,
            "liquidation_value": liquidation,
            "best_plan_value": best_value,
            "outstanding": debt.outstanding,
        }
        rows = [
            {"lender": lender, "liquidation_value": float(v)}
            for lender, v in zip(
                debt.lenders,
                debt.by_lender(debt.liquidation.present_value[None, :])[0],
                strict=True,
            )
        ]
        return option("orderly_exit", numbers, (0,), viable=False, creditors=rows, checks=[])
    if not best_value > liquidation:
        return None  # no plan and no liquidation gives the creditors anything more
    chosen = search.closest
    if not chosen.serviceable_value() > liquidation:
        chosen = search.most_for_creditors
    extra = _new_money(chosen, sources, standing)
    return _plan_option("best_effort", chosen, search, debt, dscr_before, config, **extra)


def what_if(
    situation: Situation,
    annual_rate: float,
    tenor_months: int,
    grace_months: int,
    haircut: float,
    config: dict[str, Any] | None = None,
    feasibility: Feasibility | None = None,
) -> tuple[dict[str, Any], float | None]:
    """The business's whole debt consolidated into one facility on the analyst's terms: the
    numbers an option shows, and the plan's feasibility."""
    config = config or load_config()
    plan_config = config["plan"]
    debt = Debt.of(facilities_of(situation, Rules.on_date(situation.as_of), config), config)
    ebitda = situation.number("ebitda")
    plan = Plan(debt.outstanding * (1 - haircut), annual_rate, tenor_months, grace_months, haircut)
    installment = plan.installment if debt.outstanding > 0 else 0.0
    terms = {**plan.terms(), "plan_installment": installment}
    discount = max(plan_config["discount_floor"], annual_rate)
    numbers = {
        **terms,
        "installment_before": debt.monthly_before,
        "installment_after": installment,
        "dscr_before": dscr(ebitda, 12 * debt.monthly_before),
        "dscr_after": dscr(ebitda, 12 * installment),
        "creditor_npv": plan.lender_npv(discount) if debt.outstanding > 0 else 0.0,
        "contract_npv": float(debt.contract.sum()),
        "liquidation_value": debt.liquidation.total,
    }
    numbers["concession"] = numbers["contract_npv"] - numbers["creditor_npv"]
    probability = feasibility([terms])[0] if feasibility and debt.outstanding > 0 else None
    return numbers, probability


__all__ = ["PLAN_PATHS", "Advice", "advise", "dominates", "load_config", "what_if"]
