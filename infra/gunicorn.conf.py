"""Gunicorn settings for Gongkai in production.

Used by infra/systemd/gongkai-web.service:

    gunicorn --config /opt/gongkai/infra/gunicorn.conf.py config.wsgi:application

Overridable from the environment (/etc/gongkai/gongkai.env):
GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_LOG_LEVEL,
GUNICORN_MAX_REQUESTS, GUNICORN_FORWARDED_ALLOW_IPS.

Database connections: Django keeps one connection per thread (CONN_MAX_AGE), so the web service may
hold up to workers x threads connections. Keep that, plus the Celery worker and beat, below
PostgreSQL's max_connections (100 by default); set GUNICORN_WORKERS on machines with many cores.
"""

from __future__ import annotations

import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cores() -> int:
    """CPUs this process may run on (respects CPU affinity / cpusets, unlike os.cpu_count())."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not available on every platform
        return os.cpu_count() or 1


# --- Socket: only the local nginx talks to gunicorn -------------------------------------------
bind: list[str] = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
backlog = 2048

# --- Workers: threads, so a slow request does not block a whole process ----------------------
worker_class = "gthread"
workers: int = _env_int("GUNICORN_WORKERS", 2 * _cores() + 1)
threads: int = _env_int("GUNICORN_THREADS", 4)

# --- Timeouts (seconds) ------------------------------------------------------------------------
# A request running longer than this is killed; keep nginx's proxy_read_timeout equal to it.
timeout: int = _env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30  # on restart, time for running requests to finish
keepalive = 5  # idle keep-alive connections (nginx talks HTTP/1.0 to the upstream, so rarely used)

# --- Recycle workers now and then (limits memory growth); jitter avoids restarting all at once --
max_requests: int = _env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter: int = max_requests // 10

# --- Behind nginx ---------------------------------------------------------------------------------
# Trust X-Forwarded-Proto / X-Forwarded-For only from the local nginx.
forwarded_allow_ips: str = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- Logging: to stdout/stderr, collected by journald ------------------------------------------
accesslog = "-"
errorlog = "-"
loglevel: str = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client address as nginx saw it, the Host (which site, i.e. which community), duration in ms.
access_log_format = '%({x-forwarded-for}i)s "%({host}i)s" %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'

proc_name = "gongkai-web"

# The worker heartbeat file: keep it in memory when /dev/shm is usable (a busy /tmp disk can stall it).
if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
    worker_tmp_dir = "/dev/shm"

# Gunicorn >= 25.1 opens a control socket for `gunicornc`; put it in the unit's RuntimeDirectory
# (systemd sets RUNTIME_DIRECTORY) instead of the service user's home. Older versions ignore this.
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"].split(":")[0], "gunicorn.ctl")
