"""Time creating a community: cloning the template schema vs running every migration.

Run with `make bench` (or `python bench/community_create.py [N]`). It uses its own embedded servers
under var/bench unless DATABASE_URL/REDIS_URL are set, and drops what it created.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("GONGKAI_DATA_DIR", str(ROOT / "var" / "bench"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402

from tenants import services  # noqa: E402
from tenants.models import Community, StreetOffice  # noqa: E402


def timed_creates(prefix: str, count: int, office: StreetOffice) -> list[float]:
    times = []
    for i in range(count):
        started = time.perf_counter()
        services.community_create(code=f"{prefix}{i}", name=f"基准社区{i}", street_office=office)
        times.append(time.perf_counter() - started)
    return times


def drop(prefix: str) -> None:
    for community in Community.objects.filter(schema_name__startswith=prefix):
        community.delete(force_drop=True)


def summary(label: str, times: list[float]) -> str:
    return (f"| {label} | {len(times)} | {min(times) * 1000:.0f} | {statistics.median(times) * 1000:.0f} | "
            f"{max(times) * 1000:.0f} |")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    call_command("migrate_all", verbosity=0)
    office = StreetOffice.objects.filter(code="benchso").first() or services.street_office_create(
        code="benchso", name="基准街道"
    )
    drop("benchc")
    drop("benchm")
    clone = timed_creates("benchc", count, office)
    with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
        migrate = timed_creates("benchm", count, office)
    drop("benchc")
    drop("benchm")
    connection.close()
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print("| way | n | min ms | median ms | max ms |")
    print("|---|---|---|---|---|")
    print(summary("clone the template schema", clone))
    print(summary("run every migration", migrate))
    print(f"ratio (median, migrations / clone): {statistics.median(migrate) / statistics.median(clone):.1f}×")


if __name__ == "__main__":
    main()
