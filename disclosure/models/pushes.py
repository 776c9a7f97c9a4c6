"""Pushes into the groups residents actually read (004 ⑷ and 做法3): a community's WeChat Work
(企业微信) group robots, and the record that each publication went to each robot once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from disclosure.models.disclosure import Disclosure
from tenants.models import TimeStampedModel


class GroupWebhook(TimeStampedModel):
    """A group robot's webhook address, pasted by the community's staff from the group's settings."""

    name = models.CharField(_("群名称"), max_length=50)
    url = models.URLField(_("Webhook 地址"), max_length=300, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        verbose_name=_("添加人"),
    )
    added_by_name = models.CharField(_("添加人姓名"), max_length=50)
    last_sent_at = models.DateTimeField(_("最近推送时间"), null=True, blank=True)
    last_error = models.CharField(_("最近一次失败原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("企业微信群机器人")
        verbose_name_plural = _("企业微信群机器人")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class PushDelivery(models.Model):
    """One publication to one group robot: created once, sent once (``sent_at``)."""

    webhook = models.ForeignKey(
        GroupWebhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("群机器人")
    )
    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="pushes", verbose_name=_("公开内容")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    sent_at = models.DateTimeField(_("推送时间"), null=True, blank=True)
    error = models.CharField(_("失败原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("群推送")
        verbose_name_plural = _("群推送")
        constraints = [
            models.UniqueConstraint(fields=["webhook", "disclosure"], name="%(app_label)s_%(class)s_once")
        ]

    def __str__(self) -> str:
        return f"{self.disclosure_id} → {self.webhook_id}"
