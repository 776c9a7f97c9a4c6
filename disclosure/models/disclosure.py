"""Tenant schema: disclosures and what the five steps record about them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from disclosure import content as content_rules
from disclosure.choices import (
    Audience,
    Category,
    ContentType,
    DisclosureStatus,
    ReviewDecision,
    SignatureRole,
)
from disclosure.rules import LOCKED_STATUSES, RENEWAL_NOTE_MAX_CHARS
from tenants.models import AuditRow, TimeStampedModel


class Disclosure(TimeStampedModel):
    """One version of one disclosure. Once published it cannot change (a PostgreSQL trigger refuses);
    a correction is a new version that ``supersedes`` it."""

    obligation = models.ForeignKey(
        "disclosure.Obligation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disclosures",
        verbose_name=_("公开任务"),
    )
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    content_type = models.CharField(
        _("内容格式"), max_length=20, choices=ContentType.choices, default=ContentType.NOTICE
    )
    audience = models.CharField(
        _("公开对象"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    data = models.JSONField(_("结构化内容"), default=dict, blank=True)
    content_hash = models.CharField(_("内容哈希"), max_length=64)
    status = models.CharField(
        _("状态"), max_length=20, choices=DisclosureStatus.choices, default=DisclosureStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("更正的版本"),
    )
    correction_reason = models.CharField(_("更正理由"), max_length=500, blank=True)
    planned_publish_date = models.DateField(_("计划公布日期"), null=True, blank=True)
    short_notice_reason = models.CharField(_("缩短审核期的理由"), max_length=300, blank=True)
    channels = models.JSONField(_("公开渠道"), default=list, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    display_until = models.DateField(_("公示截止日期"), null=True, blank=True)
    public_from = models.DateField(
        _("向居民公开日期"), null=True, blank=True, help_text=_("先党内后党外的事项,在此日期前只向党员公开")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("经办人"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("公布人"),
    )
    # Whoever wrote this version's content: who started it from scratch or from a published version,
    # and everyone who saved a change to its text, its structured content or its files. None of them
    # reviews it, or signs it except as 经办人 (disclosure.services.workflow.review_refusal, sign_refusal).
    authors = ArrayField(models.BigIntegerField(), verbose_name=_("起草和修改人"), default=list, blank=True)
    # 000 第七条(二) 集体审核: each submission opens a round of review, which needs this many approving
    # opinions of the round (fixed when it was submitted, from the street office's rule).
    review_round = models.PositiveSmallIntegerField(_("审核轮次"), default=0)
    reviews_needed = models.PositiveSmallIntegerField(_("审核通过所需同意人数"), default=1)

    class Meta:
        verbose_name = _("公开内容")
        verbose_name_plural = _("公开内容")
        ordering = ["-published_at", "-created_at"]
        permissions = [("review_disclosure", _("审核公开内容"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=[s.value for s in LOCKED_STATUSES])
                | (models.Q(published_at__isnull=False) & models.Q(display_until__isnull=False)),
                name="%(app_label)s_%(class)s_published_has_dates",
            ),
            models.CheckConstraint(
                condition=models.Q(supersedes__isnull=True) | ~models.Q(correction_reason=""),
                name="%(app_label)s_%(class)s_correction_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "category"], name="disclosure_status_cat_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    def compute_content_hash(self) -> str:
        """The SHA-256 that signatures bind to, from the content as it is now: what signing stores in
        ``content_hash`` and what the public verify page recomputes, from the same fields. A version not
        yet saved has no attachments; a reimbursement's receipt scans count as files."""
        return content_rules.content_hash(
            title=self.title,
            body=self.body,
            data=self.data,
            category=self.category,
            content_type=self.content_type,
            audience=self.audience,
            attachments=[
                *self.attachments.values_list("sha256", flat=True),
                *self.receipts.values_list("sha256", flat=True),
            ]
            if self.pk
            else [],
        )


class DisplayExtension(TimeStampedModel):
    """内容无变化,确认续期: a fixed (长期) item's publication reviewed and confirmed unchanged, which keeps
    it on display for another period. The publication itself is sealed (a PostgreSQL trigger refuses
    to change it), so the longer display is this row of its own, append-only like the ledger; the
    display end everyone reads is the later of the two (``selectors.display_end``)."""

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("公开内容")
    )
    obligation = models.OneToOneField(
        "disclosure.Obligation",
        on_delete=models.PROTECT,
        related_name="extension",
        verbose_name=_("续期任务"),
    )
    content_hash = models.CharField(_("确认的内容哈希"), max_length=64)
    previous_until = models.DateField(_("原公示截止日期"))
    display_until = models.DateField(_("续期后公示截止日期"))
    note = models.CharField(_("核对说明"), max_length=RENEWAL_NOTE_MAX_CHARS)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        verbose_name=_("确认人"),
    )
    confirmed_by_name = models.CharField(_("确认人姓名"), max_length=50)

    class Meta:
        verbose_name = _("固定公开内容续期")
        verbose_name_plural = _("固定公开内容续期")
        ordering = ["disclosure", "display_until"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(display_until__gt=models.F("previous_until")),
                name="%(app_label)s_%(class)s_extends_the_display",
            ),
            models.CheckConstraint(
                condition=~models.Q(note=""), name="%(app_label)s_%(class)s_note_is_recorded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.disclosure} → {self.display_until}"


class DisclosureUserObjectPermission(UserObjectPermissionBase):
    """Per-disclosure grants (django-guardian, direct foreign key: primary keys repeat across schemas)."""

    content_object = models.ForeignKey(Disclosure, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("公开内容授权")
        verbose_name_plural = _("公开内容授权")


class ReviewOpinion(TimeStampedModel):
    """A supervision group member's opinion on the exact content submitted (000 第七条 审查核实)."""

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("公开内容")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        verbose_name=_("审核人"),
    )
    reviewer_name = models.CharField(_("审核人姓名"), max_length=50)
    decision = models.CharField(_("意见"), max_length=10, choices=ReviewDecision.choices)
    comments = models.TextField(_("审核意见"), blank=True)
    content_hash = models.CharField(_("所审内容哈希"), max_length=64)
    review_round = models.PositiveSmallIntegerField(_("审核轮次"), default=0)

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="return") | ~models.Q(comments=""),
                name="%(app_label)s_%(class)s_return_has_comments",
            )
        ]


class SignedBy(TimeStampedModel):
    """Who signed, by their account and the name shown, and the SHA-256 of exactly what they signed."""

    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        verbose_name=_("签字人"),
    )
    signer_name = models.CharField(_("签字人姓名"), max_length=50)
    content_hash = models.CharField(_("所签内容哈希"), max_length=64)

    class Meta:
        abstract = True


class Signature(SignedBy):
    """A signature bound to the SHA-256 of the exact content signed: any later edit voids it."""

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("公开内容")
    )
    role = models.CharField(_("签字身份"), max_length=20, choices=SignatureRole.choices)

    class Meta:
        verbose_name = _("签字")
        verbose_name_plural = _("签字")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure", "role", "content_hash"],
                name="%(app_label)s_%(class)s_once_per_role_and_content",
            )
        ]


class StoredFile(TimeStampedModel):
    """An uploaded file as checked by its content (``tenants.uploads``) and stored under the schema."""

    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    mime_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        abstract = True


class Attachment(StoredFile):
    """A file attached to a disclosure, checked by its content, stored under the community's schema."""

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("公开内容")
    )

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")


class AuditRecord(AuditRow):
    """Every state change of the community's records (disclosures, obligations, residents' matters):
    who, when, from → to, why."""

    class Meta(AuditRow.Meta):
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
