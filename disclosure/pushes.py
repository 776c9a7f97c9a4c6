"""Sending each publication to the community's WeChat Work (企业微信) group robots (004 ⑷ and 做法3:
residents read their groups, not the website). Connecting a robot and queueing the sending:
``disclosure.services.pushes``; the Celery task: ``disclosure.tasks.push_publication``.

Each publication posts one news card (title, the public summary, the link to the portal page) to each
active robot, once: the ``PushDelivery`` row is the outbox, and a delivery already sent is never sent
again. The request is the robot's documented JSON (``{"msgtype": "news", "news": {"articles": [...]}}``);
the answer's ``errcode`` tells success (0) from refusal.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from disclosure import selectors
from disclosure.models import Disclosure, GroupWebhook, PushDelivery
from tenants.models import Community
from tenants.sites import community_site_url

DESCRIPTION_CHARS = 120  # a news card shows about two lines


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
    public = selectors.disclosures_public(on=timezone.localdate()).filter(pk=disclosure.pk).first()
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
