"""Writes inside one community's schema. The caller has already switched to that schema
(middleware for requests, tenant-schemas-celery for tasks, ``schema_context`` in commands)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import cast

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from communities.choices import CommitteeKind
from communities.models import Committee, CommunityProfile, Notification, Officer
from communities.permissions import PROFILE_EDITORS
from tenants.errors import InvalidInput, NotAllowed
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
            defaults={"name": str(kind.label), "duties": DEFAULT_DUTIES[kind], "sort_order": order},
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
    headers = {"_schema_name": connection.schema_name}  # type: ignore[attr-defined]  # django-tenants' connection
    # robust: with the broker (Redis) down, the publish fails after the commit; the request must
    # not fail with it. The row is the outbox: ``notifications_redeliver`` re-queues what is pending.
    transaction.on_commit(
        lambda: [notification_deliver.apply_async(args=[pk], headers=headers) for pk in ids], robust=True
    )
    return notifications


REDELIVER_AFTER_SECONDS = 60


def notifications_pending(*, older_than_seconds: float = REDELIVER_AFTER_SECONDS) -> list[int]:
    """Notifications whose e-mail or SMS is still owed, created long enough ago that their delivery
    task should have run: lost because the broker was down when they were queued, or never run."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    owed = Q(send_email=True, emailed_at__isnull=True) & ~Q(recipient__email="")
    owed |= Q(send_sms=True, sms_sent_at__isnull=True) & ~Q(recipient__mobile="")
    return list(Notification.objects.filter(owed, created_at__lt=cutoff).values_list("pk", flat=True)[:5000])


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


def _require_editor(actor: User) -> None:
    from tenants.models import Membership

    schema_name = connection.schema_name  # type: ignore[attr-defined]  # django-tenants' connection
    roles = set(
        Membership.objects.filter(user=actor, community__schema_name=schema_name).values_list(
            "role", flat=True
        )
    )
    if not roles & PROFILE_EDITORS:
        raise NotAllowed("只有党组织书记和居委会主任可以修改社区概况和干部监督台。")


PROFILE_FIELDS = ("overview", "address", "area_km2", "population", "households", "office_hours", "phone")


@transaction.atomic
def profile_update(*, actor: User, **fields: object) -> CommunityProfile:
    _require_editor(actor)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise InvalidInput(f"不能修改这些字段:{'、'.join(sorted(unknown))}")
    profile = CommunityProfile.objects.select_for_update().get(id=1)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    return profile


@transaction.atomic
def officers_save(*, actor: User, rows: list[dict[str, object]], delete_ids: list[int]) -> int:
    """Replace the cadre board rows in one go: ``rows`` with an ``id`` update, without one create."""
    _require_editor(actor)
    Officer.objects.filter(pk__in=delete_ids).delete()
    saved = 0
    for order, row in enumerate(rows):
        name = str(row.get("name") or "").strip()
        post = str(row.get("post") or "").strip()
        if not name or not post:
            raise InvalidInput("每位干部都要填写姓名和职务。")
        committee = row.get("committee")
        if not isinstance(committee, Committee):
            raise InvalidInput("请选择所属组织。")
        values = {
            "committee": committee,
            "name": name,
            "post": post,
            "sort_order": order,
            **{k: str(row.get(k) or "").strip() for k in ("duties", "area_covered", "phone")},
        }
        if row.get("id"):
            Officer.objects.filter(pk=cast(int, row["id"])).update(**values)
        else:
            Officer.objects.create(**values)
        saved += 1
    return saved


def street_office_result_publish(
    *, period: str, composite: Decimal, rank: int, out_of: int, summary: str, published_at: datetime
) -> None:
    """Record (or replace) the year's result in this community's schema; the portal shows it."""
    from communities.models import StreetOfficeResult

    StreetOfficeResult.objects.update_or_create(
        period=period,
        defaults={
            "composite": composite,
            "rank": rank,
            "out_of": out_of,
            "summary": summary,
            "published_at": published_at,
        },
    )
