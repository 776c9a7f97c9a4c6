"""工作简报 of the street office (004 ⑷: 办事处创办了社区工作简报,按季公开办事处机关及各社区工作动态): a
quarter's briefing across its communities, compiled from the public summaries, edited by its staff,
approved by its leader and then published on the base domain and to every community's staff."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from inspection.choices import BriefingStatus
from tenants.models import StreetOffice, TimeStampedModel


class StreetOfficeBriefing(TimeStampedModel):
    street_office = models.ForeignKey(
        StreetOffice, on_delete=models.PROTECT, related_name="briefings", verbose_name=_("街道")
    )
    period = models.CharField(_("季度"), max_length=10, help_text=_("如 2026Q3"))
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("概述"), blank=True)
    data = models.JSONField(_("各部分"), default=dict)
    content_hash = models.CharField(_("内容哈希"), max_length=64)
    generated_hash = models.CharField(_("生成时的内容哈希"), max_length=64)
    generated_at = models.DateTimeField(_("生成时间"))
    status = models.CharField(
        _("状态"), max_length=20, choices=BriefingStatus.choices, default=BriefingStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        "tenants.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("起草人")
    )
    submitted_at = models.DateTimeField(_("提交审定时间"), null=True, blank=True)
    review_comments = models.TextField(_("退回意见"), blank=True)
    approved_by = models.ForeignKey(
        "tenants.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审定人"),
    )
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("街道工作简报")
        verbose_name_plural = _("街道工作简报")
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["street_office", "period"], name="%(app_label)s_%(class)s_one_per_quarter"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published")
                | (models.Q(published_at__isnull=False) & models.Q(approved_by__isnull=False)),
                name="%(app_label)s_%(class)s_published_is_approved",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def edited(self) -> bool:
        return self.content_hash != self.generated_hash

    @property
    def editable(self) -> bool:
        return self.status in (BriefingStatus.DRAFT, BriefingStatus.RETURNED)
