"""Template filters for dates and periods in Chinese: ``{% load zh_dates %}`` then
``{{ d.published_at|zh_datetime }}``, ``{{ o.due_date|zh_day }}``, ``{{ d.period|zh_period }}``."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

from workdays import dates
from workdays.periods import period_zh

register = template.Library()


@register.filter
def zh_date(value: date | datetime | str | None) -> str:
    return dates.zh_date(value)


@register.filter
def zh_date_short(value: date | datetime | str | None) -> str:
    return dates.zh_date(value, year=False)


@register.filter
def zh_date_from(value: date | datetime | str | None, today: date) -> str:
    """``{{ d.published_at|zh_date_from:today }}``: 12月8日 within ``today``'s year, 2025年12月8日 in
    any other (a screen read from across the room must not leave the year to be guessed)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    year = getattr(value, "year", None)
    return dates.zh_date(value, year=year is None or year != today.year)


@register.filter
def zh_day(value: date | datetime | None) -> str:
    return dates.zh_day(value)


@register.filter
def zh_datetime(value: datetime | None) -> str:
    return dates.zh_datetime(value)


@register.filter
def zh_period(value: str | None) -> str:
    return period_zh(value) if value else ""
