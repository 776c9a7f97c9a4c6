"""Shared fixtures.

The test database is built once per session with a small world of street offices, communities
(each a real schema, cloned from the template) and users. Tests run inside a transaction that is
rolled back, so no test creates a schema unless it is about provisioning.

Tests that need committed data (a real Celery worker, a real browser) use ``committed`` instead of
``db`` and clean up what they write: pytest-django's transactional flush would truncate the public
schema under the session's communities.

The application runs as the database's runtime role, which owns nothing; the test database is
created, migrated and populated as the owner (tests/dbroles.py). A test that does the owner's work
(creating or dropping a community's schema, restoring a backup, tampering with the ledger) is marked
``@pytest.mark.owner`` or does it inside ``tests.dbroles.as_owner()``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django_redis import get_redis_connection

from disclosure.portal.caching import PAGE_KEY_PREFIX
from standards.seed import catalogue_seed
from tenants import dbroles as tenant_dbroles
from tenants import services
from tenants.choices import StreetOfficeRole
from tenants.models import Community, StreetOffice, User
from tenants.selectors import host_cache_key
from tests import dbroles
from tests.factories import PASSWORD, UserFactory, community_staff_create

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class World:
    yinzhou: StreetOffice
    dongguan: StreetOffice
    yincheng: Community
    yinnan: Community
    dongfeng: Community

    def user(self, login: str) -> User:
        return User.objects.get(username=login)


def _build_world() -> World:
    yinzhou = services.street_office_create(code="yinzhou", name="银州镇办事处", district="示范县")
    dongguan = services.street_office_create(code="dongguan", name="东关街道办事处", district="示范县")
    yincheng = services.community_create(code="yincheng", name="银城社区", street_office=yinzhou)
    yinnan = services.community_create(code="yinnan", name="银南社区", street_office=yinzhou)
    dongfeng = services.community_create(code="dongfeng", name="东风社区", street_office=dongguan)
    # 银新社区 belongs to the browser tests: what they commit through the real server stays out of the
    # communities the transactional tests count in.
    yinxin = services.community_create(code="yinxin", name="银新社区", street_office=yinzhou)
    for community in (yincheng, yinnan, dongfeng, yinxin):
        community_staff_create(community)
    for office in (yinzhou, dongguan):
        for office_role in StreetOfficeRole:
            user = UserFactory.create(username=f"{office.code}_{office_role.value}")
            services.street_office_membership_grant(user=user, street_office=office, role=office_role)
    catalogue_seed(street_office=yinzhou, valid_from=date(2025, 1, 1))
    catalogue_seed(street_office=dongguan, valid_from=date(2025, 1, 1))
    return World(yinzhou, dongguan, yincheng, yinnan, dongfeng)


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests on a machine without chromium would each fail the same way: stop once instead,
    with what to do (``make test`` installs it as root, or names the line to run)."""
    if not any(item.get_closest_marker("browser") for item in items):
        return
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(chromium, os.X_OK):
        pytest.exit(
            f"找不到 chromium / no chromium at {chromium}: `make test` installs it when run as root; "
            "otherwise run `sudo apt-get install chromium` (or deselect the browser tests: -m 'not browser')",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):  # type: ignore[no-untyped-def]
    """Always build the test database: browser and worker tests use it from other processes without
    marking themselves ``django_db``, which is what pytest-django's own fixture looks for.

    The owner creates and migrates it, grants the runtime role its rows and builds the world; the
    tests then run as the runtime role."""
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock(), dbroles.as_owner():
        db_cfg = setup_databases(verbosity=verbosity, interactive=False, aliases={"default"})  # type: ignore[arg-type]  # a set, as Django's runner passes
        tenant_dbroles.runtime_grant()
        _build_world()
    yield
    with django_db_blocker.unblock(), dbroles.as_owner():
        # A server or worker subprocess that just exited may hold its session a moment longer.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        teardown_databases(db_cfg, verbosity=verbosity)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked ``owner`` connects as the owner from before its first fixture (its transaction is
    the owner's); every other test as the runtime role."""
    dbroles.use("owner" if item.get_closest_marker("owner") else "runtime")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):  # type: ignore[no-untyped-def]
    yield
    # After its fixtures are gone; not between two owner tests (a module's transaction may span them).
    if item.get_closest_marker("owner") and not (nextitem and nextitem.get_closest_marker("owner")):
        dbroles.use("runtime")


@pytest.fixture
def world(db: None) -> World:
    return World(
        yinzhou=StreetOffice.objects.get(code="yinzhou"),
        dongguan=StreetOffice.objects.get(code="dongguan"),
        yincheng=Community.objects.get(schema_name="yincheng"),
        yinnan=Community.objects.get(schema_name="yinnan"),
        dongfeng=Community.objects.get(schema_name="dongfeng"),
    )


@pytest.fixture
def in_yincheng(world: World) -> Iterator[Community]:
    """Run the test body inside 银城社区's schema."""
    from django_tenants.utils import tenant_context

    with tenant_context(world.yincheng):
        yield world.yincheng


@pytest.fixture(autouse=True)
def _public_schema_after_each_test() -> Iterator[None]:
    yield
    if connection.connection is not None:
        connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    # A host cached inside a test's transaction would outlive its rollback (no signal on rollback).
    cache.delete_pattern(host_cache_key("*"))  # type: ignore[attr-defined]  # django-redis's cache
    # So would residents' pages cached under a version the rollback took back; their keys carry each
    # community's schema in front (django-tenants' make_key), so they are found by the run's prefix.
    redis = get_redis_connection("default")
    stale = list(redis.scan_iter(f"*:{settings.CACHES['default']['KEY_PREFIX']}:*:{PAGE_KEY_PREFIX}*"))
    if stale:
        redis.delete(*stale)


def host(code: str | None = None) -> str:
    return f"{code}.{settings.BASE_DOMAIN}" if code else settings.BASE_DOMAIN


@pytest.fixture
def client_for():  # type: ignore[no-untyped-def]
    """A client bound to one site: ``client_for("yincheng")``; ``client_for(None)`` is the street office."""

    def make(code: str | None) -> Client:
        return Client(HTTP_HOST=host(code))

    return make


def login(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"username": username, "password": password})


# --- committed data, real workers, real servers --------------------------------------------------


@pytest.fixture
def committed(django_db_setup: None, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Database access in autocommit mode: what the test writes is visible to other processes."""
    if connection.in_atomic_block:
        raise RuntimeError("`committed` needs a test without the django_db mark (it wraps a transaction)")
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection


def subprocess_database_url(role: str = "runtime") -> str:
    """The test database's URL for ``role`` (the runtime role unless told)."""
    db = dbroles.credentials(role)
    user, password, port, name = (
        db["USER"],
        db.get("PASSWORD") or "",
        db.get("PORT"),
        connection.settings_dict["NAME"],
    )
    host_ = db["HOST"] or db.get("OPTIONS", {}).get("host", "")
    if not host_ or str(host_).startswith("/"):
        return f"postgresql://{user}:{password}@/{name}?host={host_}"
    return f"postgresql://{user}:{password}@{host_}:{port or 5432}/{name}"


def service_env() -> dict[str, str]:
    """Environment for a subprocess (worker, web server) that must use the test database and Redis:
    as the runtime role, and without the owner's URL, like the services in production."""
    env = dict(os.environ)
    env.pop("DATABASE_OWNER_URL", None)
    env.pop("GONGKAI_DB_ROLE", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=subprocess_database_url(),
        REDIS_URL=settings.REDIS_URL,
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup: None, tmp_path_factory) -> Iterator[subprocess.Popen[bytes]]:  # type: ignore[no-untyped-def]
    """A real Celery worker process on the test database and the test Redis."""
    from config.celery import app

    log = tmp_path_factory.mktemp("worker") / "worker.log"
    name = f"test-{settings.TEST_RUN_ID}@{socket.gethostname()}"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-P",
                "solo",
                "-l",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "-n",
                name,
            ],
            cwd=ROOT,
            env=service_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if app.control.ping(destination=[name], timeout=0.5):
            break
        if proc.poll() is not None:
            raise RuntimeError(f"worker exited: {log.read_text()}")
    else:
        proc.kill()
        raise RuntimeError(f"worker did not answer: {log.read_text()}")
    yield proc
    proc.terminate()
    proc.wait(timeout=20)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def web_server(django_db_setup: None, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The real app in its own process on a free port; yields ``http://{}.localhost:PORT`` style base."""
    port = free_port()
    log = tmp_path_factory.mktemp("web") / "web.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=service_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"web server exited: {log.read_text()}") from None
            time.sleep(0.2)
    yield f"http://{{}}localhost:{port}"
    proc.terminate()
    proc.wait(timeout=20)
