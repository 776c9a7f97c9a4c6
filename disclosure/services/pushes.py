"""Connecting a community's WeChat Work (企业微信) group robots, and queueing each publication's
pushes to them (the sending itself: ``disclosure.pushes``)."""

from __future__ import annotations

from datetime import datetime, time
from urllib.parse import parse_qs, urlsplit

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.choices import Audience, Channel
from disclosure.models import Disclosure, GroupWebhook, SmsSubscriber
from disclosure.permissions import Action
from disclosure.services.context import action_require
from tenants.errors import Conflict, InvalidInput
from tenants.models import Community, User
from tenants.tasking import enqueue_in_schema

WEBHOOK_PATH = "/cgi-bin/webhook/send"


def webhook_check(url: str) -> str:
    """A pasted address, cleaned, or InvalidInput saying what is wrong with it."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme != "https" and not (
        parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")
    ):
        raise InvalidInput(
            _("Webhook 地址应以 https:// 开头,请从企业微信群机器人的设置里复制完整地址。"), code="url"
        )
    if parts.hostname not in settings.WECOM_WEBHOOK_HOSTS or parts.path != WEBHOOK_PATH:
        raise InvalidInput(
            _(
                "这不是企业微信群机器人的地址。正确的地址形如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
            ),
            code="url",
        )
    if not parse_qs(parts.query).get("key"):
        raise InvalidInput(_("地址里缺少 key=…,请从群机器人的设置里复制完整地址。"), code="url")
    return url


@transaction.atomic
def webhook_add(*, community: Community, actor: User, name: str, url: str) -> GroupWebhook:
    """Whoever may publish connects a group (the same people post to it by hand today)."""
    action_require(actor, Action.PUBLISH, community=community)
    name = name.strip()
    if not name:
        raise InvalidInput(_("请填写群名称,例如“银城社区居民群”。"), code="name")
    url = webhook_check(url)
    if GroupWebhook.objects.filter(url=url).exists():
        raise Conflict(_("这个群机器人已经添加过了。"), code="url")
    return GroupWebhook.objects.create(
        name=name[:50], url=url, added_by=actor, added_by_name=actor.get_full_name() or actor.username
    )


@transaction.atomic
def webhook_remove(*, community: Community, actor: User, webhook: GroupWebhook) -> None:
    action_require(actor, Action.PUBLISH, community=community)
    webhook.is_active = False
    webhook.save(update_fields=["is_active", "updated_at"])


def publication_push_later(*, community: Community, disclosure: Disclosure) -> None:
    """After the publication commits, queue its pushes: only what is on the website (the card links
    there), and a party-internal item (先党内后党外) only from its public day on. Nothing is queued when
    no group is connected and no resident subscribed to texts."""
    if Channel.WEB not in disclosure.channels:
        return
    countdown = None
    if disclosure.audience != Audience.PUBLIC and disclosure.public_from is not None:
        public_at = timezone.make_aware(datetime.combine(disclosure.public_from, time(8)))
        countdown = max(0.0, (public_at - timezone.now()).total_seconds()) or None
    # by name: the task module imports the services, so the services do not import it
    if GroupWebhook.objects.filter(is_active=True).exists():
        task = current_app.signature("disclosure.tasks.push_publication")
        enqueue_in_schema(task, disclosure.pk, community=community, countdown=countdown)
    if SmsSubscriber.objects.filter(unsubscribed_at__isnull=True).exists():
        task = current_app.signature("disclosure.tasks.sms_publication")
        enqueue_in_schema(task, disclosure.pk, community=community, countdown=countdown)
