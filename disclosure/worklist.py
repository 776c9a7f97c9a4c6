"""Disclosure's rows in 待我办理 (``tenants.worklist``): drafts to finish or resubmit, items to review, to
sign and to publish, reimbursements to sign, and the obligations coming due that no draft answers yet.

Each row is offered by ``disclosure.progress.allowed_steps``, the same rule that shows the step's
form on the disclosure's page, so the list and the page never disagree."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure import permissions, reimbursements, rules
from disclosure.choices import (
    DisclosureStatus,
    ObligationStatus,
    ReimbursementSigner,
    ReviewDecision,
    SignatureRole,
)
from disclosure.models import Disclosure, Obligation
from disclosure.permissions import Action
from disclosure.progress import IN_PROGRESS, allowed_steps
from disclosure.services import reimbursement_roles_for, valid_signatures
from tenants.worklist import Step, Task, register


def _roles(request: HttpRequest) -> set[str]:
    return set(getattr(request, "membership_roles", set()))


@register
def disclosure_tasks(request: HttpRequest) -> Iterator[Task]:
    roles = _roles(request)
    if not roles or getattr(request, "community", None) is None:
        return
    user = request.user
    today = timezone.localdate()
    in_progress = (
        Disclosure.objects.filter(status__in=IN_PROGRESS)
        .select_related("obligation")
        .prefetch_related("signatures", "opinions")
        .order_by("pk")
    )
    for d in in_progress:
        # valid_signatures reads the prefetched rows: no query per item
        allowed = allowed_steps(d, user=user, roles=roles, today=today, signatures=valid_signatures(d))  # type: ignore[arg-type]
        url = reverse("disclosure:detail", args=[d.pk])
        due = d.obligation.due_date if d.obligation else None
        period = d.obligation.period_zh if d.obligation else ""
        if allowed.edit:  # the drafter's own draft
            if d.status == DisclosureStatus.RETURNED:
                returned = [o for o in d.opinions.all() if o.decision == ReviewDecision.RETURN]
                note = (
                    _("监督小组意见:%(comments)s") % {"comments": returned[-1].comments} if returned else ""
                )
                yield Task(d.title, Step.RESUBMIT, url, _("按意见修改"), due, note)
            else:
                yield Task(d.title, Step.DRAFT, url, _("继续拟稿"), due, period)
        if allowed.review:
            yield Task(
                d.title, Step.REVIEW, url, _("去审核"), d.planned_publish_date, _("计划公布日期前审核")
            )
        for role in allowed.sign_roles:
            label = SignatureRole(role).label
            yield Task(
                d.title,
                Step.SIGN,
                url,
                _("以%(label)s身份签字") % {"label": label},
                d.planned_publish_date,
                period,
            )
        if allowed.publish:
            yield Task(d.title, Step.PUBLISH, url, _("去公布"), d.planned_publish_date or due, period)


@register
def obligation_tasks(request: HttpRequest) -> Iterator[Task]:
    """Obligations due soon or overdue with no draft under way, for the people reminded of them
    (``rules.OBLIGATION_OWNERS``) who may start one; a fixed item's renewal leads to its own page."""
    roles = _roles(request)
    if not roles & rules.OBLIGATION_OWNERS or not permissions.allowed(roles, Action.DRAFT):
        return
    started = Disclosure.objects.filter(obligation__isnull=False, status__in=IN_PROGRESS).values(
        "obligation_id"
    )
    due = Obligation.objects.filter(status__in=(ObligationStatus.OVERDUE, ObligationStatus.DUE_SOON)).exclude(
        pk__in=started
    )
    new = reverse("disclosure:new")
    for o in due.order_by("due_date", "pk"):
        note = f"{o.period_zh} · {o.get_status_display()}"
        if o.is_renewal:  # a fixed item's display running out: revised or confirmed on its own page
            url = reverse("disclosure:renew", args=[o.pk])
            yield Task(o.title, Step.OBLIGATION, url, _("复核续期"), o.due_date, note)
        else:
            yield Task(o.title, Step.OBLIGATION, f"{new}?obligation={o.pk}", _("开始拟稿"), o.due_date, note)


@register
def reimbursement_tasks(request: HttpRequest) -> Iterator[Task]:
    """004 ⑵: the reimbursements with their receipts that wait for this person's signature, in each
    capacity they may sign in here (the street leader's own queue is on the street office's site)."""
    roles = _roles(request)
    community = getattr(request, "community", None)
    if community is None or not permissions.allowed(roles, Action.SIGN_REIMBURSEMENT):
        return
    mode = reimbursements.signing_mode(community)
    for d in reimbursements.statements_to_sign():
        mine = [
            r
            for r in reimbursement_roles_for(d, request.user, community=community)  # type: ignore[arg-type]
            if r != ReimbursementSigner.STREET_LEADER
        ]
        units = [u for u in reimbursements.units(d, mode=mode) if u.receipts]
        url = reverse("disclosure:detail", args=[d.pk]) + "#reimbursements"
        for role in mine:
            waiting = sum(1 for u in units if role in u.missing)
            if waiting:
                label = ReimbursementSigner(role).label
                yield Task(
                    d.title,
                    Step.SIGN,
                    url,
                    _("报账签字(%(waiting)s 处,以%(label)s身份)") % {"waiting": waiting, "label": label},
                    d.planned_publish_date,
                    "",
                )
