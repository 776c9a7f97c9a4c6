"""Tenant schema: the ledger (台帐), one hash chain per community."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from disclosure import content as content_rules
from disclosure.choices import LedgerAction
from workdays.periods import period_zh

# The ``prev_hash`` of the first entry of every chain.
GENESIS = "0" * 64
# How much of a hash people read: enough to tell two entries apart by eye and to find one in the export;
# the full hash stays in the page's title attribute and in the spreadsheet.
SHORT_HASH_CHARS = 12


def short_hash(value: str) -> str:
    return value[:SHORT_HASH_CHARS]


class LedgerEntry(models.Model):
    """An append-only record. ``hash`` = SHA-256 of the canonical JSON of (seq, action, time,
    payload, prev_hash); PostgreSQL refuses UPDATE and DELETE on this table."""

    seq = models.PositiveIntegerField(_("序号"), unique=True)
    action = models.CharField(_("事项"), max_length=20, choices=LedgerAction.choices)
    disclosure = models.ForeignKey(
        "disclosure.Disclosure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("公开内容"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("操作人"),
    )
    recorded_at = models.DateTimeField(_("记录时间"))
    payload = models.JSONField(_("内容"))
    prev_hash = models.CharField(_("上一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("台帐记录")
        verbose_name_plural = _("台帐")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()}"

    @property
    def short_hash(self) -> str:
        return short_hash(self.hash)

    @property
    def subject(self) -> str:
        """What the entry is about, as the 台帐 prints it: the disclosure's title, or for a waived
        obligation (which has no disclosure) the obligation's code and period."""
        if self.disclosure is not None:
            return self.disclosure.title
        payload = self.payload if isinstance(self.payload, dict) else {}
        if not payload.get("code"):
            return "—"
        period = payload.get("period")
        return f"公开任务 {payload['code']}" + (f"({period_zh(str(period))})" if period else "")

    @property
    def actor_name(self) -> str:
        return self.actor.get_full_name() if self.actor is not None else "—"

    def compute_hash(self) -> str:
        """The hash this entry must carry, from its own fields: what appending stores and what
        verification recomputes. ``payload`` must already be JSON-safe (as stored)."""
        return content_rules.sha256_hex(
            content_rules.canonical_json(
                {
                    "seq": self.seq,
                    "action": self.action,
                    "recorded_at": self.recorded_at.isoformat(),
                    "disclosure": self.disclosure_id,
                    "actor": self.actor_id,
                    "payload": self.payload,
                    "prev_hash": self.prev_hash,
                }
            )
        )
