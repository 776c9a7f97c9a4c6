"""The community's ledger (台帐) as staff check it, and the printed report form of a publication."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure import exports, reports, selectors
from disclosure.access import access_disclosure_by_id
from disclosure.ledger_filter import LedgerFilterForm
from disclosure.pdf import FontMissing
from tenants.access import CommunityRequest, member_required

LEDGER_PAGE_SIZE = 50


@member_required()
def ledger(request: CommunityRequest) -> HttpResponse:
    """The 台帐: the chain's state on top, the entries a filter selects (paged, newest first), and the
    same selection as a spreadsheet or a PDF (``?export=xlsx|pdf``). A filter that cannot be read is
    shown with its Chinese message and no rows (400), never applied halfway."""
    community = request.community
    form = LedgerFilterForm(request.GET, actors=selectors.ledger_actors())
    valid = form.is_valid()
    entries = selectors.ledger_entries(**form.criteria()) if valid else selectors.ledger_entries().none()
    report = selectors.ledger_verify(community_id=community.pk)
    page = Paginator(entries, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    export = request.GET.get("export", "")
    if valid and export in exports.FORMATS:
        book = exports.LedgerBook(
            community=community.name,
            applied=form.describe(),
            rows=page.paginator.count,
            report=report,
            made_at=timezone.now(),
        )
        try:
            return exports.ledger_response(export, entries, book)
        except FontMissing as exc:
            return render(request, "disclosure/unavailable.html", {"message": str(exc)}, status=503)
    return render(
        request,
        "disclosure/ledger.html",
        {
            "form": form,
            "applied": form.describe() if valid else "",
            "page": page,
            "report": report,
            "items": selectors.ledger_item_titles(),
            "recorded": selectors.ledger_head_recorded(community_id=community.pk),
            "anchors": selectors.anchors_of(community_id=community.pk)[:30],
        },
        status=200 if valid else 400,
    )


@member_required()
def report_form(request: CommunityRequest, pk: int) -> HttpResponse:
    """公开报告单 of a published disclosure, as a PDF."""
    disclosure = access_disclosure_by_id(request, pk)
    if not disclosure.is_locked:
        messages.error(request, _("公布后才有公开报告单。"))
        return redirect("disclosure:detail", pk=pk)
    try:
        pdf = reports.report_form_pdf(disclosure, community_name=request.community.name)
    except FontMissing as exc:
        return render(request, "disclosure/unavailable.html", {"message": str(exc)}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{disclosure.pk}-v{disclosure.version}.pdf"'
    return response
