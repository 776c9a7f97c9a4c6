"""群众评议 on the street office's side: opening a survey, its printable slips, and closing the count."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from inspection import forms, rules, services
from inspection.models import Survey
from inspection.views.staff import require_staff
from tenants import selectors as tenant_selectors
from tenants.errors import DomainError


@login_required
def surveys(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    communities = tenant_selectors.communities_visible_to(request.user)  # type: ignore[arg-type]
    form = forms.SurveyForm(request.POST or None, communities=communities)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                survey = services.survey_open(actor=request.user, title="", **form.cleaned_data)  # type: ignore[arg-type]
                messages.success(request, "已发起评议,请打印投票纸条发给党员和居民代表。")
                return redirect("inspection:survey", pk=survey.pk)
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(
        request,
        "inspection/surveys.html",
        {
            "form": form,
            "surveys": Survey.objects.filter(community__in=communities).select_related("community"),
            "satisfaction_threshold": rules.SATISFACTION_THRESHOLD,
        },
        status=status,
    )


def _survey_for(request: HttpRequest, pk: int) -> Survey:
    return get_object_or_404(
        Survey.objects.select_related("community"),
        pk=pk,
        community__in=tenant_selectors.communities_visible_to(request.user),  # type: ignore[arg-type]
    )


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    survey = _survey_for(request, pk)
    if request.method == "POST":
        try:
            survey = services.survey_close(survey=survey, actor=request.user)  # type: ignore[arg-type]
            messages.success(request, f"评议已结束,满意率 {survey.satisfaction_rate}%。")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("inspection:survey", pk=pk)
    return render(
        request,
        "inspection/survey.html",
        {
            "survey": survey,
            "used": survey.codes.filter(used_at__isnull=False).count(),
            "total": survey.codes.count(),
            "satisfaction_threshold": rules.SATISFACTION_THRESHOLD,
        },
    )


@login_required
def survey_slips(request: HttpRequest, pk: int) -> HttpResponse:
    """Printable slips: one code each, cut apart and handed out; nobody can tell who holds which."""
    require_staff(request)
    survey = _survey_for(request, pk)
    port = request.get_port()
    suffix = "" if port in ("80", "443") else f":{port}"
    return render(
        request,
        "inspection/survey_slips.html",
        {
            "survey": survey,
            "codes": survey.codes.filter(used_at__isnull=True).order_by("?"),
            "vote_url": f"{request.scheme}://{survey.community.schema_name}.{settings.BASE_DOMAIN}{suffix}/vote/",
        },
    )
