"""Where a community's site is: its domain and the absolute address of a page on it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def community_domain(code: str) -> str:
    return f"{code}.{settings.BASE_DOMAIN}"


def community_site_url(code: str, path: str = "/", request: HttpRequest | None = None) -> str:
    """The absolute address of ``path`` on a community's site.

    Seen from a request (the street office's pages linking across to the communities' sub-domains):
    the request's own scheme and port. Outside a request (a push, a command's output):
    ``settings.SITE_SCHEME`` and ``SITE_PORT`` (``GONGKAI_SITE_SCHEME``, ``GONGKAI_SITE_PORT``).
    """
    if request is not None:
        scheme, port = request.scheme, request.get_port()
        port = "" if port in ("80", "443") else port
    else:
        scheme, port = settings.SITE_SCHEME, settings.SITE_PORT
    return f"{scheme}://{community_domain(code)}{f':{port}' if port else ''}{path}"
