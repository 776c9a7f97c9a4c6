"""``make load``: the load scenario of ``bench/locustfile.py`` against gunicorn with the demo data.

1. embedded PostgreSQL and Redis under ``var/load`` (``LOAD_DATA_DIR``), migrated and seeded with the
   demo data once (a stamp file remembers it);
2. a district API client of its own (a per-minute limit high enough that the run measures the
   service, not the throttle);
3. gunicorn with ``infra/gunicorn.conf.py`` and production settings (``bench/load_settings.py``);
4. open loop (``bench/openloop.py``): the same request mix started at a fixed arrival rate, stepped
   up from ``LOAD_RATE_START`` (10/s) by ``LOAD_RATE_FACTOR`` (1.5) for ``LOAD_STEP_SECONDS`` (20)
   each, then bisected: the highest rate that holds p95 < 200 ms with zero errors;
5. closed loop: locust headless, ``LOAD_USERS`` users (default 40), spawned at 10/s, for
   ``LOAD_SECONDS`` (default 60);
6. both into ``bench/RESULTS.md`` between this script's markers; exit 1 on any failure;
7. gunicorn and the run's PostgreSQL and Redis are stopped (the seeded data stays under ``var/load``).

Only an idle machine records figures: when the 1-minute load average is above 1.0 at the start the
script says so and stops (exit 2) without touching ``bench/RESULTS.md``; before each phase it waits up
to ``LOAD_SETTLE_SECONDS`` (240) for the load of its own set-up to fall back under 1.0, and refuses in
the same way if it does not. ``LOAD_IGNORE_BUSY=1`` runs on a busy machine for a try and records
nothing.
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
from bench.openloop import Call, Step, Verdict, find_rate, idle_verdict, run_step  # noqa: E402
from config import embedded  # noqa: E402

DATA = Path(os.environ.get("LOAD_DATA_DIR", ROOT / "var" / "load")).resolve()
USERS = int(os.environ.get("LOAD_USERS", "40"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
RATE_START = float(os.environ.get("LOAD_RATE_START", "10"))
RATE_FACTOR = float(os.environ.get("LOAD_RATE_FACTOR", "1.5"))
RATE_CEILING = float(os.environ.get("LOAD_RATE_CEILING", "2000"))
STEP_SECONDS = float(os.environ.get("LOAD_STEP_SECONDS", "20"))
REFINEMENTS = int(os.environ.get("LOAD_REFINEMENTS", "3"))
SETTLE_SECONDS = float(os.environ.get("LOAD_SETTLE_SECONDS", "240"))
IGNORE_BUSY = os.environ.get("LOAD_IGNORE_BUSY", "") == "1"
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


def settle(phase: str) -> Verdict:
    """Wait (up to ``SETTLE_SECONDS``) for the load of the set-up or of the previous phase to pass."""
    deadline = time.monotonic() + (0 if IGNORE_BUSY else SETTLE_SECONDS)  # a try does not wait
    while os.getloadavg()[0] > 1.0 and time.monotonic() < deadline:
        print(f"before {phase}: load average {os.getloadavg()[0]:.2f}, waiting for it to settle", flush=True)
        time.sleep(10)
    return idle_verdict(os.getloadavg()[0], ignore_busy=IGNORE_BUSY)


COMMUNITIES = ("yincheng", "yinnan", "yinbei", "yinxin")
# Each closed-loop user class's share of the requests it sends: weight / mean wait (bench/locustfile.py).
RESIDENT, STAFF, DISTRICT = 6 / 2, 3 / 3.5, 1 / 2


def open_mix(env: dict[str, str], port: int) -> list[Call]:
    """The closed-loop scenario's requests, in the proportions its users send them: residents' pages of
    every community, a logged-in clerk's pages (one session per community, logged in once here) and
    the district pulls."""
    import requests

    base = f"http://127.0.0.1:{port}"
    mix: list[Call] = []
    for code in COMMUNITIES:
        host = f"{code}.localhost"
        share = 1 / len(COMMUNITIES)
        listing = requests.get(f"{base}/disclosures/", headers={"Host": host}, timeout=60).text
        ids = DETAIL_LINK.findall(listing)[:10]
        mix += [
            Call("portal: home", RESIDENT * share * 3 / 12, host, "/"),
            Call("portal: list", RESIDENT * share * 3 / 12, host, "/disclosures/"),
            Call("portal: search", RESIDENT * share * 2 / 12, host, "/disclosures/?q=%E5%85%AC%E5%BC%80"),
        ]
        mix += [
            Call("portal: detail", RESIDENT * share * 4 / 12 / len(ids), host, f"/disclosures/{i}/")
            for i in ids
        ]
        session = requests.Session()
        session.get(f"{base}/accounts/login/", headers={"Host": host}, timeout=60)
        done = session.post(
            f"{base}/accounts/login/",
            data={
                "username": f"{code}_handler",
                "password": os.environ.get("LOAD_PASSWORD", "Gongkai@2026"),
                "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
            },
            headers={"Host": host},
            allow_redirects=False,
            timeout=60,
        )
        if done.status_code != 302:
            raise SystemExit(f"{code}_handler could not log in for the open loop ({done.status_code})")
        cookie = (("Cookie", "; ".join(f"{k}={v}" for k, v in session.cookies.items())),)
        mix += [
            Call("staff: workspace", STAFF * share * 3 / 10, host, "/workspace/", cookie),
            Call("staff: disclosure list", STAFF * share * 5 / 10, host, "/workspace/disclosures/", cookie),
            Call("staff: editor", STAFF * share * 2 / 10, host, "/workspace/disclosures/new/", cookie),
        ]
    bearer = (("Authorization", f"Bearer {env['LOAD_API_KEY']}"),)
    mix += [
        Call("api: communities", DISTRICT * 2 / 5, "localhost", "/api/v1/communities/", bearer),
        Call(
            "api: compliance",
            DISTRICT * 2 / 5,
            "localhost",
            "/api/v1/compliance/?period_kind=month&period=2026-10",
            bearer,
        ),
        Call("api: street offices", DISTRICT * 1 / 5, "localhost", "/api/v1/street-offices/", bearer),
    ]
    return mix


DETAIL_LINK = re.compile(r'href="/disclosures/(\d+)/"')


def open_loop(env: dict[str, str], port: int) -> tuple[float | None, list[Step]]:
    mix = open_mix(env, port)

    def measure(rate: float) -> Step:
        step = run_step(f"http://127.0.0.1:{port}", mix, rate, STEP_SECONDS)
        print(
            f"open loop {rate:.0f}/s: {step.sent} sent, {step.errors} errors, p95 {step.p95:.0f} ms "
            f"→ {'holds' if step.held else 'does not hold'}",
            flush=True,
        )
        return step

    return find_rate(
        measure, start=RATE_START, factor=RATE_FACTOR, ceiling=RATE_CEILING, refinements=REFINEMENTS
    )


def open_report(held: float | None, steps: list[Step], load_average: str) -> list[str]:
    lines = [
        "### Open loop: the highest arrival rate the mix holds",
        "",
        f"Requests started at a fixed rate whatever the server does (asyncio and httpx, "
        f"`bench/openloop.py`), each latency counted from when the request was due; the same mix as "
        f"the closed loop below in the proportions its users send it (residents ≈ 69 %, a logged-in "
        f"clerk ≈ 20 %, district pulls ≈ 11 %; no logins). From {RATE_START:.0f}/s, ×{RATE_FACTOR:g} "
        f"for {STEP_SECONDS:.0f} s a step until a step fails, then {REFINEMENTS} bisections. "
        f"Load average when it started: {load_average}.",
        "",
        "| rate /s | sent | errors | p50 ms | p95 ms | p99 ms | holds |",
        "|---|---|---|---|---|---|---|",
    ]
    for step in steps:
        lines.append(
            f"| {step.rate:.0f} | {step.sent} | {step.errors} | {step.p50:.0f} | {step.p95:.0f} | "
            f"{step.p99:.0f} | {'yes' if step.held else 'no'} |"
        )
    found = f"**{held:.0f} requests/s**" if held is not None else f"**none** (not even {RATE_START:.0f}/s)"
    lines += ["", f"Highest rate held with p95 < 200 ms and zero errors: {found}.", ""]
    return lines


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


def report(stats: Path, open_lines: list[str], load_average: str) -> tuple[str, int]:
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
        f"demo data (4 communities), after a warm-up of every page kind. Recorded only because the "
        f"machine was idle: the script refuses when the 1-minute load average is above 1.0 at the start "
        f"or does not settle under it before a phase (`LOAD_IGNORE_BUSY=1` runs anyway and records "
        f"nothing).",
        "",
        *open_lines,
        "### Closed loop: users waiting for each answer",
        "",
        f"Locust on the same machine: {USERS} users (residents 6 : staff 3 : "
        f"district 1, each waiting 1–5 s between requests), {SECONDS} s. "
        f"Load average when it started: {load_average}.",
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
        f"Errors: **{failures}** (any status other than the expected one counts). Reproduce on an idle "
        f"machine: `make load` (`LOAD_USERS=40 LOAD_SECONDS=60 LOAD_RATE_START=10 LOAD_RATE_FACTOR=1.5 "
        f"LOAD_STEP_SECONDS=20` are the defaults; the first run seeds `var/load`, ~2 min; the whole run "
        f"takes 10–15 min).",
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


def load_average() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def refuse(verdict: Verdict) -> int:
    print(verdict.message, file=sys.stderr, flush=True)
    return 2


def main() -> int:
    verdict = idle_verdict(os.getloadavg()[0], ignore_busy=IGNORE_BUSY)
    print(verdict.message, flush=True)
    if not verdict.run:
        return refuse(verdict)
    record = verdict.record
    env = prepare()
    try:
        proc, port = serve(env)
        try:
            warm_up(env, port)
            verdict = settle("the open loop")
            if not verdict.run:
                return refuse(verdict)
            record = record and verdict.record
            open_average = load_average()
            held, steps = open_loop(env, port)
            verdict = settle("the closed loop")
            if not verdict.run:
                return refuse(verdict)
            record = record and verdict.record
            closed_average = load_average()
            stats = load(env, port)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    finally:
        embedded.stop_all(DATA)  # the run's own PostgreSQL and Redis; the data stays for the next run
    section, failures = report(stats, open_report(held, steps, open_average), closed_average)
    print(section)
    if record:
        write(section)
    else:
        print("The machine was busy: these figures are a try and bench/RESULTS.md is left as it is.")
    if failures:
        print(f"{failures} failed requests; see {DATA / 'locust_failures.csv'} and {DATA / 'gunicorn.log'}")
    return 1 if failures else 0 if record else 2


if __name__ == "__main__":
    sys.exit(main())
