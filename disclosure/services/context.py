"""What every write of the disclosure engine shares: the community it runs in, the actor's roles, the
guards on state and ownership, the audit record, and the after-commit announcement to the layers above.

The caller has switched to the community's schema (middleware, tenant-schemas-celery, or
``tenant_context``); ``current_community`` reads it from the connection.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import connection, transaction

from disclosure import permissions
from disclosure.choices import DisclosureStatus
from disclosure.models import AuditRecord, Disclosure
from disclosure.permissions import Action
from disclosure.signals import disclosure_changed
from tenants.errors import Conflict, DomainError, NotAllowed
from tenants.models import Community, Membership, User

logger = logging.getLogger(__name__)


def current_community() -> Community:
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Community):
        return tenant
    return Community.objects.get(schema_name=connection.schema_name)  # type: ignore[attr-defined]  # django-tenants' connection


def roles_of(actor: User) -> set[str]:
    return set(
        Membership.objects.filter(user=actor, community=current_community()).values_list("role", flat=True)
    )


def users_with_roles(roles: set[str] | frozenset[str]) -> list[User]:
    """The active members of this community who hold any of ``roles``: whom a step notifies or grants."""
    return list(
        User.objects.filter(
            memberships__community=current_community(), memberships__role__in=roles, is_active=True
        ).distinct()
    )


def action_require(actor: User, action: Action) -> set[str]:
    """Refuse unless one of ``actor``'s roles in this community may do ``action``; return the roles."""
    roles = roles_of(actor)
    if not permissions.allowed(roles, action):
        raise NotAllowed("您的身份不能进行这项操作。")
    return roles


def disclosure_lock(disclosure: Disclosure) -> Disclosure:
    """The row again, locked for the rest of the transaction: two steps on one disclosure serialise."""
    return Disclosure.objects.select_for_update().get(pk=disclosure.pk)


def status_expect(disclosure: Disclosure, *statuses: str) -> None:
    if disclosure.status not in statuses:
        raise Conflict(f"这条公开内容当前是“{disclosure.get_status_display()}”,不能进行这项操作。")


def draft_change_check(*, disclosure: Disclosure, actor: User, doing: str = "修改这份草稿") -> None:
    """The one rule for changing a draft's content or files, and for opening its editor: it is a
    draft or was returned, and ``actor`` drafted it (the object permission given at creation)."""
    status_expect(disclosure, DisclosureStatus.DRAFT, DisclosureStatus.RETURNED)
    if not actor.has_perm(permissions.OWN_DRAFT, disclosure):
        raise NotAllowed(f"只有起草人可以{doing}。")


def draft_changeable(*, disclosure: Disclosure, actor: User) -> bool:
    try:
        draft_change_check(disclosure=disclosure, actor=actor)
    except DomainError:
        return False
    return True


def audit_record(obj: Any, actor: User | None, from_state: str, to_state: str, reason: str = "") -> None:
    """Who moved ``obj`` from one state to another, when and why; written in the caller's transaction."""
    AuditRecord.objects.create(
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        actor=actor,
        actor_name=actor.get_full_name() if actor else "系统",
        from_state=from_state,
        to_state=to_state,
        reason=reason[:500],
    )


def announce_change() -> None:
    """After commit, tell the layers above that this community's figures moved."""
    community_id = current_community().pk

    def announce() -> None:
        for receiver, error in disclosure_changed.send_robust(sender=Disclosure, community_id=community_id):
            if isinstance(error, Exception):
                logger.error("disclosure_changed receiver %r failed", receiver, exc_info=error)

    transaction.on_commit(announce)
