"""责任追究 (000 第十三、十九条): which failures open a rectification order by themselves, per street office,
in versions — an order keeps the version that opened it, and a version in use is never edited."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tenants.models import TimeStampedModel


class AccountabilityRules(TimeStampedModel):
    """One version of a street office's accountability rules. ``entries`` holds, per failure kind (a
    ``RectificationSource`` value): ``on``, ``threshold`` (or null), ``days`` (the order's deadline in
    working days) and ``roles`` (the community roles answerable). ``counts_from`` is the first day whose
    failures count: the first version starts on 1 January of its year, so a first run never floods the
    communities with orders for past years."""

    street_office = models.ForeignKey(
        "tenants.StreetOffice",
        on_delete=models.CASCADE,
        related_name="accountability_rules",
        verbose_name=_("街道"),
    )
    version = models.PositiveSmallIntegerField(_("版本"))
    entries = models.JSONField(_("规则"), default=dict)
    counts_from = models.DateField(_("自此日起发生的问题计入"))
    revised_by = models.ForeignKey(
        "tenants.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修订人"),
    )

    class Meta:
        verbose_name = _("责任追究规则")
        verbose_name_plural = _("责任追究规则")
        ordering = ["street_office", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["street_office", "version"], name="%(app_label)s_%(class)s_version"
            )
        ]

    def __str__(self) -> str:
        return gettext("责任追究规则 第%(version)s版") % {"version": self.version}

    def entry(self, kind: str) -> dict[str, Any]:
        return dict(self.entries.get(kind) or {})
