"""Thin Celery wrappers. The fan-out runs in the public schema and sends one task per community, each
in its schema (``tenants.tasking``), spread out so they do not all start at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from celery import shared_task
from django.utils import timezone

from disclosure import services
from tenants.models import Community
from tenants.tasking import for_each_community, task_community

FAN_OUT_SPREAD_SECONDS = 0.2  # between communities: 1,000 communities start over ~3 minutes


@shared_task
def daily_all() -> int:
    return for_each_community(daily_for_community, spread_seconds=FAN_OUT_SPREAD_SECONDS)


@shared_task(acks_late=True)
def daily_for_community(on: str | None = None) -> dict[str, int]:
    day = date.fromisoformat(on) if on else timezone.localdate()
    return services.daily_run(community=task_community(), on=day)


@shared_task(acks_late=True)
def recompute_due(years: list[int]) -> int:
    return services.obligations_recompute_due(community=task_community(), years=set(years))


@shared_task
def recompute_due_all(years: list[int]) -> int:
    """Every community, active or not: a closed community's open deadlines move with the calendar too."""
    return for_each_community(recompute_due, years, communities=Community.objects.all())


# 企业微信 group robots accept about 20 messages a minute each: stay under it per worker.
@shared_task(bind=True, acks_late=True, max_retries=6, rate_limit="20/m")
def push_publication(self: Any, disclosure_pk: int) -> int:
    """Post one publication to the community's group robots, each once; retried with growing pauses
    while a robot cannot be reached (a delivery already sent is never sent again)."""
    from disclosure.models import Disclosure
    from disclosure.pushes import PushFailed, publication_push

    disclosure = Disclosure.objects.get(pk=disclosure_pk)
    try:
        return publication_push(community=task_community(), disclosure=disclosure)
    except PushFailed as exc:
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task(bind=True, acks_late=True, max_retries=3)
def sms_publication(self: Any, disclosure_pk: int) -> int:
    """Queue one publication's texts to the community's SMS subscribers, one task each."""
    from disclosure.models import Disclosure
    from disclosure.pushes import sms_publication_queue

    disclosure = Disclosure.objects.get(pk=disclosure_pk)
    return sms_publication_queue(community=task_community(), disclosure=disclosure)


# Texts to subscribers: stay well under the provider's per-account rate, per worker.
@shared_task(bind=True, acks_late=True, max_retries=6, rate_limit="60/m")
def sms_deliver(self: Any, delivery_pk: int) -> bool:
    """Text one publication to one subscriber, once; retried with growing pauses while the SMS
    backend fails (each failure is recorded on the delivery)."""
    from communities.sms import SmsFailed
    from disclosure.pushes import sms_deliver_once

    try:
        return sms_deliver_once(community=task_community(), delivery_pk=delivery_pk)
    except SmsFailed as exc:
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task(acks_late=True)
def public_index_reconcile(rewrite: bool = False) -> dict[str, int]:
    """One community: its public index compared with its schema, drift fixed, counts logged."""
    done = services.public_index_reconcile(community=task_community(), rewrite=rewrite)
    return {
        "added": done.added,
        "updated": done.updated,
        "removed": done.removed,
        "unchanged": done.unchanged,
    }


@shared_task
def public_index_reconcile_all() -> int:
    """Nightly: every community, active or not (a closed community's items stay findable by the API),
    in case a write was lost or a row was changed behind the services' back."""
    return for_each_community(
        public_index_reconcile, communities=Community.objects.all(), spread_seconds=FAN_OUT_SPREAD_SECONDS
    )
