"""Pushes into the groups residents actually read (004 ⑷ and 做法3): a community's WeChat Work
(企业微信) group robots, the residents who asked for a text message on each publication, and the record
that each publication went to each robot and each subscriber once."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from disclosure.choices import Category
from disclosure.models.disclosure import Disclosure
from tenants.models import TimeStampedModel
from tenants.residents import mask_mobile


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


class SmsSubscriber(TimeStampedModel):
    """A resident who confirmed with a code that they want a text message on each publication (of the
    chosen categories; none chosen: all). The number is personal data: it is only ever sent to the SMS
    backend, and shown to staff masked (``mobile_masked``); ``__str__`` masks it too. Unsubscribing
    keeps the row (``unsubscribed_at``) so the deliveries already made stay explained."""

    mobile = models.CharField(_("手机号码"), max_length=11, unique=True)
    categories = ArrayField(
        models.CharField(max_length=20, choices=Category.choices),
        verbose_name=_("订阅类别"),
        default=list,
        blank=True,
    )
    token = models.CharField(_("退订口令"), max_length=32, unique=True)
    unsubscribed_at = models.DateTimeField(_("退订时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信订阅")
        verbose_name_plural = _("短信订阅")

    def __str__(self) -> str:
        return self.mobile_masked

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)


class SmsCode(models.Model):
    """A six-digit code texted to a number to subscribe or unsubscribe: kept only as a keyed hash,
    valid ``SMS_CODE_TTL_SECONDS``, ``SMS_CODE_TRIES`` tries, used once."""

    class Purpose(models.TextChoices):
        SUBSCRIBE = "subscribe", _("订阅")
        UNSUBSCRIBE = "unsubscribe", _("退订")

    mobile = models.CharField(_("手机号码"), max_length=11)
    purpose = models.CharField(_("用途"), max_length=12, choices=Purpose.choices)
    categories = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    tries = models.PositiveSmallIntegerField(_("已输入次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["mobile", "purpose"], name="disclosure_smscode_mobile_idx")]

    def __str__(self) -> str:
        return f"{mask_mobile(self.mobile)} {self.purpose}"


class PushDelivery(models.Model):
    """One publication to one group robot or one SMS subscriber: created once, sent once
    (``sent_at``)."""

    webhook = models.ForeignKey(
        GroupWebhook,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("群机器人"),
        null=True,
        blank=True,
    )
    subscriber = models.ForeignKey(
        SmsSubscriber,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("短信订阅"),
        null=True,
        blank=True,
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
            models.UniqueConstraint(fields=["webhook", "disclosure"], name="%(app_label)s_%(class)s_once"),
            models.UniqueConstraint(
                fields=["subscriber", "disclosure"], name="%(app_label)s_%(class)s_sms_once"
            ),
            models.CheckConstraint(
                condition=Q(webhook__isnull=False, subscriber__isnull=True)
                | Q(webhook__isnull=True, subscriber__isnull=False),
                name="%(app_label)s_%(class)s_one_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.disclosure_id} → {self.webhook_id or f'sms {self.subscriber_id}'}"
