"""Tenant schema: the community's quarterly briefings (工作简报, 000 第九条(五); 004 ⑷) and the content
each draft was last generated with, so that generating again never silently overwrites the clerk's edits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import TimeStampedModel


class Briefing(TimeStampedModel):
    """One quarter's briefing: the disclosure that carries it through the five steps, and the content hash
    it had when it was last generated from the quarter's data. A draft whose hash differs has been edited
    since (``disclosure.services.briefings.briefing_draft_save`` asks before overwriting it)."""

    period = models.CharField(_("季度"), max_length=10, help_text=_("如 2026Q3"))
    disclosure = models.OneToOneField(
        "disclosure.Disclosure", on_delete=models.PROTECT, related_name="briefing", verbose_name=_("公开内容")
    )
    generated_hash = models.CharField(_("生成时的内容哈希"), max_length=64)
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("生成人"),
    )

    class Meta:
        verbose_name = _("工作简报")
        verbose_name_plural = _("工作简报")
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["period"], name="%(app_label)s_%(class)s_one_per_quarter")
        ]

    def __str__(self) -> str:
        return self.period

    @property
    def edited(self) -> bool:
        """Changed since it was last generated (the title, the summary, a section's text)."""
        return self.disclosure.content_hash != self.generated_hash
