"""Working-day arithmetic for every deadline in the product, and the admins' writes to the calendar.

A day's status comes from, in order: an admin's override for that day; chinesecalendar for the years
it knows (holidays and 调休 working weekends); otherwise Monday–Friday. A result that looked at any
day of a year that is neither known to the package nor confirmed by an admin is *provisional*: the
State Council's notice for that year may still move it.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.db import transaction
from django.utils.translation import gettext

from tenants.errors import InvalidInput
from tenants.models import User
from workdays import selectors
from workdays.models import FIRST_DAY, LAST_DAY, CalendarOverride, CalendarYear
from workdays.selectors import MAX_DAYS, ONE_DAY, CalendarLookup, ensure_supported_day
from workdays.selectors import WorkdaySpan as WorkdaySpan  # the calendar's public names stay here too
from workdays.selectors import working_days_between as working_days_between
from workdays.signals import calendar_changed

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkdayResult:
    # ``datetime.date``: the field named ``date`` would shadow the type for the annotations below it.
    start: datetime.date
    days: int
    date: datetime.date  # the result
    provisional: bool  # True if any day examined lies in a year with no official data
    skipped: tuple[datetime.date, ...]  # non-working days passed over on the way


# --- input rules -----------------------------------------------------------------------------------


def ensure_days_in_range(days: int) -> None:
    if not 0 <= days <= MAX_DAYS:
        raise InvalidInput(
            gettext("工作日数须在0到%(MAX_DAYS)s之间。") % {"MAX_DAYS": MAX_DAYS}, code="days_out_of_range"
        )


def ensure_confirmable_year(year: int) -> None:
    """Only a year the package does not know can be confirmed: for the others the package is the notice."""
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise InvalidInput(gettext("年份须在1900年至2199年之间。"), code="year_out_of_range")
    if selectors.package_knows_year(year):
        raise InvalidInput(
            gettext(
                "%(year)s年的法定节假日安排已由节假日数据包提供,无需确认;个别日期有变化请添加工作日调整。"
            )
            % {"year": year},
            code="year_known",
        )


# --- arithmetic ------------------------------------------------------------------------------------


def _next_day(day: date) -> date:
    if day >= LAST_DAY:
        raise InvalidInput(
            gettext("计算结果超出了2199年年底,请检查起始日期和工作日数。"), code="date_out_of_range"
        )
    return day + ONE_DAY


def is_working_day(day: date) -> tuple[bool, bool]:
    """``(working, provisional)`` for one day."""
    ensure_supported_day(day)
    return CalendarLookup().status(day)


def add_working_days(start: date, days: int) -> WorkdayResult:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted).

    ``days=0`` is :func:`roll_forward`: "within 0 working days" still cannot end on a holiday.
    """
    ensure_days_in_range(days)
    ensure_supported_day(start)
    if days == 0:
        return roll_forward(start)
    lookup = CalendarLookup()
    day, counted, provisional, skipped = start, 0, False, []
    while counted < days:
        day = _next_day(day)
        working, day_provisional = lookup.status(day)
        provisional = provisional or day_provisional
        if working:
            counted += 1
        else:
            skipped.append(day)
    return WorkdayResult(start=start, days=days, date=day, provisional=provisional, skipped=tuple(skipped))


def answer_due(received_on: date, *, working_days: int, calendar_days: int | None) -> tuple[date, bool, bool]:
    """``(due date, provisional, by calendar days)`` of an answer: ``working_days`` working days after
    ``received_on``, or ``calendar_days`` calendar days where that ends first (a signed complaint's
    result, 000 第十一条: a long holiday cannot stretch it)."""
    answer = add_working_days(received_on, working_days)
    if calendar_days is not None:
        calendar_limit = received_on + datetime.timedelta(days=calendar_days)
        if calendar_limit < answer.date:
            return calendar_limit, False, True
    return answer.date, answer.provisional, False


def roll_forward(day: date) -> WorkdayResult:
    """``day`` if it is a working day, else the next one: a deadline on a holiday moves past it."""
    ensure_supported_day(day)
    lookup = CalendarLookup()
    current, provisional, skipped = day, False, []
    while True:
        working, day_provisional = lookup.status(current)
        provisional = provisional or day_provisional
        if working:
            break
        skipped.append(current)
        current = _next_day(current)
    return WorkdayResult(start=day, days=0, date=current, provisional=provisional, skipped=tuple(skipped))


def due_after(base: date, working_days: int) -> WorkdayResult:
    """A deadline set by a rule: ``working_days`` after ``base``, or, with none, ``base`` itself moved
    to the next working day if it is not one (a date such as "the 10th of next month")."""
    return add_working_days(base, working_days) if working_days else roll_forward(base)


# --- writes ----------------------------------------------------------------------------------------


def _announce(sender: type, years: set[int]) -> None:
    """Tell listeners after commit; a failing listener is logged, not raised into the admin's request
    (the change is already committed, and the nightly run recomputes what the listener missed)."""
    for receiver, error in calendar_changed.send_robust(sender=sender, years=years):
        if isinstance(error, Exception):
            logger.error("calendar_changed receiver %r failed", receiver, exc_info=error)


def _changed_on_commit(sender: type, years: set[int]) -> None:
    transaction.on_commit(partial(_announce, sender, set(years)))


def calendar_override_set(
    *, day: date, is_working_day: bool, reason: str, actor: User | None
) -> CalendarOverride:
    """Declare ``day`` a working day or a day off, whatever the package says."""
    ensure_supported_day(day)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(gettext("请填写调整原因,如“2027年春节”或“春节调休上班”。"), code="missing_reason")
    max_length = CalendarOverride._meta.get_field("reason").max_length or 0
    if len(reason) > max_length:
        raise InvalidInput(
            gettext("调整原因不能超过%(max_length)s个字。") % {"max_length": max_length},
            code="reason_too_long",
        )
    with transaction.atomic():
        override, _ = CalendarOverride.objects.update_or_create(
            day=day, defaults={"is_working_day": is_working_day, "reason": reason, "updated_by": actor}
        )
        _changed_on_commit(CalendarOverride, {day.year})
    logger.info("calendar override %s set by %s: working=%s (%s)", day, actor, is_working_day, reason)
    return override


def calendar_override_delete(*, day: date, actor: User | None) -> None:
    """Give ``day`` back to the package (or to Monday–Friday). Deleting nothing changes nothing."""
    with transaction.atomic():
        deleted, _ = CalendarOverride.objects.filter(day=day).delete()
        if deleted:
            _changed_on_commit(CalendarOverride, {day.year})
    if deleted:
        logger.info("calendar override %s deleted by %s", day, actor)


def calendar_year_confirm(*, year: int, actor: User | None, note: str = "") -> CalendarYear:
    """Declare that the overrides entered for ``year`` are the complete State Council notice.

    From then on deadlines in that year are no longer provisional. Confirming again only updates
    the note.
    """
    ensure_confirmable_year(year)
    with transaction.atomic():
        confirmed, created = CalendarYear.objects.update_or_create(
            year=year,
            defaults={"note": note.strip()},
            create_defaults={"note": note.strip(), "confirmed_by": actor},
        )
        if created:
            _changed_on_commit(CalendarYear, {year})
    if created:
        logger.info("calendar year %s confirmed by %s", year, actor)
    return confirmed


def calendar_year_unconfirm(*, year: int, actor: User | None) -> None:
    """Withdraw a confirmation made too early: the year's deadlines become provisional again."""
    with transaction.atomic():
        deleted, _ = CalendarYear.objects.filter(year=year).delete()
        if deleted:
            _changed_on_commit(CalendarYear, {year})
    if deleted:
        logger.info("calendar year %s unconfirmed by %s", year, actor)
