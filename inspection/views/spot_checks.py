"""暗访: the draw and the assigned inspector's record of a visit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from inspection import forms, permissions, services
from inspection.access import access_spot_check_by_id
from inspection.choices import SpotCheckStatus
from inspection.models import SpotCheck
from tenants.access import StreetOfficeRequest, access_street_office, street_staff_required, submit
from tenants.idempotency import submission_once, submission_token
from tenants.models import User


@street_staff_required()
def spot_checks(request: StreetOfficeRequest) -> HttpResponse:
    office = access_street_office(request)
    inspectors = User.objects.filter(street_office_memberships__street_office=office).distinct()
    form = forms.DrawForm(request.POST or None, inspectors=inspectors, initial={"inspector": request.user.pk})

    def draw() -> str:
        made = services.spot_check_draw(street_office=office, actor=request.user, **form.cleaned_data)
        messages.success(request, f"已抽取:{'、'.join(made.drawn)}(随机种子 {made.seed})")
        return reverse("inspection:spot_checks")

    drawn = submit(request, lambda: submission_once(request, draw), forms=[form])
    if drawn.value is not None:
        url, repeated = drawn.value
        if repeated:
            messages.info(request, "这次抽取已经做过,没有重复抽取。")
        return redirect(url)
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
        status=drawn.status,
    )


@street_staff_required()
def spot_check_record(request: StreetOfficeRequest, pk: int) -> HttpResponse:
    check = access_spot_check_by_id(request, pk)
    assigned = request.user.has_perm(permissions.RECORD_SPOT_CHECK, check)
    can_record = assigned and check.status == SpotCheckStatus.PLANNED
    form = forms.RecordForm(
        request.POST or None,
        request.FILES or None,
        initial={"visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    if request.method == "POST" and not assigned:  # before the form is read
        raise PermissionDenied(permissions.RECORD_REFUSED)
    if request.method == "POST" and not can_record:
        raise PermissionDenied("这次暗访已经记录过了。")

    def record() -> None:
        data = form.cleaned_data
        services.spot_check_record(
            spot_check=check,
            actor=request.user,
            visited_at=data["visited_at"],
            checklist={k: data[k] == "yes" for k in services.CHECKLIST},
            findings=data["findings"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            photos=data["photos"],
        )

    recorded = submit(request, record, forms=[form], success="暗访结果已记录。")
    if recorded.ok:
        return redirect("inspection:spot_checks")
    return render(
        request,
        "inspection/spot_check_record.html",
        {"check": check, "form": form, "can_record": can_record},
        status=recorded.status,
    )
