"""Commands print their own progress: libraries' chatter and progress bars stay out of it."""

from __future__ import annotations

import logging
import os

from service.kit import logs
from service.kit.settings import get_settings

# Libraries whose routine INFO lines (migrations checked, model versions created) would bury
# the command's own progress; their warnings still show.
CHATTY = ("alembic", "mlflow", "httpx", "urllib3")


def setup_output() -> None:
    """Log records in the configured level and format; MLflow without progress bars."""
    settings = get_settings()
    logs.configure(settings.log_level, settings.log_format)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
    # MLflow draws a progress bar for every artifact it downloads, loading a model included.
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "WARNING")
