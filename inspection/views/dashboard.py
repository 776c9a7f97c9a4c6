"""The street office's overview on the base domain: every community at once from the summary tables
(the look into one community is ``inspection.views.drilldown``)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from disclosure.feedback import rules as feedback_rules
from inspection import selectors
from inspection.choices import RectificationStatus
from inspection.forms import FIRST_YEAR
from inspection.models import Rectification
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
    rows = selectors.heatmap(user=request.user, year=year)
    offices = tenant_selectors.street_offices_of(request.user)
    ranked = selectors.ranking(rows)
    ranking = [(rank, r) for rank, r in ranked if rank is not None]
    unranked = [r for rank, r in ranked if rank is None]
    query = request.GET.get("q", "").strip()[:50]
    shown = [r for r in rows if query in r.community.name] if query else rows
    # A street office has a handful of communities; a city has thousands: one page of the table at a
    # time, the ranking's two ends, and the street office's average trend instead of a line each.
    page = Paginator(shown, DASHBOARD_PAGE).get_page(request.GET.get("page"))
    table = [
        {
            "row": r,
            "cells": [(c, selectors.rate_band(c)) for c in r.months],
            "band": selectors.rate_band(r.year),
        }
        for r in page.object_list
    ]
    many = len(rows) > TREND_LINES
    lapsed = [(r.community, r.year.fixed_lapsed) for r in rows if r.year and r.year.fixed_lapsed]
    return render(
        request,
        "inspection/dashboard.html",
        {
            "year": year,
            "years": list(range(today.year - 2, today.year + 1)),
            "query": query,
            "page": page,
            "table": table,
            "ranking": ranking if not many else ranking[:RANKING_ENDS],
            "ranking_bottom": ranking[-RANKING_ENDS:] if many and len(ranking) > 2 * RANKING_ENDS else [],
            "unranked": unranked if not many else [],
            "unranked_count": len(unranked),
            "communities_total": len(rows),
            "months": list(range(1, 13)),
            **feedback_rules.rules_context(),
            "overdue_total": sum(r.year.overdue for r in rows if r.year),
            # 000 第十九条 不更新: fixed items whose display ran out with nobody renewing them, by community
            "fixed_lapsed": lapsed,
            "fixed_lapsed_total": sum(n for _, n in lapsed),
            "trend": {
                "months": [f"{m}月" for m in range(1, 13)],
                "series": selectors.trend_series(rows, lines=TREND_LINES),
            },
            "redraws": selectors.spot_check_redraws(street_offices=offices, year=year),
            "several_offices": len(offices) > 1,
            "open_orders": Rectification.objects.filter(
                community__in=[r.community for r in rows], status__in=OPEN_ORDER_STATUSES
            )
            .select_related("community")
            .order_by("due_date")[:50],
        },
    )
