"""Batch-scale figures for `make bench`: explanations, `rescue score` against a hand-written
scorer, Spark against the local engine, and how scoring grows with the portfolio.

Whole commands run as child processes, so start-up (imports, loading the model) is counted as a
user would pay it; each child reports its own peak memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from features import build_features, load_portfolio
from models import resolved
from models.scorer import feature_matrix
from models.specs import DISTRESS
from training.scoring import score_portfolio
from training.spark_scoring import score_with_spark
from training.synthetic.blocks import write_copies
from training.tracking import configure, load_scorer

# What a data scientist writes to score a portfolio with the champion: the baseline to beat.
HANDWRITTEN = """
import sys
import mlflow, numpy as np, pandas as pd, shap
from features import build_features, load_portfolio
from models.scorer import feature_matrix
data, out, as_of = sys.argv[1:4]
scorer = mlflow.pyfunc.load_model("models:/sme-distress@champion").unwrap_python_model().scorer
frame = build_features(load_portfolio(data), as_of)
X = feature_matrix(frame, scorer.features)
explainer = shap.TreeExplainer(scorer.booster)
values = explainer.shap_values(X)
probability = scorer.calibrator.probability(values.sum(axis=1) + explainer.expected_value)
top = np.array(scorer.features)[np.argsort(-np.abs(values), axis=1)[:, :5]]
pd.DataFrame({"business_id": frame.index, "distress_probability": probability,
              "top_reasons": ["; ".join(t) for t in top]}).to_csv(out, index=False)
"""
AS_OF = "2026-06-30"


def _quiet(_message: str) -> None:
    return None


# Starts the command and reports its wall seconds and peak memory. The command must not be a
# direct child of the benchmark: a child's peak memory starts from its parent's at the fork,
# and the benchmark holds a trained model, a portfolio and Spark's client by then.
LAUNCHER = """
import json, os, sys, time
start = time.perf_counter()
child = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ,
                       file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
_, status, usage = os.wait4(child, 0)
seconds = time.perf_counter() - start
print(json.dumps([os.waitstatus_to_exitcode(status), seconds, usage.ru_maxrss]))
"""


def _run(command: list[str], tracking: str) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of one command, from its own resource usage when a
    small launcher process reaps it."""
    env = {**os.environ, "MLFLOW_TRACKING_URI": tracking}
    with tempfile.TemporaryFile() as errors:
        launched = subprocess.run(
            [sys.executable, "-c", LAUNCHER, *command], env=env, stdout=subprocess.PIPE,
            stderr=errors, check=False,
        )  # fmt: skip
        code, seconds, peak_kib = json.loads(launched.stdout or b"[1, 0, 0]")
        if launched.returncode != 0 or code != 0:
            errors.seek(0)
            raise RuntimeError(f"{command[0]} failed:\n{errors.read()[-3000:].decode()}")
    return float(seconds), peak_kib / 1024


def _rescue_score(folder: Path, out: Path, tracking: str) -> tuple[float, float]:
    rescue = str(Path(sys.executable).parent / "rescue")
    args = ["score", "--data", str(folder), "--out", str(out), "--as-of", AS_OF]
    return _run([rescue, *args], tracking)


def explanations(folder: Path, tracking: str) -> dict[str, Any]:
    """Project TreeSHAP against shap.TreeExplainer on the champion, best of three each."""
    import shap

    configure(tracking)
    scorer = load_scorer(f"models:/{DISTRESS}@champion")
    X = feature_matrix(build_features(load_portfolio(folder), AS_OF), scorer.features)
    tables = scorer.tables
    if tables is None:
        raise RuntimeError("the champion's paths are too deep for the tables")
    tables.shap_values(X[:100], by="kernel")  # compiled once per installation, then cached

    def best(fn: Any) -> tuple[float, Any]:
        times, result = [], None
        for _ in range(3):
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
        return min(times), result

    ours, values = best(lambda: tables.shap_values(X, by="kernel"))
    by_numpy = best(lambda: tables.shap_values(X, by="numpy"))[0] if tables.all_patterns else None
    reference, expected = best(lambda: shap.TreeExplainer(scorer.booster).shap_values(X))
    lightgbm, _ = best(lambda: scorer.booster.predict(X, pred_contrib=True))
    predict, _ = best(lambda: scorer.booster.predict(X, raw_score=True))
    return {
        "rows": len(X), "kernel": ours, "numpy": by_numpy, "shap": reference, "lightgbm": lightgbm,
        "predict": predict, "max_abs_diff": float(np.abs(values[:, :-1] - expected).max()),
        "trees": scorer.booster.num_trees(), "leaves": tables.leaves,
        "max_path_features": tables.max_path_features, "pattern_trees": tables.pattern_trees,
        "table_mb": tables.table_bytes / 2**20,
    }  # fmt: skip


def against_handwritten(
    folder: Path, workdir: Path, tracking: str, repeat: int = 3
) -> dict[str, float]:
    """Best of `repeat` runs of each, taken in turn, so a slow moment of the machine falls on
    neither side alone; and `rescue score`'s first run, which asks MLflow where the champion is
    (later runs remember it until the store changes)."""
    script = workdir / "handwritten_scorer.py"
    script.write_text(HANDWRITTEN)
    database = resolved.sqlite_file(tracking)
    if database is not None:
        resolved.cache_file(database).unlink(missing_ok=True)
    ours, theirs = [], []
    for _ in range(repeat):
        ours.append(_rescue_score(folder, workdir / "scores.parquet", tracking)[0])
        theirs.append(_run([sys.executable, str(script), str(folder),
                            str(workdir / "handwritten.csv"), AS_OF], tracking)[0])  # fmt: skip
    return {"rescue_score": min(ours), "first_run": ours[0], "handwritten": min(theirs)}


def spark_against_local(folder: Path, workdir: Path, tracking: str) -> dict[str, float]:
    configure(tracking)
    scorer = load_scorer(f"models:/{DISTRESS}@champion")
    start = time.perf_counter()
    score_portfolio(folder, workdir / "local.parquet", scorer, as_of=AS_OF, say=_quiet)
    local = time.perf_counter() - start
    start = time.perf_counter()
    score_with_spark(folder, workdir / "spark.parquet", scorer, as_of=AS_OF, say=_quiet)
    spark = time.perf_counter() - start
    a = pd.read_parquet(workdir / "local.parquet").set_index("business_id").sort_index()
    b = pd.read_parquet(workdir / "spark.parquet").set_index("business_id").sort_index()
    diff = float((a["distress_probability"] - b["distress_probability"]).abs().max())
    same = bool((a["top_reasons"] == b["top_reasons"]).all())
    return {"local": local, "spark": spark, "max_abs_diff": diff, "same_reasons": float(same)}


def scaling(
    folder: Path, workdir: Path, tracking: str, copies: list[int]
) -> list[dict[str, float]]:
    """`rescue score` on 1x, 10x, 100x the portfolio (copies with their own identifiers)."""
    rows = []
    n = len(load_portfolio(folder).businesses)
    for k in copies:
        target = folder if k == 1 else write_copies(folder, workdir / f"x{k}", k, _quiet)
        seconds, memory = _rescue_score(target, workdir / f"x{k}.parquet", tracking)
        rows.append({"businesses": n * k, "seconds": seconds, "peak_mib": memory})
    return rows
