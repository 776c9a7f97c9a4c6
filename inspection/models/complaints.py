"""居民向街道投诉 (000 第十五条 街道"接受和调查处理…投诉"; 桂花方案 八(三)): what a resident brings to the
street office about a community, the inspector's investigation, the finding, and the answer the
resident reads with the one-time query code (``tenants.residents``).

The resident's name and mobile stay on this row, which only the street office's staff read; an order
opened from an upheld complaint carries what is wrong and never who said it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inspection.choices import ComplaintDueBasis, ComplaintFinding, ComplaintStatus
from inspection.models.rectifications import Rectification
from tenants.models import Community
from tenants.residents import ResidentMatter

ANSWER_LIMIT = 5000
NOTE_LIMIT = 5000


class Complaint(ResidentMatter):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("被投诉的社区")
    )
    # The item as the public index named it when the resident chose it: the index row may be rewritten
    # (a correction) or reconciled away, the complaint keeps what it was about.
    disclosure_id = models.PositiveIntegerField(_("公开内容编号(社区内)"), null=True, blank=True)
    item_title = models.CharField(_("针对的公开内容"), max_length=200, blank=True)
    text = models.TextField(_("投诉内容"))
    status = models.CharField(
        _("办理状态"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    received_on = models.DateField(_("受理日期"))
    due_date = models.DateField(_("答复期限"))
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    due_basis = models.CharField(_("期限依据"), max_length=20, choices=ComplaintDueBasis.choices)

    finding = models.CharField(_("调查结论"), max_length=20, choices=ComplaintFinding.choices, blank=True)
    answer = models.TextField(_("答复居民"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("答复人"),
    )
    rectification = models.OneToOneField(
        Rectification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaint",
        verbose_name=_("下达的整改通知"),
    )

    class Meta:
        verbose_name = _("居民向街道投诉")
        verbose_name_plural = _("居民向街道投诉")
        ordering = ["due_date", "pk"]
        constraints = [
            *ResidentMatter.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(status=ComplaintStatus.CONCLUDED)
                | (~Q(finding="") & ~Q(answer="") & Q(answered_at__isnull=False)),
                name="%(app_label)s_%(class)s_concluded_has_finding_and_answer",
            ),
            models.CheckConstraint(
                condition=Q(rectification__isnull=True) | Q(finding=ComplaintFinding.UPHELD),
                name="%(app_label)s_%(class)s_order_only_when_upheld",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.code_display}"


class ComplaintNote(models.Model):
    """调查记录: what the inspector found out, in order; the resident never sees these."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="notes", verbose_name=_("投诉")
    )
    text = models.TextField(_("调查情况"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("投诉调查记录")
        verbose_name_plural = _("投诉调查记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.at:%Y-%m-%d}"
