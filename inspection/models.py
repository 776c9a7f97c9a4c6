"""Public schema: what the street office knows about every community without entering its schema."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from inspection.choices import (
    AssessmentStatus,
    PeriodKind,
    RectificationSource,
    RectificationStatus,
    Satisfaction,
    SpotCheckStatus,
    SurveyStatus,
)
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
    waived = models.PositiveIntegerField(_("免除"), default=0)
    not_yet_due = models.PositiveIntegerField(_("未到期"), default=0)
    corrections = models.PositiveIntegerField(_("更正"), default=0)
    republications_ordered = models.PositiveIntegerField(_("责令重新公布"), default=0)
    display_windows_ended = models.PositiveIntegerField(_("公示期届满"), default=0)
    display_windows_cut_short = models.PositiveIntegerField(_("未满公示期撤下"), default=0)
    feedback_received = models.PositiveIntegerField(_("收到居民反映"), default=0)
    feedback_answered_on_time = models.PositiveIntegerField(_("按期答复"), default=0)
    feedback_overdue = models.PositiveIntegerField(_("逾期未答复"), default=0)
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


class SpotCheckDraw(TimeStampedModel):
    """A random sample of communities for unannounced checks (000 第十八条(一)). The seed and the
    population are recorded, so anyone can re-run the draw and get the same sample."""

    street_office = models.ForeignKey(
        "tenants.StreetOffice", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    period = models.CharField(_("所属期"), max_length=20)
    seed = models.CharField(_("随机种子"), max_length=64)
    sample_size = models.PositiveSmallIntegerField(_("抽取数量"))
    population = models.JSONField(_("参与抽取的社区代码"))
    drawn = models.JSONField(_("抽中的社区代码"))
    drawn_by = models.ForeignKey(
        "tenants.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("抽取人")
    )

    class Meta:
        verbose_name = _("暗访抽取")
        verbose_name_plural = _("暗访抽取")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.street_office} {self.period}"


class SpotCheck(TimeStampedModel):
    """One unannounced visit. The visited community sees it only once it is completed."""

    draw = models.ForeignKey(
        SpotCheckDraw, on_delete=models.PROTECT, related_name="checks", verbose_name=_("抽取")
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="spot_checks", verbose_name=_("社区")
    )
    inspector = models.ForeignKey(
        "tenants.User",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("检查员"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=SpotCheckStatus.choices, default=SpotCheckStatus.PLANNED
    )
    visited_at = models.DateTimeField(_("暗访时间"), null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    board_current = models.BooleanField(_("公开栏内容是当期的"), null=True)
    display_window_kept = models.BooleanField(_("公示期内内容仍在栏上"), null=True)
    opinion_box = models.BooleanField(_("设有意见箱且可用"), null=True)
    findings = models.TextField(_("发现的问题"), blank=True)
    score = models.DecimalField(_("暗访得分"), max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("暗访")
        verbose_name_plural = _("暗访")
        ordering = ["-created_at"]
        permissions = [("record_spotcheck", _("记录暗访结果"))]
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "community"], name="%(app_label)s_%(class)s_once_per_draw"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True)
                | models.Q(score__gte=Decimal("0"), score__lte=Decimal("100")),
                name="%(app_label)s_%(class)s_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.draw.period}"


class SpotCheckPhoto(TimeStampedModel):
    spot_check = models.ForeignKey(
        SpotCheck, on_delete=models.CASCADE, related_name="photos", verbose_name=_("暗访")
    )
    image = models.FileField(_("照片"), upload_to="inspection/spot-checks/%Y/%m/")
    taken_at = models.DateTimeField(_("拍摄时间"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("暗访照片")
        verbose_name_plural = _("暗访照片")


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
    comment = models.CharField(_("意见建议"), max_length=500, blank=True)
    cast_at = models.DateTimeField(_("投票时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.answer}"


class Rectification(TimeStampedModel):
    """整改: issues, a deadline in working days, the responsible roles; the community answers with
    evidence; the inspector verifies and closes or reopens; past its deadline it goes to the leader."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="rectifications", verbose_name=_("社区")
    )
    source = models.CharField(_("来源"), max_length=20, choices=RectificationSource.choices)
    survey = models.OneToOneField(
        Survey,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification",
        verbose_name=_("评议"),
    )
    spot_check = models.ForeignKey(
        SpotCheck,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("暗访"),
    )
    issues = models.TextField(_("问题"))
    responsible_roles = models.JSONField(_("责任人角色"), default=list)
    due_date = models.DateField(_("整改期限"))
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    answer = models.TextField(_("整改情况"), blank=True)
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "tenants.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核查人"),
    )
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        "tenants.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("下达人"),
    )

    class Meta:
        verbose_name = _("整改通知")
        verbose_name_plural = _("整改通知")
        ordering = ["due_date"]

    def __str__(self) -> str:
        return f"{self.community} {self.get_source_display()}"


class Admonishment(TimeStampedModel):
    """诫勉谈话 (000 第十九条): recorded for the people responsible when satisfaction is below 90 %."""

    rectification = models.ForeignKey(
        Rectification, on_delete=models.PROTECT, related_name="admonishments", verbose_name=_("整改通知")
    )
    person_name = models.CharField(_("谈话对象"), max_length=50)
    role = models.CharField(_("职务"), max_length=20)
    held_on = models.DateField(_("谈话日期"), null=True, blank=True)
    notes = models.TextField(_("谈话记录"), blank=True)

    class Meta:
        verbose_name = _("诫勉谈话")
        verbose_name_plural = _("诫勉谈话")

    def __str__(self) -> str:
        return f"{self.person_name}({self.role})"


class RectificationEvent(models.Model):
    """History of an order: who did what, from which state to which, why."""

    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="events", verbose_name=_("整改通知")
    )
    actor = models.ForeignKey(
        "tenants.User", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("操作人")
    )
    from_state = models.CharField(_("原状态"), max_length=20, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20)
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state}→{self.to_state}"


class SpotCheckUserObjectPermission(UserObjectPermissionBase):
    """django-guardian grants on one spot check (public schema, direct foreign key): the assigned
    inspector records it, other inspectors of the street office only read it."""

    content_object = models.ForeignKey(SpotCheck, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("暗访授权")
        verbose_name_plural = _("暗访授权")


class SpotCheckGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(SpotCheck, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("暗访组授权")
        verbose_name_plural = _("暗访组授权")


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
        return f"{self.name} 第{self.version}版"


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
    note = models.CharField(_("扣分说明"), max_length=300, blank=True)

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


class Evaluation(TimeStampedModel):
    """A community's composite result for a year (weights configurable per street office), its rank,
    and — once the leader approves — published to its own residents (000 第十九条)."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("社区")
    )
    period = models.CharField(_("年度"), max_length=10)
    assessment_score = models.DecimalField(_("定期考核(百分制)"), max_digits=5, decimal_places=1, null=True)
    spot_check_score = models.DecimalField(_("暗访(百分制)"), max_digits=5, decimal_places=1, null=True)
    satisfaction_score = models.DecimalField(_("群众满意率"), max_digits=5, decimal_places=2, null=True)
    compliance_score = models.DecimalField(_("按时公开率"), max_digits=5, decimal_places=1, null=True)
    composite = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=1)
    rank = models.PositiveSmallIntegerField(_("排名"))
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
        verbose_name = _("综合评价")
        verbose_name_plural = _("综合评价")
        ordering = ["period", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "period"], name="%(app_label)s_%(class)s_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.period} 第{self.rank}名"


class EvaluationWeights(TimeStampedModel):
    """How a street office weighs the four sources in the composite (must add up to 100)."""

    street_office = models.OneToOneField(
        "tenants.StreetOffice", on_delete=models.CASCADE, related_name="+", verbose_name=_("街道")
    )
    assessment = models.PositiveSmallIntegerField(_("定期考核权重"), default=40)
    spot_check = models.PositiveSmallIntegerField(_("暗访权重"), default=20)
    satisfaction = models.PositiveSmallIntegerField(_("群众评议权重"), default=20)
    compliance = models.PositiveSmallIntegerField(_("按时公开权重"), default=20)

    class Meta:
        verbose_name = _("综合评价权重")
        verbose_name_plural = _("综合评价权重")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    assessment__lte=100, spot_check__lte=100, satisfaction__lte=100, compliance__lte=100
                ),
                name="%(app_label)s_%(class)s_percentages",
            )
        ]

    def __str__(self) -> str:
        parts = (self.assessment, self.spot_check, self.satisfaction, self.compliance)
        return f"{self.street_office_id}: " + "/".join(str(p) for p in parts)
