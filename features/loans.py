"""Loan arithmetic shared by the features, the generator and the plan engine.

Conventions: THB amounts, monthly compounding at annual_rate / 12, payments at month end.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def annuity_payment(principal: ArrayLike, annual_rate: ArrayLike, months: ArrayLike) -> np.ndarray:
    """Level monthly installment that repays `principal` over `months` at `annual_rate`.

    A zero rate repays in equal parts; zero or negative months give NaN (no schedule exists).
    """
    principal = np.asarray(principal, dtype=float)
    rate = np.asarray(annual_rate, dtype=float) / 12.0
    months = np.asarray(months, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        # 1 - (1 + r)^-n through expm1/log1p: exact for tiny rates, where the textbook form
        # loses every digit to cancellation.
        discount = -np.expm1(-months * np.log1p(rate))
        level = principal * rate / discount
        flat = principal / months
    payment = np.where(rate == 0.0, flat, level)
    return np.where(months > 0, payment, np.nan)
