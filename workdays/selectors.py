"""Reads of the working-day calendar: what the package knows, what the admins have entered."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache

import chinese_calendar

from workdays.models import CalendarOverride, CalendarYear

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


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
    return WEEKDAY_NAMES[day.weekday()]


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
    return {day: reasons.get(day) or package_holiday_name(day) or "周末" for day in days}
