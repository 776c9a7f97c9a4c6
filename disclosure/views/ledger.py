"""The community's ledger (台帐) as staff check it, and the printed report form of a publication."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from disclosure import reports, selectors
from disclosure.access import access_disclosure_by_id
from disclosure.pdf import FontMissing
from tenants.access import CommunityRequest, member_required


@member_required()
def ledger(request: CommunityRequest) -> HttpResponse:
    community = request.community
    return render(
        request,
        "disclosure/ledger.html",
        {
            "report": selectors.ledger_verify(community_id=community.pk),
            "entries": selectors.ledger_recent(),
            "recorded": selectors.ledger_head_recorded(community_id=community.pk),
            "anchors": selectors.anchors_of(community_id=community.pk)[:30],
        },
    )


@member_required()
def report_form(request: CommunityRequest, pk: int) -> HttpResponse:
    """公开报告单 of a published disclosure, as a PDF."""
    disclosure = access_disclosure_by_id(request, pk)
    if not disclosure.is_locked:
        messages.error(request, "公布后才有公开报告单。")
        return redirect("disclosure:detail", pk=pk)
    try:
        pdf = reports.report_form_pdf(disclosure, community_name=request.community.name)
    except FontMissing as exc:
        return render(request, "disclosure/unavailable.html", {"message": str(exc)}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{disclosure.pk}-v{disclosure.version}.pdf"'
    return response
