"""Resolve the site from the host, once per request, and keep sessions on the site that made them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name

from tenants import selectors

SESSION_SITE_KEY = "_gongkai_site"


class CommunityTenantMiddleware(TenantMainMiddleware):
    """The base domain is the street-office site (public schema); ``<code>.<base>`` is a community.

    An unknown sub-domain gets a Chinese 404 page that says so; a deactivated community a closed page.
    ``request.community`` is the Community or None on the street-office site.
    """

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        connection.set_schema_to_public()
        # The pages below render before LocaleMiddleware runs: pick the visitor's language now.
        translation.activate(translation.get_language_from_request(request))
        request.community = None  # type: ignore[attr-defined]
        request.tenant = connection.tenant  # type: ignore[attr-defined]
        try:
            hostname = self.hostname_from_request(request)
        except DisallowedHost:
            return render(request, "tenants/unknown_site.html", {"hostname": ""}, status=400)

        if hostname == settings.BASE_DOMAIN:
            self.setup_url_routing(request, force_public=True)
            return None

        community = selectors.community_for_hostname(hostname)
        if community is None:
            return render(
                request,
                "tenants/unknown_site.html",
                {"hostname": hostname, "base_domain": settings.BASE_DOMAIN},
                status=404,
            )
        if not community.is_active:
            return render(request, "tenants/closed_site.html", {"community": community}, status=403)
        community.domain_url = hostname
        request.tenant = community  # type: ignore[attr-defined]
        request.community = community  # type: ignore[attr-defined]
        connection.set_tenant(community)
        self.setup_url_routing(request)
        return None


def site_key(request: HttpRequest) -> str:
    """The schema a request is served from: a community's code, or ``public`` for the street office."""
    community = getattr(request, "community", None)
    return community.schema_name if community is not None else get_public_schema_name()


class SessionBoundToSiteMiddleware:
    """A session made on one site is worth nothing on another, even if its cookie is sent there by hand.

    Cookies are host-only already; this closes the gap of a copied cookie, since every site shares one
    session table in the public schema.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.session.get(SESSION_SITE_KEY) != site_key(request)
        ):
            request.user = AnonymousUser()
        return self.get_response(request)
