"""整改: orders to a community, its answer, the inspector's verification, and escalation to the
street office's leaders when the deadline passes."""

from __future__ import annotations

from datetime import date

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspection import permissions, rules
from inspection.choices import RectificationStatus
from inspection.models import Rectification, RectificationEvent, SpotCheck, Survey
from inspection.services.staff import require_street_staff
from tenants.audit import audit_record
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import Community, User
from tenants.selectors import community_roles_of
from workdays import services as workdays
from workdays.dates import zh_day


def _event(order: Rectification, actor: User | None, from_state: str, note: str = "") -> None:
    """The one place an order's state changes are recorded: its own history and the street office's
    append-only audit trail (``tenants.audit``), in the change's transaction."""
    RectificationEvent.objects.create(
        rectification=order, actor=actor, from_state=from_state, to_state=order.status, note=note[:2000]
    )
    audit_record(order, actor, from_state, order.status, note)


@transaction.atomic
def rectification_issue(
    *,
    community: Community,
    source: str,
    issues: str,
    actor: User | None,
    working_days: int = rules.RECTIFICATION_WORKING_DAYS,
    roles: list[str] | None = None,
    survey: Survey | None = None,
    spot_check: SpotCheck | None = None,
    today: date | None = None,
) -> Rectification:
    """An order to one community; a person who issues it works for that community's street office
    (``actor=None`` is the system: a failed survey or spot check)."""
    if actor is not None:
        require_street_staff(actor, community.street_office_id)
    issues = issues.strip()
    if not issues:
        raise InvalidInput(_("请写明需要整改的问题。"))
    if not 1 <= working_days <= rules.RECTIFICATION_MAX_WORKING_DAYS:
        raise InvalidInput(
            _("整改期限应在 1 到 %(RECTIFICATION_MAX_WORKING_DAYS)s 个工作日之间。")
            % {"RECTIFICATION_MAX_WORKING_DAYS": rules.RECTIFICATION_MAX_WORKING_DAYS}
        )
    due = workdays.add_working_days(today or timezone.localdate(), working_days)
    order = Rectification.objects.create(
        community=community,
        source=source,
        issues=issues,
        survey=survey,
        spot_check=spot_check,
        responsible_roles=roles or list(permissions.COMMUNITY_HEADS),
        due_date=due.date,
        due_provisional=due.provisional,
        issued_by=actor,
    )
    _event(order, actor, "", issues)
    return order


@transaction.atomic
def rectification_answer(*, rectification: Rectification, actor: User, answer: str) -> Rectification:
    order = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if not permissions.can_answer_rectification(community_roles_of(user=actor, community=order.community)):
        raise NotAllowed(permissions.ANSWER_REFUSED)
    if order.status not in (RectificationStatus.OPEN, RectificationStatus.ESCALATED):
        raise Conflict(_("这份整改通知当前不需要反馈。"))
    answer = answer.strip()
    if not answer:
        raise InvalidInput(_("请写明整改情况。"))
    previous = order.status
    order.status = RectificationStatus.ANSWERED
    order.answer = answer
    order.answered_at = timezone.now()
    order.save()
    _event(order, actor, previous, answer)
    return order


@transaction.atomic
def rectification_verify(
    *, rectification: Rectification, actor: User, accept: bool, note: str = ""
) -> Rectification:
    """The inspector closes the order (销号) or reopens it with what is still missing."""
    order = Rectification.objects.select_for_update().get(pk=rectification.pk)
    require_street_staff(actor, order.community.street_office_id)
    if order.status != RectificationStatus.ANSWERED:
        raise Conflict(_("社区还没有反馈整改情况。"))
    if not accept and not note.strip():
        raise InvalidInput(_("退回重新整改时请写明还差什么。"))
    previous = order.status
    order.status = RectificationStatus.CLOSED if accept else RectificationStatus.OPEN
    order.verified_by = actor
    order.closed_at = timezone.now() if accept else None
    order.save()
    _event(order, actor, previous, note)
    return order


@transaction.atomic
def rectifications_escalate(*, on: date) -> list[Rectification]:
    """Orders past their deadline go to the street office's leaders (once)."""
    escalated = []
    for order in Rectification.objects.select_for_update().filter(
        status=RectificationStatus.OPEN, due_date__lt=on
    ):
        previous = order.status
        order.status = RectificationStatus.ESCALATED
        order.escalated_at = timezone.now()
        order.save()
        _event(order, None, previous, f"逾期未整改,已报街道领导({zh_day(order.due_date)} 到期)")
        escalated.append(order)
    leaders_by_office: dict[int, list[str]] = {}
    for order in escalated:
        office = order.community.street_office_id
        if office not in leaders_by_office:
            leaders_by_office[office] = list(
                User.objects.filter(
                    street_office_memberships__street_office_id=office,
                    street_office_memberships__role=permissions.ESCALATED_TO,
                )
                .exclude(email="")
                .values_list("email", flat=True)
            )
        recipients = leaders_by_office[office]
        if recipients:
            subject = f"整改逾期:{order.community.name}({order.get_source_display()})"

            def notify(s: str = subject, r: list[str] = recipients, o: Rectification = order) -> None:
                send_mail(s, f"{o.issues}\n期限 {zh_day(o.due_date)},至今未整改。", None, r)

            transaction.on_commit(notify)
    return escalated
