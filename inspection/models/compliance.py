"""A community's compliance figures per period, copied from its schema: what dashboards and the
district API read instead of entering every community's schema."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from disclosure.compliance import satisfaction_rate
from inspection.choices import PeriodKind
from tenants.models import Community, TimeStampedModel


class ComplianceSummary(TimeStampedModel):
    """A community's automatic compliance figures for one period, copied from its schema after each
    relevant commit and reconciled nightly. Dashboards and the district API read only this table."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="compliance", verbose_name=_("社区")
    )
    period_kind = models.CharField(_("周期"), max_length=10, choices=PeriodKind.choices)
    period = models.CharField(_("所属期"), max_length=10, help_text=_("2026-10、2026Q3 或 2026"))
    start = models.DateField(_("开始"))
    end = models.DateField(_("结束"))
    due = models.PositiveIntegerField(_("已到期任务"), default=0)
    on_time = models.PositiveIntegerField(_("按时公开"), default=0)
    late = models.PositiveIntegerField(_("逾期公开"), default=0)
    overdue = models.PositiveIntegerField(_("逾期未公开"), default=0)
    fixed_lapsed = models.PositiveIntegerField(
        _("固定公开内容到期未更新"),
        default=0,
        help_text=_("逾期未公开中,公示期满而没有复核续期的长期公开事项"),
    )
    waived = models.PositiveIntegerField(_("免除"), default=0)
    not_yet_due = models.PositiveIntegerField(_("未到期"), default=0)
    corrections = models.PositiveIntegerField(_("更正"), default=0)
    republications_ordered = models.PositiveIntegerField(_("责令重新公布"), default=0)
    display_windows_ended = models.PositiveIntegerField(_("公示期届满"), default=0)
    display_windows_cut_short = models.PositiveIntegerField(_("未满公示期撤下"), default=0)
    feedback_received = models.PositiveIntegerField(_("收到居民反映"), default=0)
    feedback_answered_on_time = models.PositiveIntegerField(_("按期答复"), default=0)
    feedback_overdue = models.PositiveIntegerField(_("逾期未答复"), default=0)
    feedback_satisfied = models.PositiveIntegerField(_("居民评价满意"), default=0)
    feedback_fairly_satisfied = models.PositiveIntegerField(_("居民评价基本满意"), default=0)
    feedback_dissatisfied = models.PositiveIntegerField(_("居民评价不满意"), default=0)
    on_time_rate = models.DecimalField(
        _("按时公开率(%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    computed_on = models.DateField(_("计算日期"))

    class Meta:
        verbose_name = _("公开合规汇总")
        verbose_name_plural = _("公开合规汇总")
        ordering = ["community", "period_kind", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "period_kind", "period"], name="%(app_label)s_%(class)s_one_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(on_time_rate__isnull=True)
                | models.Q(on_time_rate__gte=Decimal("0"), on_time_rate__lte=Decimal("100")),
                name="%(app_label)s_%(class)s_rate_is_a_percentage",
            ),
        ]
        indexes = [models.Index(fields=["period_kind", "period"], name="compliance_period_idx")]

    def __str__(self) -> str:
        return f"{self.community} {self.period}"

    @property
    def feedback_rated(self) -> int:
        return self.feedback_satisfied + self.feedback_fairly_satisfied + self.feedback_dissatisfied

    @property
    def feedback_satisfaction_rate(self) -> Decimal | None:
        """好差评: 满意 and 基本满意 among the rated answers, per cent."""
        return satisfaction_rate(
            self.feedback_satisfied, self.feedback_fairly_satisfied, self.feedback_dissatisfied
        )
