"""居民向街道投诉: the residents' form and status page on the base domain (no login), and the street
office's inbox, where staff investigate, conclude, and may open an order to the community.

A refused submission comes back with everything typed and the reason in Chinese; nothing a resident
types can cause a 500.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspection import forms, rules, selectors, services
from inspection.access import access_complaint_by_id, communities_in_reach
from inspection.choices import ComplaintStatus
from inspection.models import Complaint
from tenants import access
from tenants.access import StreetOfficeRequest, street_staff_required
from tenants.audit import audit_trail
from tenants.idempotency import submission_token
from tenants.models import Community, StreetOffice
from tenants.residents import (
    LookupForm,
    LookupRefused,
    by_code,
    lookup_form,
    mask_mobile,
    normalise_code,
    refused_form,
    resident_submit,
)
from workdays.periods import period_title_zh, period_zh


def _rules() -> dict[str, int]:
    return {
        "answer_working_days": rules.COMPLAINT_ANSWER_WORKING_DAYS,
        "signed_result_days": rules.COMPLAINT_SIGNED_RESULT_DAYS,
    }


ELSEWHERE = gettext_lazy("到街道办事处或打电话投诉")
LOOKUP_GROUP = "complaint-lookup"


def _by_code(code: str) -> Complaint | None:
    return selectors.complaint_by_code(code=code)


def _public(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    offices = StreetOffice.objects.filter(communities__is_active=True).distinct()
    return render(
        request, template, {"section": "complaints", "offices": offices, **_rules(), **context}, status=status
    )


def _active_communities() -> Any:
    return Community.objects.filter(is_active=True).select_related("street_office")


def _items(community: Community) -> list[tuple[int, str]]:
    entries = selectors.complaint_items(community=community, on=timezone.localdate())
    return [(e.disclosure_id, _item_label(e.title, e.period)) for e in entries]


def _item_label(title: str, period: str) -> str:
    """The title, with its period in Chinese where the title does not already name it."""
    named = period_title_zh(period)
    return f"{title}({period_zh(period)})" if named and named not in title else title


def complaint_url(complaint: Complaint) -> str:
    return reverse("complaints:status", args=[complaint.code])


# --- residents -------------------------------------------------------------------------------------


def submit(request: HttpRequest) -> HttpResponse:
    """``/complaints/``: first the community (``?community=<code>``), then the item and what is wrong."""
    communities = _active_communities()
    chooser = forms.ComplaintCommunityForm(
        request.GET if "community" in request.GET else None, communities=communities
    )
    community = chooser.cleaned_data["community"] if chooser.is_bound and chooser.is_valid() else None
    if community is None and request.method == "POST":
        raise Http404  # the form posts back to its community's address
    if community is None:
        context = {"chooser": chooser, "lookup": LookupForm()}
        return _public(
            request, "inspection/public/complaint_choose.html", context, 400 if chooser.is_bound else 200
        )
    form = forms.ComplaintForm(request.POST or None, items=_items(community))
    status = 200
    if request.method == "POST":

        def save() -> str:
            complaint = services.complaint_submit(
                community=community,
                disclosure_id=form.cleaned_data["item"],
                text=form.cleaned_data["text"],
                name=form.cleaned_data["name"],
                mobile=form.cleaned_data["mobile"],
            )
            return f"{complaint_url(complaint)}?new=1"

        saved, status = resident_submit(
            request, form, group="complaint-submit", elsewhere=ELSEWHERE, save=save
        )
        if saved is not None:
            return redirect(saved)
    return _public(
        request,
        "inspection/public/complaint_form.html",
        {"form": form, "community": community, "submission_token": submission_token(request)},
        status,
    )


def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET if "code" in request.GET else None)
    complaint, status = lookup_form(request, form, _by_code, group=LOOKUP_GROUP, elsewhere=ELSEWHERE)
    if complaint is not None:
        return redirect(complaint_url(complaint))
    return _public(request, "inspection/public/complaint_lookup.html", {"form": form}, status)


def status_page(request: HttpRequest, code: str) -> HttpResponse:
    normalised = normalise_code(code)
    if normalised != code:
        return redirect("complaints:status", code=normalised)
    try:
        complaint = by_code(request, code, _by_code, group=LOOKUP_GROUP)
    except LookupRefused:
        return _public(
            request, "inspection/public/complaint_lookup.html", {"form": refused_form(ELSEWHERE)}, 429
        )
    if complaint is None:
        raise Http404
    return _public(
        request,
        "inspection/public/complaint_status.html",
        {
            "c": complaint,
            "new": request.GET.get("new") == "1",
            "mobile_masked": mask_mobile(complaint.mobile),
        },
    )


# --- the street office -----------------------------------------------------------------------------


@street_staff_required()
def inbox(request: StreetOfficeRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    items = list(selectors.complaints_inbox(communities=communities_in_reach(request), status=status)[:200])
    clocks = selectors.complaint_clocks(items, on=timezone.localdate())
    return render(
        request,
        "inspection/complaints.html",
        {
            "rows": [(c, clocks[c.pk]) for c in items],
            "status": status if status in ComplaintStatus.values else "",
            "statuses": ComplaintStatus.choices,
            **_rules(),
        },
    )


def _detail(
    request: StreetOfficeRequest,
    complaint: Complaint,
    *,
    note_form: forms.ComplaintNoteForm | None = None,
    conclude_form: forms.ComplaintConcludeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    initial_issues = (
        _("居民投诉:%(what)s。") % {"what": complaint.item_title or _("社区公开工作")}
        if not complaint.finding
        else ""
    )
    return render(
        request,
        "inspection/complaint.html",
        {
            "c": complaint,
            "clock": selectors.complaint_clocks([complaint], on=timezone.localdate())[complaint.pk],
            "notes": complaint.notes.select_related("author"),
            "open": complaint.status != ComplaintStatus.CONCLUDED,
            "note_form": note_form or forms.ComplaintNoteForm(),
            "conclude_form": conclude_form or forms.ComplaintConcludeForm(initial={"issues": initial_issues}),
            "history": audit_trail(complaint),
            **_rules(),
        },
        status=status,
    )


@street_staff_required()
def detail(request: StreetOfficeRequest, pk: int) -> HttpResponse:
    """The complaint, its notes and its answer; a POST adds an investigation note."""
    complaint = access_complaint_by_id(request, pk)
    form = forms.ComplaintNoteForm(request.POST or None)
    noted = access.submit(
        request,
        lambda: services.complaint_note_add(
            complaint=complaint, actor=request.user, text=form.cleaned_data["text"]
        ),
        forms=[form],
        success=_("调查情况已记录。"),
        error_on_form=True,
        status_by_kind=True,
    )
    if noted.ok:
        return redirect("inspection:complaint", pk=pk)
    return _detail(request, complaint, note_form=form if form.is_bound else None, status=noted.status)


@street_staff_required()
def conclude(request: StreetOfficeRequest, pk: int) -> HttpResponse:
    complaint = access_complaint_by_id(request, pk)
    if request.method != "POST":
        return redirect("inspection:complaint", pk=pk)
    form = forms.ComplaintConcludeForm(request.POST)
    concluded = access.submit(
        request,
        lambda: services.complaint_conclude(complaint=complaint, actor=request.user, **form.cleaned_data),
        forms=[form],
        success=_("调查结论和答复已记录,居民凭查询码可以看到答复。"),
        error_on_form=True,
        status_by_kind=True,
    )
    if concluded.ok:
        return redirect("inspection:complaint", pk=pk)
    return _detail(request, complaint, conclude_form=form, status=concluded.status)
