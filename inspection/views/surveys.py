"""群众评议 on the street office's side: opening a survey, its printable slips, and closing the count."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inspection import forms, rules, services
from inspection.access import access_survey_by_id, communities_in_reach
from inspection.models import Survey
from tenants.access import StreetOfficeRequest, street_staff_required, submit
from tenants.audit import audit_trail


@street_staff_required()
def surveys(request: StreetOfficeRequest) -> HttpResponse:
    communities = communities_in_reach(request)
    form = forms.SurveyForm(request.POST or None, communities=communities)
    opened = submit(
        request,
        lambda: services.survey_open(actor=request.user, title="", **form.cleaned_data),
        forms=[form],
        success=_("已发起评议,请打印投票纸条发给党员和居民代表。"),
    )
    if opened.value is not None:
        return redirect("inspection:survey", pk=opened.value.pk)
    return render(
        request,
        "inspection/surveys.html",
        {
            "form": form,
            "surveys": Survey.objects.filter(community__in=communities).select_related("community"),
            "satisfaction_threshold": rules.SATISFACTION_THRESHOLD,
        },
        status=opened.status,
    )


@street_staff_required()
def survey_detail(request: StreetOfficeRequest, pk: int) -> HttpResponse:
    survey = access_survey_by_id(request, pk)
    if request.method == "POST":
        closed = submit(request, lambda: services.survey_close(survey=survey, actor=request.user))
        if closed.value is not None:
            messages.success(
                request,
                _("评议已结束,满意率 %(satisfaction_rate)s%%。")
                % {"satisfaction_rate": closed.value.satisfaction_rate},
            )
        return redirect("inspection:survey", pk=pk)
    return render(
        request,
        "inspection/survey.html",
        {
            "survey": survey,
            "used": survey.codes.filter(used_at__isnull=False).count(),
            "total": survey.codes.count(),
            "satisfaction_threshold": rules.SATISFACTION_THRESHOLD,
            "history": audit_trail(survey),
        },
    )


@street_staff_required()
def survey_slips(request: StreetOfficeRequest, pk: int) -> HttpResponse:
    """Printable slips: one code each, cut apart and handed out; nobody can tell who holds which. Each
    slip's QR code opens the vote page with its code filled in, for a voter who would rather not type."""
    survey = access_survey_by_id(request, pk)
    port = request.get_port()
    suffix = "" if port in ("80", "443") else f":{port}"
    vote_url = f"{request.scheme}://{survey.community.schema_name}.{settings.BASE_DOMAIN}{suffix}/vote/"
    codes = survey.codes.filter(used_at__isnull=True).order_by("?")
    slips = [
        (
            c.code,
            segno.make(f"{vote_url}?{urlencode({'code': c.code})}", error="m").svg_inline(
                scale=3, border=2, dark="#000", light="#fff", omitsize=True
            ),
        )
        for c in codes
    ]
    return render(
        request, "inspection/survey_slips.html", {"survey": survey, "slips": slips, "vote_url": vote_url}
    )
