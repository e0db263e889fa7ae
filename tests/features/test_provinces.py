"""Every province has its Thai name; other romanisations and odd spacing are understood."""

from __future__ import annotations

from features.provinces import PROVINCE_NAMES_TH, province_th
from training.synthetic.catalogues import PROVINCES


def test_all_77_provinces_have_thai_names():
    assert len(PROVINCE_NAMES_TH) == 77
    assert set(PROVINCES) <= set(PROVINCE_NAMES_TH)


def test_spellings_people_write_are_read():
    assert province_th("chiang  mai") == "เชียงใหม่"
    assert province_th("Chon Buri") == "ชลบุรี"
    assert province_th("Ayutthaya") == "พระนครศรีอยุธยา"
    assert province_th("Atlantis") == "Atlantis"
