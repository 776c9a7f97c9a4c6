"""Settings for the load run (``make load``): production's, with only what needs TLS turned off.

The run talks to gunicorn on loopback without the nginx that terminates HTTPS in production, so
the HTTPS redirect and secure-only cookies would stop every request; everything else (DEBUG off,
gunicorn config, whitenoise, cache, sessions, middleware) is as deployed.
"""

from config.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
