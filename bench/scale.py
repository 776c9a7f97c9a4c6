"""A whole city in one deployment: every scale scenario of issue 8 at 10, 100 and 1,000 communities.

    python bench/scale.py [--sizes 10,100,1000] [--rounds 20] [--out bench/RESULTS.md]

Each scenario is timed against the naive way in the same run, so the ratio holds on a noisy machine.
Communities are built once and kept under var/bench (a second run reuses them): one seed community
gets a real year of work through the services (obligations, the five steps, a correction, ledger and
anchors), and the others are cloned from it *with its data* — the same rows a year of real work leaves,
made in a fraction of the time. The summary-table rows are copied from the seed's refresh for the same
reason; the nightly reconcile that computes them for real is its own scenario.

Uses its own embedded servers under var/bench unless DATABASE_URL/REDIS_URL are set.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("GONGKAI_DATA_DIR", str(ROOT / "var" / "bench"))
# It creates communities in this process: the owner's work (tenants/dbroles.py).
os.environ.setdefault("GONGKAI_DB_ROLE", "owner")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from api import services as api_services  # noqa: E402
from api.models import ApiClient  # noqa: E402
from communities.models import Committee, Officer  # noqa: E402
from demo.disclosures import seed_disclosures  # noqa: E402
from demo.seed import POSTS  # noqa: E402
from disclosure.compliance import compliance_figures  # noqa: E402
from inspection import services as inspection_services  # noqa: E402
from inspection.models import ComplianceSummary  # noqa: E402
from standards.seed import catalogue_seed  # noqa: E402
from tenants import provisioning, services  # noqa: E402
from tenants.choices import CommunityRole, StreetOfficeRole  # noqa: E402
from tenants.models import Community, Domain, StreetOffice, User  # noqa: E402
from tenants.tasking import enqueue_in_schema  # noqa: E402

TODAY = date(2026, 11, 23)
OFFICE = "benchcity"
SEED = "bs0000"
PASSWORD = "Bench@2026-not-for-use"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def row(label: str, times: list[float]) -> str:
    return (
        f"| {label} | {len(times)} | {ms(min(times))} | {ms(statistics.median(times))} | "
        f"{ms(percentile(times, 95))} | {ms(max(times))} |"
    )


HEADER = "| way | n | min ms | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|---|"


# --- building the city ------------------------------------------------------------------------------


def office_ensure() -> StreetOffice:
    call_command("migrate_all", verbosity=0)
    office = StreetOffice.objects.filter(code=OFFICE).first() or services.street_office_create(
        code=OFFICE, name="基准城区"
    )
    catalogue_seed(street_office=office, valid_from=date(2025, 1, 1))
    return office


def seed_ensure(office: StreetOffice) -> Community:
    """One community with a real year of work, made through the services."""
    seed = Community.objects.filter(schema_name=SEED).first()
    if seed is None:
        seed = services.community_create(code=SEED, name="基准社区0", street_office=office)
    for role in ("handler", "secretary", "director", "supervisor"):
        user = User.objects.filter(username=f"{SEED}_{role}").first()
        if user is None:
            user = User.objects.create_user(
                username=f"{SEED}_{role}", password=PASSWORD, real_name=f"基准{role}"
            )
        services.membership_grant(user=user, community=seed, role=CommunityRole(role))
    with tenant_context(seed):
        if not Officer.objects.exists():
            committees = {c.kind: c for c in Committee.objects.all()}
            for order, (role, (kind, post, duties)) in enumerate(POSTS.items()):
                Officer.objects.create(
                    committee=committees[kind],
                    name=f"基准{post}",
                    post=post,
                    duties=duties,
                    phone=f"1390000{order:04d}",
                    user=User.objects.filter(username=f"{SEED}_{role}").first(),
                    sort_order=order,
                )
        seed_disclosures(seed, today=TODAY, since=date(TODAY.year, 1, 1))  # the figures' year, as before
    inspection_services.compliance_refresh(community=seed, on=TODAY, years=[2026])
    return seed


def city_ensure(office: StreetOffice, seed: Community, n: int) -> list[Community]:
    """Clone the seed, data included, until the street office has ``n`` communities."""
    for extra in Community.objects.filter(street_office=office).exclude(schema_name=SEED)[max(n - 1, 0) :]:
        extra.delete(force_drop=True)  # a smaller size after a bigger run: the city shrinks first
    existing = Community.objects.filter(street_office=office).count()
    template_rows = list(ComplianceSummary.objects.filter(community=seed).values())
    script = provisioning.schema_script(SEED) if existing < n else ""
    for i in range(existing, n):
        code = f"bc{i:04d}"
        provisioning.schema_create_from_template(code, script=script)
        community = Community(schema_name=code, name=f"基准社区{i}", street_office=office)
        community.auto_create_schema = False
        community.save(verbosity=0)
        Domain.objects.create(domain=services.community_domain(code), tenant=community, is_primary=True)
        ComplianceSummary.objects.bulk_create(
            ComplianceSummary(**{**r, "id": None, "community_id": community.pk}) for r in template_rows
        )
        if i % 100 == 0:
            print(f"  … {i + 1} communities", flush=True)
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    if existing != n:  # the bulk copies bypassed the receivers: the dashboard's rows follow once
        inspection_services.heatmap_rebuild(street_office_ids=[office.pk])
    return list(Community.objects.filter(street_office=office).order_by("schema_name"))


def leader_ensure(office: StreetOffice) -> User:
    user = User.objects.filter(username="bench_leader").first() or User.objects.create_user(
        username="bench_leader", password=PASSWORD, real_name="基准领导"
    )
    services.street_office_membership_grant(user=user, street_office=office, role=StreetOfficeRole.LEADER)
    return user


# --- scenarios ---------------------------------------------------------------------------------------


def reads(office: StreetOffice, communities: list[Community], rounds: int) -> list[str]:
    """Dashboard and district API from the summary tables vs a tenant_context loop over every schema."""
    ApiClient.objects.filter(name="bench").delete()
    _, key = api_services.apiclient_create(name="bench", street_offices=[office])
    ApiClient.objects.filter(name="bench").update(rate_per_minute=1_000_000)
    api = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {key}")
    staff = Client(HTTP_HOST="localhost")
    staff.force_login(leader_ensure(office))

    def pull(path: str) -> Callable[[], None]:
        def run() -> None:
            url: str | None = path
            rows = 0
            while url:
                page = api.get(url).json()
                rows += len(page["results"])
                url = page["next"]
            assert rows == len(communities), (path, rows)

        return run

    def first_page(path: str) -> Callable[[], None]:
        def run() -> None:  # what a district system asks for first: the default page of 100 rows
            assert len(api.get(path).json()["results"]) == min(100, len(communities))

        return run

    def dashboard() -> None:
        assert staff.get("/inspection/").status_code == 200

    def loop() -> None:
        for community in communities:
            with tenant_context(community):
                compliance_figures(start=date(2026, 1, 1), end=date(2026, 12, 31), on=TODAY)

    ways = [
        (
            "`GET /api/v1/compliance/` (summary table, first page of 100)",
            first_page("/api/v1/compliance/?period_kind=year&period=2026"),
        ),
        (
            "`GET /api/v1/compliance/` (summary table, all pages)",
            pull("/api/v1/compliance/?period_kind=year&period=2026&page_size=1000"),
        ),
        (
            "`GET /api/v1/communities/` (summary table, all pages)",
            pull("/api/v1/communities/?page_size=1000"),
        ),
        ("street-office dashboard `/inspection/`", dashboard),
        ("`tenant_context` loop computing the same figures", loop),
    ]
    lines = [HEADER]
    medians = {}
    for label, run in ways:
        run()  # warm-up, not timed
        times = []
        for _ in range(rounds if run is not loop else max(3, rounds // 4)):
            t = time.perf_counter()
            run()
            times.append(time.perf_counter() - t)
        lines.append(row(label, times))
        medians[label] = statistics.median(times)
    ApiClient.objects.filter(name="bench").delete()
    loop_p50 = medians[ways[-1][0]]
    lines.append("")
    lines.append(
        "Ratio (p50, loop / API compliance, all pages): "
        f"{loop_p50 / medians[ways[1][0]]:.1f}×; loop / dashboard: {loop_p50 / medians[ways[3][0]]:.1f}×."
    )
    return lines


def creation(office: StreetOffice, count: int = 5) -> list[str]:
    """A new community: replay the template's dump vs django-tenants' clone vs every migration, with the
    city already there."""

    def timed(prefix: str) -> list[float]:
        times = []
        for i in range(count):
            t = time.perf_counter()
            services.community_create(code=f"{prefix}{i}", name=f"新建社区{i}", street_office=office)
            times.append(time.perf_counter() - t)
        return times

    def drop(prefix: str) -> None:
        for community in Community.objects.filter(schema_name__startswith=prefix):
            community.delete(force_drop=True)

    def unavailable() -> str:
        raise provisioning.TemplateUnavailable("bench: the clone way")

    for prefix in ("nwr", "nwc", "nwm"):
        drop(prefix)
    provisioning._script.clear()
    t = time.perf_counter()
    provisioning.template_script()  # taken once per process, then replayed
    dump = time.perf_counter() - t
    replay = timed("nwr")
    original = provisioning.template_script
    provisioning.template_script = unavailable  # type: ignore[assignment]
    try:
        clone = timed("nwc")
    finally:
        provisioning.template_script = original  # type: ignore[assignment]
    with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
        migrate = timed("nwm")
    for prefix in ("nwr", "nwc", "nwm"):
        drop(prefix)
    return [
        HEADER,
        row("replay the template's dump (what `community_create` does)", replay),
        row("django-tenants' `clone_schema()`", clone),
        row("run every migration", migrate),
        "",
        f"Ratio (p50): clone / replay {statistics.median(clone) / statistics.median(replay):.1f}×, "
        f"migrations / replay {statistics.median(migrate) / statistics.median(replay):.1f}×. "
        f"The template dump itself took {dump * 1000:.0f} ms, once per process.",
    ]


PROBE = ROOT / "communities" / "migrations" / "9999_bench_probe.py"
PROBE_SOURCE = '''from django.db import migrations


class Migration(migrations.Migration):
    """Written and removed by bench/scale.py: one cheap migration to time across every schema."""

    dependencies = [("communities", "{last}")]
    operations = [
        migrations.RunSQL(
            "COMMENT ON TABLE communities_notification IS 'bench probe'",
            "COMMENT ON TABLE communities_notification IS NULL",
        )
    ]
'''


def _manage(*args: str) -> float:
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "XDG_RUNTIME_DIR": "/tmp"},
    )
    return time.perf_counter() - t


def _probe_undo(last: str) -> None:
    """Take the probe back out of every schema that applied it (``migrate_all`` also records it in
    public), then off the disk."""
    _manage("migrate_schemas", "--tenant", "--executor=multiprocessing", "-v", "0", "communities", last)
    _manage("migrate_schemas", "--shared", "-v", "0", "communities", last)
    PROBE.unlink()


def migrations(n_schemas: int) -> list[str]:
    """Every schema, nothing to apply and one new migration: `migrate_schemas` with the standard
    executor and with django-tenants' multiprocessing one (2 processes on 2 cores), against
    `migrate_all`, which asks every schema in one query and migrates only those that lack something
    (in parallel). Public and the template schema are in `migrate_all`'s figures, not in the others."""
    last = sorted(p.stem for p in PROBE.parent.glob("0*.py"))[-1]
    results: list[tuple[str, float]] = []
    for executor in ("standard", "multiprocessing"):
        results.append(
            (
                f"nothing to apply, `migrate_schemas` {executor}",
                _manage("migrate_schemas", "--tenant", f"--executor={executor}", "-v", "0"),
            )
        )
    skipping = _manage("migrate_all", "-v", "0")
    results.append(("nothing to apply, `migrate_all` (skips what is done)", skipping))
    try:
        for executor in ("standard", "multiprocessing"):
            PROBE.write_text(PROBE_SOURCE.format(last=last))
            results.append(
                (
                    f"one new migration, `migrate_schemas` {executor}",
                    _manage("migrate_schemas", "--tenant", f"--executor={executor}", "-v", "0"),
                )
            )
            _probe_undo(last)
        PROBE.write_text(PROBE_SOURCE.format(last=last))
        results.append(("one new migration, `migrate_all`", _manage("migrate_all", "-v", "0")))
        _probe_undo(last)
    finally:
        if PROBE.exists():
            _probe_undo(last)
    lines = ["| run | schemas | total s | per schema ms |", "|---|---|---|---|"]
    for label, seconds in results:
        lines.append(f"| {label} | {n_schemas} | {seconds:.1f} | {seconds / n_schemas * 1000:.0f} |")
    return lines


@contextmanager
def search_path_counter() -> Iterator[list[str]]:
    """Statements as psycopg hands them to PostgreSQL, below django-tenants' own cursor."""
    seen: list[str] = []
    original = psycopg.Cursor.execute

    def execute(self, query, params=None, **kwargs):  # type: ignore[no-untyped-def]
        text = query if isinstance(query, str) else getattr(query, "as_string", lambda c: str(query))(self)
        if re.match(r"\s*SET\s+search_path", str(text), re.I):
            seen.append(str(text))
        return original(self, query, params, **kwargs)

    psycopg.Cursor.execute = execute  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        psycopg.Cursor.execute = original  # type: ignore[method-assign]


def middleware(community: Community, rounds: int) -> list[str]:
    """One request through the tenant middleware vs the same view with the tenancy middleware removed
    (the schema set once beforehand). The view is the residents' portal home: real queries, no login."""
    host = services.community_domain(community.schema_name)
    plain_stack = [
        ("bench.fixed_tenant.FixedTenantMiddleware" if m.endswith("CommunityTenantMiddleware") else m)
        for m in settings.MIDDLEWARE
        if not m.endswith("SessionBoundToSiteMiddleware")
    ]
    with_tenancy = Client(HTTP_HOST=host)
    assert with_tenancy.get("/").status_code == 200

    with override_settings(MIDDLEWARE=plain_stack):
        plain = Client(HTTP_HOST=host)
        connection.set_tenant(community)  # type: ignore[attr-defined]
        assert plain.get("/").status_code == 200  # loads this client's own middleware chain
    with search_path_counter() as seen:
        for _ in range(50):
            with_tenancy.get("/")
    per_request = len(seen) / 50
    # Interleaved, so the machine's noise falls on both ways alike. After a request through the tenant
    # middleware the connection is on the community's schema, which is what the plain stack expects.
    tenant_times: list[float] = []
    plain_times: list[float] = []
    for _ in range(max(rounds * 10, 200)):
        for client, times in ((with_tenancy, tenant_times), (plain, plain_times)):
            t = time.perf_counter()
            response = client.get("/")
            times.append(time.perf_counter() - t)
            assert response.status_code == 200, response.status_code
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    overhead = statistics.median(tenant_times) / statistics.median(plain_times) - 1
    return [
        HEADER,
        row("portal home through the tenant middleware", tenant_times),
        row("the same view, tenancy middleware removed", plain_times),
        "",
        f"Overhead (p50): {overhead * 100:+.1f} %. `SET search_path` statements sent per request: "
        f"{per_request:.2f} (counted at the psycopg cursor, below django-tenants).",
    ]


def daily_run(communities: list[Community]) -> list[str]:
    """The 06:00 run (obligations, states, reminders, anchors) over every community on two Celery
    worker processes, fanned out by the real `daily_all` task."""
    from celery import current_app

    from disclosure import tasks

    queue = f"bench-{os.getpid()}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "-c",
            "2",
            "-l",
            "WARNING",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env={**os.environ, "XDG_RUNTIME_DIR": "/tmp"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(6)
        started = time.perf_counter()
        with override_settings(CELERY_TASK_DEFAULT_QUEUE=queue):
            current_app.conf.task_default_queue = queue
            results = []
            for index, community in enumerate(communities):
                results.append(
                    enqueue_in_schema(
                        tasks.daily_for_community,
                        community=community,
                        on_commit=False,
                        countdown=index * tasks.FAN_OUT_SPREAD_SECONDS,
                        queue=queue,
                    )
                )
            dispatched = time.perf_counter() - started
            done = [r.get(timeout=3600) for r in results]
        total = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    assert len(done) == len(communities)
    return [
        f"{len(communities)} communities, 2 worker processes, spread {tasks.FAN_OUT_SPREAD_SECONDS} s "
        f"between starts: all done in {total:.1f} s (dispatch {dispatched:.1f} s; "
        f"{total / len(communities) * 1000:.0f} ms per community wall-clock)."
    ]


def backend_memory(communities: list[Community]) -> list[str]:
    """PostgreSQL memory of one backend before and after touching every schema (its catalog caches)."""
    from django.db import connections

    own = connections.create_connection("default")  # a fresh backend of its own
    own.ensure_connection()
    query = "SELECT sum(total_bytes) FROM pg_backend_memory_contexts"
    with own.connection as conn:
        before = conn.execute(query).fetchone()[0]
        for community in communities:
            conn.execute(f'SET search_path = "{community.schema_name}", public')
            conn.execute("SELECT count(*) FROM disclosure_obligation").fetchone()
            conn.execute("SELECT count(*) FROM disclosure_disclosure WHERE status = 'published'").fetchone()
        after = conn.execute(query).fetchone()[0]
    return [
        f"One backend: {before / 2**20:.1f} MiB before, {after / 2**20:.1f} MiB after querying two tables "
        f"in each of {len(communities)} schemas "
        f"({(after - before) / len(communities) / 1024:.0f} KiB per schema)."
    ]


def pg_version() -> str:
    number = connection.cursor().connection.info.server_version
    return f"{number // 10000}.{number % 10000}"


START, END = "<!-- bench/scale.py: start -->", "<!-- bench/scale.py: end -->"


def write_section(path: Path, report: list[str]) -> None:
    """Replace this bench's section of the results file (other benches keep theirs)."""
    section = "\n".join([START, *report, END])
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument("--skip", default="", help="comma-separated scenarios to skip")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    sizes = [int(s) for s in args.sizes.split(",")]
    report = [
        "## Scale: a whole city in one deployment (`make bench`)",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"PostgreSQL {pg_version()}; run {TODAY:%Y-%m-%d} data, "
        f"command `python bench/scale.py --sizes {args.sizes} --rounds {args.rounds}`.",
        "",
    ]
    office = office_ensure()
    t = time.perf_counter()
    seed = seed_ensure(office)
    print(f"seed community ready in {time.perf_counter() - t:.1f} s", flush=True)
    with tenant_context(seed):
        from disclosure.models import Disclosure, Obligation

        report.append(
            f"Each community holds a year of work: {Obligation.objects.count()} obligations, "
            f"{Disclosure.objects.count()} disclosure versions with their signatures, audit and ledger."
        )
    report.append("")
    for n in sizes:
        t = time.perf_counter()
        communities = city_ensure(office, seed, n)
        print(f"{n} communities ready in {time.perf_counter() - t:.1f} s", flush=True)
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        report += [f"### {n} communities", "", f"Load average when this size started: {load}.", ""]
        scenarios: list[tuple[str, str, Callable[[], list[str]]]] = [
            (
                "reads",
                "Dashboard and district API vs a loop over schemas",
                partial(reads, office, communities, args.rounds),
            ),
            ("create", "Creating a community", lambda: creation(office)),
            ("middleware", "Tenant middleware overhead", lambda: middleware(seed, args.rounds)),
            ("memory", "PostgreSQL backend memory", partial(backend_memory, communities)),
            ("daily", "The daily run on two Celery workers", partial(daily_run, communities)),
            (
                "migrate",
                "Migrations across every schema",
                lambda: migrations(Community.objects.count() + 1),
            ),
        ]
        for key, title, run in scenarios:
            if key in skip:
                continue
            t = time.perf_counter()
            lines = run()
            print(f"  {key}: {time.perf_counter() - t:.1f} s", flush=True)
            report += [f"#### {title}", "", *lines, ""]
            write_section(Path(args.out), report)
    write_section(Path(args.out), report)
    print("\n".join(report))


if __name__ == "__main__":
    main()
