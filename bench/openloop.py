"""The open-loop phase of ``make load`` and the rules that decide whether a run may be recorded.

Closed-loop tools (locust's users wait for an answer before sending the next request) slow down when
the server does, so they hide queueing: the figures look better the worse the service gets. Here
requests *start* at a fixed arrival rate whatever the server does, and each latency is counted from
the moment the request was due, not from when it was sent, so a generator that falls behind is
charged to the figures too. The rate is stepped up until the mix no longer holds p95 < 200 ms with
zero errors, then bisected between the last rate that held and the first that did not.

The decisions (may this run record? did this step hold? which rate next?) are plain functions of
their inputs, tested without timing anything (tests/bench/test_load.py); only ``run_step`` touches
the clock and the network.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

BUSY_LOAD = 1.0  # the 1-minute load average above which the machine is not idle enough to measure
P95_LIMIT_MS = 200.0


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# --- may this run record figures? ---------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    run: bool  # go on measuring
    record: bool  # write the figures into bench/RESULTS.md
    message: str


def idle_verdict(load1: float, *, ignore_busy: bool, limit: float = BUSY_LOAD) -> Verdict:
    """Figures are recorded only when the machine's 1-minute load average is at most ``limit``.

    With ``ignore_busy`` (``LOAD_IGNORE_BUSY=1``) a busy machine still runs, for a try, but nothing
    is written: figures measured next to other work describe the other work as much as the service.
    """
    if load1 <= limit:
        return Verdict(run=True, record=True, message=f"load average {load1:.2f} ≤ {limit:.1f}: measuring")
    busy = (
        f"The machine is busy: 1-minute load average {load1:.2f} > {limit:.1f}. Figures measured now "
        "would describe the other work as much as the service"
    )
    if ignore_busy:
        return Verdict(
            run=True,
            record=False,
            message=f"{busy}; LOAD_IGNORE_BUSY=1 so this run goes on for a try, and bench/RESULTS.md "
            "is left as it is.",
        )
    return Verdict(
        run=False,
        record=False,
        message=f"{busy}, so nothing is measured and bench/RESULTS.md is left as it is. Stop the other "
        "work and run `make load` again (LOAD_IGNORE_BUSY=1 runs it anyway without recording).",
    )


# --- did a step hold, and which rate next? -------------------------------------------------------


@dataclass(frozen=True)
class Step:
    rate: float  # requests started per second
    sent: int
    errors: int
    latencies_ms: tuple[float, ...] = field(repr=False)

    @property
    def p50(self) -> float:
        return percentile(self.latencies_ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.latencies_ms, 95)

    @property
    def p99(self) -> float:
        return percentile(self.latencies_ms, 99)

    @property
    def held(self) -> bool:
        return holds(self)


def holds(step: Step, p95_limit_ms: float = P95_LIMIT_MS) -> bool:
    """A rate holds when every request it started answered as expected and p95 stayed under the limit."""
    return step.sent > 0 and step.errors == 0 and step.p95 < p95_limit_ms


def find_rate(
    measure: Callable[[float], Step],
    *,
    start: float,
    factor: float,
    ceiling: float,
    refinements: int,
) -> tuple[float | None, list[Step]]:
    """Step the rate up by ``factor`` from ``start`` until a step fails or ``ceiling`` is passed, then
    bisect ``refinements`` times between the last rate that held and the first that did not.

    Returns the highest rate that held (None when even ``start`` did not) and every step measured.
    """
    steps: list[Step] = []
    held: float | None = None
    failed: float | None = None
    rate = start
    while rate <= ceiling:
        step = measure(rate)
        steps.append(step)
        if not holds(step):
            failed = rate
            break
        held = rate
        rate = max(rate + 1, round(rate * factor))
    for _ in range(refinements):
        if held is None or failed is None:
            break
        middle = round((held + failed) / 2)
        if middle in (held, failed):
            break
        step = measure(middle)
        steps.append(step)
        if holds(step):
            held = middle
        else:
            failed = middle
    return held, steps


# --- the generator ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One kind of request of the mix: ``weight`` is its share of all requests started."""

    name: str
    weight: float
    host: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()  # a staff session travels as its Cookie header


def schedule(rate: float, seconds: float) -> list[float]:
    """When each request of a step is due, in seconds from the step's start: evenly spaced."""
    return [i / rate for i in range(int(rate * seconds))]


def run_step(base: str, mix: Sequence[Call], rate: float, seconds: float, *, seed: int = 7) -> Step:
    """Start ``rate`` requests a second for ``seconds``, each on time whatever the earlier ones do."""
    import httpx

    chooser = random.Random(seed)
    calls = chooser.choices(list(mix), weights=[c.weight for c in mix], k=len(schedule(rate, seconds)))

    async def go() -> Step:
        latencies: list[float] = []
        errors = 0
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=200)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10.0) as client:

            async def one(due: float, call: Call) -> None:
                nonlocal errors
                try:
                    response = await client.get(call.path, headers={"Host": call.host, **dict(call.headers)})
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - due) * 1000)
                errors += not ok

            started = time.perf_counter()
            tasks = []
            for offset, call in zip(schedule(rate, seconds), calls, strict=True):
                due = started + offset
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                tasks.append(asyncio.create_task(one(due, call)))
            await asyncio.gather(*tasks)
        return Step(rate=rate, sent=len(tasks), errors=errors, latencies_ms=tuple(latencies))

    return asyncio.run(go())
