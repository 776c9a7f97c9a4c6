"""暗访 (000 第十八条(一)): the random draw, the unannounced visits, their photos and who may record them."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from inspection.choices import SpotCheckStatus
from tenants.models import Community, TimeStampedModel

# the longest reason a redraw may give
REDRAW_REASON_LIMIT = 500


class SpotCheckDraw(TimeStampedModel):
    """A random sample of communities for unannounced checks (000 第十八条(一)). The seed and the
    population are recorded, so anyone can re-run the draw and get the same sample.

    The first draw of a period is final: a period has one draw that replaces nothing, and a redraw is a
    new row that names the draw it replaces and why. Rows are never changed or deleted (a database
    trigger refuses it), so every earlier draw stays on the record with who made it and when."""

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
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("重抽替代的抽取"),
    )
    reason = models.TextField(_("重抽理由"), blank=True, max_length=REDRAW_REASON_LIMIT)

    class Meta:
        verbose_name = _("暗访抽取")
        verbose_name_plural = _("暗访抽取")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["street_office", "period"],
                condition=models.Q(replaces__isnull=True),
                name="%(app_label)s_%(class)s_first_draw_once_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(replaces__isnull=True, reason="")
                | (models.Q(replaces__isnull=False) & ~models.Q(reason="")),
                name="%(app_label)s_%(class)s_redraw_has_reason",
            ),
        ]

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
