"""China's working-day calendar: chinesecalendar, the admins' overrides, the Mon–Fri fallback for years
nobody has entered yet, and the signal that recomputes deadlines."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from tenants.errors import InvalidInput
from workdays import services
from workdays.models import CalendarOverride, CalendarYear

pytestmark = pytest.mark.django_db


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- the package's years ---------------------------------------------------------------------------


def test_deadline_runs_across_mid_autumn_and_national_day_2026():
    # 2026: 中秋 Fri 25 – Sun 27 September, 国庆 1–7 October.
    result = services.add_working_days(d("2026-09-24"), 5)
    assert result.date == d("2026-10-09")  # Mon–Fri counting would give 1 October
    assert result.skipped == (
        d("2026-09-25"),
        d("2026-09-26"),
        d("2026-09-27"),
        *(date(2026, 10, n) for n in range(1, 8)),
    )
    assert result.provisional is False


def test_adjusted_working_weekend_day_2026_counts_as_working():
    # 2026-10-10 is a Saturday worked in exchange for the National Day holiday (调休).
    assert services.is_working_day(d("2026-10-10")) == (True, False)
    result = services.add_working_days(d("2026-10-09"), 1)
    assert result.date == d("2026-10-10")
    assert result.skipped == ()


def test_deadline_on_a_holiday_rolls_forward_to_the_next_working_day():
    result = services.roll_forward(d("2026-10-03"))
    assert result.date == d("2026-10-08")
    assert result.days == 0
    assert result.skipped == tuple(date(2026, 10, n) for n in range(3, 8))


def test_zero_working_days_is_roll_forward_and_a_working_day_stays_put():
    assert services.add_working_days(d("2026-10-05"), 0) == services.roll_forward(d("2026-10-05"))
    stays = services.add_working_days(d("2026-10-09"), 0)
    assert (stays.date, stays.skipped) == (d("2026-10-09"), ())


# --- years the package does not know ----------------------------------------------------------------


def test_2027_falls_back_to_monday_to_friday_and_is_provisional():
    assert services.is_working_day(d("2027-01-01")) == (True, True)  # a Friday; 元旦 not entered yet
    assert services.is_working_day(d("2027-01-09")) == (False, True)  # Saturday
    result = services.add_working_days(d("2027-01-08"), 1)
    assert result.date == d("2027-01-11")
    assert result.skipped == (d("2027-01-09"), d("2027-01-10"))
    assert result.provisional is True


def test_a_deadline_reaching_into_2027_is_provisional_even_if_it_starts_in_2026():
    result = services.add_working_days(d("2026-12-30"), 3)
    assert result.date == d("2027-01-04")
    assert result.provisional is True
    assert services.add_working_days(d("2026-12-28"), 3).provisional is False


def test_override_making_a_2027_weekday_a_holiday_is_skipped():
    services.calendar_override_set(day=d("2027-01-01"), is_working_day=False, reason="元旦", actor=None)
    result = services.roll_forward(d("2027-01-01"))
    assert result.date == d("2027-01-04")
    assert result.skipped == (d("2027-01-01"), d("2027-01-02"), d("2027-01-03"))
    assert result.provisional is True


def test_confirming_2027_removes_the_provisional_flag(world):
    services.calendar_override_set(day=d("2027-01-01"), is_working_day=False, reason="元旦", actor=None)
    admin = world.user("yinzhou_admin")
    confirmed = services.calendar_year_confirm(year=2027, actor=admin, note="国办发明电〔2026〕X号")
    assert confirmed.confirmed_by == admin
    result = services.roll_forward(d("2027-01-01"))
    assert (result.date, result.provisional) == (d("2027-01-04"), False)
    assert services.is_working_day(d("2028-01-03")) == (True, True)  # only 2027 was confirmed

    services.calendar_year_unconfirm(year=2027, actor=admin)
    assert services.roll_forward(d("2027-01-01")).provisional is True


def test_a_year_the_package_knows_cannot_be_confirmed():
    with pytest.raises(InvalidInput, match="2026年"):
        services.calendar_year_confirm(year=2026, actor=None)
    assert not CalendarYear.objects.exists()


# --- overrides and their rules -----------------------------------------------------------------------


def test_override_wins_over_the_package_in_2026():
    services.calendar_override_set(day=d("2026-10-08"), is_working_day=False, reason="防汛停工", actor=None)
    services.calendar_override_set(day=d("2026-10-05"), is_working_day=True, reason="值班", actor=None)
    assert services.is_working_day(d("2026-10-08")) == (False, False)
    assert services.roll_forward(d("2026-10-05")).date == d("2026-10-05")
    result = services.add_working_days(d("2026-09-30"), 2)
    assert result.date == d("2026-10-09")  # 5 Oct (worked), then 8 Oct off, 9 Oct
    assert d("2026-10-08") in result.skipped and d("2026-10-05") not in result.skipped


def test_setting_an_override_again_updates_it_and_deleting_gives_the_day_back(world):
    admin = world.user("yinzhou_admin")
    services.calendar_override_set(day=d("2026-10-08"), is_working_day=False, reason="停工", actor=None)
    services.calendar_override_set(day=d("2026-10-08"), is_working_day=False, reason="防汛停工", actor=admin)
    override = CalendarOverride.objects.get()
    assert (override.reason, override.updated_by) == ("防汛停工", admin)
    services.calendar_override_delete(day=d("2026-10-08"), actor=admin)
    assert services.is_working_day(d("2026-10-08")) == (True, False)


def test_an_override_needs_a_reason_and_a_date_in_range():
    with pytest.raises(InvalidInput, match="原因"):
        services.calendar_override_set(day=d("2027-01-01"), is_working_day=False, reason="  ", actor=None)
    with pytest.raises(InvalidInput, match="1900年至2199年"):
        services.calendar_override_set(day=d("2200-01-01"), is_working_day=False, reason="x", actor=None)
    assert not CalendarOverride.objects.exists()


@pytest.mark.parametrize(
    ("start", "days"),
    [("2026-10-01", -1), ("2026-10-01", 3651), ("1899-12-31", 1), ("2200-01-01", 0), ("2199-12-30", 5)],
)
def test_days_and_dates_outside_the_supported_range_are_refused(start, days):
    with pytest.raises(InvalidInput):
        services.add_working_days(d(start), days)


def test_a_year_of_overrides_is_read_once_not_once_per_day(django_assert_num_queries):
    services.calendar_override_set(day=d("2027-05-03"), is_working_day=False, reason="劳动节", actor=None)
    with django_assert_num_queries(2):  # 2027's overrides, 2027's confirmation
        result = services.add_working_days(d("2027-01-01"), 200)
    assert d("2027-05-03") in result.skipped


# --- the signal ----------------------------------------------------------------------------------------


def test_calendar_changed_is_sent_after_commit_with_the_years(
    django_capture_on_commit_callbacks, announcements
):
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_override_set(day=d("2027-02-08"), is_working_day=False, reason="春节", actor=None)
        assert announcements == []  # not before the commit
    assert announcements == [{2027}]

    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_year_confirm(year=2027, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_override_delete(day=d("2027-02-08"), actor=None)
    assert announcements == [{2027}, {2027}, {2027}]


def test_calendar_changed_is_not_sent_when_the_change_is_rolled_back(
    django_capture_on_commit_callbacks, announcements
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.calendar_override_set(day=d("2027-02-08"), is_working_day=False, reason="春节", actor=None)
        raise RuntimeError
    assert callbacks == [] and announcements == []
    assert not CalendarOverride.objects.exists()


def test_deleting_an_override_that_does_not_exist_announces_nothing(
    django_capture_on_commit_callbacks, announcements
):
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_override_delete(day=d("2027-02-08"), actor=None)
    assert announcements == []
