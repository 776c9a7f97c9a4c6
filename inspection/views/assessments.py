"""定期考核 on the street office's side: opening and scoring assessments, and the scoring standard."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inspection import forms, permissions, services
from inspection.access import access_assessment_by_id, communities_in_reach
from inspection.choices import AssessmentStatus
from inspection.models import Assessment, ScoringTemplate
from tenants.access import (
    StreetOfficeRequest,
    Submission,
    access_street_office,
    street_staff_required,
    submit,
)
from tenants.audit import audit_trail
from tenants.models import User


@street_staff_required()
def assessments(request: StreetOfficeRequest) -> HttpResponse:
    office = access_street_office(request)
    communities = communities_in_reach(request)
    inspectors = User.objects.filter(street_office_memberships__street_office=office).distinct()
    form = forms.AssessmentOpenForm(request.POST or None, communities=communities, inspectors=inspectors)
    opened = submit(
        request,
        lambda: services.assessment_open(
            actor=request.user, template=services.template_for(street_office=office), **form.cleaned_data
        ),
        forms=[form],
        success=_("已开始定期考核,社区可在工作台提交自查。"),
    )
    if opened.value is not None:
        return redirect("inspection:assessment", pk=opened.value.pk)
    return render(
        request,
        "inspection/assessments.html",
        {
            "form": form,
            "assessments": Assessment.objects.filter(community__in=communities).select_related("community"),
        },
        status=opened.status,
    )


@street_staff_required()
def assessment_detail(request: StreetOfficeRequest, pk: int) -> HttpResponse:
    assessment = access_assessment_by_id(request, pk)
    items = list(assessment.template.items.all())
    can_score = assessment.status == AssessmentStatus.SUBMITTED and request.user.has_perm(
        permissions.SCORE_ASSESSMENT, assessment
    )
    form = forms.scores_form(items, data=request.POST or None, with_notes=True) if can_score else None
    done: Submission[Assessment]
    if request.POST.get("action") == "approve":
        if not permissions.can_approve(request.street_office_roles):  # before anything else is read
            raise PermissionDenied(permissions.ASSESSMENT_APPROVE_REFUSED)
        done = submit(
            request,
            lambda: services.assessment_approve(assessment=assessment, actor=request.user),
            success=_("考核结果已审定。"),
            forbid=True,
        )
    elif form is not None:
        done = submit(
            request,
            lambda: services.assessment_score(
                assessment=assessment,
                actor=request.user,
                scores=forms.scores_of(form, items),
                notes={i.code: form.cleaned_data[f"note_{i.code}"] for i in items},
            ),
            forms=[form],
            success=_("评分已保存。"),
        )
    elif request.method == "POST" and not request.user.has_perm(permissions.SCORE_ASSESSMENT, assessment):
        raise PermissionDenied(permissions.SCORE_REFUSED)
    else:  # nothing to post at this stage (a refusal by state, as before)
        done = Submission(status=400 if request.method == "POST" else 200)
    if done.ok:
        return redirect("inspection:assessment", pk=pk)
    return render(
        request,
        "inspection/assessment.html",
        {
            "assessment": assessment,
            "rows": assessment.scores.select_related("item").order_by("item__order"),
            "form": form,
            "can_approve": assessment.status == AssessmentStatus.SCORED
            and permissions.can_approve(request.street_office_roles),
            "history": audit_trail(assessment),
        },
        status=done.status,
    )


@street_staff_required()
def standards(request: StreetOfficeRequest) -> HttpResponse:
    """评分标准: the street office's admin or leader revises it; scored assessments keep their version."""
    office = access_street_office(request)
    can_edit = permissions.can_revise_standard(request.user, request.street_office_roles)
    if request.method == "POST" and not can_edit:  # before the formset is read
        raise PermissionDenied(permissions.STANDARD_REFUSED)
    current = services.template_for(street_office=office)
    items = list(current.items.all())
    initial = [{f: getattr(i, f) for f in services.SCORING_ITEM_FIELDS} for i in items]
    formset = forms.ScoringItemFormSet(request.POST or None, initial=initial, prefix="items")

    def revise() -> ScoringTemplate:
        rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        return services.template_revise(street_office=office, actor=request.user, rows=rows)

    revised = submit(request, revise, forms=[formset], forbid=True)
    if revised.value is not None:
        messages.success(
            request, _("评分标准已保存为“%(value)s”,新开始的定期考核按此评分。") % {"value": revised.value}
        )
        return redirect("inspection:standards")
    if request.method == "POST" and revised.error is None:  # not refused: the formset is invalid
        messages.error(request, _("有几处需要修改,请看标红的说明。"))
    return render(
        request,
        "inspection/standards.html",
        {
            "template": current,
            "items": items,
            "total": sum((i.max_score for i in items), Decimal(0)),
            "formset": formset,
            "can_edit": can_edit,
            "versions": ScoringTemplate.objects.filter(Q(street_office=office) | Q(street_office=None))
            .annotate(used=Count("assessments"))
            .select_related("revised_by"),
        },
        status=revised.status,
    )
