"""The check every street-office write starts with: the person works for the street office the
thing belongs to. Shared by all the sub-domains' services."""

from __future__ import annotations

from tenants.errors import NotAllowed
from tenants.models import StreetOfficeMembership, User


def require_street_staff(actor: User, street_office_id: int) -> set[str]:
    """The actor's roles in that street office; refused unless they have one (or are a superuser)."""
    roles = set(
        StreetOfficeMembership.objects.filter(user=actor, street_office_id=street_office_id).values_list(
            "role", flat=True
        )
    )
    if not roles and not actor.is_superuser:
        raise NotAllowed("只有本街道的工作人员可以进行这项操作。")
    return roles
