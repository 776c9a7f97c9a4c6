"""What the community must publish by when: the list, waiving one, recording a per-event item, and the
catalogue the obligations come from."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from disclosure import display, permissions, selectors, services, workspace_forms
from disclosure.access import access_obligation_by_id
from disclosure.choices import Cadence, ObligationStatus
from disclosure.models import Disclosure, Obligation
from disclosure.permissions import Action
from disclosure.progress import IN_PROGRESS
from tenants.access import CommunityRequest, member_required, submit
from workdays.dates import zh_day


def _require(request: CommunityRequest, action: Action) -> None:
    """A role that may not do ``action`` gets a 403 saying who may, before its input is read (the
    obligations page does not show it the form)."""
    if not permissions.allowed(request.membership_roles, action):
        raise PermissionDenied(permissions.refusal(action))


def _event_items(request: CommunityRequest) -> list[Any]:
    """The per-event (即时) items of the catalogue that apply today."""
    return [
        i
        for _, i in selectors.catalogue_applicable(
            street_office_id=request.community.street_office_id,
            on=timezone.localdate(),
            cadence=Cadence.EVENT,
        )
    ]


def _obligations_page(
    request: CommunityRequest, *, event_form: workspace_forms.EventForm | None = None, status: int = 200
) -> HttpResponse:
    """Open obligations: fixed items due for renewal first, each offering both ways to renew it, then the
    rest by urgency (overdue, the longest overdue first; due soon; upcoming), each with its deadline and
    the working days left or lost; any other status as a plain list, latest first.
    With the form to record an event: fresh, or as it was sent when it was refused."""
    today = timezone.localdate()
    shown = request.GET.get("status", "open")
    sections: list[tuple[str, list[tuple[Obligation, selectors.ObligationClock | None]]]]
    renewals: list[tuple[Obligation, selectors.ObligationClock]] = []
    if shown == "open":
        # fixed items due for renewal come first, with both ways to renew them; the rest by urgency
        renewing = list(display.renewals_open())
        clocks = selectors.obligation_clocks(renewing, on=today)
        renewals = [(o, clocks[o.pk]) for o in renewing]
        rows = [(o, clock) for o, clock in selectors.obligations_by_urgency(on=today) if not o.is_renewal]
        sections = [
            (str(ObligationStatus(state).label), [(o, clock) for o, clock in rows if clock.state == state])
            for state in selectors.URGENCY
        ]
    else:
        qs = Obligation.objects.order_by("-due_date", "code")
        if shown in ObligationStatus.values:
            qs = qs.filter(status=shown)
        else:
            shown = "all"
        listed = list(qs[:200])
        clocks = selectors.obligation_clocks(listed, on=today)
        sections = [("", [(o, clocks.get(o.pk)) for o in listed])]
    roles = request.membership_roles
    return render(
        request,
        "disclosure/obligations.html",
        {
            "sections": sections,
            "renewals": renewals,
            "renew_form": workspace_forms.RenewalConfirmForm(),
            "status": shown,
            "statuses": ObligationStatus.choices,
            "event_form": event_form or workspace_forms.EventForm(items=_event_items(request)),
            "can_draft": permissions.allowed(roles, Action.DRAFT),
            "can_waive": permissions.allowed(roles, Action.WAIVE),
            "can_renew": permissions.allowed(roles, Action.RENEW),
            "can_revise": permissions.allowed(roles, Action.CORRECT),
            "can_record": permissions.allowed(roles, Action.RECORD_EVENT),
            # obligations whose draft is under way: 继续起草 opens it rather than starting another
            "drafting": set(
                Disclosure.objects.filter(obligation__isnull=False, status__in=IN_PROGRESS).values_list(
                    "obligation_id", flat=True
                )
            ),
        },
        status=status,
    )


@member_required()
def obligation_list(request: CommunityRequest) -> HttpResponse:
    return _obligations_page(request)


@member_required()
@require_POST
def obligation_waive(request: CommunityRequest, pk: int) -> HttpResponse:
    obligation = access_obligation_by_id(request, pk)
    _require(request, Action.WAIVE)
    submit(
        request,
        lambda: services.obligation_waive(
            obligation=obligation,
            actor=request.user,
            community=request.community,
            reason=request.POST.get("reason", ""),
        ),
        success=gettext("已免除:%(title)s(%(period_zh)s)")
        % {"title": obligation.title, "period_zh": obligation.period_zh},
        forbid=True,
    )
    return redirect("disclosure:obligations")


@member_required()
@require_POST
def event_record(request: CommunityRequest) -> HttpResponse:
    _require(request, Action.RECORD_EVENT)
    form = workspace_forms.EventForm(request.POST, items=_event_items(request))
    done = submit(
        request,
        lambda: services.event_record(actor=request.user, community=request.community, **form.cleaned_data),
        forms=[form],
        forbid=True,
    )
    if done.value is not None:
        messages.success(
            request, gettext("已登记,须在 %(zh_day)s 前公开。") % {"zh_day": zh_day(done.value.due_date)}
        )
        return redirect("disclosure:obligations")
    return _obligations_page(request, event_form=form, status=done.status)


@member_required()
def catalogue(request: CommunityRequest) -> HttpResponse:
    """The standard catalogue of the street office and this community's own items."""
    form = workspace_forms.LocalItemForm(request.POST or None)
    can_edit = permissions.allowed(request.membership_roles, Action.CATALOGUE)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(permissions.refusal(Action.CATALOGUE))
    added = submit(
        request,
        lambda: services.local_item_add(actor=request.user, community=request.community, **form.cleaned_data),
        forms=[form],
    )
    if added.value is not None:
        messages.success(request, gettext("已添加本社区公开事项 %(code)s。") % {"code": added.value.code})
        return redirect("disclosure:catalogue")
    today = timezone.localdate()
    street_office_id = request.community.street_office_id
    return render(
        request,
        "disclosure/catalogue.html",
        {
            "standard": selectors.catalogue_standard(street_office_id=street_office_id, on=today),
            "local": selectors.catalogue_local(on=today),
            "form": form,
            "can_edit": can_edit,
        },
        status=added.status,
    )
