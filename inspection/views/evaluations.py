"""综合评价: computing, approving and exporting the year's composite results, and the street office's
list of failures that veto excellence."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext

from inspection import exports, forms, permissions, selectors, services
from inspection.models import EvaluationWeights
from inspection.vetoes import VETO_KINDS
from tenants.access import StreetOfficeRequest, access_street_office, street_staff_required, submit
from workdays.periods import year_asked


@street_staff_required()
def evaluations(request: StreetOfficeRequest) -> HttpResponse:
    office = access_street_office(request)
    year = year_asked(request.GET.get("year"), default=timezone.localdate().year)
    weights, _ = EvaluationWeights.objects.get_or_create(street_office=office)
    can_set_vetoes = permissions.can_set_vetoes(request.user, request.street_office_roles)
    vetoes_form = forms.VetoesForm(initial={"kinds": weights.vetoes})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "approve":
            if not permissions.can_approve(request.street_office_roles):
                raise PermissionDenied(permissions.EVALUATION_APPROVE_REFUSED)
            approved = submit(
                request,
                lambda: services.evaluation_approve(street_office=office, year=year, actor=request.user),
                forbid=True,
            )
            if approved.ok:
                messages.success(
                    request,
                    gettext("已审定并向各社区公布 %(value)s 个社区的结果。") % {"value": approved.value},
                )
        elif action == "vetoes":
            if not can_set_vetoes:
                raise PermissionDenied(permissions.VETOES_REFUSED)
            vetoes_form = forms.VetoesForm(request.POST)
            saved = submit(
                request,
                lambda: services.evaluation_vetoes_set(
                    street_office=office, kinds=vetoes_form.cleaned_data["kinds"], actor=request.user
                ),
                forms=[vetoes_form],
                success=gettext("一票否决事项已保存,下次计算综合评价时起适用。"),
            )
            if not saved.ok:
                status = saved.status
        else:
            submit(
                request,
                lambda: services.evaluation_compute(street_office=office, year=year, actor=request.user),
                success=gettext("综合评价已计算。"),
            )
        if status == 200:
            return redirect(f"{request.path}?year={year}")
    rows = selectors.evaluations_of(street_office=office, year=year)
    title = gettext("%(name)s%(year)s年度综合评价") % {"name": office.name, "year": year}
    export = request.GET.get("export")
    if export in ("xlsx", "pdf"):
        with translation.override(settings.LANGUAGE_CODE):  # files for print and filing: always Chinese
            title = gettext("%(name)s%(year)s年度综合评价") % {"name": office.name, "year": year}
            if export == "xlsx":
                return exports.evaluations_xlsx(rows, title=title)
            return exports.evaluations_pdf(rows, title=title, street_office=office)
    return render(
        request,
        "inspection/evaluations.html",
        {
            "rows": rows,
            "year": year,
            "years": selectors.evaluation_years(street_office=office, around=year),
            "weights": weights,
            "applied_vetoes": [VETO_KINDS[k].label for k in weights.vetoes if k in VETO_KINDS],
            "vetoes_form": vetoes_form,
            "can_set_vetoes": can_set_vetoes,
            "is_leader": permissions.can_approve(request.street_office_roles),
            "approved": any(r.published_at for r in rows),
            "history": selectors.evaluations_history(rows),
        },
        status=status,
    )
