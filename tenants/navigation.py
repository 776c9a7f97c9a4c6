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

from django.contrib import admin
from django.http import HttpRequest
from django.urls import resolve, reverse
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from tenants.access import opens_for


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
    PORTAL = "portal"  # the residents' bar above every public page of a community's site


@dataclass(frozen=True)
class Entry:
    """One link. ``shown_to`` is the test on the request for whom it is shown; ``None`` (the usual):
    whoever the target view lets in, by the rule its access decorator declares
    (``tenants.access.opens_for``), so a menu never offers a page that answers 没有权限. ``order``
    places it among the other apps' entries, smallest first."""

    label: str | Promise
    url_name: str
    site: Site
    order: int
    shown_to: Callable[[HttpRequest], bool] | None = None
    # how many things wait behind the link for this person (待我办理), shown beside it when not zero
    count: Callable[[HttpRequest], int] | None = None


@dataclass(frozen=True)
class MenuItem:
    """An entry as a template renders it: the label, the URL resolved for this request, the URL's name
    (a template marks the page it is on with it), and how many things wait behind it."""

    label: str | Promise
    url: str
    url_name: str = ""
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


def entries(section: Section) -> list[Entry]:
    """Every entry of a menu, for every site and user, in order (what the menus are built from)."""
    return list(_registry[section])


def shown_to(entry: Entry, request: HttpRequest) -> bool:
    """Whether this request's user is offered the entry: its own test, else the target view's rule.
    Only asked on the entry's own site, where its URL name resolves."""
    if entry.shown_to is not None:
        return entry.shown_to(request)
    rule = opens_for(resolve(reverse(entry.url_name)).func)
    return rule is None or rule(request)


def menu(section: Section, request: HttpRequest) -> list[MenuItem]:
    """The section's entries for this site and this user, in order, with their URLs resolved."""
    site = site_of(request)
    return [
        MenuItem(
            label=entry.label,
            url=reverse(entry.url_name),
            url_name=entry.url_name,
            count=entry.count(request) if entry.count is not None else 0,
        )
        for entry in _registry[section]
        if entry.site == site and shown_to(entry, request)
    ]


# --- tenants' own entry ----------------------------------------------------------------------------


def _may_use_the_admin(request: HttpRequest) -> bool:
    """The Django admin has no access decorator: its site's own test lets people in (active users
    with the staff flag, which street-office admins get on grant), so its entry asks that test."""
    return admin.site.has_permission(request)


register(
    Section.STREET_OFFICE_HOME,
    Entry(_("管理后台"), "admin:index", Site.STREET_OFFICE, order=90, shown_to=_may_use_the_admin),
)
