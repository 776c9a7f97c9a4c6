"""``make load``: the load scenario of ``bench/locustfile.py`` against gunicorn with the demo data.

1. embedded PostgreSQL and Redis under ``var/load`` (``LOAD_DATA_DIR``), migrated and seeded with the
   demo data once (a stamp file remembers it);
2. a district API client of its own (a per-minute limit high enough that the run measures the
   service, not the throttle);
3. gunicorn with ``infra/gunicorn.conf.py`` and production settings (``bench/load_settings.py``);
4. locust headless: ``LOAD_USERS`` users (default 40), spawned at 10/s, for ``LOAD_SECONDS``
   (default 60);
5. the figures into ``bench/RESULTS.md`` between this script's markers; exit 1 on any failure;
6. gunicorn and the run's PostgreSQL and Redis are stopped (the seeded data stays under ``var/load``).
"""

from __future__ import annotations

import csv
import os
import platform
import re
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from config import embedded  # noqa: E402

DATA = Path(os.environ.get("LOAD_DATA_DIR", ROOT / "var" / "load")).resolve()
USERS = int(os.environ.get("LOAD_USERS", "40"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- bench/load.py: start -->", "<!-- bench/load.py: end -->"
PY = sys.executable


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare() -> dict[str, str]:
    DATA.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    runtime_url, owner_url = embedded.postgres_urls(DATA)
    env.update(
        GONGKAI_DATA_DIR=str(DATA),
        DATABASE_URL=runtime_url,  # the web server runs as the runtime role, as in production
        DATABASE_OWNER_URL=owner_url,
        REDIS_URL=embedded.redis_url(DATA),
        DJANGO_SETTINGS_MODULE="config.settings.local",
        PYTHONUNBUFFERED="1",
    )
    stamp = DATA / ".seeded"
    print("migrating (and granting the runtime role) in", DATA, flush=True)
    run([PY, "manage.py", "migrate_all", "--verbosity", "0"], env)
    if not stamp.exists():
        print("seeding the demo data into", DATA, flush=True)
        run([PY, "manage.py", "demo_seed"], env)
        stamp.write_text(datetime.now().isoformat())
    key = run([PY, "-c", KEY_SCRIPT], env).strip().splitlines()[-1]
    env.update(
        DJANGO_SETTINGS_MODULE="bench.load_settings",
        DJANGO_SECRET_KEY="load-run-only-not-a-secret",
        LOAD_API_KEY=key,
    )
    # production serves static files under hashed names from their manifest, as deployed
    run([PY, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
    return env


KEY_SCRIPT = """
import django; django.setup()
from api import services
from api.models import ApiClient
from tenants.models import StreetOffice
client = ApiClient.objects.filter(name="负载测试").first()
if client is None:
    office = StreetOffice.objects.get(code="yinzhou")
    client, key = services.apiclient_create(name="负载测试", street_offices=[office])
else:
    key = services.apiclient_rotate(client=client)
ApiClient.objects.filter(pk=client.pk).update(rate_per_minute=100000)
print(key)
"""


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    log = open(DATA / "gunicorn.log", "wb")  # noqa: SIM115 (kept open for the server's lifetime)
    proc = subprocess.Popen(
        [PY, "-m", "gunicorn", "-c", "infra/gunicorn.conf.py", "config.wsgi:application"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_LOG_LEVEL": "warning"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, port
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {DATA / 'gunicorn.log'}") from None
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not answer")


def warm_up(env: dict[str, str], port: int) -> None:
    """Each gunicorn worker imports the app and opens its connections on its first requests; send a
    few of every kind first so the figures describe a running service, not a cold start."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    hosts = [f"{code}.localhost" for code in ("yincheng", "yinnan", "yinbei", "yinxin")]
    pages = ("/", "/disclosures/", "/accounts/login/")
    calls: list[tuple[str, str, dict[str, str]]] = [(h, path, {}) for h in hosts for path in pages]
    calls.append(("localhost", "/api/v1/communities/", {"Authorization": f"Bearer {env['LOAD_API_KEY']}"}))

    def get(call: tuple[str, str, dict[str, str]]) -> int:
        host, path, headers = call
        return requests.get(
            f"http://127.0.0.1:{port}{path}", headers={"Host": host, **headers}, timeout=60
        ).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(get, calls * 8))
    bad = [status for status in statuses if status != 200]
    if bad:
        raise SystemExit(f"warm-up answered {bad}; see {DATA / 'gunicorn.log'}")


def load(env: dict[str, str], port: int) -> Path:
    prefix = DATA / "locust"
    run(
        [
            PY,
            "-m",
            "locust",
            "-f",
            "bench/locustfile.py",
            "--headless",
            "--users",
            str(USERS),
            "--spawn-rate",
            "10",
            "--run-time",
            f"{SECONDS}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
        ],
        env,
    )
    return Path(f"{prefix}_stats.csv")


def ms(value: str) -> str:
    return f"{float(value):.0f}" if value not in ("", "N/A") else "–"


def report(stats: Path) -> tuple[str, int]:
    rows = list(csv.DictReader(stats.open()))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    failures = int(total["Failure Count"])
    cores = len(os.sched_getaffinity(0))
    lines = [
        START,
        "## Load: residents, staff and district pulls at once (`make load` → `bench/load.py`)",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M}, {cores} cores, Python {platform.python_version()}, embedded "
        f"PostgreSQL 16 and Redis on the same machine, gunicorn with `infra/gunicorn.conf.py` "
        f"({2 * cores + 1} workers × 4 threads), production settings without TLS (`bench/load_settings.py`), "
        f"demo data (4 communities). Locust on the same machine: {USERS} users (residents 6 : staff 3 : "
        f"district 1, each waiting 1–5 s between requests), {SECONDS} s, after a warm-up of every page kind. "
        f"Load average when it started: {LOAD_AVERAGE} "
        "(other work on this machine counts against the figures).",
        "",
        "| request | count | failures | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = "**all**" if r["Name"] == "Aggregated" else f"{r['Type']} {r['Name']}"
        lines.append(
            f"| {name} | {r['Request Count']} | {r['Failure Count']} | {float(r['Requests/s']):.1f} | "
            f"{ms(r['50%'])} | {ms(r['95%'])} | {ms(r['99%'])} | {ms(r['Max Response Time'])} |"
        )
    lines += [
        "",
        f"Errors: **{failures}** (any status other than the expected one counts). Reproduce: `make load` "
        f"(`LOAD_USERS=40 LOAD_SECONDS=60` are the defaults; the first run seeds `var/load`, ~2 min).",
        "",
        "Logging in is the slowest request on purpose: Django hashes the password with PBKDF2 "
        "(1,000,000 iterations), and every staff user logs in within the first seconds of the run.",
        END,
    ]
    return "\n".join(lines), failures


def write(section: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    text = (
        pattern.sub(lambda _: section, text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + section + "\n"
    )
    RESULTS.write_text(text)


LOAD_AVERAGE = ""


def main() -> int:
    global LOAD_AVERAGE
    env = prepare()
    LOAD_AVERAGE = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    try:
        proc, port = serve(env)
        try:
            warm_up(env, port)
            stats = load(env, port)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    finally:
        embedded.stop_all(DATA)  # the run's own PostgreSQL and Redis; the data stays for the next run
    section, failures = report(stats)
    write(section)
    print(section)
    if failures:
        print(f"{failures} failed requests; see {DATA / 'locust_failures.csv'} and {DATA / 'gunicorn.log'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
