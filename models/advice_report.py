"""Advice across a portfolio: how the top paths fall, and the checks no option may fail
(dominated options ranked above what dominates them, rates kept above the legal ceiling, exits
where a plan beats liquidation, rationales their own numbers contradict)."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from features import Portfolio
from models.paths import PLAN_PATHS
from models.plan_search import Feasibility
from models.rationale_check import contradictions
from models.recommend import advise, dominates
from models.situation import situations

DEBT_PATHS = (*PLAN_PATHS, "orderly_exit")


def dominated_above(options: list[dict[str, Any]]) -> int:
    """Plan options ranked above another plan option that dominates them."""
    plans = [o for o in options if o["path"] in PLAN_PATHS]
    return sum(1 for i, a in enumerate(plans) for b in plans[i + 1 :] if dominates(b, a))


def above_ceiling(option: dict[str, Any]) -> bool:
    """The option keeps some facility's rate above its legal ceiling."""
    return any(
        t["treatment"] != "refinanced"
        and t["rate_after"] is not None
        and t["rate_after"] > t["lawful_rate"] + 1e-12
        for t in option.get("terms", [])
    )


def exit_against_numbers(option: dict[str, Any]) -> bool:
    n = option["numbers"]
    return option["path"] == "orderly_exit" and bool(n["best_plan_value"] >= n["liquidation_value"])


def advice_report(
    portfolio: Portfolio,
    as_of: dt.date,
    problem_types: Mapping[str, Sequence[str]] | None = None,
    feasibility: Callable[[str], Feasibility | None] | None = None,
    features: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Advise every business of the portfolio; `feasibility` gives each business's plan scorer."""
    found = situations(portfolio, as_of, problem_types, features)
    top: Counter[str] = Counter()
    debt_top: Counter[str] = Counter()
    options = dominated = ceiling = bad_exits = contradicted = 0
    latencies = []
    for business_id, situation in found.items():
        start = time.perf_counter()
        advice = advise(situation, feasibility=feasibility(business_id) if feasibility else None)
        latencies.append(1000 * (time.perf_counter() - start))
        top[advice.options[0]["path"]] += 1
        debt_paths = [o["path"] for o in advice.options if o["path"] in DEBT_PATHS]
        debt_top[debt_paths[0] if debt_paths else "none"] += 1
        options += len(advice.options)
        dominated += dominated_above(advice.options)
        ceiling += sum(above_ceiling(o) for o in advice.options)
        bad_exits += sum(exit_against_numbers(o) for o in advice.options)
        contradicted += sum(bool(contradictions(o)) for o in advice.options)
    n = max(len(found), 1)
    return {
        "businesses": len(found),
        "options": options,
        "top_paths": {path: count / n for path, count in top.most_common()},
        "top_debt_paths": {path: count / n for path, count in debt_top.most_common()},
        "dominated_ranked_above": dominated,
        "above_ceiling": ceiling,
        "exits_where_a_plan_beats_liquidation": bad_exits,
        "rationales_contradicting_numbers": contradicted,
        "advice_ms_p50": float(np.percentile(latencies, 50)) if latencies else math.nan,
        "advice_ms_p95": float(np.percentile(latencies, 95)) if latencies else math.nan,
    }


def report_lines(report: dict[str, Any]) -> list[str]:
    """The report as a reader sees it."""
    lines = [f"{report['businesses']:,} businesses, {report['options']:,} options"]
    lines += [f"  top path {path}: {share:.1%}" for path, share in report["top_paths"].items()]
    lines += [
        f"  first debt option {path}: {share:.1%}"
        for path, share in report["top_debt_paths"].items()
    ]
    lines += [
        f"  options ranked above one that dominates them: {report['dominated_ranked_above']}",
        f"  options keeping a rate above the legal ceiling: {report['above_ceiling']}",
        f"  exits where a plan beats liquidation: {report['exits_where_a_plan_beats_liquidation']}",
        "  options whose rationale (EN or TH) a number or comparison contradicts: "
        f"{report['rationales_contradicting_numbers']}",
        f"  advice per business: p50 {report['advice_ms_p50']:.1f} ms, "
        f"p95 {report['advice_ms_p95']:.1f} ms",
    ]
    return lines
