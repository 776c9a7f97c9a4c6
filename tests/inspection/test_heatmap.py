"""The dashboard's precomputed rows (one line per community and year, the street office's totals and
ranking) equal what a direct computation in each community's schema gives, after each kind of change,
and they change in the transaction that changes the summaries."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django_tenants.utils import tenant_context

from disclosure import services as disclosure_services
from disclosure.compliance import compliance_figures
from disclosure.models import Obligation
from inspection import services
from inspection.models import ComplianceSummary, HeatmapRow, StreetOfficeYear
from inspection.ranking import competition_ranked
from inspection.selectors import heatmap
from tenants.models import Community, StreetOffice
from tests.factories import here, published
from workdays.periods import periods_of_year

pytestmark = pytest.mark.django_db

ON = date(2026, 7, 1)
YEAR = 2026


def direct(community: Community) -> dict:
    """The community's line computed in its own schema, period by period, as of ``ON``."""
    months: list = [None] * 12
    line: dict[str, Any] = {"on_time_rate": None, "overdue": 0, "fixed_lapsed": 0}
    with tenant_context(community):
        for period in periods_of_year(YEAR):
            if period.start > ON:
                continue
            figures = compliance_figures(start=period.start, end=period.end, on=ON)
            if period.span.value == "month":
                months[period.start.month - 1] = (figures.on_time_rate, figures.overdue)
            elif period.span.value == "year":
                line = {
                    "on_time_rate": figures.on_time_rate,
                    "overdue": figures.overdue,
                    "fixed_lapsed": figures.fixed_lapsed,
                }
    return {**line, "months": months}


def stored(line: HeatmapRow) -> dict:
    months = [
        None if cell is None else (None if cell[0] is None else Decimal(cell[0]), cell[1])
        for cell in line.months
    ]
    return {
        "on_time_rate": line.on_time_rate,
        "overdue": line.overdue,
        "fixed_lapsed": line.fixed_lapsed,
        "months": months,
    }


def refreshed(world) -> None:
    for community in Community.objects.filter(street_office=world.yinzhou):
        services.compliance_refresh(community=community, on=ON, years=[YEAR])


def assert_rows_equal_the_schemas(world) -> None:
    communities = list(Community.objects.filter(street_office=world.yinzhou).order_by("schema_name"))
    expected = {c.schema_name: direct(c) for c in communities}
    lines = {line.code: line for line in HeatmapRow.objects.filter(street_office=world.yinzhou, year=YEAR)}
    assert set(lines) == set(expected)
    for code, line in lines.items():
        assert stored(line) == expected[code], code
    # the ranking: the dashboard's rule over the direct figures
    ranked = competition_ranked(
        communities,
        score=lambda c: expected[c.schema_name]["on_time_rate"],
        then=lambda c: expected[c.schema_name]["overdue"],
    )
    places = [(rank, c.schema_name) for rank, c in ranked if rank is not None]
    by_position = sorted((x for x in lines.values() if x.position), key=lambda x: x.position or 0)
    assert [(x.rank, x.code) for x in by_position] == places
    assert all(x.rank is None for x in lines.values() if x.on_time_rate is None)
    # the street office's totals
    totals = StreetOfficeYear.objects.get(street_office=world.yinzhou, year=YEAR)
    assert totals.overdue == sum(e["overdue"] for e in expected.values())
    assert totals.fixed_lapsed == sum(e["fixed_lapsed"] for e in expected.values())
    assert totals.ranked == len(places)
    for month in range(12):
        rates = [e["months"][month][0] for e in expected.values() if e["months"][month]]
        rates = [r for r in rates if r is not None]
        assert totals.month_rate_counts[month] == len(rates)
        if rates:
            assert Decimal(totals.month_rate_sums[month]) == sum(rates)


def test_the_rows_equal_the_schemas_after_a_publication_a_late_item_and_a_waiver(world):
    with tenant_context(world.yincheng):
        disclosure_services.obligations_generate(community=here(), on=ON, since=date(2026, 4, 1))
    with tenant_context(world.yinnan):
        disclosure_services.obligations_generate(community=here(), on=ON, since=date(2026, 4, 1))
    refreshed(world)
    assert_rows_equal_the_schemas(world)

    with tenant_context(world.yincheng):  # a publication on time (due 06-10)
        published(
            world, obligation=Obligation.objects.get(code="SW-03", period="2026-05"), on=date(2026, 6, 8)
        )
        disclosure_services.obligations_refresh(community=here(), on=ON)
    refreshed(world)
    assert_rows_equal_the_schemas(world)

    with tenant_context(world.yinnan):  # a late one
        late = Obligation.objects.get(code="SW-07", period="2026-05")
        published(world, obligation=late, on=date(2026, 6, 12), title="5月初审证明事项", community="yinnan")
        disclosure_services.obligations_refresh(community=here(), on=ON)
    refreshed(world)
    assert_rows_equal_the_schemas(world)

    with tenant_context(world.yincheng):  # a waiver
        disclosure_services.obligation_waive(
            community=here(),
            obligation=Obligation.objects.get(code="SW-04", period="2026-05"),
            actor=world.user("yincheng_secretary"),
            reason="本月无新增",
        )
        disclosure_services.obligations_refresh(community=here(), on=ON)
    refreshed(world)
    assert_rows_equal_the_schemas(world)
    assert HeatmapRow.objects.filter(street_office=world.yinzhou, rank__isnull=False).exists()


def year_row(community: Community, rate: str, overdue: int = 0) -> ComplianceSummary:
    return ComplianceSummary.objects.create(
        community=community,
        period_kind="year",
        period=str(YEAR),
        start=date(YEAR, 1, 1),
        end=date(YEAR, 12, 31),
        computed_on=ON,
        due=10,
        overdue=overdue,
        on_time_rate=Decimal(rate),
    )


def test_a_summary_change_and_its_row_commit_or_roll_back_together(world):
    summary = year_row(world.yincheng, "90.0")
    line = HeatmapRow.objects.get(community=world.yincheng, year=YEAR)
    assert line.on_time_rate == Decimal("90.0") and line.rank == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        summary.on_time_rate = Decimal("40.0")
        summary.save()
        # inside the summary's transaction, before it commits, the row already says so
        assert HeatmapRow.objects.get(pk=line.pk).on_time_rate == Decimal("40.0")
        raise RuntimeError("the summary's transaction fails")
    assert HeatmapRow.objects.get(pk=line.pk).on_time_rate == Decimal("90.0")
    summary.delete()
    assert not HeatmapRow.objects.filter(community=world.yincheng, year=YEAR).exists()
    assert StreetOfficeYear.objects.get(street_office=world.yinzhou, year=YEAR).ranked == 0


def test_one_changed_rate_reranks_the_street_office_and_ties_share_a_rank(world):
    yinxin = Community.objects.get(schema_name="yinxin")
    year_row(world.yincheng, "90.0", overdue=2)
    year_row(world.yinnan, "80.0")
    later = year_row(yinxin, "70.0")
    later.on_time_rate = Decimal("90.0")
    later.save()
    lines = HeatmapRow.objects.filter(street_office=world.yinzhou, year=YEAR).order_by("position")
    # equal rates share rank 1; fewer overdue first inside it; the next rank skips the shared places
    assert [(x.code, x.rank, x.position) for x in lines] == [
        ("yinxin", 1, 1),
        ("yincheng", 1, 2),
        ("yinnan", 3, 3),
    ]


def test_several_street_offices_are_ranked_together_as_the_rule_says(world):
    rates = {"yincheng": "90.0", "yinnan": "70.0", "dongfeng": "80.0", "yinxin": "90.0"}
    for code, rate in rates.items():
        year_row(Community.objects.get(schema_name=code), rate)
    offices = StreetOffice.objects.filter(pk__in=[world.yinzhou.pk, world.dongguan.pk])
    ranking = heatmap.heat_ranking(offices=offices, year=YEAR, ends=None, lowest=1)
    communities = list(
        Community.objects.filter(street_office__in=offices).order_by("street_office__code", "schema_name")
    )
    expected = competition_ranked(
        communities, score=lambda c: Decimal(rates[c.schema_name]), then=lambda c: 0
    )
    assert [(rank, row.community.schema_name) for rank, row in ranking.top] == [
        (rank, c.schema_name) for rank, c in expected
    ]
    assert ranking.lowest[0].community.schema_name == "yinnan"
    ends = heatmap.heat_ranking(offices=offices, year=YEAR, ends=1, lowest=1)
    assert [(rank, row.community.schema_name) for rank, row in ends.top] == [(1, "yincheng")]
    assert [(rank, row.community.schema_name) for rank, row in ends.bottom] == [(4, "yinnan")]
    assert ends.ranked == 4 and ends.unranked == []


def test_a_bulk_load_is_caught_up_by_the_rebuild(world):
    year_row(world.yincheng, "90.0")
    HeatmapRow.objects.all().delete()
    assert services.heatmap_rebuild(street_office_ids=[world.yinzhou.pk]) == 1
    assert HeatmapRow.objects.get(community=world.yincheng, year=YEAR).rank == 1


def test_the_migration_fills_one_line_per_community_and_year_from_summaries_already_there(world):
    """An upgraded site has many summaries per community and year (months, quarters, the year) when
    ``0015_heatmap_rows`` runs: it writes one line for each, equal to what the rebuild gives."""
    from importlib import import_module

    from django.apps import apps

    refreshed(world)
    assert ComplianceSummary.objects.filter(community=world.yincheng, start__year=YEAR).count() > 1
    rebuilt = sorted(
        HeatmapRow.objects.values_list("community_id", "year", "rank", "overdue", "on_time_rate")
    )
    HeatmapRow.objects.all().delete()
    StreetOfficeYear.objects.all().delete()
    import_module("inspection.migrations.0015_heatmap_rows").lines_from_summaries(apps, None)
    filled = sorted(HeatmapRow.objects.values_list("community_id", "year", "rank", "overdue", "on_time_rate"))
    assert filled == rebuilt and len(filled) == Community.objects.filter(street_office=world.yinzhou).count()
    assert_rows_equal_the_schemas(world)


def test_the_dashboard_table_pages_by_keyset_and_bad_keys_fall_back_to_the_first_page(world, monkeypatch):
    import html
    import re

    from django.test import Client

    from inspection.views import dashboard as views
    from tests.conftest import login

    monkeypatch.setattr(views, "DASHBOARD_PAGE", 1)
    inspector = Client(HTTP_HOST="localhost")
    login(inspector, "yinzhou_inspector")

    def table(url: str) -> tuple[str, dict[str, str]]:
        page = inspector.get(url).content.decode().split("<h2>趋势</h2>")[0]
        links = dict(re.findall(r'href="(\?[^"]+)">(上一页|下一页)', page))
        return page, {label: html.unescape(link) for link, label in links.items()}

    first, links = table(f"/inspection/?year={YEAR}")
    assert "银城社区" in first and "第 1 / 3 页" in first and "上一页" not in links
    assert "after=yinzhou%3Ayincheng" in links["下一页"]
    second, links = table(f"/inspection/{links['下一页']}")
    assert "银南社区" in second and "银城社区" not in second and "第 2 / 3 页" in second
    third, links = table(f"/inspection/{links['下一页']}")
    assert "银新社区" in third and "下一页" not in links
    back, _ = table(f"/inspection/{links['上一页']}")
    assert "银南社区" in back and "银新社区" not in back and "第 2 / 3 页" in back
    for bad in ("after=nonsense", "before=%3A", "page=x", "page=99&after=zzz%3Azzz"):
        assert inspector.get(f"/inspection/?year={YEAR}&{bad}").status_code == 200


def test_a_community_deleted_leaves_the_ranking_and_totals_of_the_others(world):
    gone = Community(schema_name="hmgone", name="将撤销社区", street_office=world.yinzhou)
    gone.auto_create_schema = False
    gone.save()
    year_row(world.yincheng, "80.0", overdue=1)
    year_row(gone, "90.0", overdue=4)
    assert HeatmapRow.objects.get(community=world.yincheng, year=YEAR).rank == 2
    gone.delete()
    assert HeatmapRow.objects.get(community=world.yincheng, year=YEAR).rank == 1
    totals = StreetOfficeYear.objects.get(street_office=world.yinzhou, year=YEAR)
    assert (totals.ranked, totals.overdue) == (1, 1)


def test_a_refresh_that_changes_nothing_re_ranks_nobody(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def office_writes() -> list[str]:
        return [
            q["sql"]
            for q in captured.captured_queries
            if "inspection_streetofficeyear" in q["sql"] or "SET rank" in q["sql"]
        ]

    refreshed(world)
    lines = {x.pk: x.updated_at for x in HeatmapRow.objects.filter(street_office=world.yinzhou)}
    with CaptureQueriesContext(connection) as captured:
        refreshed(world)  # the nightly reconcile: the same figures again
    assert office_writes() == []
    assert {x.pk: x.updated_at for x in HeatmapRow.objects.filter(street_office=world.yinzhou)} == lines
    # a rebuild rewrites every street office's ranking and totals whatever changed
    with CaptureQueriesContext(connection) as captured:
        services.heatmap_rebuild(street_office_ids=[world.yinzhou.pk])
    assert len(office_writes()) == 2  # the ranking and the totals of 银州 2026, once each
