"""Keep the summary tables fresh: after a community's commit (debounced) and nightly for all."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from inspection import services
from tenants.models import Community, StreetOffice
from tenants.tasking import enqueue_in_schema, for_each_community, public_schema_name

RECONCILE_SPREAD_SECONDS = 0.2  # the nightly run starts one community's refresh every this many seconds


def schedule_refresh(community_id: int) -> None:
    """Many commits in a burst (a day's publications) cost one refresh, shortly after the burst."""
    seconds = settings.INSPECTION_REFRESH_DEBOUNCE_SECONDS
    if cache.add(f"inspection:refresh:{community_id}", 1, timeout=seconds):
        # The summary tables live in public; sent at once, as the announcement already came after commit.
        enqueue_in_schema(
            compliance_refresh_community,
            community_id,
            community=public_schema_name(),
            on_commit=False,
            countdown=seconds,
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
    return for_each_community(
        compliance_refresh_community,
        communities=Community.objects.all(),
        by_id=True,
        spread_seconds=RECONCILE_SPREAD_SECONDS,
    )


@shared_task
def rectifications_escalate() -> int:
    """Daily: orders past their deadline go to the street office's leaders."""
    return len(services.rectifications_escalate(on=timezone.localdate()))


@shared_task(acks_late=True)
def accountability_evaluate_street_office(street_office_id: int) -> int:
    """One street office's communities against its accountability rules; the orders it opened."""
    office = StreetOffice.objects.filter(pk=street_office_id).first()
    if office is None:
        return 0
    return len(services.accountability_evaluate(street_office=office, on=timezone.localdate()).opened)


@shared_task
def accountability_evaluate_all() -> int:
    """Daily, after the obligations' and the feedback's daily runs: every street office, one task each
    (a failure's key keeps a retried or doubled task from opening a second order)."""
    offices = list(StreetOffice.objects.values_list("pk", flat=True))
    for pk in offices:
        accountability_evaluate_street_office.delay(pk)
    return len(offices)
