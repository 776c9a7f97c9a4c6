"""征求意见: the consultation's opinions page for residents (no login; the form while the period is open,
the opinions the supervision group showed, the counts, the result and what followed), the resident's
own opinion by its query code, and the supervision group's pages to decide which opinions are shown."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from disclosure import consultations
from disclosure import selectors as engine_selectors
from disclosure.choices import ContentType
from disclosure.feedback import opinions, permissions, selectors
from disclosure.feedback.forms import OpinionForm
from disclosure.feedback.models import Opinion
from disclosure.feedback.views import ELSEWHERE, LOOKUP_GROUP, opinion_url
from disclosure.models import Disclosure
from disclosure.portal.views import portal_render
from disclosure.rules import LOCKED_STATUSES
from tenants import access
from tenants.access import CommunityRequest, CommunitySiteRequest, access_object_by_id, member_required
from tenants.idempotency import submission_token
from tenants.residents import (
    LookupForm,
    LookupRefused,
    by_code,
    mask_mobile,
    normalise_code,
    refused_form,
    resident_submit,
)


def _consultation_public(pk: int) -> Disclosure:
    """A consultation residents may see today; 404 for anything else."""
    return get_object_or_404(
        engine_selectors.disclosures_public(on=timezone.localdate()).filter(
            content_type=ContentType.CONSULTATION
        ),
        pk=pk,
    )


# --- residents -------------------------------------------------------------------------------------


def page(request: CommunitySiteRequest, pk: int) -> HttpResponse:
    """The opinions page: a banner saying until when (or that it has closed), the form while the period
    is open, the opinions shown and the counts received / shown, the result and what followed."""
    consultation = _consultation_public(pk)
    today = timezone.localdate()
    status = 200
    form = OpinionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":

        def save() -> str:
            opinion = opinions.opinion_submit(
                community=request.community,
                consultation=consultation,
                text=form.cleaned_data["text"],
                name=form.cleaned_data["name"],
                mobile=form.cleaned_data["mobile"],
            )
            return f"{opinion_url(opinion)}?new=1"

        saved, status = resident_submit(
            request, form, group="opinion-submit", elsewhere=_("到社区居委会当面提意见"), save=save
        )
        if saved is not None:
            return redirect(saved)
    return portal_render(
        request,
        "feedback/consultation.html",
        {
            "section": "portal:list",
            "d": consultation,
            "links": consultations.links_of(consultation, on=today),
            "closed_reason": opinions.period_refusal(consultation, on=today),
            "counts": selectors.opinion_counts(consultation),
            "shown": selectors.opinions_shown(consultation),
            "form": form,
            "lookup": LookupForm(),
            "submission_token": submission_token(request),
        },
        status=status,
    )


def opinion_status(request: HttpRequest, code: str) -> HttpResponse:
    """A resident's own opinion by its query code: what they wrote and whether it is shown."""
    normalised = normalise_code(code)
    if normalised != code:
        return redirect(f"/consultations/opinions/{normalised}/")
    try:  # a miss counts against the address, as the feedback's status page does
        opinion = by_code(request, code, lambda c: selectors.opinion_by_code(code=c), group=LOOKUP_GROUP)
    except LookupRefused:
        return portal_render(request, "feedback/lookup.html", {"form": refused_form(ELSEWHERE)}, status=429)
    if opinion is None:
        raise Http404
    today = timezone.localdate()
    return portal_render(
        request,
        "feedback/opinion_status.html",
        {
            "section": "portal:list",
            "o": opinion,
            "new": request.GET.get("new") == "1",
            "links": consultations.links_of(opinion.consultation, on=today),
        },
    )


# --- the supervision group ---------------------------------------------------------------------------


@member_required(roles=permissions.OPINION_STAFF_ROLES)
def staff_list(request: CommunityRequest) -> HttpResponse:
    return render(
        request,
        "feedback/consultations_staff.html",
        {"rows": selectors.consultations_for_staff()[:200], "today": timezone.localdate()},
    )


def _staff_page(request: CommunityRequest, consultation: Disclosure, status: int = 200) -> HttpResponse:
    rows = list(selectors.opinions_of(consultation))
    return render(
        request,
        "feedback/opinions_staff.html",
        {
            "d": consultation,
            "rows": [(o, mask_mobile(o.mobile)) for o in rows],
            "counts": selectors.opinion_counts(consultation),
            "period": consultations.period_of(consultation),
            "can_moderate": permissions.can_moderate(request.membership_roles),
        },
        status=status,
    )


def _consultation_staff(request: CommunityRequest, pk: object) -> Disclosure:
    """A published consultation of this community; 404 for anything else."""
    published = Disclosure.objects.filter(content_type=ContentType.CONSULTATION, status__in=LOCKED_STATUSES)
    return access_object_by_id(published, pk)


@member_required(roles=permissions.OPINION_STAFF_ROLES)
def staff_opinions(request: CommunityRequest, pk: int) -> HttpResponse:
    return _staff_page(request, _consultation_staff(request, pk))


@member_required()  # who may is asked here, so the 403 says who may
@require_POST
def moderate(request: CommunityRequest, pk: int) -> HttpResponse:
    if not permissions.can_moderate(request.membership_roles):
        raise PermissionDenied(permissions.MODERATE_REFUSED)
    opinion = access_object_by_id(Opinion.objects.select_related("consultation"), pk)
    choice = request.POST.get("shown", "")
    shown: Any = {"1": True, "0": False}.get(choice, choice)
    done = access.submit(
        request,
        lambda: opinions.opinion_moderate(
            opinion=opinion, actor=request.user, community=request.community, shown=shown
        ),
        success=_("已公开展示。") if shown is True else _("已设为不公开展示。"),
    )
    if done.ok:
        return redirect(f"/workspace/consultations/{opinion.consultation_id}/#opinion-{opinion.pk}")
    return _staff_page(request, opinion.consultation, status=done.status)
