"""The staff list of disclosures: find one by words, status, category, period or who drafted it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from disclosure import selectors
from disclosure.filtersets import DisclosureFilter
from tenants.access import CommunityRequest, member_required

PAGE_SIZE = 25


@member_required()
def disclosure_list(request: CommunityRequest) -> HttpResponse:
    """A page of 25; the page links keep the filters; a page number that is not one shows the nearest
    page. A filter value the form refuses is named above the list and left out of the query."""
    found = DisclosureFilter(
        request.GET, queryset=selectors.disclosures_for_staff(), community=request.community
    )
    page = Paginator(found.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(found.form.cleaned_data.get(name) for name in ("q", "status", "category", "period", "who"))
    return render(
        request,
        "disclosure/list.html",
        {"filter": found, "form": found.form, "page": page, "filtered": filtered},
        status=400 if found.form.errors else 200,
    )
