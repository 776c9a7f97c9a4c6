"""Production settings pass Django's deployment checklist and send the security headers."""

import json
import secrets
import subprocess
import sys

from django.conf import settings

from tests.conftest import ROOT


def test_production_settings_pass_check_deploy():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_service_urls():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "DATABASE_URL and REDIS_URL must be set" in result.stderr


def _production_env() -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "postgresql://gongkai:secret@127.0.0.1:5432/gongkai",
        "REDIS_URL": settings.REDIS_URL,
        "GONGKAI_BASE_DOMAIN": "gongkai.example.gov.cn",
        "GONGKAI_DATA_DIR": str(ROOT / "var" / "deploy-check"),
    }


def test_production_sends_https_only_cookies_hsts_and_a_strict_csp():
    """A response built with the production settings (no database needed) carries every header."""
    script = """
import json, django
django.setup()
from django.conf import settings
from django.test import RequestFactory
from django.http import HttpResponse
from django.utils.module_loading import import_string
from csp.middleware import CSPMiddleware
request = RequestFactory().get("/", secure=True, HTTP_HOST="yincheng.gongkai.example.gov.cn")
response = HttpResponse("ok")
for path in ["django.middleware.security.SecurityMiddleware",
             "django.middleware.clickjacking.XFrameOptionsMiddleware"]:
    response = import_string(path)(lambda r: response)(request)
response = CSPMiddleware(lambda r: response)(request)
print(json.dumps({
    "headers": dict(response.items()),
    "session_secure": settings.SESSION_COOKIE_SECURE, "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT, "axes_ip": settings.AXES_CLIENT_IP_CALLABLE,
}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    headers = found["headers"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    csp = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "upgrade-insecure-requests",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert found["session_secure"] and found["csrf_secure"] and found["ssl_redirect"]
    assert found["axes_ip"] == "tenants.middleware.forwarded_client_ip"
