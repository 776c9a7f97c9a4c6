"""Thin Celery wrappers. The fan-out runs in the public schema and sends one task per community,
each carrying its schema (tenant-schemas-celery), spread out so they do not all start at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from celery import shared_task
from django.utils import timezone

from disclosure import services
from tenants.models import Community

FAN_OUT_SPREAD_SECONDS = 0.2  # between communities: 1,000 communities start over ~3 minutes


def fan_out(task: Any) -> int:
    """Send ``task`` once to every active community, in its schema, spread out over time."""
    codes = list(Community.objects.filter(is_active=True).values_list("schema_name", flat=True))
    for index, code in enumerate(codes):
        task.apply_async(headers={"_schema_name": code}, countdown=index * FAN_OUT_SPREAD_SECONDS)
    return len(codes)


@shared_task
def daily_all() -> int:
    return fan_out(daily_for_community)


@shared_task(acks_late=True)
def daily_for_community(on: str | None = None) -> dict[str, int]:
    return services.daily_run(on=date.fromisoformat(on) if on else timezone.localdate())


@shared_task(acks_late=True)
def recompute_due(years: list[int]) -> int:
    return services.obligations_recompute_due(years=set(years))


@shared_task
def recompute_due_all(years: list[int]) -> int:
    codes = list(Community.objects.values_list("schema_name", flat=True))
    for code in codes:
        recompute_due.apply_async(args=[years], headers={"_schema_name": code})
    return len(codes)
