"""A read-only look into one community from the street office's site: its obligations of a year or a
month with how late each was, and each published item as its residents read it. Each request switches
into the community's schema once (docs/ARCHITECTURE.md: the summary tables serve every other page)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure import selectors as disclosure_selectors
from disclosure import services as disclosure_services
from disclosure.choices import Channel, ObligationStatus, SignatureRole
from inspection import forms, selectors
from inspection.access import communities_in_reach
from tenants.access import StreetOfficeRequest, street_staff_required
from tenants.models import Community

OBLIGATIONS_PAGE = 50
RECENTLY_PUBLISHED = 20


def _community(request: StreetOfficeRequest, code: str) -> Community:
    """One of the staff member's own communities; any other (another street office's) is a 404."""
    community = communities_in_reach(request).filter(schema_name=code).first()
    if community is None:
        raise Http404
    return community


@street_staff_required()
def community_detail(request: StreetOfficeRequest, code: str) -> HttpResponse:
    """The community's obligations due in a year (``?year=``) or one month of it (``&month=``, where a
    heat-map cell links), each with its deadline, publication date and working days late, a page at a
    time; its ledger check; and what it published last."""
    community = _community(request, code)
    today = timezone.localdate()
    form = forms.DrillDownForm(
        request.GET if "year" in request.GET else None, initial={"year": today.year}, today=today
    )
    valid = form.is_valid()
    year = form.cleaned_data["year"] if valid else today.year
    month = form.cleaned_data["month"] if valid else None
    with tenant_context(community):
        obligations = selectors.obligations_due(year=year, month=month)
        page = Paginator(obligations, OBLIGATIONS_PAGE).get_page(request.GET.get("page"))
        rows = selectors.obligations_lateness(list(page.object_list), today=today)
        counts = obligations.aggregate(
            late=Count("pk", filter=Q(status=ObligationStatus.LATE)),
            overdue=Count("pk", filter=Q(status__in=disclosure_selectors.OPEN, due_date__lt=today)),
        )
        context = {
            "published": list(disclosure_selectors.disclosures_published()[:RECENTLY_PUBLISHED]),
            "ledger": disclosure_selectors.ledger_verify(community_id=community.pk),
        }
    return render(
        request,
        "inspection/community.html",
        {
            "target": community,
            "form": form,
            "year": year,
            "month": month,
            "page": page,
            "rows": rows,
            "counts": counts,
            **context,
        },
        status=200 if valid or not form.is_bound else 400,
    )


@street_staff_required()
def community_disclosure(request: StreetOfficeRequest, code: str, pk: int) -> HttpResponse:
    """One item the community published, read-only, as its residents read it: dates, channels,
    signatures, content (masked where the portal masks it), versions and hash."""
    community = _community(request, code)
    today = timezone.localdate()
    with tenant_context(community):
        disclosure, on = selectors.disclosure_as_published(pk=pk, today=today)
        public = disclosure_selectors.disclosure_public_content(disclosure)
        signatures = disclosure_services.valid_signatures(disclosure)
        context = {
            "d": disclosure,
            "obligation": disclosure.obligation,
            "signatures": [signatures[role] for role in SignatureRole.values if role in signatures],
            "channels": [Channel(c).label if c in Channel.values else c for c in disclosure.channels],
            "versions": disclosure_selectors.disclosure_public_versions(disclosure=disclosure, on=on),
            "public": public,
            "attachments": list(disclosure.attachments.order_by("pk")) if public.files_public else [],
        }
    return render(request, "inspection/community_disclosure.html", {"target": community, **context})
