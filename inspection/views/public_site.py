"""The street office's public site on the base domain, for residents without an account: its communities
and where to reach them, a search over what every one of them has published, and the street office's
own publications (evaluation results, 通报批评). Staff signed in on the base domain get their workspace at
the same address, as before.

Nothing here reads a community's schema: the search reads the public index (``finder``), the
communities and the results are public-schema rows.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from finder import selectors as finder_selectors
from finder import views as finder_views
from finder.models import Entry
from inspection import exports, selectors
from tenants import selectors as tenant_selectors
from tenants import views as tenant_views
from tenants.access import SiteRequest
from tenants.models import Community, StreetOffice
from tenants.sites import community_site_url
from workdays.periods import year_asked

PAGE_SIZE = 20
LATEST_ON_HOME = 8


def _communities() -> list[Community]:
    return list(Community.objects.filter(is_active=True).select_related("street_office"))


def _portal_link(request: HttpRequest) -> Any:
    """Each hit links to its page on its own community's site."""

    def link(entry: Entry) -> str:
        path = reverse("portal:detail", urlconf="config.urls_tenant", args=[entry.disclosure_id])
        return community_site_url(entry.community.schema_name, path, request)

    return link


def _public_scope() -> Any:
    return finder_selectors.entries_public(on=timezone.localdate()).filter(community__is_active=True)


def home(request: SiteRequest) -> HttpResponse:
    """Staff land on their workspace; anyone else on the street office's public home."""
    if tenant_selectors.is_street_office_staff(request.user):
        return tenant_views.street_office_home(request)
    communities = _communities()
    offices = StreetOffice.objects.filter(communities__is_active=True).distinct()
    latest = _public_scope().filter(is_current=True)[:LATEST_ON_HOME]
    link = _portal_link(request)
    return render(
        request,
        "inspection/public/home.html",
        {
            "section": "home",
            "offices": offices,
            "communities": [
                {
                    "community": c,
                    "url": community_site_url(c.schema_name, request=request),
                    "contacts": community_site_url(c.schema_name, "/#cadres", request),
                }
                for c in communities
            ],
            "latest": [(entry, link(entry)) for entry in latest],
            "evaluations": selectors.evaluations_latest_published(),
            "criticisms": selectors.criticisms_published(),
        },
    )


def disclosures(request: HttpRequest) -> HttpResponse:
    """``/disclosures/?q=``, as on a community's site, over every active community's published items;
    each hit names its community and links to its page there."""
    context, status = finder_views.search_context(
        request,
        scope=_public_scope(),
        street_office_ids=list(StreetOffice.objects.values_list("pk", flat=True)),
        link=_portal_link(request),
        on=timezone.localdate(),
        per_page=PAGE_SIZE,
    )
    offices = StreetOffice.objects.filter(communities__is_active=True).distinct()
    return render(
        request,
        "inspection/public/disclosures.html",
        {**context, "section": "disclosures", "offices": offices, "show_community": True},
        status=status,
    )


def results(request: HttpRequest) -> HttpResponse:
    """``/results/?year=2025``: each street office's published evaluation of a year (the latest year
    published unless asked), with each score's sources, what vetoed excellence, who approved it and
    when, and the seal area; ``&export=pdf`` prints one street office's (``&office=<code>``)."""
    years = selectors.evaluations_published_years()
    latest = years[0] if years else timezone.localdate().year
    year = year_asked(request.GET.get("year"), default=latest)
    published = selectors.evaluations_published_in(year)
    if request.GET.get("export") == "pdf":
        chosen = next((p for p in published if p.street_office.code == request.GET.get("office")), None)
        if chosen is None:
            raise Http404(_("这个街道这一年度没有公布综合评价。"))
        title = f"{chosen.street_office.name}{year}年度党务居务公开综合评价"  # a PDF: always Chinese
        return exports.evaluations_pdf(chosen.rows, title=title, street_office=chosen.street_office)
    return render(
        request,
        "inspection/public/results.html",
        {
            "section": "results",
            "offices": StreetOffice.objects.filter(communities__is_active=True).distinct(),
            "year": year,
            "years": sorted(set(years) | {year}, reverse=True),
            "published": [(p, selectors.evaluations_sourced(p.rows)) for p in published],
            "seal_area": exports.SEAL_AREA,
        },
    )
