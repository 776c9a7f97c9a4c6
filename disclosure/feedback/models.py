"""Tenant schema: what residents bring to their community and how it was handled.

A resident has no account: the tracking code is the key to their status page. The name and mobile of
a signed resident are stored for the answer's SMS and the 15-day rule, and never shown in full on a
public page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from disclosure.feedback.choices import (
    DueBasis,
    EscalationReason,
    Finding,
    Kind,
    Rating,
    ReminderKind,
    Status,
)
from tenants.models import TimeStampedModel
from tenants.residents import ResidentMatter

ANSWER_LIMIT = 5000


class Feedback(ResidentMatter):
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    disclosure = models.ForeignKey(
        "disclosure.Disclosure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("针对的公开内容"),
    )
    text = models.TextField(_("反映内容"))
    status = models.CharField(_("办理状态"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    received_on = models.DateField(_("受理日期"))
    due_date = models.DateField(_("答复期限"))
    due_provisional = models.BooleanField(
        _("期限暂定"), default=False, help_text=_("该年度的法定节假日安排尚未录入,按周一至周五推算")
    )
    due_basis = models.CharField(_("期限依据"), max_length=20, choices=DueBasis.choices)

    answer = models.TextField(_("答复内容"), blank=True)
    answer_public = models.BooleanField(_("公开答复"), default=False)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("答复人"),
    )
    answered_by_name = models.CharField(_("答复人姓名"), max_length=50, blank=True)
    resident_sms_at = models.DateTimeField(_("短信告知时间"), null=True, blank=True)

    rating = models.PositiveSmallIntegerField(_("居民评价"), choices=Rating.choices, null=True, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    escalated_at = models.DateTimeField(_("转监督小组时间"), null=True, blank=True)
    escalation_reason = models.CharField(
        _("转监督小组原因"), max_length=20, choices=EscalationReason.choices, blank=True
    )
    finding = models.CharField(_("调查结论"), max_length=20, choices=Finding.choices, blank=True)
    finding_text = models.TextField(_("调查情况"), blank=True)
    finding_at = models.DateTimeField(_("调查结论时间"), null=True, blank=True)
    finding_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("调查人"),
    )
    finding_by_name = models.CharField(_("调查人姓名"), max_length=50, blank=True)
    republication = models.ForeignKey(
        "disclosure.Disclosure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责令重新公布的更正版本"),
    )

    class Meta:
        verbose_name = _("居民反映")
        verbose_name_plural = _("居民反映")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "due_date"], name="feedback_open_due_idx")]
        constraints = [
            *ResidentMatter.Meta.constraints,
            models.CheckConstraint(
                condition=Q(status=Status.RECEIVED) | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="%(app_label)s_%(class)s_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=Q(finding="") | Q(escalated_at__isnull=False),
                name="%(app_label)s_%(class)s_finding_after_escalation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"


class FeedbackReminder(TimeStampedModel):
    """A reminder that was sent, so that a task run twice sends it once."""

    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("居民反映")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=ReminderKind.choices)

    class Meta:
        verbose_name = _("答复提醒记录")
        verbose_name_plural = _("答复提醒记录")
        constraints = [
            models.UniqueConstraint(fields=["feedback", "kind"], name="%(app_label)s_%(class)s_once_per_kind")
        ]


class Opinion(ResidentMatter):
    """A resident's opinion on a consultation (征求意见, 新视界方案 四(一)), sent while its period is open,
    anonymous or signed, with a query code like any resident's matter. The supervision group decides
    whether it is shown on the consultation's page; until then it is not. A signed resident's name and
    mobile are never shown publicly."""

    consultation = models.ForeignKey(
        "disclosure.Disclosure",
        on_delete=models.PROTECT,
        related_name="resident_opinions",
        verbose_name=_("征求意见"),
    )
    text = models.TextField(_("意见"))
    received_on = models.DateField(_("收到日期"))
    shown = models.BooleanField(_("公开展示"), default=False)
    moderated_at = models.DateTimeField(_("审看时间"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("审看人"),
    )
    moderated_by_name = models.CharField(_("审看人姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("居民意见")
        verbose_name_plural = _("居民意见")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["consultation", "shown"], name="opinion_consultation_idx")]
        constraints = [
            *ResidentMatter.Meta.constraints,
            models.CheckConstraint(
                condition=Q(shown=False) | Q(moderated_at__isnull=False),
                name="%(app_label)s_%(class)s_shown_after_moderation",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('居民意见')} {self.code}"
