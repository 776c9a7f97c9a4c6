"""The street office's corrections to China's working-day calendar (public schema: one calendar for all).

chinesecalendar carries the State Council's holiday notices up to the year it was released for; these
tables hold what it does not know yet (a new year's notice, a local one-off) and which years the
admins have declared complete.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.models import TimeStampedModel
from workdays.dates import zh_date

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)


class CalendarOverride(TimeStampedModel):
    """One day whose status differs from (or is not yet in) chinesecalendar. It always wins."""

    day = models.DateField(_("日期"))
    is_working_day = models.BooleanField(
        _("是工作日"), help_text=_("勾选表示这天上班(如调休的周末);不勾选表示放假。")
    )
    reason = models.CharField(
        _("原因"), max_length=100, help_text=_("如“2027年春节”“春节调休上班”,会显示在截止日期的计算说明里。")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最后修改人"),
    )

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"],
                name="%(app_label)s_%(class)s_unique_day",
                violation_error_message=_("这一天已经有调整记录,请直接修改那条记录。"),
            ),
            models.CheckConstraint(
                condition=Q(day__gte=FIRST_DAY, day__lte=LAST_DAY),
                name="%(app_label)s_%(class)s_day_in_range",
                violation_error_message=_("日期须在1900年至2199年之间。"),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="%(app_label)s_%(class)s_reason_given",
                violation_error_message=_("请填写调整原因。"),
            ),
        ]

    def __str__(self) -> str:
        status = _("上班") if self.is_working_day else _("放假")
        return f"{zh_date(self.day)} {status}:{self.reason}"


class CalendarYear(TimeStampedModel):
    """A year chinesecalendar does not know whose overrides an admin has declared complete.

    Its existence is the declaration: deadlines in that year stop being provisional.
    """

    year = models.PositiveSmallIntegerField(_("年份"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    note = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("如国务院办公厅关于该年部分节假日安排的通知文号。")
    )

    class Meta:
        verbose_name = _("已确认年度")
        verbose_name_plural = _("已确认年度")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                name="%(app_label)s_%(class)s_unique_year",
                violation_error_message=_("这一年已经确认过了。"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_DAY.year, year__lte=LAST_DAY.year),
                name="%(app_label)s_%(class)s_year_in_range",
                violation_error_message=_("年份须在1900年至2199年之间。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年"
