"""Development: debug on, embedded PostgreSQL and Redis unless the URLs are set."""

from config.settings.base import *  # noqa: F403
from config.settings.base import configure_services

DEBUG = True
configure_services(globals())
WHITENOISE_USE_FINDERS = True
