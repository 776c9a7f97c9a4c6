"""暗访: the draw and the assigned inspector's record of a visit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from inspection import forms, permissions, services
from inspection.choices import SpotCheckStatus
from inspection.models import SpotCheck
from inspection.views.staff import office_of, require_staff
from tenants import selectors as tenant_selectors
from tenants.errors import DomainError
from tenants.idempotency import submission_once, submission_token
from tenants.models import User


@login_required
def spot_checks(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    office = office_of(request)
    inspectors = User.objects.filter(street_office_memberships__street_office=office).distinct()
    form = forms.DrawForm(request.POST or None, inspectors=inspectors, initial={"inspector": request.user.pk})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:

                def draw() -> str:
                    made = services.spot_check_draw(
                        street_office=office,
                        actor=request.user,  # type: ignore[arg-type]
                        **form.cleaned_data,
                    )
                    messages.success(request, f"已抽取:{'、'.join(made.drawn)}(随机种子 {made.seed})")
                    return reverse("inspection:spot_checks")

                url, repeated = submission_once(request, draw)
                if repeated:
                    messages.info(request, "这次抽取已经做过,没有重复抽取。")
                return redirect(url)
            except DomainError as exc:
                messages.error(request, exc.message)
    checks = SpotCheck.objects.filter(draw__street_office=office).select_related(
        "community", "draw", "inspector"
    )
    return render(
        request,
        "inspection/spot_checks.html",
        {
            "form": form,
            "checks": checks[:100],
            "submission_token": submission_token(request),
            "user_can_record": {
                c.pk for c in checks[:100] if request.user.has_perm(permissions.RECORD_SPOT_CHECK, c)
            },
        },
        status=status,
    )


@login_required
def spot_check_record(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    check = get_object_or_404(
        SpotCheck.objects.select_related("community", "draw"),
        pk=pk,
        draw__street_office__in=tenant_selectors.street_offices_of(request.user),  # type: ignore[arg-type]
    )
    can_record = (
        request.user.has_perm(permissions.RECORD_SPOT_CHECK, check)
        and check.status == SpotCheckStatus.PLANNED
    )
    form = forms.RecordForm(
        request.POST or None,
        request.FILES or None,
        initial={"visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    status = 200
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.spot_check_record(
                    spot_check=check,
                    actor=request.user,  # type: ignore[arg-type]
                    visited_at=data["visited_at"],
                    checklist={k: data[k] == "yes" for k in services.CHECKLIST},
                    findings=data["findings"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    photos=data["photos"],
                )
                messages.success(request, "暗访结果已记录。")
                return redirect("inspection:spot_checks")
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(
        request,
        "inspection/spot_check_record.html",
        {"check": check, "form": form, "can_record": can_record},
        status=status,
    )
