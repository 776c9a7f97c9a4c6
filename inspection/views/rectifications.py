"""整改 on the street office's side: issuing orders and verifying the community's answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from inspection import forms, services
from inspection.models import Rectification
from inspection.views.staff import require_staff
from tenants import selectors as tenant_selectors
from tenants.errors import DomainError
from tenants.idempotency import submission_once, submission_token


@login_required
def rectifications(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    communities = tenant_selectors.communities_visible_to(request.user)  # type: ignore[arg-type]
    form = forms.RectificationForm(request.POST or None, communities=communities)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:

                def issue() -> str:
                    services.rectification_issue(
                        source="manual",
                        actor=request.user,  # type: ignore[arg-type]
                        **form.cleaned_data,
                    )
                    return reverse("inspection:rectifications")

                url, repeated = submission_once(request, issue)
                if repeated:
                    messages.info(request, "这份整改通知已经下达过,没有重复下达。")
                else:
                    messages.success(request, "整改通知已下达。")
                return redirect(url)
            except DomainError as exc:
                messages.error(request, exc.message)
    orders = Rectification.objects.filter(community__in=communities).select_related("community")
    return render(
        request,
        "inspection/rectifications.html",
        {"form": form, "orders": orders, "submission_token": submission_token(request)},
        status=status,
    )


@login_required
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    order = get_object_or_404(
        Rectification.objects.select_related("community"),
        pk=pk,
        community__in=tenant_selectors.communities_visible_to(request.user),  # type: ignore[arg-type]
    )
    form = forms.VerifyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.rectification_verify(
                    rectification=order,
                    actor=request.user,  # type: ignore[arg-type]
                    accept=form.cleaned_data["decision"] == "accept",
                    note=form.cleaned_data["note"],
                )
                messages.success(request, "核查结论已记录。")
                return redirect("inspection:rectification", pk=pk)
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(request, "inspection/rectification.html", {"order": order, "form": form}, status=status)
