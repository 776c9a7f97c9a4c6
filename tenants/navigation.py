"""The menus several apps contribute to, so that no template links up the layering.

A shared template used to name other apps' URLs: the community workspace menu (a disclosure
partial) linked to inspection's results, the street-office home linked to inspection's pages, the
page header linked to disclosure's workspace. Now each app registers its own entries in its own
``navigation.py`` (its URL names, its labels) and the shared templates render a menu by section
with ``{% menu "<section>" as items %}`` (``tenants/templatetags/navigation.py``).

The registry lives in ``tenants``, the lowest app, so that every app may import it; it imports none
of them. ``TenantsConfig.ready()`` imports each installed app's ``navigation`` module, the way the
admin finds ``admin.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class Site(StrEnum):
    """Which host an entry's URL name resolves on: a community's sub-domain or the base domain."""

    COMMUNITY = "community"
    STREET_OFFICE = "street_office"


class Section(StrEnum):
    """The menus. Each template that renders one names it; each entry says which one it joins."""

    ACCOUNT = "account"  # the page header, before the signed-in user's name
    COMMUNITY_WORKSPACE = "community_workspace"  # above every community staff page
    STREET_OFFICE = "street_office"  # above every street-office page
    STREET_OFFICE_HOME = "street_office_home"  # the buttons under the street office's communities


@dataclass(frozen=True)
class Entry:
    """One link. ``shown_to`` is the role test on the request (``None``: everyone who may open the
    pages the menu sits on); ``order`` places it among the other apps' entries, smallest first."""

    label: str | Promise
    url_name: str
    site: Site
    order: int
    shown_to: Callable[[HttpRequest], bool] | None = None
    # how many things wait behind the link for this person (待我办理), shown beside it when not zero
    count: Callable[[HttpRequest], int] | None = None


@dataclass(frozen=True)
class MenuItem:
    """An entry as a template renders it: the label, the URL resolved for this request, and its count."""

    label: str | Promise
    url: str
    count: int = 0


_registry: dict[Section, list[Entry]] = {section: [] for section in Section}


def register(section: Section, *entries: Entry) -> None:
    """Add an app's entries to a menu; called at import time from the app's ``navigation.py``."""
    _registry[section].extend(entries)
    _registry[section].sort(key=lambda e: e.order)


def autodiscover() -> None:
    """Import every installed app's ``navigation`` module so that its entries are registered."""
    autodiscover_modules("navigation")


def site_of(request: HttpRequest) -> Site:
    """A request on a community's sub-domain carries the community (``tenants.middleware``)."""
    return Site.STREET_OFFICE if getattr(request, "community", None) is None else Site.COMMUNITY


def menu(section: Section, request: HttpRequest) -> list[MenuItem]:
    """The section's entries for this site and this user, in order, with their URLs resolved."""
    site = site_of(request)
    return [
        MenuItem(
            label=entry.label,
            url=reverse(entry.url_name),
            count=entry.count(request) if entry.count is not None else 0,
        )
        for entry in _registry[section]
        if entry.site == site and (entry.shown_to is None or entry.shown_to(request))
    ]


# --- tenants' own entry ----------------------------------------------------------------------------


def _is_django_staff(request: HttpRequest) -> bool:
    """The Django admin is for users with its staff flag (street-office admins get it on grant)."""
    return bool(getattr(request.user, "is_staff", False))


register(
    Section.STREET_OFFICE_HOME,
    Entry(_("管理后台"), "admin:index", Site.STREET_OFFICE, order=90, shown_to=_is_django_staff),
)
