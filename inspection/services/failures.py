"""One failure an accountability rule names, and the one way it opens an order: by its key, unique in
the database, so the same failure never opens two orders (``inspection.services.accountability``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction

from inspection.models import AccountabilityRules, Rectification, SpotCheck, Survey
from inspection.services.accountability_rules import Rule
from inspection.services.rectifications import rectification_issue
from tenants.models import Community, User

TENANT_URLS = "config.urls_tenant"
PUBLIC_URLS = "config.urls_public"


@dataclass(frozen=True)
class Failure:
    key: str
    issues: str
    evidence: list[dict[str, str]] = field(default_factory=list)
    # the visit or the survey the order is about, where it is one
    spot_check: SpotCheck | None = None
    survey: Survey | None = None


def failure_key(kind: str, community: Community, pk: int) -> str:
    return f"{kind}:{community.pk}:{pk}"


def link(label: str, *, community_url: str = "", street_url: str = "") -> dict[str, str]:
    """One piece of evidence: what it is, where the community opens it, where the street office does."""
    return {"label": label, "url": community_url, "street_url": street_url}


def failure_open(
    *,
    community: Community,
    kind: str,
    failure: Failure,
    rule: Rule,
    version: AccountabilityRules,
    on: date,
    actor: User | None = None,
) -> Rectification | None:
    """One order for one failure, or ``None`` when it already has one (also when another run opened it
    a moment ago: the database's unique key decides)."""
    if Rectification.objects.filter(failure_key=failure.key).exists():
        return None
    try:
        with transaction.atomic():
            return rectification_issue(
                community=community,
                source=kind,
                issues=failure.issues,
                actor=actor,
                working_days=rule.days,
                roles=list(rule.roles),
                survey=failure.survey,
                spot_check=failure.spot_check,
                today=on,
                failure_key=failure.key,
                evidence=failure.evidence,
                rules_version=version,
            )
    except IntegrityError:
        return None
