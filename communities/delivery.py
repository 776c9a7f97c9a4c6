"""Sending what ``communities.services.notification_send`` stored: each notification's e-mail and SMS,
at most once each, and finding the ones still owed (never one whose step is already done).

The stored row is the outbox. The tasks (``communities.tasks``) call these; the services queue the tasks.
Kept apart from the services so that neither module imports the other in a loop.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from communities.models import Notification

REDELIVER_AFTER_SECONDS = 60


def notifications_pending(*, older_than_seconds: float = REDELIVER_AFTER_SECONDS) -> list[int]:
    """Notifications whose e-mail or SMS is still owed, created long enough ago that their delivery
    task should have run: lost because the broker was down when they were queued, or never run."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    owed = Q(send_email=True, emailed_at__isnull=True) & ~Q(recipient__email="")
    owed |= Q(send_sms=True, sms_sent_at__isnull=True) & ~Q(recipient__mobile="")
    waiting = Notification.objects.filter(owed, created_at__lt=cutoff, resolved_at__isnull=True)
    return list(waiting.values_list("pk", flat=True)[:5000])


def notification_deliver(*, notification: Notification) -> Notification:
    """Send the e-mail and SMS of a notification, each at most once (safe to run twice). A notification
    whose step was done before it went out is not sent at all: nobody is texted to do what is done."""
    from django.core.mail import send_mail

    from communities.sms import get_backend

    recipient = notification.recipient
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if locked.resolved_at is not None:
            return locked
        now = timezone.now()
        if locked.send_email and recipient.email and locked.emailed_at is None:
            send_mail(locked.title, f"{locked.body}\n\n{locked.url}".strip(), None, [recipient.email])
            locked.emailed_at = now
        if locked.send_sms and recipient.mobile and locked.sms_sent_at is None:
            get_backend().send(mobile=recipient.mobile, text=f"{locked.title} {locked.url}".strip())
            locked.sms_sent_at = now
        locked.save(update_fields=["emailed_at", "sms_sent_at", "updated_at"])
    return locked
