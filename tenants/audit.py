"""The audit trail of the street-office layer (public schema): one append-only row per state change of
anything the street office or a resident's complaint to it moves — who, when, before → after, why.

``audit_record`` is the one call a service makes, in its own transaction, for any model: the row names
the object by its model label and key, so this layer knows none of the apps that call it. A
community's own records (disclosures, residents' feedback) keep theirs in the community's schema
(``disclosure.models.AuditRecord``), under the same database guard (``tenants.dbguards``).

``audit_lines`` turns either kind of row into what ``templates/workspace/_audit_history.html`` shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet

from tenants.models import AuditEntry, User

SYSTEM = "系统"
RESIDENT = "居民"  # who acts without an account: a resident filing or rating
REASON_LIMIT = 500


def audit_type(obj: Model) -> str:
    """How an object is named in the trail: its model label (``inspection.rectification``)."""
    return obj._meta.label_lower


def audit_record(
    obj: Model, actor: User | None, from_state: str, to_state: str, note: str = "", *, actor_name: str = ""
) -> AuditEntry:
    """``actor`` (``None``: the system, e.g. a nightly escalation, or one without an account named by
    ``actor_name``, e.g. a resident) moved ``obj`` from ``from_state`` to ``to_state`` (``""`` before it
    existed), for the reason ``note``. Written in the caller's transaction: the change and its record
    commit or roll back together."""
    return AuditEntry.objects.create(
        object_type=audit_type(obj),
        object_id=obj.pk,
        actor=actor,
        actor_name=actor.get_full_name() if actor else (actor_name or SYSTEM),
        from_state=from_state,
        to_state=to_state,
        reason=note.strip()[:REASON_LIMIT],
    )


def audit_entries(obj: Model) -> QuerySet[AuditEntry]:
    """The object's trail, oldest first."""
    return AuditEntry.objects.filter(object_type=audit_type(obj), object_id=obj.pk).order_by("at", "id")


class _Row(Protocol):
    at: datetime
    actor_name: str
    from_state: str
    to_state: str
    reason: str


@dataclass(frozen=True)
class AuditLine:
    """One row as a person reads it: the states by their names in the UI."""

    at: datetime
    actor_name: str
    before: str
    after: str
    reason: str
    subject: str = ""  # which object, where one page shows several trails (an evaluation's communities)


def state_labels(obj: Model) -> dict[str, str]:
    """The names the object's ``status`` choices have in the UI, if it has such a field."""
    try:
        field = obj._meta.get_field("status")
    except FieldDoesNotExist:
        return {}
    return {str(value): str(label) for value, label in getattr(field, "flatchoices", [])}


def audit_lines(rows: Iterable[_Row], labels: Mapping[str, Any], *, subject: str = "") -> list[AuditLine]:
    """Rows of either trail (public or a community's), each state by its label where it has one."""
    return [
        AuditLine(
            at=row.at,
            actor_name=row.actor_name or SYSTEM,
            before=str(labels.get(row.from_state, row.from_state)),
            after=str(labels.get(row.to_state, row.to_state)),
            reason=row.reason,
            subject=subject,
        )
        for row in rows
    ]


def audit_trail(obj: Model, labels: Mapping[str, Any] | None = None) -> list[AuditLine]:
    """What the object's page shows: its trail, the states named by its ``status`` choices and by
    ``labels`` (states that are not a status, e.g. an evaluation's 计算 and 审定)."""
    return audit_lines(audit_entries(obj), {**state_labels(obj), **(labels or {})})
