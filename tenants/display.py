"""How a person wants every page shown, chosen with links at the top and the foot of every page: the two
适老化 display modes — large text and high contrast — and the language (``tenants.i18n``), each
remembered in a cookie for a year, on the community's site and on the street office's.

One GET switch for all three: it only ever sets the visitor's own display cookies, so no page needs a
CSRF token for it, and residents' pages stay the same for every visitor and can be cached
(``disclosure/portal/caching.py``)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

# query parameter → cookie; each mode is set or cleared on its own
MODES = {"large": "gk_large_text", "contrast": "gk_contrast"}
REMEMBERED_FOR = timedelta(days=365)


def display_modes(request: HttpRequest) -> dict[str, bool]:
    """What every page's template reads: ``large_text`` and ``high_contrast``."""
    return {
        "large_text": request.COOKIES.get(MODES["large"]) == "1",
        "high_contrast": request.COOKIES.get(MODES["contrast"]) == "1",
    }


def display_switch(request: HttpRequest) -> HttpResponseRedirect:
    """``?large=1`` / ``?large=0`` and ``?contrast=1`` / ``?contrast=0`` turn a mode on for a year or
    off, ``?lang=en`` / ``?lang=zh-hans`` picks the language (any other value is ignored), then back to
    the page (``next``, on this site only).

    It sets a value rather than flipping one, so a double tap or a prefetch cannot undo it.
    """
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    for parameter, cookie in MODES.items():
        value = request.GET.get(parameter)
        if value == "1":
            response.set_cookie(
                cookie,
                "1",
                max_age=int(REMEMBERED_FOR.total_seconds()),
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        elif value is not None:
            response.delete_cookie(cookie, samesite="Lax")
    language = request.GET.get("lang", "")
    if language in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=int(REMEMBERED_FOR.total_seconds()),
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    return response
