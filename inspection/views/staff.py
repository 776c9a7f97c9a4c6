"""The checks every street-office page starts with, shared by its view modules."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from tenants import selectors as tenant_selectors
from tenants.models import StreetOffice


def require_staff(request: HttpRequest) -> None:
    if not tenant_selectors.is_street_office_staff(request.user):  # type: ignore[arg-type]
        raise PermissionDenied


def office_of(request: HttpRequest) -> StreetOffice:
    """The street office the page works on: the user's first one."""
    offices = tenant_selectors.street_offices_of(request.user)  # type: ignore[arg-type]
    office = offices.first()
    if office is None:
        raise PermissionDenied
    return office
