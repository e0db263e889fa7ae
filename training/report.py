"""Plots and the model card logged with every training run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import shap
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from sklearn.calibration import calibration_curve
from sklearn.metrics import roc_curve

from features.registry import BY_NAME
from models.bands import BANDS
from training.reference import verdict
from training.train import TrainResult


def _finish(
    fig: Figure,
    ax: Axes,
    path: Path,
    diagonal_to: float,
    legend: Literal["lower right", "upper left"],
    **labels: str,
) -> Path:
    """The reference diagonal, labels and legend, then save and free the figure."""
    ax.plot([0, diagonal_to], [0, diagonal_to], color="grey", ls=":")
    ax.set(**labels)
    ax.legend(loc=legend)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


PLOTTED = ("model", "logistic", "reference", "altman_z2", "truth")  # the rest are in the card


def _plotted(result: TrainResult) -> dict[str, np.ndarray]:
    return {n: p for n, p in result.holdout_probability.items() if n in PLOTTED}


def roc_plot(result: TrainResult, path: Path) -> Path:
    y = result.split.holdout.y.to_numpy()
    fig, ax = plt.subplots(figsize=(5.5, 5))
    for name, p in _plotted(result).items():
        fpr, tpr, _ = roc_curve(y, p)
        auc = result.metrics[f"{name}_roc_auc"]
        ax.plot(fpr, tpr, label=f"{name} (AUC {auc:.3f})", lw=2 if name == "model" else 1)
    return _finish(
        fig, ax, path, 1.0, "lower right", xlabel="false positive rate",
        ylabel="true positive rate", title=f"{result.spec.name}: ROC on holdout",
    )  # fmt: skip


def calibration_plot(result: TrainResult, path: Path) -> Path:
    y = result.split.holdout.y.to_numpy()
    fig, ax = plt.subplots(figsize=(5.5, 5))
    for name, p in _plotted(result).items():
        observed, predicted = calibration_curve(y, p, n_bins=10, strategy="quantile")
        ax.plot(predicted, observed, marker="o", label=name, lw=2 if name == "model" else 1)
    top = max(float(np.max(p)) for p in _plotted(result).values())
    return _finish(
        fig, ax, path, top, "upper left", xlabel="mean predicted probability",
        ylabel="observed rate", title=f"{result.spec.name}: calibration",
    )  # fmt: skip


def shap_summary_plot(result: TrainResult, path: Path, top: int = 15) -> Path:
    importance = result.importance.head(top)[::-1]
    fig, ax = plt.subplots(figsize=(6.5, 0.35 * len(importance) + 1.2))
    ax.barh(importance.index, importance.to_numpy(), color="#3b6ea8")
    ax.set(xlabel="mean |SHAP| (log-odds) on holdout", title=f"{result.spec.name}: global drivers")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def shap_plots(result: TrainResult, folder: Path, rows: int = 2000) -> list[Path]:
    """shap's own views of the holdout: a beeswarm, the waterfall of the highest-scored row,
    and the dependence of the score on the strongest driver."""
    frame = result.split.holdout.frame.head(rows)
    explanation = result.scorer.explanation(frame)
    top = str(result.importance.index[0])
    riskiest = int(np.argmax(explanation.values.sum(axis=1)))
    views: dict[str, Callable[[], object]] = {
        "shap_beeswarm.png": lambda: shap.plots.beeswarm(explanation, max_display=15, show=False),
        "shap_waterfall.png": lambda: shap.plots.waterfall(explanation[riskiest], show=False),
        "shap_dependence.png": lambda: shap.plots.scatter(explanation[:, top], show=False),
    }
    paths = []
    for name, draw in views.items():
        draw()
        fig = plt.gcf()
        fig.savefig(folder / name, dpi=110, bbox_inches="tight")
        plt.close(fig)
        paths.append(folder / name)
    return paths


def _repeated_splits(m: dict[str, float]) -> str:
    """Each metric's 95% range over refits on fresh splits of the rows before the holdout."""
    names = [k.removesuffix("_roc_auc_rs_low") for k in m if k.endswith("_roc_auc_rs_low")]
    if not names:
        return ""
    metrics = ("roc_auc", "pr_auc", "brier", "ks", "ece")
    rows = "\n".join(
        f"| {n} | "
        + " | ".join(f"{m[f'{n}_{k}_rs_low']:.3f}–{m[f'{n}_{k}_rs_high']:.3f}" for k in metrics)
        + " |"
        for n in names
    )
    beats = ""
    if "rs_model_beats_reference" in m:
        beats = f" and the brute-force reference in {m['rs_model_beats_reference']:.0%}"
    return f"""
## Repeated-split intervals

Refitted on {m["rs_repeats"]:.0f} fresh splits of the rows before the holdout (fit 60%,
calibrate 20%, score 20%, a business's rows kept together); 95% of the repeats fall in:

| model | ROC AUC | PR AUC | Brier | KS | ECE |
| --- | --- | --- | --- | --- | --- |
{rows}

The model beat the logistic baseline in {m["rs_model_beats_logistic"]:.0%} of the repeats{beats}.
The brute-force reference is refitted for the rounds its own early stopping chose, uncalibrated
as on the holdout.
"""


def model_card(result: TrainResult, *, version: str, fingerprint: str, data_dir: str) -> str:
    m = result.metrics
    rows = []
    for name in result.holdout_probability:
        rows.append(
            f"| {name} | {m[f'{name}_roc_auc']:.4f} | {m[f'{name}_pr_auc']:.4f} | "
            f"{m[f'{name}_brier']:.4f} | {m[f'{name}_ks']:.4f} | {m[f'{name}_ece']:.4f} |"
        )
    drivers = "\n".join(
        f"| {name} | {BY_NAME[name].family if name in BY_NAME else 'plan'} | {value:.4f} | "
        f"{BY_NAME[name].description if name in BY_NAME else ''} |"
        for name, value in result.importance.head(10).items()
    )
    bands = ", ".join(f"{b} < {upper:.0%}" for b, upper in BANDS[:-1]) + ", E otherwise"
    truth_line = (
        f"\nAUC relative to the generator's true probabilities: {m['auc_ratio_to_truth']:.4f}\n"
        if "auc_ratio_to_truth" in m
        else ""
    )
    reference = (
        _repeated_splits(m)
        + "\nThe model "
        + verdict(m)
        + ". The reference combines every pair of the statement lines present, each line's "
        "change on the year before and the features that do not come from statements.\n"
    )
    monotone = [f for f, c in zip(result.spec.features, result.monotone, strict=True) if c]
    dropped = [
        f"{v.feature} ({v.reason})"
        for v in (result.selection.verdicts if result.selection else [])
        if not v.kept
    ]
    origin = "synthetic" if "truth" in result.holdout_probability else "supplied"
    return f"""# Model card: {result.spec.name} v{version}

Target: `{result.spec.target}` ({"risk" if result.spec.target_is_risk else "good outcome"}).
Data: `{data_dir}` (fingerprint `{fingerprint[:16]}`).
Split: {result.split.strategy}. Rows: train {m["n_train"]:.0f}, validation {m["n_valid"]:.0f},
holdout {m["n_holdout"]:.0f} (positive rate {m["holdout_positive_rate"]:.3f}).

LightGBM, {result.best_iteration} trees, monotone in: {", ".join(monotone) or "none"}.
Declared directions dropped by cross-validation: {"; ".join(dropped) or "none"}.
Probabilities are Platt-calibrated on rows before the holdout.
{"Risk bands on the calibrated probability: " + bands if result.spec.banded else ""}

## Holdout metrics

| model | ROC AUC | PR AUC | Brier | KS | ECE |
| --- | --- | --- | --- | --- | --- |
{chr(10).join(rows)}
{truth_line}{reference}
## Top global drivers (mean |SHAP|)

| feature | family | mean abs SHAP | meaning |
| --- | --- | --- | --- |
{drivers}

## Use and limits

Decision support for rescue analysts: a score and its reasons inform a recommendation; an
analyst decides and may override with a reason. Explanations are exact TreeSHAP values of the
booster's log-odds. Trained on {origin} data; re-validate on each new portfolio before
relying on it.
"""
