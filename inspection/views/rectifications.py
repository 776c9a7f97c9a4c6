"""整改 on the street office's side: issuing orders and verifying the community's answer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspection import forms, permissions, selectors, services
from inspection.access import access_rectification_by_id, communities_in_reach
from inspection.choices import RectificationStatus
from inspection.models import Rectification
from tenants.access import StreetOfficeRequest, street_staff_required, submit
from tenants.idempotency import submission_once, submission_token
from tenants.selectors import street_office_roles_of

# who may take the steps after an escalation, asked before the input is read
STEP_ROLES = {
    "admonish": (permissions.can_record_admonishment, permissions.ADMONISHMENT_REFUSED),
    "criticize": (permissions.can_criticize, permissions.CRITICISM_REFUSED),
    "refer": (permissions.can_refer, permissions.REFERRAL_REFUSED),
}
# the order's page: one form per step of the ladder, chosen by the POST's ``step``
STEP_FORMS: dict[str, type[Form]] = {
    "verify": forms.VerifyForm,
    "admonish": forms.AdmonishmentForm,
    "criticize": forms.CriticismForm,
    "refer": forms.ReferralForm,
}
STEP_DONE = {
    "verify": gettext_lazy("核查结论已记录。"),
    "admonish": gettext_lazy("诫勉谈话已记录。"),
    "criticize": gettext_lazy("通报批评已发布。"),
    "refer": gettext_lazy("移送纪律处分已记录。"),
}


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
        {
            "form": form,
            "orders": orders,
            "mine": selectors.rectifications_escalated_to(request.user),
            "submission_token": submission_token(request),
        },
        status=issued.status,
    )


def _next_steps(request: StreetOfficeRequest, order: Rectification) -> list[str]:
    """The steps this person may take on the order now, in the ladder's order."""
    roles = street_office_roles_of(user=request.user, street_office_id=order.community.street_office_id)
    ready = {
        "verify": order.status == RectificationStatus.ANSWERED,
        "admonish": order.escalated_at is not None,
        "criticize": order.criticized_at is None
        and order.admonishments.filter(held_on__isnull=False).exists(),
        "refer": order.criticized_at is not None and order.referred_on is None,
    }
    return [
        step
        for step, now in ready.items()
        if now and (step not in STEP_ROLES or STEP_ROLES[step][0](request.user, roles))
    ]


def _take(request: StreetOfficeRequest, order: Rectification, step: str, form: Form) -> object:
    data = form.cleaned_data
    if step == "verify":
        return services.rectification_verify(
            rectification=order, actor=request.user, accept=data["decision"] == "accept", note=data["note"]
        )
    if step == "admonish":
        return services.admonishment_record(rectification=order, actor=request.user, **data)
    if step == "criticize":
        return services.criticism_publish(rectification=order, actor=request.user, text=data["text"])
    return services.referral_record(rectification=order, actor=request.user, **data)


@street_staff_required()
def rectification_detail(request: StreetOfficeRequest, pk: int) -> HttpResponse:
    order = access_rectification_by_id(request, pk)
    posted = request.POST.get("step", "verify") if request.method == "POST" else ""
    if posted in STEP_ROLES:
        may, refused = STEP_ROLES[posted]
        roles = street_office_roles_of(user=request.user, street_office_id=order.community.street_office_id)
        if not may(request.user, roles):
            raise PermissionDenied(refused)
    steps = _next_steps(request, order)
    step_forms = {
        step: STEP_FORMS[step](
            (request.POST if step == posted else None),
            (request.FILES if step == posted else None),
            prefix=None if step == "verify" else step,
        )
        for step in steps
    }
    if request.method == "POST" and posted not in step_forms:
        messages.error(request, _("这一步现在不能办理,请刷新页面后再看。"))
        taken = None
        status = 400
    else:
        form = step_forms.get(posted)
        result = submit(
            request,
            lambda: _take(request, order, posted, form),  # type: ignore[arg-type]  # posted ⇒ a form
            forms=[form] if form else [],
            success=str(STEP_DONE.get(posted, "")),
        )
        taken, status = result.ok, result.status
    if taken:
        return redirect("inspection:rectification", pk=pk)
    return render(
        request,
        "inspection/rectification.html",
        {
            "order": order,
            "forms": step_forms,
            "form": step_forms.get(posted) or step_forms.get("verify"),
            "history": selectors.rectification_history(order),
            "file_url": "inspection:rectification_file",
        },
        status=status,
    )


@street_staff_required()
def rectification_file(request: StreetOfficeRequest, pk: int, file_pk: int) -> FileResponse:
    """A photo or PDF the community sent with its answer."""
    return evidence_file(access_rectification_by_id(request, pk), file_pk)


def evidence_file(order: Rectification, file_pk: int) -> FileResponse:
    """One of the order's evidence files, as the community uploaded it (after the upload check)."""
    found = get_object_or_404(order.files, pk=file_pk)
    return FileResponse(found.file.open("rb"), filename=found.original_name, content_type=found.mime_type)


@street_staff_required()
def rectification_minutes(request: StreetOfficeRequest, pk: int, talk_pk: int) -> FileResponse:
    """The signed minutes of a 诫勉谈话, as scanned."""
    order = access_rectification_by_id(request, pk)
    talk = get_object_or_404(order.admonishments.exclude(minutes=""), pk=talk_pk)
    extension = str(talk.minutes.name).rsplit(".", 1)[-1]
    return FileResponse(talk.minutes.open("rb"), filename=f"诫勉谈话记录-{talk.pk}.{extension}")
