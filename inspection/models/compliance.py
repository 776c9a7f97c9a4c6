"""A community's compliance figures per period, copied from its schema: what dashboards and the
district API read instead of entering every community's schema."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from disclosure.compliance import satisfaction_rate
from inspection.choices import PeriodKind
from tenants.models import Community, StreetOffice, TimeStampedModel


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


class HeatmapRow(models.Model):
    """One community's line of the street office's dashboard for one year, precomputed from its
    summaries in the transaction that changes them (``inspection.services.heatmap``): the twelve month
    cells, the year's figures the ranking reads, and its place in the street office's ranking. The
    dashboard reads a page of these and the ranking's two ends, never every summary row."""

    street_office = models.ForeignKey(
        StreetOffice, on_delete=models.CASCADE, related_name="+", verbose_name=_("街道")
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="heatmap_rows", verbose_name=_("社区")
    )
    code = models.CharField(_("社区代码"), max_length=63, help_text=_("社区的 schema 名,排序和翻页用"))
    year = models.PositiveIntegerField(_("年度"))
    months = models.JSONField(
        _("月度格"), default=list, help_text=_("12 个月:[按时公开率或 null, 逾期未公开] 或 null(该月无汇总)")
    )
    on_time_rate = models.DecimalField(
        _("全年按时公开率(%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    overdue = models.PositiveIntegerField(_("全年逾期未公开"), default=0)
    fixed_lapsed = models.PositiveIntegerField(_("固定公开内容到期未更新"), default=0)
    rank = models.PositiveIntegerField(_("街道内名次"), null=True, blank=True, help_text=_("并列同名次"))
    position = models.PositiveIntegerField(
        _("排名顺序"), null=True, blank=True, help_text=_("名次表中的第几行,不参加排名的为空")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("看板行")
        verbose_name_plural = _("看板行")
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="%(app_label)s_%(class)s_one_per_year")
        ]
        indexes = [
            models.Index(fields=["street_office", "year", "position"], name="heatmap_ranking_idx"),
            models.Index(fields=["year", "street_office", "code"], name="heatmap_page_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.year}"


class StreetOfficeYear(models.Model):
    """A street office's totals for one year over its heat-map rows, kept with them: what the
    dashboard's headline and average trend line show without adding up every community."""

    street_office = models.ForeignKey(
        StreetOffice, on_delete=models.CASCADE, related_name="+", verbose_name=_("街道")
    )
    year = models.PositiveIntegerField(_("年度"))
    overdue = models.PositiveIntegerField(_("逾期未公开合计"), default=0)
    fixed_lapsed = models.PositiveIntegerField(_("固定公开内容到期未更新合计"), default=0)
    ranked = models.PositiveIntegerField(_("参加排名的社区"), default=0)
    month_rate_sums = models.JSONField(_("各月按时公开率之和"), default=list)
    month_rate_counts = models.JSONField(_("各月有按时公开率的社区数"), default=list)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("街道年度看板汇总")
        verbose_name_plural = _("街道年度看板汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["street_office", "year"], name="%(app_label)s_%(class)s_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.street_office_id} {self.year}"
