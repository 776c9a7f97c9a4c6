"""定期考核: versioned scoring standards, the assessments scored with them, and who may score."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from inspection.choices import AssessmentStatus
from tenants.models import Community, TimeStampedModel

SCORE_NOTE_LIMIT = 300


class ScoringTemplate(TimeStampedModel):
    """A scoring standard (评分标准). Versioned: an assessment keeps the version it was scored with,
    and a version in use is never edited — a change is a new version."""

    street_office = models.ForeignKey(
        "tenants.StreetOffice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scoring_templates",
        verbose_name=_("街道"),
        help_text=_("空表示各街道共用的默认标准;街道修订后使用自己的版本"),
    )
    name = models.CharField(_("名称"), max_length=100)
    version = models.PositiveSmallIntegerField(_("版本"))
    revised_by = models.ForeignKey(
        "tenants.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修订人"),
    )

    class Meta:
        verbose_name = _("评分标准")
        verbose_name_plural = _("评分标准")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["street_office", "name", "version"],
                nulls_distinct=False,
                name="%(app_label)s_%(class)s_version",
            )
        ]

    def __str__(self) -> str:
        return gettext("%(name)s 第%(version)s版") % {"name": self.name, "version": self.version}


class ScoringItem(models.Model):
    template = models.ForeignKey(
        ScoringTemplate, on_delete=models.CASCADE, related_name="items", verbose_name=_("评分标准")
    )
    section = models.CharField(_("考核项目"), max_length=50)
    code = models.CharField(_("编号"), max_length=10)
    title = models.CharField(_("考核内容"), max_length=200)
    max_score = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    critical = models.BooleanField(_("否决项"), default=False, help_text=_("得零分则整次考核不合格"))
    guidance = models.TextField(_("评分说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评分细则")
        verbose_name_plural = _("评分细则")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="%(app_label)s_%(class)s_code"),
            models.CheckConstraint(
                condition=models.Q(max_score__gt=0), name="%(app_label)s_%(class)s_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Assessment(TimeStampedModel):
    """定期考核: the community's self-assessment and the inspection team's score, both kept."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("社区")
    )
    period = models.CharField(_("考核期"), max_length=20)
    template = models.ForeignKey(
        ScoringTemplate, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("评分标准版本")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.SELF_ASSESSING
    )
    inspector = models.ForeignKey(
        "tenants.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("考核组负责人")
    )
    self_report = models.FileField(_("自查报告"), upload_to="inspection/self-reports/%Y/", blank=True)
    self_total = models.DecimalField(_("自评总分"), max_digits=6, decimal_places=1, null=True, blank=True)
    inspector_total = models.DecimalField(
        _("考核总分"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    critical_failed = models.BooleanField(_("否决项不合格"), default=False)
    approved_by = models.ForeignKey(
        "tenants.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审定人"),
    )
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("定期考核")
        verbose_name_plural = _("定期考核")
        ordering = ["-created_at"]
        permissions = [("score_assessment", _("考核评分"))]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "period"], name="%(app_label)s_%(class)s_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.period}"


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("考核")
    )
    item = models.ForeignKey(
        ScoringItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("评分细则")
    )
    self_score = models.DecimalField(_("自评分"), max_digits=5, decimal_places=1, null=True, blank=True)
    inspector_score = models.DecimalField(_("考核分"), max_digits=5, decimal_places=1, null=True, blank=True)
    note = models.CharField(_("扣分说明"), max_length=SCORE_NOTE_LIMIT, blank=True)

    class Meta:
        verbose_name = _("考核得分")
        verbose_name_plural = _("考核得分")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="%(app_label)s_%(class)s_once")
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.self_score}/{self.inspector_score}"

    @property
    def difference(self) -> Decimal | None:
        if self.self_score is None or self.inspector_score is None:
            return None
        return self.self_score - self.inspector_score


class AssessmentUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Assessment, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("考核授权")
        verbose_name_plural = _("考核授权")


class AssessmentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Assessment, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("考核组授权")
        verbose_name_plural = _("考核组授权")
