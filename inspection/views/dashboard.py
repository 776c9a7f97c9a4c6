"""The street office's overview on the base domain: every community at once from the summary tables
(the look into one community is ``inspection.views.drilldown``)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.feedback import rules as feedback_rules
from inspection import selectors
from inspection.choices import RectificationStatus
from inspection.forms import FIRST_YEAR
from inspection.models import Rectification
from inspection.selectors import heatmap
from tenants import selectors as tenant_selectors
from tenants.access import StreetOfficeRequest, street_staff_required

DASHBOARD_PAGE = 50
TREND_LINES = 12
RANKING_ENDS = 10
OPEN_ORDER_STATUSES = (RectificationStatus.OPEN, RectificationStatus.ANSWERED, RectificationStatus.ESCALATED)


@street_staff_required()
def dashboard(request: StreetOfficeRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not FIRST_YEAR <= year <= today.year + 1:
        year = today.year
    offices = tenant_selectors.street_offices_of(request.user)
    query = request.GET.get("q", "").strip()[:50]
    # A street office has a handful of communities; a city has thousands. Everything here is read from
    # the precomputed rows (inspection.services.heatmap): one page of the table by keyset, the
    # ranking's two ends, the street office's totals and average trend, never every community's rows.
    page = heatmap.heat_table(
        offices=offices,
        year=year,
        query=query,
        size=DASHBOARD_PAGE,
        page=request.GET.get("page", ""),
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    total = page.total
    many = total > TREND_LINES
    ranking = heatmap.heat_ranking(
        offices=offices, year=year, ends=RANKING_ENDS if many else None, lowest=TREND_LINES // 2
    )
    table = [
        {
            "row": r,
            "cells": [(c, heatmap.rate_band(c)) for c in r.months],
            "band": heatmap.rate_band(r.year),
        }
        for r in page.rows
    ]
    if many:
        series: list[dict[str, object]] = [
            {"name": _("全街道平均"), "data": heatmap.month_averages(offices=offices, year=year)},
            *heatmap.trend_series(ranking.lowest),
        ]
    else:  # one line per community: few enough, so every one of them
        series = heatmap.trend_series(ranking.everyone)
    overdue_total, lapsed = heatmap.street_totals(offices=offices, year=year)
    return render(
        request,
        "inspection/dashboard.html",
        {
            "year": year,
            "years": list(range(today.year - 2, today.year + 1)),
            "query": query,
            "page": page,
            "table": table,
            "ranking": ranking.top,
            "ranking_bottom": ranking.bottom,
            "unranked": ranking.unranked,
            "unranked_count": total - ranking.ranked,
            "communities_total": total,
            "months": list(range(1, 13)),
            **feedback_rules.rules_context(),
            "overdue_total": overdue_total,
            # 000 第十九条 不更新: fixed items whose display ran out with nobody renewing them, by community
            "fixed_lapsed": lapsed,
            "fixed_lapsed_total": sum(n for _, n in lapsed),
            "trend": {
                "months": [f"{m}月" for m in range(1, 13)],
                "series": series,
            },
            "redraws": selectors.spot_check_redraws(street_offices=offices, year=year),
            "several_offices": len(offices) > 1,
            "open_orders": Rectification.objects.filter(
                community__street_office__in=offices, status__in=OPEN_ORDER_STATUSES
            )
            .select_related("community")
            .order_by("due_date")[:50],
        },
    )
