"""Bounded backend memory (tenants/connections.py): the daily run's tasks close their connection every
``SCHEMAS_PER_CONNECTION`` communities, so no PostgreSQL backend serves more; a web process the same.

The tasks run through Celery's own machinery in this process (``apply``: its prerun and postrun
signals, tenant-schemas-celery switching to each community's schema), one after another as a worker
process takes them; which backend served each is asked of PostgreSQL (``pg_backend_pid()``)."""

from collections.abc import Iterator

import pytest
from celery.signals import task_prerun
from django.db import connection, transaction
from django.test import Client

from disclosure.tasks import daily_for_community
from standards.models import LedgerAnchor
from tenants.models import Community
from tests.conftest import host
from tests.dbroles import as_owner
from tests.factories import guards_off

# before any community existed: the run creates no obligation, only its ledger anchor (removed after)
LONG_AGO = "2020-01-01"


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


@pytest.fixture
def pids_per_task(committed: None) -> Iterator[list[int]]:
    """The backend each task ran on, asked as it starts (after the schema switch)."""
    seen: list[int] = []

    def record(**kwargs: object) -> None:
        seen.append(backend_pid())

    task_prerun.connect(record, weak=False)
    try:
        yield seen
    finally:
        task_prerun.disconnect(record)
        with as_owner(), transaction.atomic(), guards_off("standards_ledgeranchor"):
            LedgerAnchor.objects.filter(day=LONG_AGO).delete()


def daily_run_as_a_worker_takes_it() -> list[str]:
    active = Community.objects.filter(is_active=True).order_by("pk")
    codes = list(active.values_list("schema_name", flat=True))
    for code in codes:
        daily_for_community.apply(args=[LONG_AGO], headers={"_schema_name": code}).get()
    return codes


@pytest.mark.worker
def test_the_daily_run_reconnects_every_n_communities(pids_per_task, settings):
    settings.SCHEMAS_PER_CONNECTION = 2
    codes = daily_run_as_a_worker_takes_it()
    assert len(codes) >= 4
    runs = [pids_per_task[i : i + 2] for i in range(0, len(codes), 2)]
    assert all(len(set(run)) == 1 for run in runs), pids_per_task  # two communities per backend
    assert len({run[0] for run in runs}) == len(runs), pids_per_task  # then a new one


@pytest.mark.worker
def test_below_the_limit_one_backend_serves_the_whole_run(pids_per_task, settings):
    settings.SCHEMAS_PER_CONNECTION = 200
    daily_run_as_a_worker_takes_it()
    assert len(set(pids_per_task)) == 1, pids_per_task


def test_a_web_connection_is_closed_after_serving_n_communities_sites(committed, settings):
    settings.SCHEMAS_PER_CONNECTION = 2
    backend_pid()  # a connection of its own before the first request
    pids = []
    for code in ("yincheng", "yinnan", "dongfeng", "yincheng"):
        assert Client(HTTP_HOST=host(code)).get("/feed/").status_code == 200
        pids.append(None if connection.connection is None else connection.connection.info.backend_pid)
    # the second community's request reached the limit and closed; the next opened a fresh backend
    assert pids[0] is not None and pids[1] is None and pids[2] not in (None, pids[0])
