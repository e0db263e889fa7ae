"""The fast tier cannot take in a heavy test: markers follow fixtures, and heavy code checks."""

from __future__ import annotations

import os

import pytest

from tests import tiers


class _Item:
    def __init__(self, fixturenames: tuple[str, ...]):
        self.fixturenames = fixturenames
        self.markers: list[str] = []

    def add_marker(self, marker: pytest.MarkDecorator) -> None:
        self.markers.append(marker.name)


def test_a_test_using_a_heavy_fixture_anywhere_in_its_closure_is_slow():
    light, trains, serves = _Item(("tmp_path", "app")), _Item(("trained",)), _Item(("service",))
    tiers.mark_heavy([light, trains, serves])  # type: ignore[list-item]
    assert light.markers == [] and trains.markers == ["slow"] and serves.markers == ["slow"]


def test_this_test_is_in_the_fast_tier_and_heavy_code_refuses_to_run_in_it(monkeypatch):
    assert os.environ[tiers.TIER] == "fast"
    with pytest.raises(RuntimeError, match="a service process in a test of the fast tier"):
        tiers.heavy("a service process")
    monkeypatch.setenv(tiers.TIER, "slow")
    tiers.heavy("a service process")


@pytest.mark.slow
def test_a_slow_test_runs_heavy_code():
    assert os.environ[tiers.TIER] == "slow"
    tiers.heavy("Chromium")
