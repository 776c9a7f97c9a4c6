"""What every write of the disclosure engine shares: the actor's roles, the guards on state and
ownership, the audit record, and the after-commit announcement to the layers above.

The caller has switched to the community's schema (middleware, tenant-schemas-celery, or
``tenant_context``) and passes the community to the services that need it (``community=``): the view
has ``request.community``, a task the tenant its schema was switched to. Nothing here guesses it.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from communities.services import notifications_resolve
from disclosure import permissions, topics
from disclosure.choices import DisclosureStatus, ObligationStatus
from disclosure.models import AuditRecord, Disclosure, Obligation
from disclosure.permissions import Action
from disclosure.signals import disclosure_changed
from tenants.errors import Conflict, DomainError, NotAllowed
from tenants.models import Community, User
from tenants.selectors import community_roles_of
from tenants.services import site_version_bump

logger = logging.getLogger(__name__)


def users_with_roles(roles: set[str] | frozenset[str], *, community: Community) -> list[User]:
    """The active members of ``community`` who hold any of ``roles``: whom a step notifies or grants."""
    return list(
        User.objects.filter(
            memberships__community=community, memberships__role__in=roles, is_active=True
        ).distinct()
    )


def action_require(actor: User, action: Action, *, community: Community) -> set[str]:
    """Refuse unless one of ``actor``'s roles in ``community`` may do ``action``; return the roles."""
    roles = community_roles_of(user=actor, community=community)
    if not permissions.allowed(roles, action):
        raise NotAllowed(permissions.refusal(action))
    return roles


def disclosure_lock(disclosure: Disclosure) -> Disclosure:
    """The row again, locked for the rest of the transaction: two steps on one disclosure serialise."""
    return Disclosure.objects.select_for_update().get(pk=disclosure.pk)


def status_expect(disclosure: Disclosure, *statuses: str) -> None:
    if disclosure.status not in statuses:
        raise Conflict(
            _("这条公开内容当前是“%(get_status_display)s”,不能进行这项操作。")
            % {"get_status_display": disclosure.get_status_display()}
        )


def draft_change_check(*, disclosure: Disclosure, actor: User, doing: str = "修改这份草稿") -> None:
    """The one rule for changing a draft's content or files, and for opening its editor: it is a
    draft or was returned, and ``actor`` drafted it (the object permission given at creation)."""
    status_expect(disclosure, DisclosureStatus.DRAFT, DisclosureStatus.RETURNED)
    if not actor.has_perm(permissions.OWN_DRAFT, disclosure):
        raise NotAllowed(permissions.own_draft_refusal(doing))


def content_expect(disclosure: Disclosure, seen_hash: str, *, doing: str) -> None:
    """A step confirmed on a page that showed the content (its short hash among it) binds to what was
    shown: if the content changed since, the step is refused rather than taken on content nobody
    read. An empty ``seen_hash`` (a step posted without the confirmation page) checks nothing."""
    if seen_hash and seen_hash != disclosure.content_hash:
        raise Conflict(_("您核对之后,内容又被修改过。请重新核对后再%(doing)s。") % {"doing": doing})


def author_record(disclosure: Disclosure, actor: User) -> None:
    """``actor`` wrote part of this version's content: one of its authors from now on (the caller saves)."""
    if actor.pk not in disclosure.authors:
        disclosure.authors = [*disclosure.authors, actor.pk]


def content_rehash(disclosure: Disclosure, *, actor: User, fields: tuple[str, ...] = ()) -> None:
    """A draft's content changed by ``actor`` (its ``fields``, or its files): the hash again, so every
    earlier signature stops counting, ``actor`` among its authors, and the row saved."""
    author_record(disclosure, actor)
    disclosure.content_hash = disclosure.compute_content_hash()
    disclosure.save(update_fields=[*fields, "content_hash", "authors", "updated_at"])


def draft_changeable(*, disclosure: Disclosure, actor: User) -> bool:
    try:
        draft_change_check(disclosure=disclosure, actor=actor)
    except DomainError:
        return False
    return True


def audit_record(
    obj: Any, actor: User | None, from_state: str, to_state: str, reason: str = "", *, actor_name: str = ""
) -> None:
    """Who moved ``obj`` from one state to another, when and why; written in the caller's transaction.
    ``actor_name`` names one who has no account (a resident); without it and an actor, the system."""
    AuditRecord.objects.create(
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        actor=actor,
        actor_name=actor.get_full_name() if actor else (actor_name or "系统"),
        from_state=from_state,
        to_state=to_state,
        reason=reason[:500],
    )


def obligation_fulfil(
    obligation: Obligation, *, by: Disclosure, actor: User, today: date, reason: str = ""
) -> None:
    """An open obligation answered on ``today`` by the version ``by``: on time up to its deadline, late
    after it; its reminders stop waiting. The caller holds the obligation's row."""
    previous = obligation.status
    obligation.fulfilled_by = by
    obligation.fulfilled_on = today
    obligation.status = ObligationStatus.ON_TIME if today <= obligation.due_date else ObligationStatus.LATE
    obligation.save()
    audit_record(obligation, actor, previous, obligation.status, reason)
    notifications_resolve(topic=topics.obligation(obligation.pk))


def announce_change(*, community: Community) -> None:
    """After commit, tell the layers above that ``community``'s figures moved. What residents read may
    have moved with them (an obligation waived or opened changes what the e-screen keeps up): its
    cached pages are out of date from the same commit (``site_version_bump``, in this transaction)."""
    site_version_bump(community=community)
    community_id = community.pk

    def announce() -> None:
        for receiver, error in disclosure_changed.send_robust(sender=Disclosure, community_id=community_id):
            if isinstance(error, Exception):
                logger.error("disclosure_changed receiver %r failed", receiver, exc_info=error)

    transaction.on_commit(announce)
