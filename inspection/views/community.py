"""The street office's conclusions as a community's members see them, on its own sub-domain: the
results, answering an order, submitting the self-assessment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from inspection import forms, permissions, selectors, services
from inspection.choices import AssessmentStatus
from inspection.models import Assessment, Rectification
from tenants import selectors as tenant_selectors
from tenants.errors import DomainError


def _member(request: HttpRequest) -> set[str]:
    roles = tenant_selectors.community_roles_of(user=request.user, community=request.community)  # type: ignore[arg-type, attr-defined]
    if not roles:
        raise PermissionDenied
    return roles


@login_required
def community_results(request: HttpRequest) -> HttpResponse:
    """What the street office concluded about this community: completed spot checks and its orders.
    A planned (unannounced) check is never shown here."""
    _member(request)
    community = request.community  # type: ignore[attr-defined]
    return render(
        request,
        "inspection/community_results.html",
        {
            "checks": selectors.spot_checks_visible_to_community(community),
            "orders": Rectification.objects.filter(community=community),
            "assessments": Assessment.objects.filter(community=community),
            "evaluations": selectors.evaluations_published_for(community),
        },
    )


@login_required
def community_answer(request: HttpRequest, pk: int) -> HttpResponse:
    _member(request)
    order = get_object_or_404(Rectification, pk=pk, community=request.community)  # type: ignore[attr-defined]
    form = forms.AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.rectification_answer(
                    rectification=order,
                    actor=request.user,  # type: ignore[arg-type]
                    answer=form.cleaned_data["answer"],
                )
                messages.success(request, "整改情况已反馈街道。")
                return redirect("inspection_community:results")
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(request, "inspection/community_answer.html", {"order": order, "form": form}, status=status)


@login_required
def community_self_assess(request: HttpRequest, pk: int) -> HttpResponse:
    roles = _member(request)
    assessment = get_object_or_404(
        Assessment.objects.select_related("template"),
        pk=pk,
        community=request.community,  # type: ignore[attr-defined]
    )
    items = list(assessment.template.items.all())
    can_edit = assessment.status == AssessmentStatus.SELF_ASSESSING and permissions.can_self_assess(roles)
    form = forms.scores_form(items, data=request.POST or None, files=request.FILES or None, with_report=True)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            try:
                services.assessment_self_assess(
                    assessment=assessment,
                    actor=request.user,  # type: ignore[arg-type]
                    scores=forms.scores_of(form, items),
                    report=form.cleaned_data["report"],
                )
                messages.success(request, "自查已提交街道考核组。")
                return redirect("inspection_community:results")
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(
        request,
        "inspection/self_assess.html",
        {"assessment": assessment, "form": form, "can_edit": can_edit},
        status=status,
    )
