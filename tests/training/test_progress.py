"""Long jobs say which step they start and about how long the rest will take."""

from __future__ import annotations

from training import progress


def test_each_step_says_its_place_and_the_time_left_at_the_pace_so_far(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(progress.time, "perf_counter", lambda: now[0])
    heard: list[str] = []
    steps = progress.Steps(4, heard.append)
    steps.step("rows")
    now[0] += 10
    steps.step("selection")
    now[0] += 50  # a slower step: the estimate stretches in proportion
    steps.step("reference")
    assert heard[0] == "rows (step 1 of 4)"
    assert heard[1] == "selection (step 2 of 4, about 30 s left)"  # 10 s a step, 3 to go
    assert heard[2] == "reference (step 3 of 4, about 60 s left)"  # 30 s a step, 2 to go
    now[0] += 6000
    steps.step("logging")
    assert heard[3].endswith("(step 4 of 4, about 34 min left)")
