"""整改 and 诫勉谈话 (000 第十九条): orders to a community, their history, and the talks that follow
a failed survey."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from inspection.choices import RectificationSource, RectificationStatus
from inspection.models.spot_checks import SpotCheck
from inspection.models.surveys import Survey
from tenants.choices import CommunityRole
from tenants.models import Community, TimeStampedModel, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _person(label: StrOrPromise) -> models.ForeignKey[User | None]:
    """Who took a step of the ladder (none until it is taken)."""
    return models.ForeignKey(
        "tenants.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=label
    )


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
    failure_key = models.CharField(
        _("问题标识"),
        max_length=120,
        null=True,
        blank=True,
        unique=True,
        help_text=_("同一个问题只开一份整改通知:如 obligation_overdue:社区:任务编号"),
    )
    evidence = models.JSONField(
        _("依据"),
        default=list,
        blank=True,
        help_text=_("[{label, url, street_url}]:公开任务、公开内容、居民反映、考核细则"),
    )
    rules = models.ForeignKey(
        "inspection.AccountabilityRules",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("责任追究规则版本"),
    )
    cured_at = models.DateTimeField(
        _("问题已纠正"),
        null=True,
        blank=True,
        help_text=_("问题本身已经纠正(如已公开、已答复),整改通知照常办理"),
    )
    # the ladder (000 第十九条 责令整改 → 诫勉谈话 → 纪律处分), each step with who and when
    reopen_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    # the community's re-published items, as they were named when chosen: [{"id": …, "title": …}]
    evidence_links = models.JSONField(_("重新公开的内容"), default=list, blank=True)
    escalated_to = _person(_("上报给(包社区领导)"))
    criticism = models.TextField(_("通报批评"), blank=True)
    criticized_at = models.DateTimeField(_("通报时间"), null=True, blank=True)
    criticized_by = _person(_("通报人"))
    criticism_public = models.BooleanField(_("通报在门户网站公布"), default=False)
    referred_to = models.CharField(_("移送纪律处分给"), max_length=100, blank=True)
    referred_on = models.DateField(_("移送日期"), null=True, blank=True)
    referral_note = models.TextField(_("移送说明"), blank=True)
    referred_by = _person(_("移送人"))

    class Meta:
        verbose_name = _("整改通知")
        verbose_name_plural = _("整改通知")
        ordering = ["due_date"]

    def __str__(self) -> str:
        return f"{self.community} {self.get_source_display()}"

    @property
    def responsible_roles_display(self) -> list[str]:
        """The answerable roles as people read them (党组织书记、居委会主任)."""
        labels = dict(CommunityRole.choices)
        return [str(labels.get(role, role)) for role in self.responsible_roles]


class RectificationFile(models.Model):
    """A photo or PDF the community sends with its answer (checked by ``tenants.uploads``)."""

    rectification = models.ForeignKey(
        Rectification, on_delete=models.PROTECT, related_name="files", verbose_name=_("整改通知")
    )
    file = models.FileField(_("文件"), upload_to="inspection/rectifications/%Y/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    mime_type = models.CharField(_("类型"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        "tenants.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改佐证材料")
        verbose_name_plural = _("整改佐证材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Admonishment(TimeStampedModel):
    """诫勉谈话 (000 第十九条): recorded for the people responsible when satisfaction is below
    ``inspection.rules.SATISFACTION_THRESHOLD``, and by the leader or admin when an order is escalated:
    date, place, who spoke, who attended, notes and the signed minutes as a scan."""

    rectification = models.ForeignKey(
        Rectification, on_delete=models.PROTECT, related_name="admonishments", verbose_name=_("整改通知")
    )
    person_name = models.CharField(_("谈话对象"), max_length=50)
    role = models.CharField(_("职务"), max_length=20)
    held_on = models.DateField(_("谈话日期"), null=True, blank=True)
    notes = models.TextField(_("谈话记录"), blank=True)
    place = models.CharField(_("谈话地点"), max_length=100, blank=True)
    spoken_by = models.CharField(_("谈话人"), max_length=100, blank=True)
    attendees = models.CharField(_("参加人员"), max_length=200, blank=True)
    minutes = models.FileField(
        _("签字的谈话记录(扫描件)"), upload_to="inspection/admonishments/%Y/", blank=True
    )
    recorded_by = _person(_("记录人"))

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
