"""定期考核 on the street office's side: opening and scoring assessments, and the scoring standard."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from inspection import forms, permissions, services
from inspection.choices import AssessmentStatus
from inspection.models import Assessment, ScoringTemplate
from inspection.views.staff import office_of, require_staff
from tenants import selectors as tenant_selectors
from tenants.errors import DomainError
from tenants.models import User


@login_required
def assessments(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    office = office_of(request)
    communities = tenant_selectors.communities_visible_to(request.user)  # type: ignore[arg-type]
    inspectors = User.objects.filter(street_office_memberships__street_office=office).distinct()
    form = forms.AssessmentOpenForm(request.POST or None, communities=communities, inspectors=inspectors)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                assessment = services.assessment_open(
                    actor=request.user,  # type: ignore[arg-type]
                    template=services.template_for(street_office=office),
                    **form.cleaned_data,
                )
                messages.success(request, "已开始定期考核,社区可在工作台提交自查。")
                return redirect("inspection:assessment", pk=assessment.pk)
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(
        request,
        "inspection/assessments.html",
        {
            "form": form,
            "assessments": Assessment.objects.filter(community__in=communities).select_related("community"),
        },
        status=status,
    )


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    assessment = get_object_or_404(
        Assessment.objects.select_related("community", "template"),
        pk=pk,
        community__in=tenant_selectors.communities_visible_to(request.user),  # type: ignore[arg-type]
    )
    items = list(assessment.template.items.all())
    can_score = assessment.status == AssessmentStatus.SUBMITTED and request.user.has_perm(
        permissions.SCORE_ASSESSMENT, assessment
    )
    roles = tenant_selectors.street_office_roles_of(user=request.user)  # type: ignore[arg-type]
    form = forms.scores_form(items, data=request.POST or None, with_notes=True) if can_score else None
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if request.POST.get("action") == "approve":
                services.assessment_approve(assessment=assessment, actor=request.user)  # type: ignore[arg-type]
                messages.success(request, "考核结果已审定。")
                return redirect("inspection:assessment", pk=pk)
            if form is not None and form.is_valid():
                services.assessment_score(
                    assessment=assessment,
                    actor=request.user,  # type: ignore[arg-type]
                    scores=forms.scores_of(form, items),
                    notes={i.code: form.cleaned_data[f"note_{i.code}"] for i in items},
                )
                messages.success(request, "评分已保存。")
                return redirect("inspection:assessment", pk=pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "inspection/assessment.html",
        {
            "assessment": assessment,
            "rows": assessment.scores.select_related("item").order_by("item__order"),
            "form": form,
            "can_approve": assessment.status == AssessmentStatus.SCORED and permissions.can_approve(roles),
        },
        status=status,
    )


@login_required
def standards(request: HttpRequest) -> HttpResponse:
    """评分标准: the street office's admin or leader revises it; scored assessments keep their version."""
    require_staff(request)
    office = office_of(request)
    current = services.template_for(street_office=office)
    items = list(current.items.all())
    initial = [{f: getattr(i, f) for f in services.SCORING_ITEM_FIELDS} for i in items]
    formset = forms.ScoringItemFormSet(request.POST or None, initial=initial, prefix="items")
    status = 200
    if request.method == "POST":
        status = 400
        if formset.is_valid():
            rows = [
                f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                revised = services.template_revise(street_office=office, actor=request.user, rows=rows)  # type: ignore[arg-type]
                messages.success(request, f"评分标准已保存为“{revised}”,新开始的定期考核按此评分。")
                return redirect("inspection:standards")
            except DomainError as exc:
                messages.error(request, exc.message)
        else:
            messages.error(request, "有几处需要修改,请看标红的说明。")
    roles = tenant_selectors.street_office_roles_of(user=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "inspection/standards.html",
        {
            "template": current,
            "items": items,
            "total": sum((i.max_score for i in items), Decimal(0)),
            "formset": formset,
            "can_edit": permissions.can_revise_standard(request.user, roles),  # type: ignore[arg-type]
            "versions": ScoringTemplate.objects.filter(Q(street_office=office) | Q(street_office=None))
            .annotate(used=Count("assessments"))
            .select_related("revised_by"),
        },
        status=status,
    )
