"""Public schema: one row per published version of every community (the public index), and the words a
street office adds to the search's dictionary of synonyms.

The community's schema stays the source of truth. An entry is written in the same transaction as the
publication, correction or archiving that changes it (``disclosure.services.indexing``) and reconciled
nightly; it holds only what the portal shows to anyone: a relief roster's title and programme, never
its households (names, identity numbers), and the body and structured content of everything else as
the public view gives them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from standards.choices import Audience, Category, ContentType
from tenants.models import Community, StreetOffice, TimeStampedModel


class Entry(TimeStampedModel):
    """One public version of one disclosure of one community, as a resident may find it."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="index_entries", verbose_name=_("社区")
    )
    disclosure_id = models.PositiveIntegerField(_("公开内容编号(社区内)"))
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    content_type = models.CharField(_("内容格式"), max_length=20, choices=ContentType.choices)
    audience = models.CharField(_("公开对象"), max_length=20, choices=Audience.choices)
    status = models.CharField(_("状态"), max_length=20)
    is_current = models.BooleanField(
        _("现行版本"), default=True, help_text=_("被更正版本取代后为否:检索只找现行版本")
    )
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("可检索的正文"), blank=True, help_text=_("居民页面上能看到的文字,不含名单"))
    period = models.CharField(_("所属期"), max_length=20, blank=True)
    period_start = models.DateField(_("所属期开始"), null=True, blank=True)
    period_end = models.DateField(_("所属期结束"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes_id = models.PositiveIntegerField(_("更正的版本"), null=True, blank=True)
    correction_reason = models.CharField(_("更正理由"), max_length=500, blank=True)
    channels = models.JSONField(_("公开渠道"), default=list, blank=True)
    published_at = models.DateTimeField(_("公布时间"))
    public_from = models.DateField(_("向居民公开日期"), null=True, blank=True)
    display_until = models.DateField(_("公示截止日期"), null=True, blank=True)
    content_hash = models.CharField(_("内容哈希"), max_length=64)
    title_words = models.TextField(_("标题分词"), blank=True)
    text_words = models.TextField(_("正文分词"), blank=True)
    words = SearchVectorField(_("检索向量"), null=True)

    class Meta:
        verbose_name = _("公开内容索引")
        verbose_name_plural = _("公开内容索引")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "disclosure_id"], name="%(app_label)s_%(class)s_one_per_version"
            )
        ]
        indexes = [
            GinIndex(fields=["words"], name="finder_entry_words_gin"),
            models.Index(fields=["community", "published_at"], name="finder_entry_published_idx"),
            models.Index(fields=["published_at"], name="finder_entry_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.community_id}:{self.disclosure_id} {self.title}"


class SynonymGroup(TimeStampedModel):
    """Words residents use for one thing (低保 = 最低生活保障), added by a street office to the built-in
    list (``finder.vocabulary.DEFAULT_GROUPS``); a search for any of them finds all of them."""

    street_office = models.ForeignKey(
        StreetOffice, on_delete=models.CASCADE, related_name="synonym_groups", verbose_name=_("街道")
    )
    words = models.JSONField(_("同义词"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("添加人"),
    )

    class Meta:
        verbose_name = _("检索同义词")
        verbose_name_plural = _("检索同义词")
        ordering = ["street_office", "pk"]

    def __str__(self) -> str:
        return " = ".join(self.words)
