"""责任追究规则: a street office's versions of which failures open an order by themselves, read by the
evaluator and by the services that open orders at the moment of failure (a survey, a spot check, a
complaint)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspection import permissions, rules
from inspection.choices import RectificationSource
from inspection.models import AccountabilityRules, Rectification
from inspection.services.staff import require_street_staff
from tenants.errors import InvalidInput, NotAllowed
from tenants.models import StreetOffice, User

KINDS: tuple[str, ...] = tuple(rules.ACCOUNTABILITY_DEFAULTS)
THRESHOLD_KINDS = frozenset(
    k for k, (_on, threshold) in rules.ACCOUNTABILITY_DEFAULTS.items() if threshold is not None
)
RULES_REFUSED = gettext_lazy("责任追究规则由街道管理员或领导修订。")


@dataclass(frozen=True)
class Rule:
    """One kind's entry, defaults filled in."""

    kind: str
    on: bool
    threshold: int | None
    days: int
    roles: tuple[str, ...]

    @property
    def label(self) -> str:
        return str(RectificationSource(self.kind).label)

    def as_entry(self) -> dict[str, Any]:
        """As ``AccountabilityRules.entries`` keeps it (and the rules form is filled with)."""
        return {"on": self.on, "threshold": self.threshold, "days": self.days, "roles": list(self.roles)}


def _default_entry(kind: str) -> dict[str, Any]:
    on, threshold = rules.ACCOUNTABILITY_DEFAULTS[kind]
    return {
        "on": on,
        "threshold": threshold,
        "days": rules.RECTIFICATION_WORKING_DAYS,
        "roles": list(permissions.COMMUNITY_HEADS),
    }


def rules_default_entries() -> dict[str, dict[str, Any]]:
    return {kind: _default_entry(kind) for kind in KINDS}


def rule_of(version: AccountabilityRules, kind: str) -> Rule:
    entry = {**_default_entry(kind), **version.entry(kind)}
    return Rule(
        kind=kind,
        on=bool(entry["on"]),
        threshold=entry["threshold"] if kind in THRESHOLD_KINDS else None,
        days=int(entry["days"]),
        roles=tuple(entry["roles"]),
    )


def rules_all(version: AccountabilityRules) -> list[Rule]:
    return [rule_of(version, kind) for kind in KINDS]


def rules_for(*, street_office_id: int, today: date | None = None) -> AccountabilityRules:
    """The version in force: the street office's latest, or its first (the defaults), made now and
    counting failures from 1 January of this year."""
    latest = (
        AccountabilityRules.objects.filter(street_office_id=street_office_id).order_by("-version").first()
    )
    if latest is not None:
        return latest
    day = today or timezone.localdate()
    version, _created = AccountabilityRules.objects.get_or_create(
        street_office_id=street_office_id,
        version=1,
        defaults={"entries": rules_default_entries(), "counts_from": date(day.year, 1, 1)},
    )
    return version


def rule_for(
    *, street_office_id: int, kind: str, today: date | None = None
) -> tuple[AccountabilityRules, Rule]:
    version = rules_for(street_office_id=street_office_id, today=today)
    return version, rule_of(version, kind)


def _checked(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    label = RectificationSource(kind).label
    days = row.get("days")
    if not isinstance(days, int) or not 1 <= days <= rules.RECTIFICATION_MAX_WORKING_DAYS:
        raise InvalidInput(
            _("“%(label)s”的整改期限应在 1 到 %(max)s 个工作日之间。")
            % {"label": label, "max": rules.RECTIFICATION_MAX_WORKING_DAYS}
        )
    roles = [r for r in row.get("roles") or [] if r]
    if any(r not in rules.ACCOUNTABLE_ROLES for r in roles):
        raise InvalidInput(_("“%(label)s”的责任人只能是社区书记、主任、副主任或经办人。") % {"label": label})
    if row.get("on") and not roles:
        raise InvalidInput(_("请为“%(label)s”选择至少一个责任人角色。") % {"label": label})
    threshold = row.get("threshold") if kind in THRESHOLD_KINDS else None
    if kind in THRESHOLD_KINDS and (
        not isinstance(threshold, int) or not 0 <= threshold <= rules.ACCOUNTABILITY_THRESHOLD_MAX
    ):
        raise InvalidInput(
            _("“%(label)s”的标准应在 0 到 %(max)s 之间。")
            % {"label": label, "max": rules.ACCOUNTABILITY_THRESHOLD_MAX}
        )
    return {"on": bool(row.get("on")), "threshold": threshold, "days": days, "roles": roles}


@transaction.atomic
def rules_revise(
    *, street_office: StreetOffice, actor: User, entries: dict[str, dict[str, Any]]
) -> AccountabilityRules:
    """Save the street office's rules. A version that opened an order is never edited: the revision
    becomes a new version, and orders keep the version that opened them."""
    roles = require_street_staff(actor, street_office.pk)
    if not permissions.can_revise_standard(actor, roles):
        raise NotAllowed(RULES_REFUSED)
    checked = {kind: _checked(kind, entries.get(kind) or {}) for kind in KINDS}
    current = rules_for(street_office_id=street_office.pk)
    AccountabilityRules.objects.select_for_update().filter(pk=current.pk).first()
    if not Rectification.objects.filter(rules=current).exists():
        current.entries, current.revised_by = checked, actor
        current.save(update_fields=["entries", "revised_by", "updated_at"])
        return current
    return AccountabilityRules.objects.create(
        street_office=street_office,
        version=current.version + 1,
        entries=checked,
        counts_from=current.counts_from,
        revised_by=actor,
    )
