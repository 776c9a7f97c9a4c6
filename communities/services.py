"""Writes inside one community's schema. The caller has already switched to that schema
(middleware for requests, tenant-schemas-celery for tasks, ``schema_context`` in commands); a service
that checks a role takes the community explicitly instead of guessing it from the connection."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from communities.choices import CommitteeKind
from communities.models import Committee, CommunityProfile, Notification, Officer
from communities.permissions import PROFILE_EDITORS, PROFILE_REFUSED
from communities.tasks import notification_deliver
from tenants.errors import InvalidInput, NotAllowed
from tenants.models import Community, User
from tenants.selectors import community_roles_of
from tenants.services import site_version_bump
from tenants.tasking import current_schema_name, enqueue_in_schema

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
    *,
    recipients: Iterable[User],
    title: str,
    body: str = "",
    url: str = "",
    sms: bool = False,
    topic: str = "",
) -> list[Notification]:
    """Store an in-app notification per recipient and queue its e-mail/SMS delivery after commit, in the
    schema the rows were written to (the caller's). ``topic`` names the step it asks for; the service
    that does the step resolves it (``notifications_resolve``)."""
    notifications = [
        Notification.objects.create(
            recipient=user, title=title, body=body, url=url, send_sms=sms, topic=topic
        )
        for user in recipients
    ]
    ids = [n.pk for n in notifications]
    schema = current_schema_name()  # now: by the time on_commit runs, the connection may point elsewhere

    def queue_deliveries() -> None:
        for pk in ids:
            enqueue_in_schema(notification_deliver, pk, community=schema, on_commit=False)

    # robust: with the broker (Redis) down, the publish fails after the commit; the request must
    # not fail with it. The row is the outbox: ``notifications_redeliver`` re-queues what is pending.
    transaction.on_commit(queue_deliveries, robust=True)
    return notifications


def notifications_resolve(*, topic: str = "", prefix: str = "", recipient: User | None = None) -> int:
    """A step is done, whoever did it: every recipient's notification that asked for it (``topic``
    exactly, or every topic starting with ``prefix``) stops waiting — only ``recipient``'s when the
    step was theirs alone (one reviewer's approval of several needed). Written in the caller's
    transaction, so the step and its notifications commit or roll back together. Returns how many
    were resolved; already resolved ones keep their time."""
    if bool(topic) == bool(prefix):
        raise ValueError("notifications_resolve takes a topic or a prefix")
    waiting = Notification.objects.filter(resolved_at__isnull=True)
    waiting = waiting.filter(topic=topic) if topic else waiting.filter(topic__startswith=prefix)
    if recipient is not None:
        waiting = waiting.filter(recipient=recipient)
    now = timezone.now()
    return waiting.update(resolved_at=now, updated_at=now)


def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    """Only the recipient reads a notification; reading it twice keeps the first time."""
    if notification.recipient_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Everything ``user`` has not read yet, read now."""
    now = timezone.now()
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )


def _require_editor(actor: User, community: Community) -> None:
    roles = community_roles_of(user=actor, community=community)
    if not roles & PROFILE_EDITORS:
        raise NotAllowed(PROFILE_REFUSED)


PROFILE_FIELDS = ("overview", "address", "area_km2", "population", "households", "office_hours", "phone")


@transaction.atomic
def profile_update(*, actor: User, community: Community, **fields: object) -> CommunityProfile:
    _require_editor(actor, community)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise InvalidInput(gettext("不能修改这些字段:%(join)s") % {"join": "、".join(sorted(unknown))})
    profile = CommunityProfile.objects.select_for_update().get(id=1)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    site_version_bump(community=community)
    return profile


@transaction.atomic
def officers_save(
    *, actor: User, community: Community, rows: list[dict[str, object]], delete_ids: list[int]
) -> int:
    """Replace the cadre board rows in one go: ``rows`` with an ``id`` update, without one create."""
    _require_editor(actor, community)
    Officer.objects.filter(pk__in=delete_ids).delete()
    saved = 0
    for order, row in enumerate(rows):
        name = str(row.get("name") or "").strip()
        post = str(row.get("post") or "").strip()
        if not name or not post:
            raise InvalidInput(gettext("每位干部都要填写姓名和职务。"))
        committee = row.get("committee")
        if not isinstance(committee, Committee):
            raise InvalidInput(gettext("请选择所属组织。"))
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
    site_version_bump(community=community)
    return saved


def street_office_result_publish(
    *,
    community: Community,
    period: str,
    composite: Decimal,
    rank: int,
    out_of: int,
    summary: str,
    published_at: datetime,
    tied: bool = False,
    sources: list[list[str]] | None = None,
    vetoes: list[str] | None = None,
    approved_by_name: str = "",
    street_office_name: str = "",
) -> None:
    """Record (or replace) the year's result in this community's schema; the portal shows it (a rank
    another community shares as 并列), with its sources, what vetoed excellence, who approved it and
    when, under the street office's seal."""
    from communities.models import StreetOfficeResult

    StreetOfficeResult.objects.update_or_create(
        period=period,
        defaults={
            "composite": composite,
            "rank": rank,
            "tied": tied,
            "out_of": out_of,
            "summary": summary,
            "published_at": published_at,
            "sources": sources or [],
            "vetoes": vetoes or [],
            "approved_by_name": approved_by_name,
            "street_office_name": street_office_name,
        },
    )
    site_version_bump(community=community)
