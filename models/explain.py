"""Reason codes: the features that moved a score most, as numbers and as plain sentences.

Contributions are exact TreeSHAP values in the booster's log-odds; the sentences say which way a
feature pushed the outcome, in English and Thai.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from features.feature_labels import label, show
from features.registry import BY_NAME

TOP_REASONS = 5

_EN = {
    (True, True): "raises the risk of distress",
    (True, False): "lowers the risk of distress",
    (False, True): "raises the chance the plan performs",
    (False, False): "lowers the chance the plan performs",
}
_TH = {
    (True, True): "ทำให้ความเสี่ยงที่จะประสบปัญหาสูงขึ้น",
    (True, False): "ทำให้ความเสี่ยงที่จะประสบปัญหาลดลง",
    (False, True): "ทำให้โอกาสที่แผนจะสำเร็จสูงขึ้น",
    (False, False): "ทำให้โอกาสที่แผนจะสำเร็จลดลง",
}


def format_value(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "missing"
    if isinstance(value, float):
        if abs(value) >= 1000 or value.is_integer():
            return f"{value:,.0f}"
        return f"{value:.2f}"
    return str(value)


def _reason(name: str, contribution: float, value: Any, target_is_risk: bool) -> dict[str, Any]:
    feature = BY_NAME.get(name)
    up = contribution > 0
    return {
        "feature": name,
        "value": format_value(value),
        "contribution": round(contribution, 6),
        "description": feature.description if feature else name,
        "text_en": f"{label(name, 'en')}: {show(name, value, 'en')} {_EN[(target_is_risk, up)]}",
        "text_th": f"{label(name, 'th')}: {show(name, value, 'th')} {_TH[(target_is_risk, up)]}",
    }


def reason_codes(
    names: Sequence[str],
    contributions: np.ndarray,
    values: Mapping[str, Any],
    *,
    target_is_risk: bool,
    top: int = TOP_REASONS,
) -> list[dict[str, Any]]:
    """The `top` features by absolute contribution, strongest first (ties in feature order)."""
    return [
        _reason(names[i], float(contributions[i]), values.get(names[i]), target_is_risk)
        for i in np.argsort(-np.abs(contributions), kind="stable")[:top]
    ]


def reason_table(
    names: Sequence[str],
    contributions: np.ndarray,
    frame: pd.DataFrame,
    *,
    target_is_risk: bool,
    top: int = TOP_REASONS,
) -> list[list[dict[str, Any]]]:
    """`reason_codes` of every row of a batch: ranked in one sort, values read by column."""
    order = np.argsort(-np.abs(contributions), axis=1, kind="stable")[:, :top]
    empty = np.full(len(frame), None, dtype=object)
    columns = {
        j: frame[names[j]].to_numpy(dtype=object) if names[j] in frame.columns else empty
        for j in np.unique(order).tolist()
    }
    return [
        [
            _reason(names[j], float(contributions[i, j]), columns[j][i], target_is_risk)
            for j in order[i].tolist()
        ]
        for i in range(len(order))
    ]


def reason_lines(
    names: Sequence[str],
    contributions: np.ndarray,
    frame: pd.DataFrame,
    *,
    target_is_risk: bool,
    top: int = TOP_REASONS,
    language: str = "en",
) -> list[str]:
    """`reason_sentences` of every row's `reason_codes`, built a feature at a time: the batch
    output needs only the one line, not each reason's other fields and languages."""
    order = np.argsort(-np.abs(contributions), axis=1, kind="stable")[:, :top]
    words = _EN if language == "en" else _TH
    parts = np.empty(order.shape, dtype=object)
    for j in np.unique(order).tolist():
        rows, ranks = np.nonzero(order == j)
        name = names[j]
        values = (
            frame[name].to_numpy(dtype=object)[rows]
            if name in frame.columns
            else np.full(len(rows), None, dtype=object)
        )
        up = (contributions[rows, j] > 0).tolist()
        head = label(name, language)
        parts[rows, ranks] = [
            f"{head}: {show(name, value, language)} {words[(target_is_risk, rising)]}"
            for value, rising in zip(values.tolist(), up, strict=True)
        ]
    return ["; ".join(line) for line in parts.tolist()]


def reason_sentences(reasons: list[dict[str, Any]], language: str = "en") -> str:
    """Reason codes as one line of text, strongest first."""
    return "; ".join(r[f"text_{language}"] for r in reasons)
