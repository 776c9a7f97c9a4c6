"""One language at a time: Chinese unless the person picked English with the switcher.

The browser's ``Accept-Language`` never switches the language: a signage player or a borrowed phone
set to English would otherwise show residents half-English pages. Only the switcher's cookie does
(the links at the foot of every page, ``tenants.display.display_switch``). Kiosks, printed notices and
PDFs are always Chinese (``chinese_only``): they hang on a wall for everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


def language_of(request: HttpRequest) -> str:
    """The language the person chose with the switcher, or the site's (Chinese)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    supported = {code for code, _ in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, deciding by the switcher's cookie alone."""

    def process_request(self, request: HttpRequest) -> None:
        language = language_of(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        # the page depends on the cookie, never on Accept-Language
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def chinese_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """A page for everyone at once (e-screen, touch screen, printed notice, PDF): always Chinese."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with translation.override(settings.LANGUAGE_CODE):
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            # the locale middleware sets the header after the view, in the visitor's language
            response.headers["Content-Language"] = settings.LANGUAGE_CODE
            return response

    return wrapped
