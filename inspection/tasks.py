"""Keep the summary tables fresh: after a community's commit (debounced) and nightly for all."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from inspection import services
from tenants.models import Community


def schedule_refresh(community_id: int) -> None:
    """Many commits in a burst (a day's publications) cost one refresh, shortly after the burst."""
    seconds = settings.INSPECTION_REFRESH_DEBOUNCE_SECONDS
    if cache.add(f"inspection:refresh:{community_id}", 1, timeout=seconds):
        compliance_refresh_community.apply_async(
            args=[community_id], countdown=seconds, headers={"_schema_name": "public"}
        )


@shared_task(acks_late=True)
def compliance_refresh_community(community_id: int) -> int:
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return 0
    return services.compliance_refresh(community=community, on=timezone.localdate())


@shared_task
def compliance_reconcile_all() -> int:
    """Nightly: every community, spread over time, in case an after-commit refresh was lost."""
    ids = list(Community.objects.values_list("pk", flat=True))
    for index, community_id in enumerate(ids):
        compliance_refresh_community.apply_async(
            args=[community_id], countdown=index * 0.2, headers={"_schema_name": "public"}
        )
    return len(ids)


@shared_task
def rectifications_escalate() -> int:
    """Daily: orders past their deadline go to the street office's leaders."""
    return len(services.rectifications_escalate(on=timezone.localdate()))
