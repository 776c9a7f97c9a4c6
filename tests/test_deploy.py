"""Production settings pass Django's deployment checklist."""

import secrets
import subprocess
import sys

from django.conf import settings

from tests.conftest import ROOT


def test_production_settings_pass_check_deploy():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "postgresql://gongkai:secret@127.0.0.1:5432/gongkai",
        "REDIS_URL": settings.REDIS_URL,
        "GONGKAI_BASE_DOMAIN": "gongkai.example.gov.cn",
        "GONGKAI_DATA_DIR": str(ROOT / "var" / "deploy-check"),
    }
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_service_urls():
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "DJANGO_SECRET_KEY": secrets.token_urlsafe(64)}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "DATABASE_URL and REDIS_URL must be set" in result.stderr
