"""Commands print their own progress: libraries' warnings and progress bars stay out of it."""

from __future__ import annotations

import os


def quiet_libraries() -> None:
    # MLflow draws a progress bar for every artifact it downloads, loading a model included.
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
