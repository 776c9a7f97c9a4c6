"""The residents' portal: what the community has published, readable by anyone without an account.

Every page starts from ``selectors.disclosures_public`` (what may be seen today) and renders structured
content only through ``content.public_view`` (masked rosters, no identity numbers). The list and its
search read the public index (``finder``), cut to this community, which applies the same rules.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from communities import selectors as community_selectors
from disclosure import consultations, display, reimbursements, selectors, services
from disclosure.choices import Category, Channel, ContentType, SignatureRole
from disclosure.models import Disclosure
from disclosure.portal.forms import VerifyForm
from finder import selectors as finder_selectors
from finder import views as finder_views
from tenants.access import CommunitySiteRequest
from workdays.periods import year_asked

PAGE_SIZE = 20
LATEST_ON_HOME = 8
# 便民服务指示牌 (004 做法⑴): the standard catalogue's convenience directory (fire, hospital, repairs).
DIRECTORY_CODE = "FW-03"
# Files whose browsers render them safely inline; anything else downloads.
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def portal_render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Every residents' page (the portal's, feedback's, the survey's vote). (The display modes the
    resident chose, 适老化, reach every template from ``tenants.context_processors.display``.)"""
    return render(request, template, context, status=status)


def _groups(digest: str) -> list[str]:
    """A 64-digit hash in groups of eight, easier to compare with paper one group at a time."""
    return [digest[i : i + 8] for i in range(0, len(digest), 8)]


def home(request: HttpRequest) -> HttpResponse:
    """The community at a glance: who is who, where to call, and the latest that was published."""
    today = timezone.localdate()
    current = selectors.disclosures_public_find(on=today)
    counts = dict(current.order_by().values_list("category").annotate(n=Count("pk")))
    return portal_render(
        request,
        "portal/home.html",
        {
            "section": "portal:home",
            "profile": community_selectors.profile_get(),
            "committees": community_selectors.committees_with_officers(),
            "categories": [(value, label, counts.get(value, 0)) for value, label in Category.choices],
            "directory": current.filter(obligation__code=DIRECTORY_CODE).first(),
            "latest": current[:LATEST_ON_HOME],
            "consultations": consultations.open_now(current, on=today),
            "results": community_selectors.street_office_results()[:3],
        },
    )


def results(request: HttpRequest) -> HttpResponse:
    """``/results/?year=2025``: the street office's evaluation of this community for a year (the
    latest published unless asked) — its rank as the street office ranks ties (并列), its sources, what
    vetoed excellence, who approved it, when, and the seal area."""
    published = list(community_selectors.street_office_results())
    years = sorted({int(r.period) for r in published if r.period.isdigit()}, reverse=True)
    year = year_asked(request.GET.get("year"), default=years[0] if years else timezone.localdate().year)
    return portal_render(
        request,
        "portal/results.html",
        {
            "section": "portal:results",
            "year": year,
            "years": sorted(set(years) | {year}, reverse=True),
            "result": next((r for r in published if r.period == str(year)), None),
        },
    )


def disclosure_list(request: CommunitySiteRequest) -> HttpResponse:
    """Find by words (with their synonyms and any period they name), category and month of publication,
    in the public index cut to this community; each hit links to its page here."""
    community = request.community
    context, status = finder_views.search_context(
        request,
        scope=finder_selectors.entries_public(on=timezone.localdate()).filter(community=community),
        street_office_ids=[community.street_office_id],
        link=lambda entry: reverse("portal:detail", args=[entry.disclosure_id]),
        on=timezone.localdate(),
        per_page=PAGE_SIZE,
    )
    return portal_render(request, "portal/list.html", {"section": "portal:list", **context}, status=status)


def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One version as published: dates, signatures, channels, versions, the hash, the content."""
    today = timezone.localdate()
    disclosure = selectors.disclosure_public_get(pk=pk, on=today)
    signatures = services.valid_signatures(disclosure)
    public = selectors.disclosure_public_content(disclosure)
    return portal_render(
        request,
        "portal/detail.html",
        {
            "d": disclosure,
            "today": today,
            "on_display": display.is_on_display(disclosure, on=today),
            "signatures": [signatures[role] for role in SignatureRole.values if role in signatures],
            "channels": [Channel(c).label if c in Channel.values else c for c in disclosure.channels],
            "versions": selectors.disclosure_public_versions(disclosure=disclosure, on=today),
            "public_body": public.body,
            "public_data": public.data,
            "show_content": not public.withdrawn,
            "attachments": disclosure.attachments.order_by("pk") if public.files_public else [],
            "reimbursed": _reimbursed(request, disclosure) if public.files_public else {},
            "hash_groups": _groups(disclosure.content_hash),
            "links": consultations.links_of(disclosure, on=today),
            "opinions_url": reverse("consult:page", args=[disclosure.pk])
            if disclosure.content_type == ContentType.CONSULTATION
            else "",
        },
    )


def _reimbursed(request: HttpRequest, disclosure: Disclosure) -> dict[str, reimbursements.LineShown]:
    """A statement's reimbursements by line: who signed and when, and the receipts, served here."""
    community = request.community  # type: ignore[attr-defined]  # the portal is a community's site
    shown = reimbursements.by_line(disclosure, mode=reimbursements.signing_mode(community))
    return reimbursements.linked(shown, lambda r: reverse("portal:receipt", args=[disclosure.pk, r.pk]))


def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Receipts and scans of a public disclosure, served by the app (never a bare media URL) after
    the same check as the page itself."""
    disclosure = selectors.disclosure_public_get(pk=pk, on=timezone.localdate())
    if not selectors.disclosure_public_content(disclosure).files_public:
        raise Http404
    file = get_object_or_404(disclosure.attachments, pk=attachment_pk)
    return FileResponse(
        file.file.open("rb"),
        as_attachment=file.mime_type not in INLINE_TYPES,
        filename=file.original_name,
        content_type=file.mime_type,
    )


def receipt(request: HttpRequest, pk: int, receipt_pk: int) -> FileResponse:
    """A reimbursement's receipt scan (004 ⑵ 原始单据复印件贴在居务公开栏上), after the page's own check."""
    disclosure = selectors.disclosure_public_get(pk=pk, on=timezone.localdate())
    if not selectors.disclosure_public_content(disclosure).files_public:
        raise Http404
    file = get_object_or_404(disclosure.receipts, pk=receipt_pk)
    return FileResponse(file.file.open("rb"), filename=file.original_name, content_type=file.mime_type)


def verify(request: CommunitySiteRequest, pk: int) -> HttpResponse:
    """The page behind the QR code of a printed notice: is what is published now what was signed and
    published, and is the hash on the paper the same?"""
    today = timezone.localdate()
    disclosure = selectors.disclosure_public_get(pk=pk, on=today)
    recomputed = disclosure.compute_content_hash()
    entry = selectors.ledger_publication_of(disclosure=disclosure)
    form = VerifyForm(request.GET if "hash" in request.GET else None)
    verdict = ""
    typed_version = None
    if form.is_valid():
        typed = form.cleaned_data["hash"]
        verdict = "match" if typed == recomputed == disclosure.content_hash else "mismatch"
        if verdict == "mismatch":
            versions = selectors.disclosure_public_versions(disclosure=disclosure, on=today)
            typed_version = next((v for v in versions if v.content_hash == typed), None)
    return portal_render(
        request,
        "portal/verify.html",
        {
            "d": disclosure,
            "hash_groups": _groups(disclosure.content_hash),
            "recomputed_groups": _groups(recomputed),
            "intact": recomputed == disclosure.content_hash,
            "entry": entry,
            "entry_groups": _groups(entry.hash) if entry else [],
            "entry_matches": entry is not None and entry.payload.get("content_hash") == recomputed,
            "ledger": selectors.ledger_verify(community_id=request.community.pk),
            "form": form,
            "verdict": verdict,
            "typed_version": typed_version,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
