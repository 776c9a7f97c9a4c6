"""Thin Celery wrappers. The fan-out runs in the public schema and sends one task per community, each
in its schema (``tenants.tasking``). The resident's SMS task lives in ``sms``, below the services that
queue it."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from disclosure.feedback import services
from disclosure.tasks import FAN_OUT_SPREAD_SECONDS
from tenants.tasking import for_each_community, task_community


@shared_task
def daily_all() -> int:
    return for_each_community(daily_for_community, spread_seconds=FAN_OUT_SPREAD_SECONDS)


@shared_task(acks_late=True)
def daily_for_community(on: str | None = None) -> dict[str, int]:
    day = date.fromisoformat(on) if on else timezone.localdate()
    return services.feedback_daily_check(community=task_community(), on=day)
