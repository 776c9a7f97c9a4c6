"""Resolve the site from the host, once per request; keep sessions on the site that made them; end idle
sessions; hold a login at its two-factor step until it is done."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name

from tenants import selectors
from tenants.i18n import language_of

SESSION_SITE_KEY = "_gongkai_site"


class CommunityTenantMiddleware(TenantMainMiddleware):
    """The base domain is the street-office site (public schema); ``<code>.<base>`` is a community.

    An unknown sub-domain gets a Chinese 404 page that says so; a deactivated community a closed page.
    ``request.community`` is the Community or None on the street-office site.
    """

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
        # The pages below render before the language middleware runs: pick the visitor's language now.
        translation.activate(language_of(request))
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
        connection.set_tenant(community)  # type: ignore[attr-defined]  # django-tenants' connection
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


PRIVATE_NO_STORE = "private, no-store"


class PrivateToSignedInMiddleware:
    """Nothing answered to a signed-in user is kept by a browser or a proxy: ``Cache-Control: private,
    no-store`` on every response to a request made with a staff session, whatever the view set.

    Keyed on the session, not on a list of staff URLs: what makes a response personal is who asked.
    Every staff page, download (PDF, export, attachment), the admin and the two-factor setup page (which
    shows an authenticator's secret) answer only to a signed-in user, so none can be missed, including
    a page added tomorrow; a public page opened by a signed-in member carries their name and their CSRF
    token, so it is not shareable either. Anonymous visitors still get each public page's own caching.
    The district API authenticates each request with its key, not a session, and keeps its own
    ``private, no-cache`` with ETags (api/views_reports.py): revalidation is its documented contract.

    The user is read before the view runs (after ``SessionBoundToSiteMiddleware`` has dropped a session
    from another site), so a response that signs the user out (idle timeout, logout) is covered too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        response = self.get_response(request)
        if signed_in:
            response["Cache-Control"] = PRIVATE_NO_STORE
        return response


LAST_SEEN_KEY = "_gongkai_last_seen"
LAST_SEEN_RESOLUTION = 60  # seconds: the session is written at most once a minute, not on every click


class SessionIdleTimeoutMiddleware:
    """Sign staff out after their street office's ``session_idle_minutes`` without a request.

    A clerk who leaves a shared office computer is signed out half an hour later (by default) even
    though the browser stays open; the login page then says why. On a community's site its street
    office's choice applies (``tenants.selectors.session_idle_minutes``). ``SESSION_COOKIE_AGE`` remains
    the cap on a whole session however busy it is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            minutes = (
                selectors.session_idle_minutes(user=user, community=getattr(request, "community", None))
                if last_seen is not None
                else 0
            )
            if last_seen is not None and now - int(last_seen) > minutes * 60:
                logout(request)
                messages.info(
                    request,
                    _("您已超过 %(minutes)d 分钟没有操作,为了安全已自动退出,请重新登录。")
                    % {"minutes": minutes},
                )
            elif last_seen is None or now - int(last_seen) >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


TWO_FACTOR_KEY = "_gongkai_two_factor"  # "verify" or "enrol": the step still owed after the password


class TwoFactorMiddleware:
    """Hold a signed-in user at the two-factor step until it is done.

    Which step is owed is decided once, at login (tenants/signals.py): ``verify`` for anyone with a
    confirmed authenticator, ``enrol`` for street-office staff whose street office requires two-factor
    login and who have none yet. Until ``django_otp`` marks the session verified, every page but the
    step itself, logout, the display and language switch and static files answers with a redirect to the step.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            step = request.session.get(TWO_FACTOR_KEY)
            if step and not user.is_verified():
                name = "two_factor_verify" if step == "verify" else "two_factor_setup"
                target = reverse(name, urlconf="config.urls_common")
                if not self._open_while_pending(request.path, target):
                    return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _open_while_pending(path: str, target: str) -> bool:
        open_paths = (
            target,
            reverse("logout", urlconf="config.urls_common"),
            reverse("display", urlconf="config.urls_common"),
            settings.STATIC_URL,
        )
        return any(path.startswith(p) for p in open_paths)


def forwarded_client_ip(request: HttpRequest) -> str | None:
    """The visitor's address behind nginx, which sets X-Forwarded-For to ``$remote_addr`` (overwriting
    whatever the client sent, infra/nginx/gongkai.conf); django-axes locks username + this address."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
    return forwarded or request.META.get("REMOTE_ADDR")
