"""Residents' pages (no login, on the community's site) and the staff's inbox in the workspace.

A refused submission comes back with everything typed and the reason in Chinese; nothing a resident
types can cause a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from disclosure import selectors as engine_selectors
from disclosure.content import mask_name
from disclosure.feedback import permissions, rules, selectors, services
from disclosure.feedback.access import access_feedback_by_id
from disclosure.feedback.choices import Kind, Status
from disclosure.feedback.forms import AnswerForm, FeedbackForm, FindingForm, RatingForm
from disclosure.feedback.models import Feedback, Opinion
from disclosure.models import Disclosure
from disclosure.portal.views import portal_render
from tenants import access
from tenants.access import CommunityRequest, CommunitySiteRequest, member_required
from tenants.idempotency import submission_token
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

ELSEWHERE = gettext_lazy("到社区居委会或打电话反映")
LOOKUP_GROUP = "feedback-lookup"


def _by_code(code: str) -> Feedback | None:
    return selectors.feedback_by_code(code=code)


def _feedback_or_opinion(code: str) -> Feedback | Opinion | None:
    return selectors.feedback_by_code(code=code) or selectors.opinion_by_code(code=code)


def opinion_url(opinion: Opinion) -> str:
    return f"/consultations/opinions/{opinion.code}/"


def _portal(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context.setdefault("section", "feedback:submit")
    return portal_render(request, template, context, status=status)


def _about(request: HttpRequest) -> Disclosure | None:
    """The disclosure a resident is writing about, if it is one they may see today."""
    raw = request.POST.get("disclosure") or request.GET.get("disclosure") or ""
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(engine_selectors.disclosures_public(on=timezone.localdate()), pk=int(raw))


# --- residents -------------------------------------------------------------------------------------


def submit(request: CommunitySiteRequest) -> HttpResponse:
    disclosure = _about(request)
    status = 200
    if request.method == "POST":
        form = FeedbackForm(request.POST)

        def save() -> str:
            feedback = services.feedback_submit(
                community=request.community,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                disclosure=disclosure,
                name=form.cleaned_data["name"],
                mobile=form.cleaned_data["mobile"],
            )
            return f"{feedback_url(feedback)}?new=1"

        saved, status = resident_submit(
            request, form, group="feedback-submit", elsewhere=ELSEWHERE, save=save
        )
        if saved is not None:
            return redirect(saved)
    else:
        form = FeedbackForm(initial={"kind": request.GET.get("kind") or Kind.QUESTION})
    return _portal(
        request,
        "feedback/submit.html",
        {
            "form": form,
            "d": disclosure,
            "lookup": LookupForm(),
            "submission_token": submission_token(request),
            **rules.rules_context(),
        },
        status=status,
    )


def feedback_url(feedback: Feedback) -> str:
    return f"/feedback/{feedback.code}/"


def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET if "code" in request.GET else None)
    found, status = lookup_form(request, form, _feedback_or_opinion, group=LOOKUP_GROUP, elsewhere=ELSEWHERE)
    if isinstance(found, Opinion):  # an opinion on a consultation has a query code too
        return redirect(opinion_url(found))
    if isinstance(found, Feedback):
        return redirect(feedback_url(found))
    return _portal(request, "feedback/lookup.html", {"form": form}, status=status)


def status_page(request: CommunitySiteRequest, code: str) -> HttpResponse:
    normalised = normalise_code(code)
    if normalised != code:
        return redirect(f"/feedback/{normalised}/")
    try:
        feedback = by_code(request, code, _by_code, group=LOOKUP_GROUP)
    except LookupRefused:
        return _portal(request, "feedback/lookup.html", {"form": refused_form(ELSEWHERE)}, status=429)
    if feedback is None:
        raise Http404
    rating_form = RatingForm(request.POST if request.method == "POST" else None)
    rated = access.submit(
        request,
        lambda: services.feedback_rate(
            feedback=feedback, rating=rating_form.cleaned_data["rating"], community=request.community
        ),
        forms=[rating_form],
        success=_("谢谢您的评价。"),
        error_on_form=True,
        status_by_kind=True,
    )
    if rated.ok:
        return redirect(feedback_url(feedback))
    today = timezone.localdate()
    return _portal(
        request,
        "feedback/status.html",
        {
            "f": feedback,
            "new": request.GET.get("new") == "1",
            "clock": selectors.clocks_for([feedback], on=today)[feedback.pk],
            "mobile_masked": mask_mobile(feedback.mobile),
            "name_masked": mask_name(feedback.name) if feedback.name else "",
            "rating_form": rating_form,
        },
        status=rated.status,
    )


# --- staff -----------------------------------------------------------------------------------------


@member_required(roles=permissions.INBOX_ROLES)
def inbox(request: CommunityRequest, supervision: bool = False) -> HttpResponse:
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    items = list(
        selectors.feedback_inbox(
            status=status if status in Status.values else "",
            kind=kind if kind in Kind.values else "",
            escalated_only=supervision,
        )[:200]
    )
    clocks = selectors.clocks_for(items, on=timezone.localdate())
    return render(
        request,
        "feedback/inbox.html",
        {
            "rows": [(f, clocks[f.pk], mask_mobile(f.mobile)) for f in items],
            "supervision": supervision,
            "status": status,
            "kind": kind,
            "statuses": Status.choices,
            "kinds": Kind.choices,
            "can_supervise": permissions.can_supervise(request.membership_roles),
        },
    )


@member_required(roles=permissions.INBOX_ROLES)
def detail(request: CommunityRequest, pk: int) -> HttpResponse:
    return _detail(request, access_feedback_by_id(request, pk))


def _detail(
    request: CommunityRequest,
    feedback: Feedback,
    *,
    answer_form: AnswerForm | None = None,
    finding_form: FindingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    roles = request.membership_roles
    can_answer = permissions.can_answer(roles)
    return render(
        request,
        "feedback/detail.html",
        {
            "f": feedback,
            "clock": selectors.clocks_for([feedback], on=timezone.localdate())[feedback.pk],
            "can_answer": can_answer and feedback.status == Status.RECEIVED,
            "can_find": permissions.can_supervise(roles)
            and feedback.escalated_at is not None
            and not feedback.finding,
            "mobile": feedback.mobile if can_answer else mask_mobile(feedback.mobile),
            "answer_form": answer_form or AnswerForm(),
            "finding_form": finding_form or FindingForm(),
            "history": selectors.feedback_history(feedback),
        },
        status=status,
    )


def _act(
    request: CommunityRequest,
    pk: int,
    *,
    form_name: str,
    make_form: Callable[[], Any],
    act: Any,
    done: str,
    may: Callable[[set[str]], bool],
    refused: str | Promise,
) -> HttpResponse:
    """A staff action on one matter: a role that ``may`` not do it gets a 403 saying who may, before its
    input is read (the detail page does not show it the form); otherwise the form's input is checked and
    the service called, and a refusal comes back on the detail page with what was typed."""
    if not may(request.membership_roles):
        raise PermissionDenied(refused)
    feedback = access_feedback_by_id(request, pk)
    form = make_form()
    acted = access.submit(
        request,
        lambda: act(feedback=feedback, actor=request.user, community=request.community, **form.cleaned_data),
        forms=[form],
        success=done,
        error_on_form=True,
        status_by_kind=True,
    )
    if acted.ok:
        return redirect("feedback_staff:detail", pk=pk)
    return _detail(request, feedback, status=acted.status, **{form_name: form})


@member_required()  # who may is asked in _act, so the 403 says who may
@require_POST
def answer(request: CommunityRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        form_name="answer_form",
        make_form=lambda: AnswerForm(request.POST),
        act=services.feedback_answer,
        done=_("已答复。"),
        may=permissions.can_answer,
        refused=permissions.ANSWER_REFUSED,
    )


@member_required()
@require_POST
def finding(request: CommunityRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        form_name="finding_form",
        make_form=lambda: FindingForm(request.POST),
        act=services.feedback_record_finding,
        done=_("调查结论已记录。"),
        may=permissions.can_supervise,
        refused=permissions.FINDING_REFUSED,
    )
