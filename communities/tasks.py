"""Thin Celery wrappers. tenant-schemas-celery has switched to the task's schema before these run."""

from celery import shared_task

from communities import services
from communities.models import Notification


@shared_task(acks_late=True)
def notification_deliver(notification_id: int) -> str:
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None:
        return "missing"
    services.notification_deliver(notification=notification)
    return "delivered"
