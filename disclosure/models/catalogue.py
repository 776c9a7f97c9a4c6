"""Tenant schema: the community's local catalogue items and its obligations."""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosure.choices import Audience, Cadence, Category, ContentType, ObligationStatus
from disclosure.rules import OPEN_OBLIGATION_STATUSES
from standards.models import CatalogueFields
from tenants.models import TimeStampedModel
from workdays.dates import zh_date
from workdays.periods import period_zh

# A per-event obligation's period is its day and its number on that day: 20261123-1, 20261123-2 …
_EVENT_PERIOD = re.compile(r"(\d{8})-(\d+)")


def event_period_label(day: date, number: int) -> str:
    """The stored period of the ``number``-th event recorded for one item on ``day``."""
    return f"{event_period_prefix(day)}{number}"


def event_period_prefix(day: date) -> str:
    return f"{day:%Y%m%d}-"


class LocalCatalogueItem(CatalogueFields, TimeStampedModel):
    """An item the community adds to the standard catalogue (004 ⑶: local detail, not a copy)."""

    class Meta:
        verbose_name = _("本社区公开目录事项")
        verbose_name_plural = _("本社区公开目录")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="%(app_label)s_%(class)s_one_version_per_day"
            )
        ]


class Obligation(TimeStampedModel):
    """One thing the community must publish by a date: an item of the catalogue for one period, or
    for one recorded event. The item's terms are copied in, so a later catalogue revision changes
    future periods only."""

    class Source(models.TextChoices):
        STANDARD = "standard", _("标准目录")
        LOCAL = "local", _("本社区目录")
        ORDER = "order", _("监督小组责令重新公布")

    source = models.CharField(_("目录来源"), max_length=10, choices=Source.choices)
    item_id = models.PositiveIntegerField(_("目录事项 ID"), null=True, blank=True)
    code = models.CharField(_("编号"), max_length=30)
    title = models.CharField(_("公开事项"), max_length=200)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    cadence = models.CharField(_("公开时限"), max_length=20, choices=Cadence.choices)
    audience = models.CharField(_("公开对象"), max_length=20, choices=Audience.choices)
    content_type = models.CharField(_("内容格式"), max_length=20, choices=ContentType.choices)
    min_display_days = models.PositiveSmallIntegerField(_("最少公示天数"))
    period = models.CharField(
        _("所属期"), max_length=40, help_text=_("如 2026-10、2026Q3、2026H1、2026、事件编号")
    )
    period_start = models.DateField(_("所属期开始"))
    period_end = models.DateField(_("所属期结束"))
    event_description = models.CharField(_("事件"), max_length=200, blank=True)
    base_due_date = models.DateField(
        _("规定日期"), help_text=_("按规则算出的日期(如次月10日、事件日期),遇节假日顺延前")
    )
    event_working_days = models.PositiveSmallIntegerField(_("事后公开期限(工作日)"), default=0)
    due_date = models.DateField(_("公开截止日期"))
    due_provisional = models.BooleanField(
        _("截止日期暂定"), default=False, help_text=_("该年度的法定节假日安排尚未录入,按周一至周五推算")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ObligationStatus.choices, default=ObligationStatus.UPCOMING
    )
    fulfilled_by = models.ForeignKey(
        "disclosure.Disclosure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("公开内容"),
    )
    fulfilled_on = models.DateField(_("公开日期"), null=True, blank=True)
    waived_reason = models.CharField(_("免除理由"), max_length=300, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("批准人"),
    )
    waived_at = models.DateTimeField(_("免除时间"), null=True, blank=True)
    renews = models.ForeignKey(
        "disclosure.Disclosure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("续期的公开内容"),
        help_text=_("固定公开(长期)事项:公示期将满、须复核续期的那一版"),
    )

    class Meta:
        verbose_name = _("公开任务")
        verbose_name_plural = _("公开任务")
        ordering = ["due_date", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "code", "period"], name="%(app_label)s_%(class)s_one_per_period"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="waived")
                | (~models.Q(waived_reason="") & models.Q(waived_by__isnull=False)),
                name="%(app_label)s_%(class)s_waiver_has_reason_and_approver",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="obligation_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.title}({self.period_zh})"

    @property
    def period_zh(self) -> str:
        """The period as people read it: 2026年第三季度, 2026年10月, 长期; an event's day, with its number
        when the item had more than one event that day (2026年11月23日第2件). The stored label is a key
        for queries and the ledger, never shown."""
        event = _EVENT_PERIOD.fullmatch(self.period)
        if event is None:
            return period_zh(self.period)
        day, number = zh_date(self.period_start), int(event[2])
        return day if number == 1 else f"{day}第{number}件"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_OBLIGATION_STATUSES

    @property
    def is_renewal(self) -> bool:
        """The next display period of a fixed (长期) item whose publication is running out."""
        return self.renews_id is not None

    @property
    def is_late(self) -> bool:
        """Published after its deadline, or still open with the deadline passed (today, even before the
        daily job has marked it overdue)."""
        if self.status == ObligationStatus.LATE:
            return True
        return self.is_open and self.due_date < timezone.localdate()


class Reminder(TimeStampedModel):
    """A reminder that was sent, so that a task run twice sends it once."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("到期前提醒")
        OVERDUE = "overdue", _("逾期提醒")
        RENEWAL_NOTICE = "renewal_notice", _("固定公开内容续期提前提醒")

    obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("公开任务")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "kind"], name="%(app_label)s_%(class)s_once_per_kind"
            )
        ]
