"""责任追究规则 on the street office's side: which failures open an order by themselves, read by every
staff member and revised by its admin or leader; a version that opened an order is kept as it was."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inspection import accountability_forms, permissions, services
from inspection.models import AccountabilityRules
from inspection.services.accountability_rules import KINDS, RULES_REFUSED
from tenants.access import StreetOfficeRequest, access_street_office, street_staff_required, submit


@street_staff_required()
def accountability_rules(request: StreetOfficeRequest) -> HttpResponse:
    office = access_street_office(request)
    can_edit = permissions.can_revise_standard(request.user, request.street_office_roles)
    if request.method == "POST" and not can_edit:  # before the forms are read
        raise PermissionDenied(RULES_REFUSED)
    current = services.rules_for(street_office_id=office.pk)
    rules = services.rules_all(current)
    initial: list[dict[str, object]] = [r.as_entry() for r in rules]
    formset = accountability_forms.accountability_formset(KINDS, request.POST or None, initial=initial)

    def revise() -> AccountabilityRules:
        return services.rules_revise(street_office=office, actor=request.user, entries=formset.entries())

    revised = submit(request, revise, forms=[formset], forbid=True)
    if revised.value is not None:
        messages.success(
            request, _("责任追究规则已保存(%(version)s),下次检查起按此执行。") % {"version": revised.value}
        )
        return redirect("inspection:accountability")
    if request.method == "POST" and revised.error is None:
        messages.error(request, _("有几处需要修改,请看标红的说明。"))
    return render(
        request,
        "inspection/accountability.html",
        {
            "current": current,
            "rows": list(zip(rules, formset.forms, strict=True)),
            "formset": formset,
            "can_edit": can_edit,
            "versions": AccountabilityRules.objects.filter(street_office=office)
            .annotate(used=Count("rectifications"))
            .select_related("revised_by"),
        },
        status=revised.status,
    )
