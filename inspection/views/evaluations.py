"""综合评价: computing, approving and exporting the year's composite results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from inspection import exports, permissions, selectors, services
from tenants.access import StreetOfficeRequest, access_street_office, street_staff_required, submit


@street_staff_required()
def evaluations(request: StreetOfficeRequest) -> HttpResponse:
    office = access_street_office(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if request.method == "POST":
        if request.POST.get("action") == "approve":
            if not permissions.can_approve(request.street_office_roles):
                raise PermissionDenied(permissions.EVALUATION_APPROVE_REFUSED)
            approved = submit(
                request,
                lambda: services.evaluation_approve(street_office=office, year=year, actor=request.user),
                forbid=True,
            )
            if approved.ok:
                messages.success(request, f"已审定并向各社区公布 {approved.value} 个社区的结果。")
        else:
            submit(
                request,
                lambda: services.evaluation_compute(street_office=office, year=year, actor=request.user),
                success="综合评价已计算。",
            )
        return redirect(f"{request.path}?year={year}")
    rows = selectors.evaluations_of(street_office=office, year=year)
    export = request.GET.get("export")
    if export == "xlsx":
        return exports.evaluations_xlsx(rows, title=f"{office.name}{year}年度综合评价")
    if export == "pdf":
        return exports.evaluations_pdf(rows, title=f"{office.name}{year}年度综合评价")
    return render(
        request,
        "inspection/evaluations.html",
        {
            "rows": rows,
            "year": year,
            "is_leader": permissions.can_approve(request.street_office_roles),
            "approved": any(r.published_at for r in rows),
            "history": selectors.evaluations_history(rows),
        },
    )
