"""Periods: months, quarters, half-years and years — the one place their arithmetic lives.

Obligations (000 第八条, 桂花方案 四(三): due on the 10th after the period), the street office's
summaries and the district API's ``period`` filter all count periods here. Pure date arithmetic, no
database; a deadline that falls on a non-working day is rolled forward by the working-day calendar
(``workdays.services``), not here.

Labels are the machine form that URLs, filters and stored rows use (``2026-10``, ``2026Q3``,
``2026H1``, ``2026``); people read :attr:`Period.zh` (2026年10月, 2026年第三季度).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils import translation


class Span(StrEnum):
    """How long a period is; the values match ``inspection.choices.PeriodKind`` where they overlap."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


MONTHS_IN: dict[Span, int] = {Span.MONTH: 1, Span.QUARTER: 3, Span.HALF_YEAR: 6, Span.YEAR: 12}
DUE_DAY_OF_MONTH = 10  # "次月10日前" / "下季度第10日": the day of the month after a period it is due
YEARS = range(1900, 2200)  # what a typed period may name; anything else is a typing error
_ZH_QUARTERS = ("一", "二", "三", "四")
_ZH_HALVES = ("上", "下")
_EN_ORDINALS = ("first", "second", "third", "fourth")
_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_LABEL = re.compile(r"(\d{4})(?:-(\d{2})|Q([1-4])|H([12]))?")


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    start: date
    span: Span

    @property
    def end(self) -> date:
        """The last day of the period (inclusive)."""
        return add_months(self.start, MONTHS_IN[self.span]) - timedelta(days=1)

    @property
    def index(self) -> int:
        """1-based position in its year: the month, quarter or half; 1 for a year."""
        return (self.start.month - 1) // MONTHS_IN[self.span] + 1

    @property
    def label(self) -> str:
        year = self.start.year
        if self.span == Span.MONTH:
            return f"{year}-{self.start.month:02d}"
        if self.span == Span.QUARTER:
            return f"{year}Q{self.index}"
        if self.span == Span.HALF_YEAR:
            return f"{year}H{self.index}"
        return str(year)

    @property
    def zh(self) -> str:
        """How a Chinese reader writes it: 2026年10月, 2026年第三季度, 2026年上半年, 2026年."""
        year = self.start.year
        if translation.get_language() == "en":  # a person who picked English (PDFs stay Chinese)
            return self.en
        if self.span == Span.MONTH:
            return f"{year}年{self.start.month}月"
        if self.span == Span.QUARTER:
            return f"{year}年第{_ZH_QUARTERS[self.index - 1]}季度"
        if self.span == Span.HALF_YEAR:
            return f"{year}年{_ZH_HALVES[self.index - 1]}半年"
        return f"{year}年"

    @property
    def en(self) -> str:
        """October 2026, third quarter of 2026, first half of 2026, 2026."""
        year = self.start.year
        if self.span == Span.MONTH:
            return f"{_EN_MONTHS[self.start.month - 1]} {year}"
        if self.span == Span.QUARTER:
            return f"{_EN_ORDINALS[self.index - 1]} quarter of {year}"
        if self.span == Span.HALF_YEAR:
            return f"{_EN_ORDINALS[self.index - 1]} half of {year}"
        return str(year)

    @property
    def base_due(self) -> date:
        """The 10th of the month after the period, before a holiday rolls it forward."""
        return add_months(self.start, MONTHS_IN[self.span]).replace(day=DUE_DAY_OF_MONTH)

    @property
    def following(self) -> Period:
        return Period(add_months(self.start, MONTHS_IN[self.span]), self.span)


def period_of(span: Span | str, day: date) -> Period:
    """The period of ``span`` that contains ``day``."""
    span = Span(span)
    months = MONTHS_IN[span]
    return Period(date(day.year, (day.month - 1) // months * months + 1, 1), span)


def period_parse(label: str) -> Period:
    """``2026`` → the year, ``2026Q3`` → the quarter, ``2026H1`` → the half, ``2026-10`` → the month.

    Raises ``ValueError`` for anything that is not a period that can exist (2026Q5, 2026-13).
    """
    match = _LABEL.fullmatch(label.strip())
    if not match or int(match[1]) not in YEARS:
        raise ValueError(label)
    year = int(match[1])
    if match[2]:
        month = int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(label)
        return Period(date(year, month, 1), Span.MONTH)
    if match[3]:
        return Period(date(year, (int(match[3]) - 1) * 3 + 1, 1), Span.QUARTER)
    if match[4]:
        return Period(date(year, (int(match[4]) - 1) * 6 + 1, 1), Span.HALF_YEAR)
    return Period(date(year, 1, 1), Span.YEAR)


def period_zh(label: str) -> str:
    """The Chinese form of a stored label; a label that is not a period (长期) is returned as it is."""
    try:
        return period_parse(label).zh
    except ValueError:
        return label


def period_title_zh(label: str) -> str:
    """How a disclosure's title names its period: 2026年10月, 2026年第三季度, 2026年上半年, and a year
    as 2026年度; "" for a stored label that is not a period (长期)."""
    try:
        period = period_parse(label)
    except ValueError:
        return ""
    if period.span == Span.YEAR:
        return str(period.start.year) if translation.get_language() == "en" else f"{period.start.year}年度"
    return period.zh


def periods_of_year(
    year: int, spans: tuple[Span, ...] = (Span.MONTH, Span.QUARTER, Span.YEAR)
) -> list[Period]:
    """Every period of the given spans in ``year``, spans in the order given, each in calendar order."""
    result: list[Period] = []
    for span in spans:
        period = Period(date(year, 1, 1), span)
        while period.start.year == year:
            result.append(period)
            period = period.following
    return result


def closed_periods(span: Span | str, *, since: date, on: date) -> list[Period]:
    """Every period of ``span`` from ``since``'s period on that has ended before ``on``."""
    periods = []
    period = period_of(span, since)
    while period.end < on:
        periods.append(period)
        period = period.following
    return periods


YEARS_ASKED = range(2000, 2101)


def year_asked(value: str | None, *, default: int) -> int:
    """The year a page was asked for (``?year=2025``); anything else (empty, not a number, out of
    range) is ``default``: a year selector never fails a page."""
    try:
        year = int(value or "")
    except ValueError:
        return default
    return year if year in YEARS_ASKED else default
