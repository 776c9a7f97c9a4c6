"""群众评议: the survey, its one-time voting codes and the anonymous votes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from inspection.choices import Satisfaction, SurveyStatus
from tenants.models import Community, TimeStampedModel

VOTE_COMMENT_LIMIT = 500


class Survey(TimeStampedModel):
    """群众评议: party members and resident representatives rate the disclosure work with one-time codes."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("社区")
    )
    period = models.CharField(_("所属期"), max_length=20)
    title = models.CharField(_("标题"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.OPEN
    )
    created_by = models.ForeignKey(
        "tenants.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("发起人")
    )
    votes_cast = models.PositiveIntegerField(_("有效票"), default=0)
    satisfied = models.PositiveIntegerField(_("满意"), default=0)
    basic = models.PositiveIntegerField(_("基本满意"), default=0)
    unsatisfied = models.PositiveIntegerField(_("不满意"), default=0)
    satisfaction_rate = models.DecimalField(
        _("满意率(%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("群众评议")
        verbose_name_plural = _("群众评议")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "period"], name="%(app_label)s_%(class)s_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return self.title


class VotingCode(models.Model):
    """A printable one-time slip: one code, one vote, no names."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes", verbose_name=_("评议"))
    code = models.CharField(_("投票码"), max_length=12, unique=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("投票码")
        verbose_name_plural = _("投票码")

    def __str__(self) -> str:
        return self.code


class Vote(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="votes", verbose_name=_("评议"))
    code = models.OneToOneField(
        VotingCode, on_delete=models.PROTECT, related_name="vote", verbose_name=_("投票码")
    )
    answer = models.CharField(_("评价"), max_length=12, choices=Satisfaction.choices)
    comment = models.CharField(_("意见建议"), max_length=VOTE_COMMENT_LIMIT, blank=True)
    cast_at = models.DateTimeField(_("投票时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.answer}"
