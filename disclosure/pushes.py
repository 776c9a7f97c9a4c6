"""Sending each publication to the community's WeChat Work (企业微信) group robots (004 ⑷ and 做法3:
residents read their groups, not the website). Connecting a robot and queueing the sending:
``disclosure.services.pushes``; the Celery task: ``disclosure.tasks.push_publication``.

Each publication posts one news card (title, the public summary, the link to the portal page) to each
active robot, once: the ``PushDelivery`` row is the outbox, and a delivery already sent is never sent
again. The request is the robot's documented JSON (``{"msgtype": "news", "news": {"articles": [...]}}``);
the answer's ``errcode`` tells success (0) from refusal.

Each publication is also texted to every resident subscribed to its category (``SmsSubscriber``), once:
a ``PushDelivery`` row per subscriber is the outbox, one task per row sends it (rate-limited per worker,
retried with growing pauses while the SMS backend fails), and a row already sent is never sent again.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from communities.sms import SmsFailed, get_backend
from disclosure import selectors
from disclosure.models import Disclosure, GroupWebhook, PushDelivery, SmsSubscriber
from tenants.models import Community
from tenants.sites import community_site_url
from tenants.tasking import enqueue_in_schema

DESCRIPTION_CHARS = 120  # a news card shows about two lines
SMS_TITLE_CHARS = 30  # with the links, one message stays within about two SMS parts


class PushFailed(Exception):
    """The robot could not be reached or refused the message; the delivery stays owed."""


def news_card(disclosure: Disclosure, *, community: Community) -> dict[str, object]:
    """The robot's news message for one publication: its public text only."""
    summary = selectors.public_summary(disclosure)
    if len(summary) > DESCRIPTION_CHARS:
        summary = summary[: DESCRIPTION_CHARS - 1] + "…"
    return {
        "msgtype": "news",
        "news": {
            "articles": [
                {
                    "title": f"{community.name}公开:{disclosure.title}"[:128],
                    "description": summary,
                    "url": community_site_url(community.schema_name, f"/disclosures/{disclosure.pk}/"),
                }
            ]
        },
    }


def _post(url: str, payload: dict[str, object]) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(
            request, timeout=settings.WECOM_WEBHOOK_TIMEOUT_SECONDS
        ) as response:  # checked host
            answer = json.loads(response.read().decode() or "{}")
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        raise PushFailed(f"连接企业微信失败:{exc}"[:200]) from exc
    if answer.get("errcode") != 0:
        raise PushFailed(f"企业微信拒绝:{answer.get('errcode')} {answer.get('errmsg', '')}"[:200])


def publication_push(*, community: Community, disclosure: Disclosure) -> int:
    """Post one publication to every active group robot it has not reached yet; returns how many were
    sent now. Raises PushFailed after trying them all if any failed (the task retries those)."""
    public = _public(disclosure)
    if public is None:  # not for residents (yet): a party-internal item before its public day
        return 0
    disclosure = public
    failed: list[str] = []
    sent = 0
    for webhook in GroupWebhook.objects.filter(is_active=True):
        delivery, _ = PushDelivery.objects.get_or_create(webhook=webhook, disclosure=disclosure)
        with transaction.atomic():
            delivery = PushDelivery.objects.select_for_update().get(pk=delivery.pk)
            if delivery.sent_at is not None:
                continue
            delivery.attempts += 1
            try:
                _post(webhook.url, news_card(disclosure, community=community))
            except PushFailed as exc:
                delivery.error = webhook.last_error = str(exc)
                failed.append(webhook.name)
            else:
                delivery.sent_at = webhook.last_sent_at = timezone.now()
                delivery.error = webhook.last_error = ""
                sent += 1
            delivery.save()
            webhook.save(update_fields=["last_sent_at", "last_error", "updated_at"])
    if failed:
        raise PushFailed("、".join(failed))
    return sent


# --- SMS subscribers ---------------------------------------------------------------------------------


def _public(disclosure: Disclosure) -> Disclosure | None:
    """The publication as residents see it today, or None (a party-internal item before its public
    day, a withdrawn one)."""
    return selectors.disclosures_public(on=timezone.localdate()).filter(pk=disclosure.pk).first()


def sms_subscribers_for(disclosure: Disclosure) -> QuerySet[SmsSubscriber]:
    return SmsSubscriber.objects.filter(unsubscribed_at__isnull=True).filter(
        Q(categories=[]) | Q(categories__contains=[disclosure.category])
    )


def sms_message(disclosure: Disclosure, *, community: Community, subscriber: SmsSubscriber) -> dict[str, str]:
    """The text (and the template's values) for one subscriber: title, link, and the one-click
    unsubscribe link of this subscriber."""
    title = disclosure.title
    if len(title) > SMS_TITLE_CHARS:
        title = title[: SMS_TITLE_CHARS - 1] + "…"
    link = community_site_url(community.schema_name, f"/disclosures/{disclosure.pk}/")
    stop = community_site_url(community.schema_name, f"/sms/stop/{subscriber.token}/")
    return {
        "community": community.name,
        "title": title,
        "link": link,
        "stop": stop,
        "text": f"【{community.name}】新公开:{title} {link} 退订:{stop}",
    }


def sms_publication_queue(*, community: Community, disclosure: Disclosure) -> int:
    """Make the outbox rows for one publication and queue one sending task per row still owed; returns
    how many were queued. Safe to run twice: the rows are unique per subscriber and publication."""
    public = _public(disclosure)
    if public is None:
        return 0
    # by name: the task module imports this one
    sms_deliver = current_app.signature("disclosure.tasks.sms_deliver")
    queued = 0
    for subscriber in sms_subscribers_for(public):
        delivery, _ = PushDelivery.objects.get_or_create(subscriber=subscriber, disclosure=public)
        if delivery.sent_at is None:
            enqueue_in_schema(sms_deliver, delivery.pk, community=community)
            queued += 1
    return queued


def sms_deliver_once(*, community: Community, delivery_pk: int) -> bool:
    """Text one outbox row, at most once: True if sent now; False if already sent, or the subscriber
    unsubscribed meanwhile; SmsFailed (recorded on the row) if the backend failed."""
    with transaction.atomic():
        delivery = (
            PushDelivery.objects.select_for_update(of=("self",))
            .select_related("subscriber", "disclosure")
            .get(pk=delivery_pk)
        )
        subscriber = delivery.subscriber
        if delivery.sent_at is not None or subscriber is None or subscriber.unsubscribed_at is not None:
            return False
        message = sms_message(delivery.disclosure, community=community, subscriber=subscriber)
        delivery.attempts += 1
        try:
            get_backend().send(
                mobile=subscriber.mobile,
                text=message.pop("text"),
                template="publication",
                params=message,
            )
        except SmsFailed as exc:
            delivery.error = str(exc)[:200]
            delivery.save(update_fields=["attempts", "error"])
            failed = exc
        else:
            delivery.sent_at = timezone.now()
            delivery.error = ""
            delivery.save(update_fields=["attempts", "error", "sent_at"])
            return True
    raise failed
