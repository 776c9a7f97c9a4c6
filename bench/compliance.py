"""Street-office reads at scale: the summary table vs a loop over every community's schema.

`python bench/compliance.py [N]` creates N communities (cloned schemas, one year of obligations in
each), fills the summary table, then times, in the same run:
  - GET /api/v1/compliance/?period_kind=year&period=<year> through the real API (summary table), and
  - the naive way: entering each schema and computing the same figures (`tenant_context` loop).
It uses its own embedded servers under var/bench unless DATABASE_URL/REDIS_URL are set.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("GONGKAI_DATA_DIR", str(ROOT / "var" / "bench"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from api import services as api_services  # noqa: E402
from disclosure import services as disclosure_services  # noqa: E402
from disclosure.compliance import compliance_figures  # noqa: E402
from disclosure.standards.seed import catalogue_seed  # noqa: E402
from inspection import services as inspection_services  # noqa: E402
from tenants import services  # noqa: E402
from tenants.models import Community, StreetOffice  # noqa: E402

TODAY = date(2026, 11, 23)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ensure(n: int) -> StreetOffice:
    call_command("migrate_all", verbosity=0)
    office = StreetOffice.objects.filter(code="benchcity").first() or services.street_office_create(
        code="benchcity", name="基准城区")
    catalogue_seed(street_office=office, valid_from=date(2025, 1, 1))
    existing = Community.objects.filter(street_office=office).count()
    for i in range(existing, n):
        community = services.community_create(code=f"bc{i:04d}", name=f"基准社区{i}", street_office=office)
        with tenant_context(community):
            disclosure_services.obligations_generate(on=TODAY, since=date(2026, 1, 1))
            disclosure_services.obligations_refresh(on=TODAY)
        inspection_services.compliance_refresh(community=community, on=TODAY, years=[2026])
    return office


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    started = time.perf_counter()
    office = ensure(n)
    setup = time.perf_counter() - started
    _, key = api_services.apiclient_create(name="bench", street_offices=[office])
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {key}")
    from api.models import ApiClient

    ApiClient.objects.filter(name="bench").update(rate_per_minute=1_000_000)
    api_times, loop_times = [], []
    communities = list(Community.objects.filter(street_office=office))
    client.get("/api/v1/compliance/?period_kind=year&period=2026&page_size=1000")  # warm-up, not timed
    for _ in range(rounds):
        t = time.perf_counter()
        url = "/api/v1/compliance/?period_kind=year&period=2026&page_size=1000"
        rows = 0
        while url:
            page = client.get(url).json()
            rows += len(page["results"])
            url = page["next"]
        api_times.append(time.perf_counter() - t)
        assert rows == len(communities), rows
        t = time.perf_counter()
        for community in communities:
            with tenant_context(community):
                compliance_figures(start=date(2026, 1, 1), end=date(2026, 12, 31), on=TODAY)
        loop_times.append(time.perf_counter() - t)
    ApiClient.objects.filter(name="bench").delete()
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print(f"communities: {len(communities)} · rounds: {rounds} · set-up {setup:.1f} s")
    print("| way | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|")
    for label, times in (("API compliance/ from the summary table", api_times),
                         ("tenant_context loop computing the same figures", loop_times)):
        print(f"| {label} | {statistics.median(times) * 1000:.1f} | {percentile(times, 95) * 1000:.1f} | "
              f"{max(times) * 1000:.1f} |")
    print(f"ratio (p50, loop / summary): {statistics.median(loop_times) / statistics.median(api_times):.1f}×")


if __name__ == "__main__":
    main()
