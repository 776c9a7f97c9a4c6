"""``/healthz`` on every host: database, Redis and a Celery worker; 200 when all answer, 503 otherwise."""

from __future__ import annotations

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app as celery_app


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _redis() -> bool:
    try:
        return bool(
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
        )
    except Exception:
        return False


def _celery(redis_ok: bool) -> bool:
    if not redis_ok:  # the broker is Redis: no broker, no worker to reach
        return False
    try:
        return bool(celery_app.control.ping(timeout=1.0))
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    redis_ok = _redis()
    checks = {"database": _database(), "redis": redis_ok, "celery": _celery(redis_ok)}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
