"""Bind a fresh login to the site it happened on (see SessionBoundToSiteMiddleware)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from tenants.middleware import SESSION_SITE_KEY, site_key
from tenants.models import User


@receiver(user_logged_in, dispatch_uid="tenants_bind_session_to_site")
def bind_session_to_site(sender: type, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_SITE_KEY] = site_key(request)
