"""Residents' pages from the cache: a community's portal, feeds, e-screen and touch screen are the same
for every anonymous visitor until something residents read changes, so each is rendered once.

The key names the community (its schema and id), the version of what its residents read
(``tenants.models.SiteVersion``, bumped in the transaction of every publication, correction, archive,
renewal, public answer, profile, cadre-board or result change), the day (display windows open and
close at midnight), the language, each cookie that changes the page (large text and high contrast,
the touch screen's idle time) and the address asked for. A change therefore needs no deletion: the
next request reads the new version and finds no entry for it; old entries expire after
``PORTAL_CACHE_SECONDS``.

The same state is the page's ``ETag`` (and ``Last-Modified``, the later of the last change and the
start of the day), so a browser that has the page gets a 304 without a query beyond the version's.

Never from the cache, never into it: anything but GET and HEAD, a signed-in user (their page has their
name and their CSRF token), a visitor with a message waiting, a search (``q``: the street office's
synonyms change its results too). Never stored: a response that is not a 200, streams, sets a cookie,
carries a CSRF token or showed a message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

from disclosure.portal.screens import TOUCH_IDLE_COOKIE
from tenants.display import display_modes
from tenants.selectors import site_version_of

STATE_ATTRIBUTE = "_portal_page_state"
PAGE_KEY_PREFIX = "portal:page:"


@dataclass(frozen=True)
class PageState:
    key: str
    etag: str
    last_modified: datetime


def page_state(request: HttpRequest) -> PageState:
    """What this request's page depends on, read once per request (the version is one indexed row)."""
    state: PageState | None = getattr(request, STATE_ATTRIBUTE, None)
    if state is not None:
        return state
    community = request.community  # type: ignore[attr-defined]  # set by the tenant middleware
    version, changed_at = site_version_of(community)
    today = timezone.localdate()
    midnight = timezone.make_aware(datetime.combine(today, time.min))
    parts = [
        community.schema_name,
        str(community.pk),
        str(version),
        changed_at.isoformat() if changed_at else "",
        today.isoformat(),
        translation.get_language() or "",
        *(f"{mode}={on}" for mode, on in sorted(display_modes(request).items())),  # 适老化 modes
        request.COOKIES.get(TOUCH_IDLE_COOKIE, ""),
        request.build_absolute_uri(),  # scheme and host too: QR codes and feeds carry whole addresses
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    state = PageState(
        key=f"{PAGE_KEY_PREFIX}{community.schema_name}:{digest}",
        etag=f'"{digest[:40]}"',
        last_modified=max(changed_at, midnight) if changed_at else midnight,
    )
    setattr(request, STATE_ATTRIBUTE, state)
    return state


def _messages_waiting(request: HttpRequest) -> bool:
    return hasattr(request, "_messages") and len(messages.get_messages(request)) > 0


def may_use_cache(request: HttpRequest) -> bool:
    """Only an anonymous visitor's plain reading of a community's page is the same for everyone."""
    user = getattr(request, "user", None)
    return (
        request.method in ("GET", "HEAD")
        and getattr(request, "community", None) is not None
        and (user is None or not user.is_authenticated)
        and "q" not in request.GET
        and not _messages_waiting(request)
    )


def may_store(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a CSRF token was put in the page
        and not _messages_waiting(request)
    )


def _etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return page_state(request).etag


def _last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime:
    return page_state(request).last_modified


def public_cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view`` from the cache to anonymous visitors, with ETag, Last-Modified and 304s.

    Inside ``chinese_only`` where the page is always Chinese, so both languages share its entry."""

    def from_cache(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        state = page_state(request)
        response: HttpResponse | None = cache.get(state.key)
        if response is None:
            response = view(request, *args, **kwargs)
            if may_store(request, response):
                cache.set(state.key, response, settings.PORTAL_CACHE_SECONDS)
        return response

    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(from_cache)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_use_cache(request):
            return view(request, *args, **kwargs)
        response: HttpResponse = conditional(request, *args, **kwargs)
        # a browser asks again every time (a 304 when nothing changed): a publication shows at once
        patch_cache_control(response, no_cache=True)
        return response

    return wrapped
