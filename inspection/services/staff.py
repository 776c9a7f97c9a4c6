"""The check every street-office write starts with: the person works for the street office the
thing belongs to. Shared by all the sub-domains' services; who counts as street-office staff is
``tenants.permissions.STREET_STAFF``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tenants import selectors as tenant_selectors
from tenants.errors import NotAllowed
from tenants.models import User
from tenants.permissions import STREET_STAFF


def require_street_staff(actor: User, street_office_id: int) -> set[str]:
    """The actor's roles in that street office; refused unless they have one (or are a superuser)."""
    roles = tenant_selectors.street_office_roles_of(user=actor, street_office_id=street_office_id)
    if not roles & STREET_STAFF and not actor.is_superuser:
        raise NotAllowed(_("只有本街道的工作人员可以进行这项操作。"))
    return roles
