"""Production: every service URL and the secret come from the environment; HTTPS behind nginx."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import configure_services

EMBEDDED_SERVICES = False
# The runtime role may not be a superuser nor act as the tables' owner (tenants.dbroles).
DATABASE_LEAST_PRIVILEGE_REQUIRED = True
DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
configure_services(globals())

# Static files under names carrying a hash of their content (collectstatic writes them and their
# manifest): whitenoise then serves them as immutable for a year, and a changed file gets a new name.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True  # harmless on an intranet; makes `check --deploy` clean
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [f"https://{BASE_DOMAIN}", f"https://*.{BASE_DOMAIN}"]  # noqa: F405
# Behind nginx every request comes from 127.0.0.1: lock out by the address nginx forwards instead.
AXES_CLIENT_IP_CALLABLE = "tenants.middleware.forwarded_client_ip"
# Pages ask browsers to fetch everything over HTTPS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "upgrade-insecure-requests": True}  # noqa: F405
}

if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
