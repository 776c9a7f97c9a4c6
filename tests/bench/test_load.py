"""``make load`` records figures only on an idle machine, and its open loop finds the highest rate the
mix holds (p95 < 200 ms, zero errors). Pure functions of their inputs: nothing here is timed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bench.openloop import Step, find_rate, holds, idle_verdict, percentile, schedule


def step(rate: float, *, p95: float, errors: int = 0, sent: int = 100) -> Step:
    # 100 latencies, the slowest six at ``p95``: the nearest-rank 95th percentile is ``p95``
    latencies = tuple([1.0] * 94 + [p95] * 6)
    return Step(rate=rate, sent=sent, errors=errors, latencies_ms=latencies)


def test_an_idle_machine_measures_and_records() -> None:
    verdict = idle_verdict(0.4, ignore_busy=False)
    assert verdict.run and verdict.record


def test_a_load_of_exactly_one_is_still_idle() -> None:
    assert idle_verdict(1.0, ignore_busy=False).record


def test_a_busy_machine_refuses_and_says_why() -> None:
    verdict = idle_verdict(1.37, ignore_busy=False)
    assert not verdict.run and not verdict.record
    assert "1.37" in verdict.message and "busy" in verdict.message
    assert "LOAD_IGNORE_BUSY=1" in verdict.message and "RESULTS.md" in verdict.message


def test_the_override_runs_a_busy_machine_for_a_try_and_records_nothing() -> None:
    verdict = idle_verdict(3.2, ignore_busy=True)
    assert verdict.run and not verdict.record
    assert "left as it is" in verdict.message


def test_a_busy_run_writes_nothing_and_exits_non_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import load

    monkeypatch.setattr(load.os, "getloadavg", lambda: (4.5, 3.0, 2.0))
    monkeypatch.setattr(load, "IGNORE_BUSY", False)

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("a busy machine must not be measured or recorded")

    monkeypatch.setattr(load, "prepare", must_not_run)
    monkeypatch.setattr(load, "write", must_not_run)
    assert load.main() == 2


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 95) == 0.0
    assert percentile([5.0], 95) == 5.0
    assert percentile([float(i) for i in range(1, 101)], 95) == 95.0


def test_a_step_holds_only_under_200_ms_with_no_errors() -> None:
    assert holds(step(10, p95=150))
    assert not holds(step(10, p95=200))
    assert not holds(step(10, p95=50, errors=1))
    assert not holds(Step(rate=10, sent=0, errors=0, latencies_ms=()))


def fake_server(capacity: float) -> tuple[list[float], Callable[[float], Step]]:
    """A server that holds every rate up to ``capacity`` and fails above it."""
    asked: list[float] = []

    def measure(rate: float) -> Step:
        asked.append(rate)
        return step(rate, p95=120 if rate <= capacity else 900)

    return asked, measure


def test_the_rate_steps_up_then_bisects_to_the_highest_rate_held() -> None:
    asked, measure = fake_server(capacity=70)
    held, steps = find_rate(measure, start=10, factor=1.5, ceiling=1000, refinements=3)
    # 10, 15, 22, 33, 50, 75 (fails), then between 50 and 75: 62 (holds), 68 (holds), 72 (fails)
    assert asked == [10, 15, 22, 33, 50, 75, 62, 68, 72]
    assert held == 68
    assert [s.rate for s in steps] == asked


def test_no_rate_held_when_even_the_first_fails() -> None:
    asked, measure = fake_server(capacity=5)
    held, _ = find_rate(measure, start=10, factor=1.5, ceiling=1000, refinements=3)
    assert held is None and asked == [10]


def test_the_ceiling_stops_a_server_that_holds_everything() -> None:
    asked, measure = fake_server(capacity=10**9)
    held, _ = find_rate(measure, start=10, factor=2, ceiling=100, refinements=3)
    assert asked == [10, 20, 40, 80] and held == 80


def test_a_small_factor_still_steps_up() -> None:
    asked, measure = fake_server(capacity=3)
    held, _ = find_rate(measure, start=1, factor=1.2, ceiling=100, refinements=0)
    assert asked == [1, 2, 3, 4] and held == 3


def test_requests_are_due_at_a_fixed_rate_whatever_the_answers() -> None:
    assert schedule(4, 1.0) == [0.0, 0.25, 0.5, 0.75]
    assert len(schedule(50, 20)) == 1000
