"""Every feature reads in plain words with its unit, in English and Thai."""

from __future__ import annotations

import pytest

from features.feature_labels import READING, label, show
from features.registry import BY_NAME


def test_every_feature_has_an_english_label_a_unit_and_a_thai_label():
    assert set(READING) == set(BY_NAME)
    assert all(BY_NAME[name].label_th for name in READING)


@pytest.mark.parametrize(
    ("name", "value", "en", "th"),
    [
        ("ebitda_margin", 0.015, "1.5%", "1.5%"),
        ("dscr", 0.854, "0.85", "0.85"),
        ("max_days_past_due", 45.0, "45 days", "45 วัน"),
        ("total_outstanding", 3_250_000.0, "3,250,000 THB", "3,250,000 บาท"),
        ("sector", "C", "Manufacturing", "การผลิต"),
        ("region", "northeast", "North-east", "ภาคตะวันออกเฉียงเหนือ"),
        ("has_stalled_application", 1.0, "yes", "ใช่"),
        ("dscr", float("nan"), "not on record", "ไม่มีข้อมูล"),
    ],
)
def test_values_read_in_their_units(name, value, en, th):
    assert show(name, value, "en") == en
    assert show(name, value, "th") == th


def test_labels_read_as_words():
    assert label("ebitda_margin", "en") == "EBITDA margin"
    assert label("ebitda_margin", "th") == "อัตรากำไร EBITDA"
