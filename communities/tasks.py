"""Thin Celery wrappers. tenant-schemas-celery has switched to the task's schema before these run."""

from celery import shared_task

from communities import delivery
from communities.models import Notification
from tenants.tasking import current_schema_name, enqueue_in_schema, for_each_community


@shared_task(acks_late=True)
def notification_deliver(notification_id: int) -> str:
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None:
        return "missing"
    delivery.notification_deliver(notification=notification)
    return "delivered"


@shared_task
def notifications_redeliver(older_than_seconds: float = delivery.REDELIVER_AFTER_SECONDS) -> int:
    """In one community: queue again every delivery still owed (``notification_deliver`` sends each
    channel at most once, so a delivery queued twice is still sent once)."""
    ids = delivery.notifications_pending(older_than_seconds=older_than_seconds)
    schema = current_schema_name()
    for pk in ids:
        enqueue_in_schema(notification_deliver, pk, community=schema, on_commit=False)
    return len(ids)


@shared_task
def notifications_redeliver_all(older_than_seconds: float = delivery.REDELIVER_AFTER_SECONDS) -> int:
    """Beat, every few minutes: fan out ``notifications_redeliver`` to every community, so what was
    queued while Redis was down goes out once it is back."""
    return for_each_community(notifications_redeliver, older_than_seconds)
