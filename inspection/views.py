"""The street office's dashboard on the base domain: every community at once, from summary tables."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure import selectors as disclosure_selectors
from inspection import selectors
from tenants import selectors as tenant_selectors


def _staff(request: HttpRequest) -> None:
    if not tenant_selectors.is_street_office_staff(request.user):  # type: ignore[arg-type]
        raise PermissionDenied


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _staff(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    rows = selectors.heatmap(user=request.user, year=year)  # type: ignore[arg-type]
    table = [
        {
            "row": r,
            "cells": [(c, selectors.rate_band(c)) for c in r.months],
            "band": selectors.rate_band(r.year),
        }
        for r in rows
    ]
    return render(
        request,
        "inspection/dashboard.html",
        {
            "year": year,
            "years": list(range(today.year - 2, today.year + 1)),
            "table": table,
            "ranking": selectors.ranking(rows),
            "months": list(range(1, 13)),
            "overdue_total": sum(r.year.overdue for r in rows if r.year),
        },
    )


@login_required
def community_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Drill-down: one switch into the community's schema, read-only."""
    _staff(request)
    community = tenant_selectors.communities_visible_to(request.user).filter(schema_name=code).first()  # type: ignore[arg-type]
    if community is None:
        raise Http404
    with tenant_context(community):
        context = {
            "open_obligations": list(disclosure_selectors.obligations_open()[:100]),
            "published": list(disclosure_selectors.disclosures_published()[:50]),
            "ledger": disclosure_selectors.ledger_verify(community_id=community.pk),
        }
    return render(request, "inspection/community.html", {"target": community, **context})
