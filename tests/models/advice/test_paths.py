"""The path registry drives the rationales, the decision form, the API and the advice guide."""

from __future__ import annotations

import string
from pathlib import Path

from models.advice.paths import PATHS, paths_markdown
from models.advice.rationale import FIELDS

ADVICE_GUIDE = Path(__file__).resolve().parents[3] / "docs" / "advice.md"


def test_every_path_has_fields_for_its_templates_and_both_labels():
    assert set(FIELDS) == set(PATHS)
    for path in PATHS.values():
        assert path.label_en and path.label_th
        en = {f for _, f, _, _ in string.Formatter().parse(path.template_en) if f}
        th = {f for _, f, _, _ in string.Formatter().parse(path.template_th) if f}
        assert en == th, path.name


def test_the_guide_s_table_of_paths_is_the_registry():
    text = ADVICE_GUIDE.read_text(encoding="utf-8")
    block = text.split("<!-- paths:start -->\n")[1].split("\n<!-- paths:end -->")[0]
    assert block == paths_markdown()
