"""Dates as a Chinese reader writes them: 2026年12月8日, 12月8日(周二), 2026年12月8日 14:05.

Pages, PDFs and exports show dates through these (and periods through :attr:`Period.zh`), never as
``2026-12-08`` or ``2026Q3``. The year is left out only where the caller says the reader knows it.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone, translation

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")
# For a person who picked English with the switcher (printed notices and PDFs stay Chinese).
EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_MONTHS = (
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


def in_english() -> bool:
    return translation.get_language() == "en"


def zh_date(day: date | datetime | str | None, *, year: bool = True) -> str:
    """2026年12月8日 (``year=False``: 12月8日); empty for no date.

    Text is a date kept in structured content (a finance line's ``2026-07-01``, a milestone's planned
    day): an ISO date is written the same way, anything else typed there is shown as it was typed.
    """
    if not day:
        return ""
    if isinstance(day, str):
        typed = day
        try:
            day = date.fromisoformat(typed)
        except ValueError:
            return typed
    if isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    if in_english():
        text = f"{day.day} {EN_MONTHS[day.month - 1]}"
        return f"{text} {day.year}" if year else text
    text = f"{day.month}月{day.day}日"
    return f"{day.year}年{text}" if year else text


def zh_weekday(day: date) -> str:
    """周二"""
    if in_english():
        return EN_WEEKDAYS[day.weekday()]
    return f"周{WEEKDAYS[day.weekday()]}"


def zh_day(day: date | datetime | None, *, today: date | None = None) -> str:
    """12月8日(周二), with the year in front when it is not this year's: a deadline as people say it."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    today = today or timezone.localdate()
    if in_english():
        return f"{zh_weekday(day)} {zh_date(day, year=day.year != today.year)}"
    return f"{zh_date(day, year=day.year != today.year)}({zh_weekday(day)})"


def zh_datetime(moment: datetime | None) -> str:
    """2026年12月8日 14:05 in the site's time zone."""
    if moment is None:
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{zh_date(local)} {local:%H:%M}"
