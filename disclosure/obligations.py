"""Periods and deadlines (000 第八条, 桂花方案 四(三)): pure date arithmetic, no database.

Monthly affairs for a month are due on the 10th of the next month; finances for a quarter on the 10th
day of the next quarter; half-yearly and annual items on the 10th of the month after their period.
The caller rolls a deadline that falls on a non-working day forward with the working-day calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from disclosure.choices import Cadence


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date  # inclusive
    base_due: date  # before rolling off a holiday


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def period_containing(cadence: str, day: date) -> Period:
    """The period of ``cadence`` that contains ``day``."""
    if cadence == Cadence.MONTHLY:
        start = _month_start(day)
        label = f"{day.year}-{day.month:02d}"
        months = 1
    elif cadence == Cadence.QUARTERLY:
        q = (day.month - 1) // 3
        start = date(day.year, q * 3 + 1, 1)
        label = f"{day.year}Q{q + 1}"
        months = 3
    elif cadence == Cadence.HALF_YEARLY:
        h = (day.month - 1) // 6
        start = date(day.year, h * 6 + 1, 1)
        label = f"{day.year}H{h + 1}"
        months = 6
    elif cadence == Cadence.ANNUAL:
        start = date(day.year, 1, 1)
        label = str(day.year)
        months = 12
    else:
        raise ValueError(f"{cadence} has no periods")
    following = _add_months(start, months)
    return Period(label, start, following - timedelta(days=1), following.replace(day=10))


def closed_periods(cadence: str, *, since: date, on: date) -> list[Period]:
    """Every period of ``cadence`` that starts on or after ``since``'s period and has ended before ``on``."""
    periods = []
    period = period_containing(cadence, since)
    while period.end < on:
        periods.append(period)
        period = period_containing(cadence, period.end + timedelta(days=1))
    return periods
