"""暗访: the draw (once per period; the leader's redraw with a reason) and the assigned inspector's
record of a visit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspection import forms, permissions, selectors, services
from inspection.access import access_draw_by_id, access_spot_check_by_id
from inspection.choices import SpotCheckStatus
from tenants.access import StreetOfficeRequest, access_street_office, street_staff_required, submit
from tenants.audit import audit_trail
from tenants.idempotency import submission_once, submission_token
from tenants.models import StreetOffice, User

PERIODS_PER_PAGE = 12


def _inspectors(office: StreetOffice) -> QuerySet[User]:
    return User.objects.filter(street_office_memberships__street_office=office).distinct()


@street_staff_required()
def spot_checks(request: StreetOfficeRequest) -> HttpResponse:
    """The draw form and every period drawn: the draw that stands, with its visits, and below it any
    draw it replaced (marked 已重抽, with who redrew it, when and why)."""
    office = access_street_office(request)
    form = forms.DrawForm(
        request.POST or None,
        inspectors=_inspectors(office),
        today=timezone.localdate(),
        initial={"inspector": request.user.pk},
    )

    def draw() -> str:
        made = services.spot_check_draw(street_office=office, actor=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("已抽取:%(join)s(随机种子 %(seed)s)") % {"join": _("、").join(made.drawn), "seed": made.seed},
        )
        return reverse("inspection:spot_checks")

    drawn = submit(request, lambda: submission_once(request, draw), forms=[form], error_on_form=True)
    if drawn.value is not None:
        url, repeated = drawn.value
        if repeated:
            messages.info(request, _("这次抽取已经做过,没有重复抽取。"))
        return redirect(url)
    page = Paginator(selectors.spot_check_periods(street_office=office), PERIODS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    periods = selectors.spot_check_draws_of(street_office=office, periods=list(page.object_list))
    checks = [c for p in periods for d in p.draws for c in d.checks.all()]
    return render(
        request,
        "inspection/spot_checks.html",
        {
            "form": form,
            "page": page,
            "periods": periods,
            "submission_token": submission_token(request),
            "can_redraw": permissions.can_redraw(request.street_office_roles),
            "user_can_record": {
                c.pk for c in checks if request.user.has_perm(permissions.RECORD_SPOT_CHECK, c)
            },
        },
        status=drawn.status,
    )


@street_staff_required()
def spot_check_redraw(request: StreetOfficeRequest, pk: int) -> HttpResponse:
    """The leader sets a draw aside and draws the period again, with a written reason. Any other role is
    refused (403, saying who may) before its input is read."""
    draw = access_draw_by_id(request, pk)
    if not permissions.can_redraw(request.street_office_roles):
        raise PermissionDenied(permissions.REDRAW_REFUSED)
    office = draw.street_office
    first_check = draw.checks.first()
    form = forms.RedrawForm(
        request.POST or None,
        inspectors=_inspectors(office),
        initial={
            "sample_size": draw.sample_size,
            "inspector": first_check.inspector_id if first_check else request.user.pk,
        },
    )
    redrawn = submit(
        request,
        lambda: services.spot_check_redraw(draw=draw, actor=request.user, **form.cleaned_data),
        forms=[form],
        error_on_form=True,
        status_by_kind=True,
    )
    if redrawn.value is not None:
        made = redrawn.value
        messages.success(
            request,
            _("已重新抽取:%(join)s(随机种子 %(seed)s)。第一次抽取已标为已重抽。")
            % {"join": _("、").join(made.drawn), "seed": made.seed},
        )
        return redirect("inspection:spot_checks")
    return render(
        request,
        "inspection/spot_check_redraw.html",
        {
            "draw": draw,
            "form": form,
            "replaced": hasattr(draw, "replaced_by"),
            "visited": draw.checks.exclude(status=SpotCheckStatus.PLANNED).exists(),
            "checks": draw.checks.select_related("community", "inspector").order_by("community__name"),
        },
        status=redrawn.status,
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
        raise PermissionDenied(
            _("这次抽取已经重抽,这个社区不再暗访。")
            if check.status == SpotCheckStatus.REDRAWN
            else _("这次暗访已经记录过了。")
        )

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

    recorded = submit(request, record, forms=[form], success=_("暗访结果已记录。"))
    if recorded.ok:
        return redirect("inspection:spot_checks")
    return render(
        request,
        "inspection/spot_check_record.html",
        {"check": check, "form": form, "can_record": can_record, "history": audit_trail(check)},
        status=recorded.status,
    )
