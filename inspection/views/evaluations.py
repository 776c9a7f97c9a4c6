"""综合评价: computing, approving and exporting the year's composite results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from inspection import exports, permissions, selectors, services
from inspection.views.staff import office_of, require_staff
from tenants import selectors as tenant_selectors
from tenants.errors import DomainError


@login_required
def evaluations(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    office = office_of(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                count = services.evaluation_approve(street_office=office, year=year, actor=request.user)  # type: ignore[arg-type]
                messages.success(request, f"已审定并向各社区公布 {count} 个社区的结果。")
            else:
                services.evaluation_compute(street_office=office, year=year, actor=request.user)  # type: ignore[arg-type]
                messages.success(request, "综合评价已计算。")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?year={year}")
    rows = selectors.evaluations_of(street_office=office, year=year)
    export = request.GET.get("export")
    if export == "xlsx":
        return exports.evaluations_xlsx(rows, title=f"{office.name}{year}年度综合评价")
    if export == "pdf":
        return exports.evaluations_pdf(rows, title=f"{office.name}{year}年度综合评价")
    roles = tenant_selectors.street_office_roles_of(user=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "inspection/evaluations.html",
        {
            "rows": rows,
            "year": year,
            "is_leader": permissions.can_approve(roles),
            "approved": any(r.published_at for r in rows),
        },
    )
