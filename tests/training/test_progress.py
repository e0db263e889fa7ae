"""Long jobs say which step they start and about how long the rest will take."""

from __future__ import annotations

from training import progress
from training.pipeline import STEP_WEIGHTS
from training.train import TRAIN_STEPS


def test_each_step_says_its_place_and_the_time_left_at_the_pace_so_far(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(progress.time, "perf_counter", lambda: now[0])
    heard: list[str] = []
    steps = progress.Steps([1, 3, 2, 4], heard.append)
    steps.step("rows")
    now[0] += 10  # 10 s for a step of weight 1
    steps.step("selection")
    now[0] += 90  # slower than its weight said: the estimate stretches in proportion
    steps.step("reference")
    assert heard[0] == "rows (step 1 of 4)"
    assert heard[1] == "selection (step 2 of 4, about 90 s left)"  # 10 s a unit, 9 to go
    assert heard[2] == "reference (step 3 of 4, about 2 min left)"  # 25 s a unit, 6 to go
    now[0] += 6000
    steps.step("logging")
    assert heard[3] == "logging (step 4 of 4, about 68 min left)"  # 6,100 s for 6 units, 4 to go


def test_skipped_steps_leave_the_count_and_the_estimate():
    heard: list[str] = []
    steps = progress.Steps([1, 5, 5, 1, 1], heard.append)
    steps.step("first model: rows")
    steps.skip(2)
    steps.step("second model: rows")
    assert heard[-1].startswith("second model: rows (step 2 of 3")


def test_every_model_declares_a_weight_for_each_step_it_announces():
    assert all(len(w) == TRAIN_STEPS + 2 for w in STEP_WEIGHTS.values())
