"""The street office's conclusions as a community's members see them, on its own sub-domain: the
results, answering an order, submitting the self-assessment."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from inspection import forms, permissions, selectors, services
from inspection.access import access_assessment_by_id, access_rectification_by_id
from inspection.choices import AssessmentStatus, RectificationStatus
from inspection.models import Assessment, Rectification
from inspection.views.rectifications import evidence_file
from tenants.access import CommunityRequest, member_required, submit

# the community's latest published items offered as the re-published evidence of an answer
MAX_LINK_CHOICES = 50
ANSWERABLE = (RectificationStatus.OPEN, RectificationStatus.ESCALATED)


@member_required()
def community_results(request: CommunityRequest) -> HttpResponse:
    """What the street office concluded about this community: completed spot checks and its orders.
    A planned (unannounced) check is never shown here."""
    community = request.community
    return render(
        request,
        "inspection/community_results.html",
        {
            "checks": selectors.spot_checks_visible_to_community(community),
            "orders": Rectification.objects.filter(community=community),
            "assessments": Assessment.objects.filter(community=community),
            "evaluations": selectors.evaluations_published_for(community),
            "criticisms": selectors.criticisms_for_staff(street_office_id=community.street_office_id),
        },
    )


@member_required()
def community_answer(request: CommunityRequest, pk: int) -> HttpResponse:
    """The answer form is shown only to a role that may answer; another role's POST is a 403 that says
    who may, before its input is read."""
    order = access_rectification_by_id(request, pk)
    can_answer = permissions.can_answer_rectification(request.membership_roles)
    if request.method == "POST" and not can_answer:
        raise PermissionDenied(permissions.ANSWER_REFUSED)
    items = selectors.complaint_items(community=order.community, on=timezone.localdate())[:MAX_LINK_CHOICES]
    form = forms.AnswerForm(request.POST or None, request.FILES or None, items=items)
    answered = submit(
        request,
        lambda: services.rectification_answer(
            rectification=order,
            actor=request.user,
            answer=form.cleaned_data["answer"],
            files=form.cleaned_data["evidence"],
            links=form.cleaned_data.get("links", []),
        ),
        forms=[form],
        success=_("整改情况已反馈街道。"),
    )
    if answered.ok:
        return redirect("inspection_community:results")
    return render(
        request,
        "inspection/community_answer.html",
        {
            "order": order,
            "form": form,
            "can_answer": can_answer and order.status in ANSWERABLE,
            "refused": permissions.ANSWER_REFUSED,
            "history": selectors.rectification_history(order),
        },
        status=answered.status,
    )


@member_required()
def community_answer_file(request: CommunityRequest, pk: int, file_pk: int) -> FileResponse:
    """A photo or PDF the community sent with its answer to one of its orders."""
    return evidence_file(access_rectification_by_id(request, pk), file_pk)


@member_required()
def community_self_assess(request: CommunityRequest, pk: int) -> HttpResponse:
    assessment = access_assessment_by_id(request, pk)
    items = list(assessment.template.items.all())
    can_edit = assessment.status == AssessmentStatus.SELF_ASSESSING and permissions.can_self_assess(
        request.membership_roles
    )
    form = forms.scores_form(items, data=request.POST or None, files=request.FILES or None, with_report=True)
    if request.method == "POST" and not permissions.can_self_assess(request.membership_roles):
        raise PermissionDenied(permissions.SELF_ASSESS_REFUSED)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("自查已经提交,不能再修改。"))
    submitted = submit(
        request,
        lambda: services.assessment_self_assess(
            assessment=assessment,
            actor=request.user,
            scores=forms.scores_of(form, items),
            report=form.cleaned_data["report"],
        ),
        forms=[form],
        success=_("自查已提交街道考核组。"),
    )
    if submitted.ok:
        return redirect("inspection_community:results")
    return render(
        request,
        "inspection/self_assess.html",
        {"assessment": assessment, "form": form, "can_edit": can_edit},
        status=submitted.status,
    )
