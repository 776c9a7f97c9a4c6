"""整改 on the street office's side: issuing orders and verifying the community's answer."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from inspection import forms, services
from inspection.access import access_rectification_by_id, communities_in_reach
from inspection.models import Rectification
from tenants.access import StreetOfficeRequest, street_staff_required, submit
from tenants.audit import audit_trail
from tenants.idempotency import submission_once, submission_token


@street_staff_required()
def rectifications(request: StreetOfficeRequest) -> HttpResponse:
    communities = communities_in_reach(request)
    form = forms.RectificationForm(request.POST or None, communities=communities)

    def issue() -> str:
        services.rectification_issue(source="manual", actor=request.user, **form.cleaned_data)
        return reverse("inspection:rectifications")

    issued = submit(request, lambda: submission_once(request, issue), forms=[form])
    if issued.value is not None:
        url, repeated = issued.value
        if repeated:
            messages.info(request, _("这份整改通知已经下达过,没有重复下达。"))
        else:
            messages.success(request, _("整改通知已下达。"))
        return redirect(url)
    orders = Rectification.objects.filter(community__in=communities).select_related("community")
    return render(
        request,
        "inspection/rectifications.html",
        {"form": form, "orders": orders, "submission_token": submission_token(request)},
        status=issued.status,
    )


@street_staff_required()
def rectification_detail(request: StreetOfficeRequest, pk: int) -> HttpResponse:
    order = access_rectification_by_id(request, pk)
    form = forms.VerifyForm(request.POST or None)
    verified = submit(
        request,
        lambda: services.rectification_verify(
            rectification=order,
            actor=request.user,
            accept=form.cleaned_data["decision"] == "accept",
            note=form.cleaned_data["note"],
        ),
        forms=[form],
        success=_("核查结论已记录。"),
    )
    if verified.ok:
        return redirect("inspection:rectification", pk=pk)
    return render(
        request,
        "inspection/rectification.html",
        {"order": order, "form": form, "history": audit_trail(order)},
        status=verified.status,
    )
