"""Turning scores into advice: plan search and ranked options for a case, with their numbers.

Every threshold lives in `recommendation.toml`. A business's debt position is read from its
feature row (outstanding, weighted rate, annual debt service, EBITDA, collateral), so the plan
engine sees the same numbers as the models.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from features.plan import plan_features
from models.paths import PATHS
from models.plans import Plan, dscr, implied_tenor, liquidation_value
from models.scorer import Scorer

CONFIG_PATH = Path(__file__).with_name("recommendation.toml")

# Scores a list of plans for one business: returns the probability each performs.
Feasibility = Callable[[list[Plan]], list[float]]


def feasibility_function(scorer: Scorer, features: pd.Series) -> Feasibility:
    """Score plans for one business with the feasibility model, through the plan features."""

    def score(plans: list[Plan]) -> list[float]:
        if not plans:
            return []
        base = pd.DataFrame([features] * len(plans)).reset_index(drop=True)
        terms = pd.DataFrame([plan.terms() for plan in plans])
        frame = plan_features(base, terms)
        return [float(p) for p in scorer.score(frame, explain=False)["probability"]]

    return score


@lru_cache
def load_config(path: str | None = None) -> dict[str, Any]:
    with open(path or CONFIG_PATH, "rb") as handle:
        return tomllib.load(handle)


def _num(value: Any, default: float = math.nan) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(out) else out


@dataclass(frozen=True)
class Position:
    """What a business owes and earns now, from its feature row."""

    outstanding: float
    rate: float
    annual_debt_service: float
    ebitda: float
    collateral: float
    tenor_months: int

    @classmethod
    def from_features(cls, row: pd.Series, config: dict[str, Any] | None = None) -> Position:
        config = config or load_config()
        outstanding = _num(row.get("total_outstanding"), 0.0)
        rate = _num(row.get("weighted_rate"), config["refinance"]["rate"])
        service = _num(row.get("annual_debt_service"), 0.0)
        tenor = (
            implied_tenor(outstanding, rate, service / 12) or config["plan"]["default_tenor_months"]
        )
        cover = _num(row.get("collateral_cover"), 0.0)
        return cls(
            outstanding=outstanding,
            rate=rate,
            annual_debt_service=service,
            ebitda=_num(row.get("ebitda")),
            collateral=cover * outstanding,
            tenor_months=int(min(tenor, config["plan"]["max_tenor_months"])),
        )

    def current_plan(self) -> Plan:
        return Plan(self.outstanding, self.rate, max(self.tenor_months, 1))


def plan_numbers(
    position: Position, plan: Plan, config: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Installment, DSCR and lender NPV before and after, beside the liquidation value."""
    config = config or load_config()
    discount = config["plan"]["discount_rate"]
    liquidation = config["liquidation"]
    contract_npv = position.current_plan().lender_npv(discount) if position.outstanding > 0 else 0.0
    plan_npv = plan.lender_npv(discount)
    recovery = liquidation_value(
        position.collateral, haircut=liquidation["haircut"], costs_share=liquidation["costs_share"],
        delay_months=liquidation["delay_months"], annual_discount_rate=discount,
        cap=position.outstanding,
    )  # fmt: skip
    return {
        **plan.terms(),
        "installment_before": position.annual_debt_service / 12,
        "installment_after": plan.installment,
        "dscr_before": dscr(position.ebitda, position.annual_debt_service),
        "dscr_after": dscr(position.ebitda, 12 * plan.installment),
        "lender_npv": plan_npv,
        "npv_loss": contract_npv - plan_npv,
        "liquidation_value": recovery,
        "npv_over_liquidation": plan_npv - recovery,
    }


def candidate_plans(position: Position, config: dict[str, Any] | None = None) -> list[Plan]:
    config = config or load_config()
    grid, plan = config["plan"]["search"], config["plan"]
    out = []
    for ext, grace, cut, haircut in itertools.product(
        grid["extension_months"], grid["grace_months"], grid["rate_reduction"], grid["haircut"]
    ):
        tenor = min(position.tenor_months + ext, plan["max_tenor_months"])
        if grace >= tenor:
            continue
        rate = max(position.rate - cut, plan["min_rate"]) if cut else position.rate
        out.append(Plan(position.outstanding * (1 - haircut), rate, tenor, grace, haircut))
    return out


@dataclass
class SearchResult:
    plans: list[dict[str, Any]]  # the best few, least NPV loss first, each with its numbers
    reaches_target: bool
    message: str


def search_plans(
    position: Position, feasibility: Feasibility | None = None, config: dict[str, Any] | None = None
) -> SearchResult:
    """Plans that reach the target DSCR with the least lender NPV loss, re-scored for feasibility.

    Where no plan in the search space reaches the target, the closest plans are returned with
    a message saying so and by how much they fall short.
    """
    config = config or load_config()
    target = config["plan"]["target_dscr"]
    if position.outstanding <= 0:
        return SearchResult([], False, "no debt on record: nothing to restructure")
    if math.isnan(position.ebitda):
        return SearchResult([], False, "no EBITDA on record: DSCR cannot be computed")
    scored = [
        (plan, plan_numbers(position, plan, config)) for plan in candidate_plans(position, config)
    ]
    meeting = [s for s in scored if s[1]["dscr_after"] >= target]
    if meeting:
        chosen = sorted(meeting, key=lambda s: (s[1]["npv_loss"], -s[1]["dscr_after"]))
        message = f"{len(meeting)} plan(s) reach DSCR {target:g}; least lender NPV loss first"
    else:
        chosen = sorted(scored, key=lambda s: -s[1]["dscr_after"])
        best = chosen[0][1]["dscr_after"]
        message = (
            f"no plan in the search space reaches DSCR {target:g}: the best reaches {best:.2f} "
            "(EBITDA too low for the debt; consider a deeper haircut, refinancing or exit)"
        )
    chosen = chosen[: config["plan"]["best_plans"]]
    probabilities = feasibility([p for p, _ in chosen]) if feasibility else [None] * len(chosen)
    plans = [
        {**numbers, "feasibility": prob}
        for (_, numbers), prob in zip(chosen, probabilities, strict=True)
    ]
    return SearchResult(plans, bool(meeting), message)


def _option(
    path: str, en: str, th: str, numbers: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    if path not in PATHS:
        raise KeyError(f"{path!r} is not a recommendation path: one of {', '.join(PATHS)}")
    return {"path": path, "rationale_en": en, "rationale_th": th, "numbers": numbers or {}, **extra}


def recommend(
    features: pd.Series,
    *,
    distress_probability: float,
    reasons: list[dict[str, Any]],
    problem_types: list[str],
    feasibility: Feasibility | None = None,
    config: dict[str, Any] | None = None,
    search: SearchResult | None = None,
) -> list[dict[str, Any]]:
    """Ranked options for one case; each carries its numbers and the drivers behind it.

    `search` is the plan search for this business when the caller already ran it."""
    config = config or load_config()
    limits, refi = config["thresholds"], config["refinance"]
    position = Position.from_features(features, config)
    drivers = [r["feature"] for r in reasons[:3]]
    options: list[tuple[float, dict[str, Any]]] = []

    search = search or search_plans(position, feasibility, config)
    best = search.plans[0] if search.plans else None
    troubled = (
        distress_probability >= limits["distress_for_restructuring"]
        or _num(features.get("max_days_past_due"), 0) > 0
        or (best is not None and _num(best["dscr_before"]) < config["plan"]["target_dscr"])
    )
    feasible = (
        best is not None
        and search.reaches_target
        and (best["feasibility"] or 1.0) >= limits["feasible"]
    )
    if best is not None and troubled and search.reaches_target:
        options.append((1.0 + (best["feasibility"] or 0.5), _option(
            "restructure",
            f"Restructure: {search.message}. "
            f"DSCR {best['dscr_before']:.2f} -> {best['dscr_after']:.2f}.",
            f"ปรับโครงสร้างหนี้: DSCR {best['dscr_before']:.2f} -> {best['dscr_after']:.2f} "
            "ด้วยผลขาดทุนมูลค่าปัจจุบันของเจ้าหนี้ต่ำที่สุด",
            best, plans=search.plans, drivers=drivers,
        )))  # fmt: skip

    informal = _num(features.get("share_informal_debt"), 0)
    rate_gap = position.rate - refi["rate"]
    if position.outstanding > 0 and (
        informal >= refi["min_informal_share"] or rate_gap >= refi["min_rate_gap"]
    ):
        for guaranteed in (False, True):
            rate = refi["guaranteed_rate"] + refi["guarantee_fee"] if guaranteed else refi["rate"]
            plan = Plan(position.outstanding, rate, refi["tenor_months"])
            numbers = plan_numbers(position, plan, config)
            if feasibility:
                numbers["feasibility"] = feasibility([plan])[0]
            label = "with a credit guarantee" if guaranteed else "into one facility"
            options.append((0.9 + 0.05 * guaranteed + min(informal, 0.5), _option(
                "refinance",
                f"Refinance {label} at {rate:.2%}: informal share {informal:.0%}, current rate "
                f"{position.rate:.2%}; installment {numbers['installment_before']:,.0f} -> "
                f"{numbers['installment_after']:,.0f} THB.",
                f"รีไฟแนนซ์{'โดยมีการค้ำประกันสินเชื่อ' if guaranteed else 'รวมหนี้เป็นวงเดียว'} "
                f"อัตรา {rate:.2%} ลดหนี้นอกระบบและดอกเบี้ยสูง",
                numbers, drivers=drivers, guaranteed=guaranteed,
            )))  # fmt: skip

    stalled = _num(features.get("has_stalled_application"), 0) > 0
    rejected = _num(features.get("n_rejections_24m"), 0) > 0
    if stalled or rejected or {"loan_stalled", "loan_rejected"} & set(problem_types):
        options.append((0.8 + 0.3 * stalled, _option(
            "bank_follow_up",
            "Follow up with the bank: "
            + ("an application is pending past its SLA" if stalled else "a recent rejection")
            + f" (longest pending {_num(features.get('pending_days_max'), 0):.0f} days).",
            "ติดตามกับธนาคาร: มีคำขอสินเชื่อค้างพิจารณาหรือถูกปฏิเสธเมื่อเร็ว ๆ นี้",
            {"pending_days_max": _num(features.get("pending_days_max"), 0)}, drivers=drivers,
        )))  # fmt: skip

    margin = _num(features.get("ebitda_margin"))
    growth = _num(features.get("revenue_growth"))
    if (
        margin < limits["weak_margin"]
        or growth < limits["shrinking_revenue"]
        or "near_collapse" in problem_types
    ):
        options.append((0.6, _option(
            "mentoring",
            f"Mentoring and operational turnaround: EBITDA margin {margin:.1%}, revenue growth "
            f"{growth:.1%}.",
            "ให้คำปรึกษาและฟื้นฟูการดำเนินงาน: อัตรากำไรต่ำหรือรายได้ลดลง",
            {"ebitda_margin": margin, "revenue_growth": growth}, drivers=drivers,
        )))  # fmt: skip

    if {"technology_innovation", "outdated_business"} & set(problem_types):
        options.append((0.7, _option(
            "agency_referral",
            "Refer to a specialised agency for technology, innovation or market access.",
            "ส่งต่อหน่วยงานเฉพาะด้านเทคโนโลยี นวัตกรรม หรือการตลาด",
            {}, drivers=drivers,
        )))  # fmt: skip

    if not feasible and position.outstanding > 0:
        recovery = plan_numbers(position, position.current_plan(), config)["liquidation_value"]
        plan_value = best["lender_npv"] if best else 0.0
        if best is None or recovery > plan_value or not search.reaches_target:
            options.append((0.5 + 0.5 * (distress_probability > 0.5), _option(
                "orderly_exit",
                f"No feasible plan ({search.message}); liquidation recovers {recovery:,.0f} THB "
                f"against {plan_value:,.0f} THB for the best plan: plan an orderly exit.",
                "ไม่มีแผนที่เป็นไปได้ และการชำระบัญชีได้คืนมากกว่า: วางแผนเลิกกิจการอย่างเป็นระบบ",
                {"liquidation_value": recovery, "best_plan_npv": plan_value}, drivers=drivers,
            )))  # fmt: skip
        else:
            options.append((0.55, _option(
                "rehabilitation",
                f"Rehabilitation: plans reach the target DSCR but their feasibility is low "
                f"({(best['feasibility'] or 0):.0%}); pair restructuring with close monitoring.",
                "ฟื้นฟูกิจการภายใต้การติดตามใกล้ชิด",
                best, drivers=drivers,
            )))  # fmt: skip

    if not options:
        options.append((0.1, _option(
            "mentoring",
            "No sign of distress needing a debt solution: light-touch mentoring and monitoring.",
            "ไม่พบสัญญาณที่ต้องแก้ไขหนี้: ให้คำปรึกษาและติดตามตามปกติ",
            {"distress_probability": distress_probability}, drivers=drivers,
        )))  # fmt: skip
    ranked = [option for _, option in sorted(options, key=lambda o: -o[0])]
    for rank, option in enumerate(ranked, start=1):
        option["rank"] = rank
    return ranked
