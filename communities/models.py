"""Tenant-schema models: the community's profile (概况), its bodies and officers (the data behind
the 干部监督台 cadre board, 004), and in-app notifications for its staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.choices import CommitteeKind
from tenants.models import TimeStampedModel


class CommunityProfile(TimeStampedModel):
    """The community's overview. Exactly one row per schema."""

    name = models.CharField(_("社区名称"), max_length=100)
    overview = models.TextField(_("社区概况"), blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    area_km2 = models.DecimalField(_("面积(平方公里)"), max_digits=8, decimal_places=2, null=True, blank=True)
    population = models.PositiveIntegerField(_("人口"), null=True, blank=True)
    households = models.PositiveIntegerField(_("户数"), null=True, blank=True)
    office_hours = models.CharField(_("服务时间"), max_length=200, blank=True)
    phone = models.CharField(_("办公电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("社区概况")
        verbose_name_plural = _("社区概况")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="%(app_label)s_%(class)s_singleton")
        ]

    def __str__(self) -> str:
        return self.name


class Committee(TimeStampedModel):
    """One of the community's bodies: party organisation, residents' committee, supervision or
    finance group, with its duties."""

    kind = models.CharField(_("类别"), max_length=20, choices=CommitteeKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    duties = models.TextField(_("工作职责"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("组织机构")
        verbose_name_plural = _("组织机构")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["kind"], name="%(app_label)s_%(class)s_one_per_kind")]

    def __str__(self) -> str:
        return self.name


class Officer(TimeStampedModel):
    """A member of a body as the cadre board shows them: name, post, duties, lanes covered, phone."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="officers", verbose_name=_("所属组织")
    )
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=50)
    duties = models.CharField(_("分管工作"), max_length=200, blank=True)
    area_covered = models.CharField(_("所包巷道/楼栋"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("系统账号"),
        db_constraint=False,
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("干部")
        verbose_name_plural = _("干部")
        ordering = ["committee__sort_order", "sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.name}({self.post})"


class Notification(TimeStampedModel):
    """A message to one staff member of this community; delivered in the app, by e-mail and SMS.

    ``topic`` names the step the message asks for (``disclosure:42:review``, ``obligation:7``, …; the
    engine spells them in ``disclosure.topics``). Whoever does that step resolves every recipient's
    notification of it at once (``communities.services.notifications_resolve``), so nobody is asked
    to do what is already done. A message with no topic asks for nothing: it only informs.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("接收人"),
        db_constraint=False,
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    topic = models.CharField(_("事项"), max_length=100, blank=True, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("短信发送时间"), null=True, blank=True)
    send_email = models.BooleanField(_("发送邮件"), default=True)
    send_sms = models.BooleanField(_("发送短信"), default=False)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "resolved_at"], name="notification_active_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class StreetOfficeResult(TimeStampedModel):
    """What the street office publishes back to this community's party members and residents: its
    approved evaluation (000 第十九条: 考核情况分别向社区党员、社区居民公开). Written by the street-office
    layer; read by the portal."""

    period = models.CharField(_("年度"), max_length=10, unique=True)
    composite = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=1)
    rank = models.PositiveSmallIntegerField(_("排名"))
    tied = models.BooleanField(_("并列"), default=False, help_text=_("另有社区得分相同,名次相同"))
    out_of = models.PositiveSmallIntegerField(_("参评社区数"))
    summary = models.TextField(_("说明"), blank=True)
    published_at = models.DateTimeField(_("公布时间"))
    sources = models.JSONField(_("各项得分"), default=list, blank=True, help_text=_("[[来源, 得分], …]"))
    vetoes = models.JSONField(_("一票否决事项"), default=list, blank=True)
    approved_by_name = models.CharField(_("审定人"), max_length=50, blank=True)
    street_office_name = models.CharField(_("街道"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("街道考核结果")
        verbose_name_plural = _("街道考核结果")
        ordering = ["-period"]

    def __str__(self) -> str:
        return f"{self.period} {'并列' if self.tied else ''}第{self.rank}名"
