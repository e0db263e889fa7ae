"""The notebooks are executed, not decorative: each runs top to bottom on the small portfolio."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from models.specs import DISTRESS
from training.tracking import promote

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.mark.slow
def test_model_report_runs_on_the_champion(
    mlflow_store, small_portfolio_dir, monkeypatch, tmp_path
):
    promote(DISTRESS)
    monkeypatch.setenv("RESCUE_TRACKING_URI", mlflow_store)
    monkeypatch.setenv("RESCUE_DRIFT_DATA", str(small_portfolio_dir))
    notebook = nbformat.read(NOTEBOOKS / "model_report.ipynb", as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3
    text = "\n".join(o.get("text", "") for o in outputs)
    assert "AUC matches the logged run" in text
    assert "brute-force reference: holdout ROC AUC" in text and "cross-validated" in text
    assert "score PSI" in text
