"""Tenant schema: what a finance statement's reimbursements carry (004 ⑵): the receipt scans of each line
and the five signatures on it. A line is named by the stable ``id`` it keeps in the statement's data
(``disclosure.content.finance_line``), so saving the grid again keeps both."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from disclosure.choices import ReimbursementSigner
from disclosure.models.disclosure import SignedBy, StoredFile


class Receipt(StoredFile):
    """A scan of a reimbursement's original receipt (原始单据), checked and cleaned by its content. Its
    SHA-256 is part of the line's content, so adding or removing one voids the line's signatures."""

    disclosure = models.ForeignKey(
        "disclosure.Disclosure", on_delete=models.CASCADE, related_name="receipts", verbose_name=_("公开内容")
    )
    line_id = models.CharField(_("收支明细行"), max_length=32)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        verbose_name=_("上传人"),
    )

    class Meta:
        verbose_name = _("报账单据")
        verbose_name_plural = _("报账单据")
        ordering = ["line_id", "pk"]
        indexes = [models.Index(fields=["disclosure", "line_id"], name="receipt_line_idx")]

    def __str__(self) -> str:
        return self.original_name


class LineSignature(SignedBy):
    """One of the five signatures on a reimbursement (or, where the street office chose it, on the
    statement's reimbursements as a whole: ``line_id`` empty), bound to the SHA-256 of what was signed —
    the line and its receipts. Any later change of them voids it. Append-only (a PostgreSQL trigger)."""

    disclosure = models.ForeignKey(
        "disclosure.Disclosure",
        on_delete=models.CASCADE,
        related_name="line_signatures",
        verbose_name=_("公开内容"),
    )
    line_id = models.CharField(_("收支明细行"), max_length=32, blank=True)
    role = models.CharField(_("签字身份"), max_length=30, choices=ReimbursementSigner.choices)

    class Meta:
        verbose_name = _("报账签字")
        verbose_name_plural = _("报账签字")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure", "line_id", "role", "content_hash"],
                name="%(app_label)s_%(class)s_once_per_role_and_content",
            )
        ]
