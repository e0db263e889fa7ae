"""Risk bands A-E on the calibrated 12-month distress probability.

Cut-offs follow common SME rating practice: A is investment-grade-like (< 2%), E is where a
business is more likely than not to need rescue soon (>= 30%). Upper bounds are exclusive.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

BANDS: tuple[tuple[str, float], ...] = (
    ("A", 0.02),
    ("B", 0.05),
    ("C", 0.12),
    ("D", 0.30),
    ("E", 1.0 + 1e-12),
)


def risk_band(probability: ArrayLike) -> np.ndarray:
    """Band letter for each probability; NaN probabilities get an empty string."""
    p = np.asarray(probability, dtype=float)
    edges = np.array([upper for _, upper in BANDS[:-1]])
    letters = np.array([name for name, _ in BANDS])
    out = letters[np.searchsorted(edges, p, side="right")]
    return np.where(np.isnan(p), "", out)
