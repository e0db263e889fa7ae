"""`make bench`: the performance figures quoted in docs/performance.md, measured on this machine.

Each benchmark prints one line `name: value unit (target)`; the run exits non-zero when a target
is missed so a regression is visible, not just printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from features import Portfolio, build_features, load_portfolio
from features.portfolio import write_tables
from models.advice.report import failures, report_lines
from models.registry import load_champion
from models.specs import DISTRESS, FEASIBILITY, SPECS
from rescue import bench_scale
from rescue.bench_api import api_latency, in_process
from rescue.bench_load import mixed_load
from service.kit.payloads import business_payload
from training.advice_review import review_advice
from training.evaluation import evaluate_portfolio, labelled_rows
from training.pipeline import train_all
from training.reference import verdict
from training.synthetic.generator import generate
from training.tracking import promote

T = TypeVar("T")


def timed(fn: Callable[[], T], repeat: int = 1) -> tuple[float, T]:
    """Median wall time over `repeat` runs, and the last result."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


class Bench:
    def __init__(self) -> None:
        self.missed: list[str] = []

    def report(self, name: str, value: float, unit: str, target: float | None = None) -> None:
        verdict = ""
        if target is not None:
            ok = value <= target
            verdict = f"  (target <= {target:g} {unit}: {'ok' if ok else 'MISSED'})"
            if not ok:
                self.missed.append(name)
        print(f"{name}: {value:.3f} {unit}{verdict}", flush=True)


def batch_scale(
    bench: Bench, folder: Path, workdir: Path, tracking: str, copies: list[int]
) -> None:
    shap_cost = bench_scale.explanations(folder, tracking)
    print(
        f"  champion: {shap_cost['trees']} trees, {shap_cost['leaves']} leaves, at most"
        f" {shap_cost['max_path_features']} features on a path; {shap_cost['pattern_trees']}"
        f" trees tabled by decision pattern; tables {shap_cost['table_mb']:.2f} MiB",
        flush=True,
    )
    for name in ("kernel", "numpy", "shap", "lightgbm", "predict"):
        if shap_cost[name] is not None:
            bench.report(f"  {name} on {shap_cost['rows']:,} rows", shap_cost[name], "s")
    bench.report("shap.TreeExplainer time / project TreeSHAP time (goal >= 3)",
                 shap_cost["shap"] / shap_cost["kernel"], "x")  # fmt: skip
    bench.report("  max |project - shap|", shap_cost["max_abs_diff"], "", 1e-9)
    vs = bench_scale.against_handwritten(folder, workdir, tracking)
    bench.report("  rescue score, whole command", vs["rescue_score"], "s")
    bench.report("  rescue score, first run (asks MLflow where the champion is)",
                 vs["first_run"], "s")  # fmt: skip
    bench.report("  hand-written scorer, whole command", vs["handwritten"], "s")
    bench.report("rescue score / hand-written scorer", vs["rescue_score"] / vs["handwritten"],
                 "x", 0.5)  # fmt: skip
    spark = bench_scale.spark_against_local(folder, workdir, tracking)
    bench.report("  local engine", spark["local"], "s")
    bench.report("  Spark local[*]", spark["spark"], "s")
    bench.report("Spark / local engine", spark["spark"] / spark["local"], "x")
    bench.report("  max |Spark - local| probability", spark["max_abs_diff"], "", 1e-9)
    bench.report("  reasons differing between engines", 1.0 - spark["same_reasons"], "", 0.0)
    for row in bench_scale.scaling(folder, workdir, tracking, copies):
        n = int(row["businesses"])
        bench.report(f"rescue score, {n:,} businesses", row["seconds"], "s")
        bench.report(f"  peak memory, {n:,} businesses", row["peak_mib"], "MiB")
        bench.report(f"  businesses a second, {n:,}", n / row["seconds"], "/s")


def mixed(bench: Bench, url: str, portfolio: Portfolio, tracking: str, workers: int) -> None:
    """Analysts paging, searching, scoring and registering at once: at a busy centre's pace
    (the targets), then back to back (the capacity, where waits are queueing by definition)."""
    name = url.partition(":")[0].partition("+")[0]
    labels = {
        "queue": "queue page (filters, orders, next page by cursor)",
        "search": "queue search (names and ids)", "score": "POST /score",
        "intake": "POST /cases (register and assess)",
    }  # fmt: skip
    for rate, load in mixed_load(url, portfolio, tracking, workers=workers).items():
        pace = f"{rate:g}/s each" if rate else "back to back"
        where = (
            f"{name}, {load['cases']:,} cases, {load['clients']} clients {pace}, {workers} workers"
        )
        targets = {"queue": 50.0, "intake": 300.0} if rate else {}
        bench.report(f"requests answered a second, {where}", load["throughput"], "/s")
        for kind, label in labels.items():
            figures = load[kind]
            bench.report(f"  {label} p50", figures["p50"], "ms")
            bench.report(f"  {label} p99 ({figures['n']} requests)", figures["p99"], "ms",
                         targets.get(kind))  # fmt: skip
        bench.report("  failed requests", len(load["failures"]), "", 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--businesses", type=int, default=12_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--workers", type=int, default=2, help="service worker processes (one per core)"
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("RESCUE_BENCH_POSTGRES_URL"),
        help="also measure the service under load on this (emptied) PostgreSQL database",
    )
    parser.add_argument(
        "--copies", default="1,10,100", help="portfolio sizes for the scaling run, in copies"
    )
    args = parser.parse_args(argv)
    bench = Bench()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="rescue-bench-"))
    print(f"portfolio: {args.businesses} businesses, seed {args.seed}, in {workdir}", flush=True)

    seconds, tables = timed(lambda: generate(args.businesses, args.seed))
    bench.report("generate portfolio", seconds, "s", 60.0)
    folder = write_tables(tables, workdir / "portfolio")

    seconds, portfolio = timed(lambda: load_portfolio(folder))
    bench.report("load and validate portfolio", seconds, "s")

    seconds, _ = timed(lambda: build_features(portfolio, "2024-12-31"), repeat=5)
    bench.report("build_features, one as-of date (median of 5)", seconds, "s", 3.0)

    tracking = f"sqlite:///{workdir / 'mlflow.db'}"
    seconds, results = timed(lambda: train_all(folder, tracking_uri=tracking, say=lambda _m: None))
    bench.report(
        "rescue train, both models: cross-validated selection, brute-force reference, MLflow",
        seconds, "s", 180.0,
    )  # fmt: skip
    for trained in results:
        m = trained.metrics
        if not m:
            continue
        print(
            f"  {trained.name}: holdout ROC AUC {m['model_roc_auc']:.4f}"
            f" (true probabilities {m.get('truth_roc_auc', float('nan')):.4f},"
            f" ratio {m.get('auc_ratio_to_truth', float('nan')):.4f}),"
            f" ECE {m['model_ece']:.4f} (truth {m.get('truth_ece', float('nan')):.4f}),"
            f" logistic {m['logistic_roc_auc']:.4f}"
            + (f", Altman Z'' {m['altman_z2_roc_auc']:.4f}" if "altman_z2_roc_auc" in m else ""),
            flush=True,
        )
        print(
            f"    95% bootstrap interval [{m['model_roc_auc_ci_low']:.4f},"
            f" {m['model_roc_auc_ci_high']:.4f}]; cross-validated {m['cv_roc_auc']:.4f}"
            f" [{m['cv_roc_auc_ci_low']:.4f}, {m['cv_roc_auc_ci_high']:.4f}] over"
            f" {m['cv_candidates']:.0f} settings, monotone constraints kept in"
            f" {m.get('monotone_features_kept', 0):.0f} features, dropped in"
            f" {m.get('monotone_features_dropped', 0):.0f} (free {m['cv_roc_auc_free']:.4f});"
            f" {verdict(m)}",
            flush=True,
        )
        if "model_roc_auc_rs_low" in m:
            print(
                f"    repeated splits ({m['rs_repeats']:.0f}): ROC AUC"
                f" [{m['model_roc_auc_rs_low']:.4f}, {m['model_roc_auc_rs_high']:.4f}],"
                f" ECE [{m['model_ece_rs_low']:.4f}, {m['model_ece_rs_high']:.4f}],"
                f" beats logistic in {m['rs_model_beats_logistic']:.0%}"
                f" and the reference in {m.get('rs_model_beats_reference', float('nan')):.0%}"
                f" (reference ROC AUC [{m.get('reference_roc_auc_rs_low', float('nan')):.4f},"
                f" {m.get('reference_roc_auc_rs_high', float('nan')):.4f}])"
                + (
                    f", AUC ratio to truth [{m['auc_ratio_to_truth_rs_low']:.4f},"
                    f" {m['auc_ratio_to_truth_rs_high']:.4f}]"
                    if "auc_ratio_to_truth_rs_low" in m
                    else ""
                ),
                flush=True,
            )
        if trained.name == FEASIBILITY:
            print(
                f"  restructured firms' plans, out-of-time holdout ({m['n_holdout']:.0f} plans):"
                f" feasibility ranks performing above failed plans, ROC AUC"
                f" {m['model_roc_auc']:.4f}",
                flush=True,
            )

    for name in SPECS:
        promote(name, force=True, reason="benchmark")
    unseen = write_tables(
        generate(args.businesses // 4, args.seed + 1000), workdir / "unseen"
    )  # a sample the champion never saw, as `rescue evaluate` checks one
    distress, version = load_champion(DISTRESS, tracking)
    rows = labelled_rows(DISTRESS, load_portfolio(unseen), unseen)
    seconds, checked = timed(
        lambda: evaluate_portfolio(unseen, rows, distress, version=version, training_dir=folder)
    )
    for line in checked.lines():
        print(f"  {line}", flush=True)
    bench.report(
        f"rescue evaluate, {args.businesses // 4:,} unseen businesses, reference refitted",
        seconds, "s",
    )  # fmt: skip
    advice = review_advice(portfolio, dt.date(2025, 6, 30), tracking_uri=tracking, limit=300)
    for line in report_lines(advice):
        print(f"  {line}", flush=True)
    bench.report("advice for one case, p95 of 300 (plan search + feasibility)",
                 advice["advice_ms_p95"], "ms", 100.0)  # fmt: skip
    failed = sum(failures(advice).values())
    bench.report("options failing the advice checks", failed, "options", 0.0)

    batch_scale(bench, folder, workdir, tracking, [int(k) for k in args.copies.split(",")])

    business = portfolio.cases["business_id"].iloc[0]
    payload = {**business_payload(portfolio, business), "as_of": "2026-06-30"}
    costs = in_process(payload, tracking)
    bench.report(
        "in-process score + explanation, one business (median)", costs["score_and_explain"], "ms"
    )
    bench.report("  of which features", costs["features_only"], "ms")
    bench.report("bare booster predict, same row (the floor)", costs["booster_predict"], "ms")
    latency = api_latency(workdir, tracking, payload, workers=args.workers)
    for concurrency, (p50, p99) in latency.items():
        where = f"concurrency {concurrency}, {args.workers} workers"
        bench.report(f"POST /score p50, {where}", p50, "ms")
        bench.report(
            f"POST /score p99, {where}",
            p99,
            "ms",
            50.0 if concurrency == 8 else None,
        )

    databases = [f"sqlite:///{workdir / 'load.db'}", *filter(None, [args.postgres_url])]
    for url in databases:
        mixed(bench, url, portfolio, tracking, args.workers)

    if bench.missed:
        print(f"missed targets: {', '.join(bench.missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
