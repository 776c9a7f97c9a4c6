"""Reads of the working-day calendar: what the package knows, what the admins have entered."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import chinese_calendar
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants.errors import InvalidInput
from workdays.dates import zh_date
from workdays.models import FIRST_DAY, LAST_DAY, CalendarOverride, CalendarYear

WEEKDAY_NAMES = (
    gettext_lazy("星期一"),
    gettext_lazy("星期二"),
    gettext_lazy("星期三"),
    gettext_lazy("星期四"),
    gettext_lazy("星期五"),
    gettext_lazy("星期六"),
    gettext_lazy("星期日"),
)


@cache
def package_knows_year(year: int) -> bool:
    """Whether chinesecalendar carries the State Council's notice for ``year``.

    Asked of the package rather than hard-coded, so upgrading it to a release that knows 2027 makes
    2027 official without a code change.
    """
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def year_is_official(*, year: int) -> bool:
    """A year is official when the package knows it or an admin has confirmed its overrides complete."""
    return package_knows_year(year) or CalendarYear.objects.filter(year=year).exists()


def overrides_in_year(*, year: int) -> dict[date, CalendarOverride]:
    """Every override of one year in one query: deadline arithmetic walks day by day."""
    return {o.day: o for o in CalendarOverride.objects.filter(day__year=year)}


def weekday_name(day: date) -> str:
    return str(WEEKDAY_NAMES[day.weekday()])


def package_holiday_name(day: date) -> str | None:
    """The Chinese name of the public holiday ``day`` is part of, if the package knows one."""
    if not package_knows_year(day.year):
        return None
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    if not on_holiday or not name:
        return None
    return str(chinese_calendar.Holiday(name).chinese)


def non_working_day_names(*, days: Sequence[date]) -> dict[date, str]:
    """Why each of ``days`` is not a working day, for people reading a computed deadline.

    An admin's reason first (it is what decided the day), then the holiday from the package; what
    is left is an ordinary weekend (a weekday is only ever off by an override or a holiday).
    """
    reasons = dict(
        CalendarOverride.objects.filter(day__in=days, is_working_day=False).values_list("day", "reason")
    )
    return {day: reasons.get(day) or package_holiday_name(day) or _("周末") for day in days}


# --- arithmetic: the reads every deadline is computed from -------------------------------------------

MAX_DAYS = 3650
ONE_DAY = timedelta(days=1)


def ensure_supported_day(day: date) -> None:
    """The calendar answers for 1900–2199 only; outside it a date is a typo, not a deadline."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(
            _("日期 %(zh_date)s 超出范围:只能计算1900年至2199年之间的日期。") % {"zh_date": zh_date(day)},
            code="date_out_of_range",
        )


class CalendarLookup:
    """One computation's view of the calendar: each year's overrides and status are read once."""

    def __init__(self) -> None:
        self._overrides: dict[int, dict[date, CalendarOverride]] = {}
        self._official: dict[int, bool] = {}

    def status(self, day: date) -> tuple[bool, bool]:
        year = day.year
        if year not in self._overrides:
            self._overrides[year] = overrides_in_year(year=year)
            self._official[year] = year_is_official(year=year)
        override = self._overrides[year].get(day)
        if override is not None:
            working = override.is_working_day
        elif package_knows_year(year):
            working = chinese_calendar.is_workday(day)
        else:
            working = day.weekday() < 5
        return working, not self._official[year]


@dataclass(frozen=True)
class WorkdaySpan:
    days: tuple[date, ...]  # the working days after ``start``, up to and including ``end``
    provisional: bool


def working_days_between(start: date, end: date) -> WorkdaySpan:
    """The working days in (``start``, ``end``]: "N working days left" on a clock, read in one go
    for a whole list (the calendar of each year is read once)."""
    ensure_supported_day(start)
    ensure_supported_day(end)
    if (end - start).days > MAX_DAYS:
        raise InvalidInput(
            _("日期相差不能超过%(MAX_DAYS)s天。") % {"MAX_DAYS": MAX_DAYS}, code="days_out_of_range"
        )
    lookup = CalendarLookup()
    day, found, provisional = start, [], False
    while day < end:
        day = day + ONE_DAY
        working, day_provisional = lookup.status(day)
        provisional = provisional or day_provisional
        if working:
            found.append(day)
    return WorkdaySpan(days=tuple(found), provisional=provisional)


@dataclass(frozen=True)
class Countdown:
    """Where a deadline stands on a day, in working days: what a clerk reads beside it."""

    due: date
    past: bool  # the deadline was before the day
    left: int  # working days after the day up to and including the deadline (0 once it is today or past)
    overdue: int  # working days after the deadline up to and including the day (0 while it has not passed;
    # also 0 on a weekend right after a deadline on a Friday: past, though no working day was lost yet)
    provisional: bool  # counted through a year whose holidays are not yet official


def countdowns(dues: Iterable[date], *, on: date) -> dict[date, Countdown]:
    """The countdown of each deadline on ``on``, with one walk over the calendar for the whole list
    (each side of ``on`` is read at most ``MAX_DAYS`` far: a count beyond it stops there)."""
    dues = set(dues)
    ahead = [d for d in dues if d > on]
    behind = [d for d in dues if d < on]
    future = working_days_between(on, min(max(ahead), on + timedelta(days=MAX_DAYS))) if ahead else None
    past = working_days_between(max(min(behind), on - timedelta(days=MAX_DAYS)), on) if behind else None
    result = {}
    for due in dues:
        if due > on and future is not None:
            result[due] = Countdown(due, False, bisect_right(future.days, due), 0, future.provisional)
        elif due < on and past is not None:
            overdue = len(past.days) - bisect_right(past.days, due)
            result[due] = Countdown(due, True, 0, overdue, past.provisional)
        else:
            result[due] = Countdown(due, False, 0, 0, False)
    return result


@dataclass(frozen=True)
class Clock:
    """Where a matter a resident brought stands against its deadline, as an inbox shows it."""

    state: str  # "answered", "open", "due_soon", "due_today", "overdue"
    working_days_left: int
    provisional: bool

    @property
    def label(self) -> str:
        if self.state == "answered":
            return _("已答复")
        if self.state == "overdue":
            return _("已逾期")
        if self.state == "due_today":
            return _("今天到期")
        prefix = _("即将到期 · ") if self.state == "due_soon" else ""
        return _("%(prefix)s剩余 %(working_days_left)s 个工作日") % {
            "prefix": prefix,
            "working_days_left": self.working_days_left,
        }


def answer_clocks(
    items: Iterable[tuple[int, date, bool, bool]], *, on: date, due_soon: int
) -> dict[int, Clock]:
    """The clock of each ``(key, due date, provisional, still open)``, with one walk over the calendar
    for the whole list; ``due_soon`` working days or fewer left is "due soon"."""
    items = list(items)
    counts = countdowns([due for _key, due, _p, is_open in items if is_open and due > on], on=on)
    clocks = {}
    for key, due, provisional, is_open in items:
        if not is_open:
            clocks[key] = Clock("answered", 0, provisional)
        elif due < on:
            clocks[key] = Clock("overdue", 0, provisional)
        elif due == on:
            clocks[key] = Clock("due_today", 0, provisional)
        else:
            left = counts[due].left
            clocks[key] = Clock("due_soon" if left <= due_soon else "open", left, provisional)
    return clocks
