"""Public schema: the standard catalogue (公开目录) per street office, and the record of every community's
ledger head (each append's head, and the daily anchor)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from standards.choices import BOARD_DISPLAY_DAYS, EVENT_WORKING_DAYS, Audience, Cadence, Category, ContentType
from tenants.models import Community, StreetOffice, TimeStampedModel


class CatalogueFields(models.Model):
    """What an item of the catalogue says; shared by the standard and the community's local items."""

    code = models.CharField(_("编号"), max_length=30)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    title = models.CharField(_("公开事项"), max_length=200)
    cadence = models.CharField(_("公开时限"), max_length=20, choices=Cadence.choices)
    event_working_days = models.PositiveSmallIntegerField(
        _("事后公开期限(工作日)"),
        default=EVENT_WORKING_DAYS,
        help_text=_("即时事项:事件登记后多少个工作日内公开"),
    )
    min_display_days = models.PositiveSmallIntegerField(_("最少公示天数"), default=BOARD_DISPLAY_DAYS)
    audience = models.CharField(
        _("公开对象"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    content_type = models.CharField(
        _("内容格式"), max_length=20, choices=ContentType.choices, default=ContentType.NOTICE
    )
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    valid_from = models.DateField(_("适用起始日期"))
    valid_until = models.DateField(_("适用截止日期"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CatalogueItem(CatalogueFields, TimeStampedModel):
    """An item of a street office's standard catalogue. A revision closes the old row
    (``valid_until``) and opens a new one, so periods already generated keep what applied then."""

    street_office = models.ForeignKey(
        StreetOffice, on_delete=models.CASCADE, related_name="catalogue_items", verbose_name=_("街道")
    )

    class Meta:
        verbose_name = _("标准公开目录事项")
        verbose_name_plural = _("标准公开目录")
        ordering = ["street_office", "code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["street_office", "code", "valid_from"],
                name="%(app_label)s_%(class)s_one_version_per_day",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gt=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_range",
            ),
        ]


class LedgerAnchor(TimeStampedModel):
    """A community's ledger head as recorded each day in the public schema: a community cannot
    rewrite its own history without the anchors disagreeing."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="ledger_anchors", verbose_name=_("社区")
    )
    day = models.DateField(_("日期"))
    head_seq = models.PositiveIntegerField(_("台帐序号"))
    head_hash = models.CharField(_("台帐链头哈希"), max_length=64)

    class Meta:
        verbose_name = _("台帐锚点")
        verbose_name_plural = _("台帐锚点")
        ordering = ["community", "-day"]
        constraints = [
            models.UniqueConstraint(fields=["community", "day"], name="%(app_label)s_%(class)s_one_per_day")
        ]


class LedgerHead(models.Model):
    """A community's ledger head as it stood after one append, written into the public schema in the
    same transaction as the entry itself. One row per entry: a tail deleted from the community's chain
    leaves its heads behind here, and ``verify_ledger`` reports the gap. PostgreSQL refuses UPDATE,
    DELETE and TRUNCATE while the community's schema exists (standards/migrations/0002)."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="ledger_heads", verbose_name=_("社区")
    )
    seq = models.PositiveIntegerField(_("台帐序号"))
    hash = models.CharField(_("台帐链头哈希"), max_length=64)
    appended_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("台帐链头")
        verbose_name_plural = _("台帐链头记录")
        ordering = ["community", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["community", "seq"], name="%(app_label)s_%(class)s_one_per_seq")
        ]

    def __str__(self) -> str:
        return f"{self.community_id} #{self.seq}"
