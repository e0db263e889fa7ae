"""Portfolio tables and their point-in-time features: the one feature code path."""

from features.pipeline import CONTEXT_COLUMNS, build_features
from features.portfolio import Portfolio, frames_to_portfolio, load_portfolio, validate_portfolio
from features.problems import PortfolioError, Problem
from features.registry import CATEGORICAL, FEATURE_NAMES, FEATURES

__all__ = [
    "CATEGORICAL",
    "CONTEXT_COLUMNS",
    "FEATURES",
    "FEATURE_NAMES",
    "Portfolio",
    "PortfolioError",
    "Problem",
    "build_features",
    "frames_to_portfolio",
    "load_portfolio",
    "validate_portfolio",
]
