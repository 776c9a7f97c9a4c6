"""Faults (issue 7 item 4), each scripted on this machine against real servers: PostgreSQL restarted
under a running gunicorn, Redis stopped under a running site and worker, a Celery worker process
killed in the middle of the daily task, and a full disk during an upload.

The suite's own PostgreSQL and Redis (``var/test``) are shared by every test run on the machine, so
the tests that stop a server stop a private one: a PostgreSQL holding a copy of this run's database,
a redis-server on its own socket. Everything else is the product as it runs in production: gunicorn
with ``infra/gunicorn.conf.py``, Celery workers, the embedded servers' real binaries.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests.conftest import ROOT, free_port, service_env
from tests.factories import PASSWORD, pdf_padded, throwaway_community

pytestmark = pytest.mark.fault
CODE = "faultc"
HOST = f"{CODE}.{settings.BASE_DOMAIN}"


# --- a community of these tests' own, committed, dropped afterwards ---


@pytest.fixture(scope="module")
def fault_community(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), throwaway_community(CODE, with_mobiles=True) as made:
        yield made


# --- processes ---


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], log: Path, seconds: float = 30) -> None:
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        if proc.poll() is not None:
            raise RuntimeError(f"exited: {log.read_text()[-3000:]}")
        time.sleep(0.1)
    raise RuntimeError(f"no answer on {port}: {log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path, *, threads: int = 2) -> Iterator[int]:
    """The production web server (infra/gunicorn.conf.py) on a free loopback port."""
    port = free_port()
    env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": str(threads),
        "GUNICORN_LOG_LEVEL": "warning",
    }
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "infra/gunicorn.conf.py", "config.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_port(port, proc, log)
        yield port
    finally:
        _stop(proc)


@contextlib.contextmanager
def celery_worker(
    env: dict[str, str], log: Path, *, pool: str = "solo", queues: str | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    name = f"fault-{os.getpid()}-{time.monotonic_ns()}@localhost"
    args = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "-P",
        pool,
        "-c",
        "1",
        "-l",
        "INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-n",
        name,
    ]
    if queues:
        args += ["-Q", queues]
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 40
    while b"ready." not in log.read_bytes():
        if proc.poll() is not None or time.monotonic() > deadline:
            _stop(proc)
            raise RuntimeError(f"worker did not start: {log.read_text()[-3000:]}")
        time.sleep(0.2)
    try:
        yield proc
    finally:
        _stop(proc)


class Site:
    """A browser for one site of a server on a loopback port: cookies, CSRF, the Host header."""

    def __init__(self, port: int, host: str) -> None:
        self.port, self.host = port, host
        self.session = requests.Session()

    def _url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str, timeout: float = 15) -> requests.Response:
        return self.session.get(
            self._url(path), headers={"Host": self.host}, allow_redirects=False, timeout=timeout
        )

    def post(self, path: str, data: dict[str, str], files: Any = None) -> requests.Response:
        if "csrftoken" not in self.session.cookies:
            self.get("/accounts/login/")
        data = {**data, "csrfmiddlewaretoken": str(self.session.cookies["csrftoken"])}
        return self.session.post(
            self._url(path),
            data=data,
            files=files,
            headers={"Host": self.host},
            allow_redirects=False,
            timeout=30,
        )

    def login(self, username: str) -> None:
        response = self.post("/accounts/login/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.text[-2000:]


def _new_draft(site: Site, title: str) -> int:
    response = site.post(
        "/workspace/disclosures/new/",
        {
            "save": "1",
            "title": title,
            "category": "affairs",
            "content_type": "notice",
            "audience": "public",
            "body": "<p>故障演练</p>",
            "submission_token": os.urandom(16).hex(),
        },
    )
    assert response.status_code == 302, response.text[-2000:]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


# --- PostgreSQL restarted under a running server ---


class PrivatePostgres:
    """An embedded PostgreSQL (pgserver) of this test alone, holding a copy of this run's database."""

    def __init__(self, folder: Path) -> None:
        import pgserver
        import psycopg

        self.server = pgserver.get_server(folder / "pgdata", cleanup_mode=None)
        self.bin = Path(pgserver.__file__).parent / "pginstall" / "bin"
        with psycopg.connect(self.server.get_uri(), autocommit=True) as conn:
            conn.execute('CREATE DATABASE "gongkai"')
        self.url = self.server.get_uri("gongkai")
        source = _database_url()
        dump = subprocess.run(
            [str(self.bin / "pg_dump"), "--no-owner", "--no-privileges", source],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [str(self.bin / "psql"), "-q", "-v", "ON_ERROR_STOP=1", self.url],
            input=dump.stdout,
            check=True,
            capture_output=True,
        )

    def pid(self) -> int:
        return int((self.server.pgdata / "postmaster.pid").read_text().splitlines()[0])

    def _pg_ctl(self, *args: str) -> None:
        from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

        pg_ctl(list(args), pgdata=self.server.pgdata, user=self.server.system_user, timeout=30)

    def stop(self) -> None:
        self._pg_ctl("-w", "-m", "fast", "stop")

    def start(self) -> None:
        self.server.ensure_postgres_running()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()


def _database_url() -> str:
    from tests.conftest import subprocess_database_url

    return subprocess_database_url("owner")  # the copy is the owner's work: every schema, whole


def test_the_site_recovers_by_itself_when_postgresql_restarts(fault_community, tmp_path):
    """gunicorn keeps database connections open between requests (CONN_MAX_AGE); after a restart
    every one of them is dead. ``conn_health_checks`` finds that before a request uses it: requests
    during the outage fail fast with the 500 page, and the first request after it already succeeds."""
    pg = PrivatePostgres(tmp_path)
    try:
        env = {**service_env(), "DATABASE_URL": pg.url}
        with gunicorn(env, tmp_path / "web.log", threads=2) as port:
            resident = Site(port, HOST)
            for _ in range(12):  # both gunicorn threads hold a connection now
                for path in ("/", "/disclosures/"):
                    assert resident.get(path).status_code == 200
            before = pg.pid()
            pg.stop()
            started = time.monotonic()
            down = resident.get("/disclosures/")
            assert down.status_code == 500 and "您填写的内容没有丢失" in down.text
            assert time.monotonic() - started < 10  # fails fast, does not hang
            pg.start()
            assert pg.pid() != before  # a new postmaster: every old connection is gone
            after = [resident.get(path).status_code for _ in range(10) for path in ("/", "/disclosures/")]
            assert after == [200] * 20, after
    finally:
        pg.close()


def redeliver_all(redis_url: str) -> None:
    """What beat sends every five minutes, sent now through the private Redis."""
    from celery import Celery

    from config import embedded

    sender = Celery(broker=embedded.celery_redis_url(redis_url), set_as_current=False)
    sender.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE
    sender.send_task(
        "communities.tasks.notifications_redeliver_all", args=[0], headers={"_schema_name": "public"}
    )
    sender.close()


# --- Redis stopped under a running site and worker ---


def test_without_redis_pages_serve_healthz_says_503_and_queued_mail_goes_out_once_it_is_back(
    fault_community, tmp_path
):
    from communities.models import Notification
    from config import embedded

    community, users = fault_community
    redis_url = embedded.redis_url(tmp_path)
    pid_file = tmp_path / "redis" / "redis.pid"
    env = {**service_env(), "REDIS_URL": redis_url}
    try:
        with gunicorn(env, tmp_path / "web.log") as port, celery_worker(env, tmp_path / "worker.log"):
            resident, handler = Site(port, HOST), Site(port, HOST)
            handler.login(f"{CODE}_handler")
            assert handler.get("/healthz").status_code == 200
            draft_pk = _new_draft(handler, "Redis 停机演练")

            os.kill(int(pid_file.read_text()), signal.SIGTERM)
            deadline = time.monotonic() + 10
            while embedded._redis_answers(redis_url) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not embedded._redis_answers(redis_url)

            assert resident.get("/").status_code == 200  # the cache is skipped, not fatal
            assert resident.get("/disclosures/").status_code == 200
            assert handler.get("/workspace/").status_code == 200  # sessions live in PostgreSQL
            health = handler.get("/healthz")
            assert health.status_code == 503 and health.json()["checks"]["redis"] is False
            # submitting notifies the supervision group: the row is saved, its delivery cannot be queued
            submitted = handler.post(
                f"/workspace/disclosures/{draft_pk}/submit/",
                {"planned_publish_date": (timezone.localdate() + timedelta(days=30)).isoformat()},
            )
            assert submitted.status_code == 302, submitted.text[-2000:]
            with tenant_context(community):
                owed = Notification.objects.get(
                    title__contains="Redis 停机演练", recipient=users["supervisor"]
                )
                assert owed.emailed_at is None

            embedded.redis_url(tmp_path)  # the same server, on the same socket, started again
            deadline = time.monotonic() + 30
            while handler.get("/healthz").status_code != 200:  # the worker has reconnected by itself
                assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()[-3000:]
                time.sleep(0.5)
            redeliver_all(redis_url)
            deadline = time.monotonic() + 30
            while True:
                with tenant_context(community):
                    owed.refresh_from_db()
                if owed.emailed_at is not None:
                    break
                assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()[-3000:]
                time.sleep(0.3)
            sent_at = owed.emailed_at
            redeliver_all(redis_url)
            time.sleep(2)
            with tenant_context(community):
                owed.refresh_from_db()
                assert owed.emailed_at == sent_at  # sent once, not again
    finally:
        with contextlib.suppress(Exception):
            os.kill(int(pid_file.read_text()), signal.SIGTERM)


# --- a worker process killed in the middle of the daily task ---


def test_a_worker_killed_mid_task_reruns_it_and_no_reminder_is_lost_or_sent_twice(fault_community, tmp_path):
    """The daily task sends a reminder per due obligation. kill -9 the pool process running it: the
    worker sees the process lost, and with acks_late + reject_on_worker_lost the task goes back to
    the queue and runs again in a new process. Reminders already recorded are not sent again."""
    from communities.models import Notification
    from config.celery import app
    from disclosure.models import Obligation, Reminder
    from workdays import services as workdays

    community, users = fault_community
    today = timezone.localdate()
    due = workdays.add_working_days(today, 1).date
    count = 400
    with tenant_context(community):
        Obligation.objects.bulk_create(
            Obligation(
                source=Obligation.Source.LOCAL,
                code=f"F-{n}",
                period=f"2026-F{n}",
                title=f"演练事项{n}",
                category="affairs",
                cadence="monthly",
                audience="public",
                content_type="notice",
                min_display_days=10,
                period_start=today,
                period_end=today,
                base_due_date=due,
                due_date=due,
                status="due_soon",
            )
            for n in range(count)
        )
    queue = f"faults-{os.getpid()}"
    env = service_env()
    try:
        with celery_worker(env, tmp_path / "worker.log", pool="prefork", queues=queue) as worker:
            from disclosure.tasks import daily_for_community

            daily_for_community.apply_async(headers={"_schema_name": CODE}, queue=queue)
            deadline = time.monotonic() + 60
            while True:
                with tenant_context(community):
                    done = Reminder.objects.count()
                if done > 0:
                    break
                assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()[-3000:]
                time.sleep(0.01)
            children = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True)
            child = int(children.stdout.split()[0])
            os.kill(child, signal.SIGKILL)
            with tenant_context(community):
                at_kill = Reminder.objects.count()
            assert 0 < at_kill < count, "the task finished before it could be killed; raise the count"

            deadline = time.monotonic() + 120
            while True:
                with tenant_context(community):
                    done = Reminder.objects.count()
                if done == count:
                    break
                assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()[-4000:]
                time.sleep(0.2)
            log = (tmp_path / "worker.log").read_text()
            assert "WorkerLostError" in log or "SIGKILL" in log  # it really was killed mid-task
            with tenant_context(community):
                reminders = list(Reminder.objects.values_list("obligation_id", "kind"))
                assert len(reminders) == len(set(reminders)) == count
                titles = list(
                    Notification.objects.filter(title__contains="演练事项").values_list(
                        "recipient_id", "title"
                    )
                )
                recipients = {users["handler"].pk, users["secretary"].pk}
                assert len(titles) == len(set(titles)) == count * len(recipients)
    finally:
        with tenant_context(community):
            Notification.objects.filter(title__contains="演练事项").delete()
            Reminder.objects.all().delete()
            Obligation.objects.filter(code__startswith="F-").delete()
        app.control.purge()


# --- the disk fills up during an upload ---


@pytest.fixture
def tiny_disk(tmp_path) -> Iterator[Path]:
    """A 512 KB tmpfs as the server's data folder (media under it): a real ENOSPC, no mock."""
    media = tmp_path / "data" / "media"
    media.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(media)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode()}")
    try:
        yield tmp_path / "data"
    finally:
        subprocess.run(["umount", "-l", str(media)], check=False)


def test_a_full_disk_during_an_upload_says_so_and_leaves_nothing_half_saved(
    fault_community, tiny_disk, tmp_path
):
    from disclosure.models import Attachment, Disclosure

    community, _ = fault_community
    env = {**service_env(), "GONGKAI_TEST_DATA_DIR": str(tiny_disk)}
    (tiny_disk / "static").mkdir(exist_ok=True)
    with gunicorn(env, tmp_path / "web.log") as port:
        handler = Site(port, HOST)
        handler.login(f"{CODE}_handler")
        pk = _new_draft(handler, "磁盘已满演练")
        big = pdf_padded(900_000)  # 900 KB on a 512 KB disk
        response = handler.post(
            f"/workspace/disclosures/{pk}/attach/",
            {},
            files={"upload": ("收据扫描件.pdf", big, "application/pdf")},
        )
        assert response.status_code == 400  # the draft's page again, saying why
        page = response.text
        assert "服务器存储空间已满" in page
        with tenant_context(community):
            assert not Attachment.objects.filter(disclosure_id=pk).exists()
            before = Disclosure.objects.get(pk=pk).content_hash
        leftovers = [p for p in (tiny_disk / "media").rglob("*") if p.is_file()]
        assert leftovers == [], leftovers
        small = pdf_padded(10_000)
        ok = handler.post(
            f"/workspace/disclosures/{pk}/attach/",
            {},
            files={"upload": ("回执.pdf", small, "application/pdf")},
        )
        assert "附件已上传" in handler.get(ok.headers["Location"]).text
        with tenant_context(community):
            assert Attachment.objects.filter(disclosure_id=pk).count() == 1
            assert Disclosure.objects.get(pk=pk).content_hash != before
    shutil.rmtree(tiny_disk / "static", ignore_errors=True)
