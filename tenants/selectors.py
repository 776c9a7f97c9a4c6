"""Reads of the public schema that views, commands and tasks share."""

from __future__ import annotations

from datetime import datetime
from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Min, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.choices import StreetOfficeRole
from tenants.models import (
    IDLE_MINUTES_DEFAULT,
    Community,
    Domain,
    Membership,
    SiteVersion,
    StreetOffice,
    StreetOfficeMembership,
    User,
)

HOST_CACHE_SECONDS = 300


def host_cache_key(hostname: str) -> str:
    return f"tenants:host:{hostname}"


def community_for_hostname(hostname: str) -> Community | None:
    """The community served on ``hostname``, active or not; None for an unknown host.

    Every request asks this, so a known host is answered from the cache (saving a query and a
    ``SET search_path`` per request); saving or deleting a community or domain drops the entry
    (tenants/signals.py). Unknown hosts are not cached, so nobody can fill the cache with them.
    """
    key = host_cache_key(hostname)
    community = cache.get(key)
    if community is not None:
        return community  # type: ignore[no-any-return]
    domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
    if domain is None:
        return None
    cache.set(key, domain.tenant, HOST_CACHE_SECONDS)
    return domain.tenant


def community_roles_of(*, user: User | AnonymousUser, community: Community | None) -> set[str]:
    """The user's roles in ``community``; none for a visitor, or on the street office's site (None)."""
    if not user.is_authenticated or community is None:
        return set()
    return set(Membership.objects.filter(user=user, community=community).values_list("role", flat=True))


def street_office_roles_of(*, user: User | AnonymousUser, street_office_id: int | None = None) -> set[str]:
    """The user's roles in any street office, or in the one given."""
    if not user.is_authenticated:
        return set()
    memberships = StreetOfficeMembership.objects.filter(user=user)
    if street_office_id is not None:
        memberships = memberships.filter(street_office_id=street_office_id)
    return set(memberships.values_list("role", flat=True))


def is_street_office_staff(user: User | AnonymousUser) -> TypeGuard[User]:
    """A superuser, or anyone with a role in a street office; tells the type checker it is a User."""
    return bool(user.is_authenticated and (user.is_superuser or street_office_roles_of(user=user)))


def street_offices_of(user: User) -> QuerySet[StreetOffice]:
    """The street offices a user works for; a superuser works for all of them."""
    if user.is_superuser:
        return StreetOffice.objects.all()
    return StreetOffice.objects.filter(memberships__user=user).distinct()


def communities_visible_to(user: User) -> QuerySet[Community]:
    """Street-office staff see only the communities of their own street office(s)."""
    if not user.is_authenticated:
        return Community.objects.none()
    return Community.objects.filter(street_office__in=street_offices_of(user)).select_related("street_office")


def communities_in_charge_of(user: User) -> QuerySet[Community]:
    """The communities a street leader is 包社区领导 for."""
    return Community.objects.filter(
        leaders_in_charge__user=user, leaders_in_charge__role=StreetOfficeRole.LEADER
    ).distinct()


def leader_in_charge_of(community: Community) -> User | None:
    """The community's 包社区领导 (the first, if several are named)."""
    return (
        User.objects.filter(
            street_office_memberships__communities_in_charge=community,
            street_office_memberships__role=StreetOfficeRole.LEADER,
            is_active=True,
        )
        .order_by("pk")
        .first()
    )


# --- two-factor login ---------------------------------------------------------------------------------


def totp_device_of(*, user: User, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-id").first()


def two_factor_required_for(user: User) -> bool:
    """Whether any street office the user works for requires two-factor login of its staff."""
    return StreetOffice.objects.filter(memberships__user=user, require_two_factor=True).exists()


def two_factor_step_for(*, user: User, on_street_office_site: bool) -> str:
    """The step owed after the password: ``verify`` with a confirmed authenticator; ``enrol`` for staff
    whose street office requires one and who have none yet (on the street-office site); else nothing."""
    if totp_device_of(user=user) is not None:
        return "verify"
    if on_street_office_site and two_factor_required_for(user):
        return "enrol"
    return ""


def street_offices_administered_by(user: User) -> QuerySet[StreetOffice]:
    if user.is_superuser:
        return StreetOffice.objects.all()
    return StreetOffice.objects.filter(
        memberships__user=user, memberships__role=StreetOfficeRole.ADMIN
    ).distinct()


def session_idle_minutes(*, user: User, community: Community | None) -> int:
    """How long a signed-in user may stay idle: on a community's site, its street office's choice; on
    the street office's site, the strictest choice among the user's street offices; the default for
    anyone with none (a superuser working for no street office)."""
    if community is not None:
        return community.street_office.session_idle_minutes
    if not user.is_superuser:
        chosen = StreetOffice.objects.filter(memberships__user=user).aggregate(m=Min("session_idle_minutes"))
        if chosen["m"] is not None:
            return int(chosen["m"])
    return IDLE_MINUTES_DEFAULT


def site_version_of(community: Community) -> tuple[int, datetime | None]:
    """The version of what ``community``'s residents read and when it last changed (0 and None while
    nothing has): read afresh on every request, so a change that committed is never missed."""
    row = SiteVersion.objects.filter(community_id=community.pk).values_list("version", "changed_at").first()
    return row if row is not None else (0, None)
