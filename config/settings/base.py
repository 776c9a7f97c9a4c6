"""Settings shared by every environment.

Environment variables: ``DATABASE_URL`` and ``REDIS_URL`` (embedded servers are started when they
are missing, outside production), ``DATABASE_OWNER_URL`` and ``GONGKAI_DB_ROLE`` (see "Database roles"
below), ``GONGKAI_BASE_DOMAIN`` (the street-office site; communities live
on ``<code>.<base>``), ``GONGKAI_DATA_DIR`` (media, static, embedded servers' data).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config import embedded

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", BASE_DIR / "var"))
EMBEDDED_SERVICES = True  # production turns this off: there the URLs must be given

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = False

BASE_DOMAIN = os.environ.get("GONGKAI_BASE_DOMAIN", "localhost").lower().strip(".")
# How residents reach a community's site from outside a request (a push, a feed read by a robot):
# {scheme}://{code}.{BASE_DOMAIN}{port}. Intranets often serve plain http on a port of their own.
SITE_SCHEME = os.environ.get("GONGKAI_SITE_SCHEME", "https")
SITE_PORT = os.environ.get("GONGKAI_SITE_PORT", "")
# 企业微信 group robots: a pasted webhook must point at one of these hosts (tests add a local stand-in).
WECOM_WEBHOOK_HOSTS = [
    h for h in os.environ.get("GONGKAI_WECOM_HOSTS", "qyapi.weixin.qq.com").split(",") if h
]
WECOM_WEBHOOK_TIMEOUT_SECONDS = 10
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}"]

# --- Tenancy: django-tenants -------------------------------------------------------------
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "workdays",
    "standards",
    "finder",
    "inspection",
    "api",
    "config",
    "demo",
]
TENANT_APPS = [
    "guardian",
    "communities",
    "disclosure",
    "disclosure.feedback",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Community"
TENANT_DOMAIN_MODEL = "tenants.Domain"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
# New communities are cloned from this schema instead of running every migration (fast provisioning).
TENANT_CREATION_FAKES_MIGRATIONS = True
TENANT_BASE_SCHEMA = "template_community"
# Issue SET search_path only when the schema actually changes.
TENANT_LIMIT_SET_CALLS = True


# --- Database and Redis ----------------------------------------------------------------------
# Set by configure_services() below, which each environment calls once it knows its mode; declared
# here so that code reading them through django.conf.settings is type-checked.
DATABASES: dict[str, dict[str, Any]]
CACHES: dict[str, dict[str, Any]]
REDIS_URL: str
CELERY_BROKER_URL: str
CELERY_RESULT_BACKEND: str

# --- Database roles (least privilege) ----------------------------------------------------------------
# Two PostgreSQL roles (tenants/dbroles.py). The OWNER owns every schema and table: it migrates, and it
# creates and drops communities' schemas (``migrate_all``, ``community_create``, ``community_restore``,
# ``demo_seed``). The RUNTIME role is what the web server and the Celery worker connect as: it reads and
# writes rows and owns nothing, so it cannot ALTER a table, DISABLE a TRIGGER, TRUNCATE or DROP.
#
# ``DATABASE_URL`` is the runtime role's URL, ``DATABASE_OWNER_URL`` the owner's. A process is one or
# the other as a whole: ``GONGKAI_DB_ROLE=owner`` (which ``manage.py`` sets by itself for the owner's
# commands, ``tenants.dbroles.OWNER_COMMANDS``) points the "default" connection at the owner's URL.
# Not a second database alias: django-tenants binds a community's schema, its provisioning and its
# search_path to one alias (``Community.save`` → ``create_schema`` on "default"), and creating a
# community writes public rows, the schema and the rows of the apps above in ONE transaction, which
# two connections cannot share. A role per process keeps that transaction, and keeps the owner's
# credentials out of the web and worker processes altogether (their environment never holds them).
#
# Outside production a missing DATABASE_OWNER_URL means owner = runtime, as before the two roles (a
# system check warns); the embedded server always has both (its superuser owns, ``gongkai_app`` runs).
# Production refuses a runtime connection that is a superuser or may act as the tables' owner
# (``tenants.dbroles.check_runtime_role``, run by ``manage.py check --database default`` before the
# services start).
DATABASE_ROLE: str  # "runtime" or "owner": whose credentials "default" carries in this process
DATABASE_RUNTIME: dict[str, Any]  # the runtime role's connection settings
DATABASE_OWNER: dict[str, Any] | None  # the owner's; None in a production runtime process without it
DATABASE_LEAST_PRIVILEGE_REQUIRED = False  # production: the runtime role must not own or be superuser


# A connection is closed once its backend has served this many schemas (tenants/connections.py), as a
# web connection is after CONN_MAX_AGE (60 s below): a backend holds ~85 KiB of catalogue per schema.
SCHEMAS_PER_CONNECTION = int(os.environ.get("GONGKAI_SCHEMAS_PER_CONNECTION", "200"))


def _database(url: str) -> dict[str, Any]:
    db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    db["ENGINE"] = "django_tenants.postgresql_backend"
    return db


def configure_services(namespace: dict[str, object]) -> None:
    """Fill in DATABASES, CACHES and Celery URLs; each environment calls it once it knows its mode.

    Outside production a missing URL starts the embedded server; in production it is an error.
    """
    embedded_ok = bool(namespace.get("EMBEDDED_SERVICES", True))
    database = os.environ.get("DATABASE_URL")
    owner = os.environ.get("DATABASE_OWNER_URL")
    role = os.environ.get("GONGKAI_DB_ROLE") or "runtime"
    redis = os.environ.get("REDIS_URL")
    if role not in ("runtime", "owner"):
        raise RuntimeError(f"GONGKAI_DB_ROLE must be 'runtime' or 'owner', not {role!r}")
    if not (database and redis) and not embedded_ok:
        raise RuntimeError("DATABASE_URL and REDIS_URL must be set in production")
    if role == "owner" and not owner and not embedded_ok:
        raise RuntimeError(
            "DATABASE_OWNER_URL must be set in production to migrate or to create communities "
            "(the owner role's URL; DATABASE_URL is the application's runtime role)"
        )
    data_dir = Path(str(namespace.get("DATA_DIR", DATA_DIR)))
    if not database:
        database, embedded_owner = embedded.postgres_urls(data_dir)
        owner = owner or embedded_owner
    redis = redis or embedded.redis_url(data_dir)
    runtime_db = _database(database)
    owner_db = _database(owner) if owner else (None if not embedded_ok else dict(runtime_db))
    namespace["DATABASE_ROLE"] = role
    namespace["DATABASE_RUNTIME"] = runtime_db
    namespace["DATABASE_OWNER"] = owner_db
    namespace["DATABASES"] = {"default": dict(owner_db if role == "owner" and owner_db else runtime_db)}
    namespace["REDIS_URL"] = redis
    namespace["CACHES"] = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis,
            # Cache keys always carry the schema (DESIGN: tenancy).
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                # Pages keep serving when Redis is down; the health check reports it.
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    namespace["CELERY_BROKER_URL"] = embedded.celery_redis_url(redis)
    namespace["CELERY_RESULT_BACKEND"] = embedded.celery_redis_url(redis)


# Residents' pages are cached under their community's version (disclosure/portal/caching.py): a change
# is seen at once without this; it only bounds how long an entry nobody asks for stays in Redis.
PORTAL_CACHE_SECONDS = 600

DJANGO_REDIS_IGNORE_EXCEPTIONS = True
# Residents' feedback is rate-limited per address in Redis (django-ratelimit); when Redis is down the
# limit is skipped rather than refusing every resident.
RATELIMIT_FAIL_OPEN = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# --- Apps and middleware ---------------------------------------------------------------------
MIDDLEWARE = [
    "tenants.middleware.CommunityTenantMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RefuseNulMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tenants.i18n.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tenants.middleware.SessionBoundToSiteMiddleware",
    "tenants.middleware.PrivateToSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tenants.middleware.SessionIdleTimeoutMiddleware",
    "tenants.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tenants.context_processors.site",
                "tenants.context_processors.display",
            ],
        },
    }
]
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "tenants.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS: list[dict[str, Any]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "tenants.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
GUARDIAN_RAISE_403 = True
ANONYMOUS_USER_NAME = None  # residents read without an account; guardian needs no anonymous user row

# Sessions: host-only cookies (no SESSION_COOKIE_DOMAIN) and bound to the site they were made on.
SESSION_COOKIE_DOMAIN = None
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# Staff are signed out after their street office's StreetOffice.session_idle_minutes without a request
# (tenants.middleware.SessionIdleTimeoutMiddleware); SESSION_COOKIE_AGE above stays the limit for a
# working day however busy.
CSRF_COOKIE_DOMAIN = None

# Lockout after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
# One account from one address: a wrong password typed over and over locks that pair only, so neither a
# stranger guessing at someone's account nor one office's shared NAT address locks anyone else out.
# Behind nginx the address is the X-Forwarded-For that nginx sets (production settings).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"

# Optional two-factor login (TOTP, django-otp) for street-office staff; a street office can require it.
OTP_TOTP_ISSUER = "公开 Gongkai"
# The admin never shows an authenticator's secret or QR code (people enrol themselves); its config and
# QR pages then refuse before looking the device up, where an unknown id was a 500.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Security headers and Content-Security-Policy (django-csp) ------------------------------------
# Every page loads only what the app serves itself: no inline script or style, no CDN. QR codes for the
# two-factor enrolment are inline SVG images (data:).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY: dict[str, dict[str, list[str] | bool]] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Language and time -------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files -------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "static"]
# Front-end libraries come from the npm registry at install time (`make install`) and are served by
# the app: deployments sit on intranets with no CDN.
# What npm installs from package.json: echarts (served as static files) and the PDFs' font.
NODE_MODULES = BASE_DIR / "node_modules"
if (NODE_MODULES / "echarts" / "dist").is_dir():
    STATICFILES_DIRS.append(("vendor/echarts", NODE_MODULES / "echarts" / "dist"))
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    # Media files of a community are stored under its schema name (DESIGN: tenancy).
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The editor posts a field per cell: a quarter of 150 finance lines is some 1,900 fields, more than
# Django's default of 1,000; an imported roster of a few hundred households likewise.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Mail and SMS ------------------------------------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"noreply@{BASE_DOMAIN}")
SMS_BACKEND = os.environ.get("GONGKAI_SMS_BACKEND", "communities.sms.ConsoleSmsBackend")
SMS_TIMEOUT_SECONDS = 10
# 阿里云短信 (communities.sms.AliyunSmsBackend): the approved 签名 and template codes come from the console
SMS_ALIYUN_ENDPOINT = os.environ.get("GONGKAI_SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
SMS_ALIYUN_REGION = os.environ.get("GONGKAI_SMS_ALIYUN_REGION", "cn-hangzhou")
SMS_ALIYUN_ACCESS_KEY_ID = os.environ.get("GONGKAI_SMS_ALIYUN_ACCESS_KEY_ID", "")
SMS_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("GONGKAI_SMS_ALIYUN_ACCESS_KEY_SECRET", "")
SMS_ALIYUN_SIGN_NAME = os.environ.get("GONGKAI_SMS_ALIYUN_SIGN_NAME", "")
# template name → the provider's approved template code: ``code`` ({code}), ``publication`` ({community,
# title, link, stop}) and ``text`` ({content}, everything else)
SMS_TEMPLATES: dict[str, str] = {
    name: code
    for name, code in (
        ("code", os.environ.get("GONGKAI_SMS_TEMPLATE_CODE", "")),
        ("publication", os.environ.get("GONGKAI_SMS_TEMPLATE_PUBLICATION", "")),
        ("text", os.environ.get("GONGKAI_SMS_TEMPLATE_TEXT", "")),
    )
    if code
}
# residents' SMS subscriptions: a code lives 10 minutes and allows 5 tries; codes asked for per number
# and per address, and publications texted per minute per worker
SMS_CODE_TTL_SECONDS = 10 * 60
SMS_CODE_TRIES = 5
SMS_CODE_RATE_PER_NUMBER = "3/h"
SMS_CODE_RATE_PER_ADDRESS = "10/h"

# --- Celery (tenant-schemas-celery: every task carries its schema) -----------------------------
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_RESULT_EXPIRES = 60 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
INSPECTION_REFRESH_DEBOUNCE_SECONDS = 20
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # obligations, states, reminders and ledger anchors of every community, early each morning
    "disclosure-daily": {"task": "disclosure.tasks.daily_all", "schedule": crontab(hour=6, minute=0)},
    # the street office's summary tables, reconciled after the daily run
    "rectifications-escalate": {
        "task": "inspection.tasks.rectifications_escalate",
        "schedule": crontab(hour=7, minute=0),
    },
    # 责任追究: each failure the street offices' rules name opens its order, after the daily runs above
    "accountability-daily": {
        "task": "inspection.tasks.accountability_evaluate_all",
        "schedule": crontab(hour=7, minute=15),
    },
    # residents' feedback: reminders before the answer is due, missed deadlines to the supervision group
    "feedback-daily": {"task": "disclosure.feedback.tasks.daily_all", "schedule": crontab(hour=6, minute=15)},
    "compliance-nightly": {
        "task": "inspection.tasks.compliance_reconcile_all",
        "schedule": crontab(hour=2, minute=30),
    },
    # the public index of published items (search, the district API's list) against every schema
    "public-index-nightly": {
        "task": "disclosure.tasks.public_index_reconcile_all",
        "schedule": crontab(hour=2, minute=45),
    },
    # e-mails and SMS whose delivery could not be queued (Redis down) go out once it is back
    "notifications-redeliver": {
        "task": "communities.tasks.notifications_redeliver_all",
        "schedule": crontab(minute="*/5"),
    },
}

# --- REST framework ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "api.errors.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# The district API's OpenAPI document (api/schema.py); the docs page's assets come from the
# drf-spectacular-sidecar package and are served by the app (no CDN).
SPECTACULAR_SETTINGS = {
    "TITLE": "公开 · 区级数据接口 (Gongkai district API)",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.postprocess_problems",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "pgserver": {"level": "WARNING"}},
}
