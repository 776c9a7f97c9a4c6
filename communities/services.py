"""Writes inside one community's schema. The caller has already switched to that schema
(middleware for requests, tenant-schemas-celery for tasks, ``schema_context`` in commands)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from communities.choices import CommitteeKind
from communities.models import Committee, CommunityProfile, Notification
from tenants.models import User

DEFAULT_DUTIES = {
    CommitteeKind.PARTY: "领导社区各项工作,落实党务公开,组织党员教育管理。",
    CommitteeKind.RESIDENTS: "办理本社区居民的公共事务和公益事业,落实居务公开。",
    CommitteeKind.SUPERVISION: "审查公开内容是否全面、真实,公开时间是否及时,程序是否规范;受理居民异议。",
    CommitteeKind.FINANCE: "审核社区财务收支,监督经费使用,参与财务公开。",
}


def profile_initialise(*, community_name: str, address: str = "") -> CommunityProfile:
    """Give a new schema its profile row and its four standard bodies (idempotent)."""
    profile, _ = CommunityProfile.objects.get_or_create(
        id=1, defaults={"name": community_name, "address": address}
    )
    for order, kind in enumerate(CommitteeKind):
        Committee.objects.get_or_create(
            kind=kind,
            defaults={"name": kind.label, "duties": DEFAULT_DUTIES[kind], "sort_order": order},
        )
    return profile


def notification_send(
    *, recipients: Iterable[User], title: str, body: str = "", url: str = "", sms: bool = False
) -> list[Notification]:
    """Store an in-app notification per recipient and queue its e-mail/SMS delivery after commit."""
    from communities.tasks import notification_deliver

    notifications = [
        Notification.objects.create(recipient=user, title=title, body=body, url=url, send_sms=sms)
        for user in recipients
    ]
    ids = [n.pk for n in notifications]
    # The schema is fixed now: by the time on_commit runs, the connection may point elsewhere.
    headers = {"_schema_name": connection.schema_name}
    transaction.on_commit(
        lambda: [notification_deliver.apply_async(args=[pk], headers=headers) for pk in ids]
    )
    return notifications


def notification_deliver(*, notification: Notification) -> Notification:
    """Send the e-mail and SMS of a notification, each at most once (safe to run twice)."""
    from django.core.mail import send_mail

    from communities.sms import get_backend

    recipient = notification.recipient
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        now = timezone.now()
        if locked.send_email and recipient.email and locked.emailed_at is None:
            send_mail(locked.title, f"{locked.body}\n\n{locked.url}".strip(), None, [recipient.email])
            locked.emailed_at = now
        if locked.send_sms and recipient.mobile and locked.sms_sent_at is None:
            get_backend().send(mobile=recipient.mobile, text=f"{locked.title} {locked.url}".strip())
            locked.sms_sent_at = now
        locked.save(update_fields=["emailed_at", "sms_sent_at", "updated_at"])
    return locked


def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    if notification.recipient_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification
