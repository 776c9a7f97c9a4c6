"""The street office's pages read precomputed rows, not a loop over schemas: the dashboard and each
list of the district API issue the same number of queries for two communities as for six.

The four added communities are rows without schemas (``auto_create_schema = False``) carrying copies
of a real community's summary rows: the pages under test read only the public schema."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api import services as api_services
from inspection import services
from inspection.models import ComplianceSummary, HeatmapRow
from tenants.models import Community
from tests.api.support import api
from tests.conftest import host, login

pytestmark = pytest.mark.django_db

DISTRICT_LISTS = [
    "/api/v1/street-offices/",
    "/api/v1/communities/",
    "/api/v1/compliance/",
    "/api/v1/assessments/",
    "/api/v1/spot-checks/",
    "/api/v1/surveys/",
    "/api/v1/rectifications/",
    "/api/v1/evaluations/",
    "/api/v1/disclosures/",
    "/api/v1/ledger-heads/",
]


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def counts(staff: Client, district: Client) -> dict[str, int]:
    found = {"/inspection/": queries(staff, "/inspection/")}
    found.update({url: queries(district, url) for url in DISTRICT_LISTS})
    return found


def communities_added(world, n: int) -> None:  # type: ignore[no-untyped-def]
    rows = list(ComplianceSummary.objects.filter(community=world.yincheng))
    for number in range(n):
        community = Community(
            schema_name=f"qbound{number}", name=f"查询上限社区{number}", street_office=world.yinzhou
        )
        community.auto_create_schema = False
        community.save()
        for row in rows:
            row.pk, row.community = None, community
        ComplianceSummary.objects.bulk_create(rows)  # a bulk load, as the bench does: no receivers
    services.heatmap_rebuild(street_office_ids=[world.yinzhou.pk])


def dashboard_sql(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/inspection/").status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_the_dashboard_and_each_district_list_cost_the_same_queries_for_two_communities_or_six(world):
    today = timezone.localdate()
    for community in (world.yincheng, world.yinnan):
        services.compliance_refresh(community=community, on=today, years=[today.year])
    staff = Client(HTTP_HOST=host())
    assert login(staff, "yinzhou_inspector").status_code == 302
    _, key = api_services.apiclient_create(name="区纪委", street_offices=[world.yinzhou])
    district = api(key)
    counts(staff, district)  # warm: the first request of each caches what every later one reuses

    two = counts(staff, district)
    communities_added(world, 4)
    six = counts(staff, district)

    assert (
        ComplianceSummary.objects.filter(community__street_office=world.yinzhou)
        .values("community")
        .distinct()
        .count()
        == 6
    )
    assert six == two
    assert HeatmapRow.objects.filter(street_office=world.yinzhou).values("community").distinct().count() == 6


def test_the_dashboard_reads_the_precomputed_rows_never_every_summary(world):
    """Month cells, totals, ranking and trend come from the heat-map rows; the summary table is read
    only for the communities shown (by id), so more months or communities add no rows read."""
    today = timezone.localdate()
    for community in (world.yincheng, world.yinnan):
        services.compliance_refresh(community=community, on=today, years=[today.year])
    communities_added(world, 2)
    staff = Client(HTTP_HOST=host())
    assert login(staff, "yinzhou_inspector").status_code == 302
    sql = dashboard_sql(staff)
    assert any('"inspection_heatmaprow"' in q for q in sql)
    assert any('"inspection_streetofficeyear"' in q for q in sql)
    summaries = [q for q in sql if 'FROM "inspection_compliancesummary"' in q]
    assert summaries and all('"community_id" IN' in q and "'year'" in q for q in summaries), summaries
