"""Thin Celery wrappers. tenant-schemas-celery has switched to the task's schema before these run."""

from celery import shared_task
from django.db import connection

from communities import services
from communities.models import Notification
from tenants.models import Community


@shared_task(acks_late=True)
def notification_deliver(notification_id: int) -> str:
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None:
        return "missing"
    services.notification_deliver(notification=notification)
    return "delivered"


@shared_task
def notifications_redeliver(older_than_seconds: float = services.REDELIVER_AFTER_SECONDS) -> int:
    """In one community: queue again every delivery still owed (``notification_deliver`` sends each
    channel at most once, so a delivery queued twice is still sent once)."""
    ids = services.notifications_pending(older_than_seconds=older_than_seconds)
    for pk in ids:
        notification_deliver.apply_async(args=[pk], headers={"_schema_name": connection.schema_name})  # type: ignore[attr-defined]
    return len(ids)


@shared_task
def notifications_redeliver_all(older_than_seconds: float = services.REDELIVER_AFTER_SECONDS) -> int:
    """Beat, every few minutes: fan out ``notifications_redeliver`` to every community, so what was
    queued while Redis was down goes out once it is back."""
    codes = list(Community.objects.filter(is_active=True).values_list("schema_name", flat=True))
    for code in codes:
        notifications_redeliver.apply_async(args=[older_than_seconds], headers={"_schema_name": code})
    return len(codes)
