"""Tests: real PostgreSQL and Redis (embedded unless the URLs are set), fast password hashing."""

import os
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import configure_services

DEBUG = False
# Tests get embedded servers of their own, so a running demo never shares their database or queue.
DATA_DIR = Path(os.environ.get("GONGKAI_TEST_DATA_DIR", BASE_DIR / "var" / "test"))  # noqa: F405
MEDIA_ROOT = DATA_DIR / "media"
STATIC_ROOT = DATA_DIR / "static"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "communities.sms.MemorySmsBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
configure_services(globals())

# Several test runs may share one machine (and one embedded server): each gets its own database and
# its own Celery queue. Subprocesses of a run (worker, web server) inherit the run id.
TEST_RUN_ID = os.environ.setdefault("GONGKAI_TEST_RUN", str(os.getpid()))
DATABASES["default"]["TEST"] = {"NAME": f"test_gongkai_{TEST_RUN_ID}"}  # noqa: F405
CELERY_TASK_DEFAULT_QUEUE = f"gongkai-test-{TEST_RUN_ID}"
CACHES["default"]["KEY_PREFIX"] = f"test-{TEST_RUN_ID}"  # noqa: F405
WHITENOISE_USE_FINDERS = True  # the browser tests' server serves static files without collectstatic
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
INSPECTION_REFRESH_DEBOUNCE_SECONDS = 1
# Every test client comes from 127.0.0.1, and crawls try many codes: the miss limit on query-code
# lookups (tenants.residents.by_code) would hold back whichever test came later. Its own tests set it low.
CODE_LOOKUP_MISSES = "100000/h"
