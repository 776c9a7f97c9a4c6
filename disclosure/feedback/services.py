"""Every write on residents' feedback. One transaction each; notifications and the resident's SMS are
queued after commit. The caller has switched to the community's schema and passes the community.

Deadlines (computed with the engine's working-day calendar; the numbers are in ``feedback.rules``):
an answer in writing within ANSWER_WORKING_DAYS working days, and a signed complaint's result within
SIGNED_COMPLAINT_DAYS calendar days. Whichever of the two ends first applies, so a long holiday cannot
stretch a signed complaint.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from communities.services import notification_send, notifications_resolve
from disclosure import services as engine
from disclosure import topics
from disclosure.feedback import permissions
from disclosure.feedback.choices import (
    AuditStep,
    DueBasis,
    EscalationReason,
    Finding,
    Kind,
    Rating,
    ReminderKind,
    Status,
)
from disclosure.feedback.models import ANSWER_LIMIT, Feedback, FeedbackReminder
from disclosure.feedback.rules import ANSWER_WORKING_DAYS, DUE_SOON_WORKING_DAYS, SIGNED_COMPLAINT_DAYS
from disclosure.feedback.sms import resident_sms_after_commit
from disclosure.feedback.sms import resident_sms_send as resident_sms_send  # a write on feedback too
from disclosure.models import Disclosure
from disclosure.rules import LOCKED_STATUSES, REPUBLICATION_WORKING_DAYS
from tenants.audit import RESIDENT
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import Community, User
from tenants.residents import create_with_code, ensure_identity, ensure_text
from tenants.selectors import community_roles_of
from workdays import services as workdays
from workdays.dates import zh_day

# --- deadlines -------------------------------------------------------------------------------------


def due_for(*, received_on: date, kind: str, signed: bool) -> tuple[date, bool, str]:
    """``(due date, provisional, basis)`` of an answer to what was received on ``received_on``."""
    due, provisional, by_calendar = workdays.answer_due(
        received_on,
        working_days=ANSWER_WORKING_DAYS,
        calendar_days=SIGNED_COMPLAINT_DAYS if kind == Kind.COMPLAINT and signed else None,
    )
    return due, provisional, DueBasis.SIGNED_COMPLAINT if by_calendar else DueBasis.WORKING_DAYS


# --- helpers ---------------------------------------------------------------------------------------


def _staff_url(feedback: Feedback) -> str:
    return reverse("feedback_staff:detail", args=[feedback.pk])


def _label(feedback: Feedback) -> str:
    about = f"“{feedback.disclosure.title}”" if feedback.disclosure is not None else "社区工作"
    return f"居民{feedback.get_kind_display()}({about})"


# --- writes ----------------------------------------------------------------------------------------


@transaction.atomic
def feedback_submit(
    *,
    community: Community,
    kind: str,
    text: str,
    disclosure: Disclosure | None = None,
    name: str = "",
    mobile: str = "",
    today: date | None = None,
) -> Feedback:
    """A resident's question, objection, suggestion or complaint, with its tracking code and clock.

    Staff who answer are told at once; an objection or a complaint goes to the supervision group at
    once too (000 第十七条: 可以向纪检小组投诉).
    """
    if kind not in Kind.values:
        raise InvalidInput(gettext("请选择反映的类型。"), code="kind")
    text = ensure_text(text)
    name, mobile = ensure_identity(name, mobile)
    if disclosure is not None and disclosure.status not in LOCKED_STATUSES:
        raise InvalidInput(gettext("只能对已公布的内容提出反映。"), code="not_public")
    today = today or timezone.localdate()
    due, provisional, basis = due_for(received_on=today, kind=kind, signed=bool(mobile))
    fields = {
        "kind": kind,
        "text": text,
        "disclosure": disclosure,
        "name": name,
        "mobile": mobile,
        "received_on": today,
        "due_date": due,
        "due_provisional": provisional,
        "due_basis": basis,
    }
    feedback = create_with_code(lambda code: Feedback.objects.create(code=code, **fields))
    engine.audit_record(
        feedback, None, "", feedback.status, feedback.get_due_basis_display(), actor_name=RESIDENT
    )
    notification_send(
        recipients=engine.users_with_roles(permissions.NOTIFIED_ROLES, community=community),
        title=f"新的{_label(feedback)},须在 {zh_day(due, today=today)} 前答复",
        body=text[:200],
        url=_staff_url(feedback),
        topic=topics.feedback(feedback.pk, topics.FeedbackStep.ANSWER),
    )
    if kind in (Kind.OBJECTION, Kind.COMPLAINT):
        _escalate(feedback, EscalationReason.KIND, community=community)
    engine.announce_change(community=community)
    return feedback


def _escalate(feedback: Feedback, reason: str, *, community: Community) -> bool:
    """Hand the matter to the supervision group once; tell its members."""
    updated = Feedback.objects.filter(pk=feedback.pk, escalated_at__isnull=True).update(
        escalated_at=timezone.now(), escalation_reason=reason, updated_at=timezone.now()
    )
    if not updated:
        return False
    feedback.refresh_from_db(fields=["escalated_at", "escalation_reason"])
    engine.audit_record(
        feedback, None, feedback.status, AuditStep.ESCALATED, feedback.get_escalation_reason_display()
    )
    if reason == EscalationReason.OVERDUE:
        title = f"逾期未答复,转监督小组:{_label(feedback)}(应于 {zh_day(feedback.due_date)} 前答复)"
    elif reason == EscalationReason.DISSATISFIED:
        title = f"居民对答复不满意,请监督小组调查:{_label(feedback)}"
    else:
        title = f"请监督小组调查:{_label(feedback)}"
    notification_send(
        recipients=engine.users_with_roles(permissions.SUPERVISION_ROLES, community=community),
        title=title,
        body=feedback.text[:200],
        url=_staff_url(feedback),
        sms=reason == EscalationReason.OVERDUE,
        topic=topics.feedback(feedback.pk, topics.FeedbackStep.INVESTIGATE),
    )
    return True


@transaction.atomic
def feedback_answer(
    *, feedback: Feedback, actor: User, community: Community, answer: str, public: bool
) -> Feedback:
    """The written answer (书面答复). Public answers appear on the disclosure's page and the status page,
    private ones on the status page only. A signed resident is told by SMS after commit. Everyone who
    was asked or reminded to answer is asked no more."""
    if not permissions.can_answer(community_roles_of(user=actor, community=community)):
        raise NotAllowed(permissions.ANSWER_REFUSED)
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.status != Status.RECEIVED:
        raise Conflict(gettext("这条反映已经答复过了。"))
    feedback.answer = ensure_text(answer, limit=ANSWER_LIMIT, what="答复内容")
    feedback.answer_public = bool(public)
    feedback.answered_at = timezone.now()
    feedback.answered_by = actor
    feedback.answered_by_name = actor.get_full_name()
    feedback.status = Status.ANSWERED
    feedback.save()
    engine.audit_record(
        feedback,
        actor,
        Status.RECEIVED,
        feedback.status,
        "公开答复" if feedback.answer_public else "不公开答复",
    )
    notifications_resolve(topic=topics.feedback(feedback.pk, topics.FeedbackStep.ANSWER))
    engine.announce_change(community=community)
    if feedback.signed:
        resident_sms_after_commit(feedback, community=community)
    return feedback


@transaction.atomic
def feedback_rate(*, feedback: Feedback, rating: int, community: Community) -> Feedback:
    """The resident's verdict on the answer (好差评), once. 不满意 goes to the supervision group: a matter
    it has not had yet is handed over for investigation; one it has already looked into comes back to
    its members' attention with the resident's verdict."""
    if rating not in Rating.values:
        raise InvalidInput(gettext("请选择满意、基本满意或不满意。"), code="rating")
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.status != Status.ANSWERED:
        raise Conflict(gettext("答复之后才能评价。"))
    if feedback.rating is not None:
        raise Conflict(gettext("您已经评价过了,每条反映只能评价一次。"))
    feedback.rating = rating
    feedback.rated_at = timezone.now()
    feedback.save(update_fields=["rating", "rated_at", "updated_at"])
    engine.audit_record(
        feedback,
        None,
        feedback.status,
        AuditStep.RATED,
        feedback.get_rating_display(),
        actor_name=RESIDENT,
    )
    if rating == Rating.DISSATISFIED and not _escalate(
        feedback, EscalationReason.DISSATISFIED, community=community
    ):
        notification_send(
            recipients=engine.users_with_roles(permissions.SUPERVISION_ROLES, community=community),
            title=f"居民对答复不满意:{_label(feedback)}",
            body=feedback.answer[:200],
            url=_staff_url(feedback),
        )
    return feedback


def _current_version(disclosure: Disclosure) -> Disclosure:
    """The version in force: an objection to version 1 is about what version 2 still says."""
    current = disclosure
    while (
        following := Disclosure.objects.filter(
            supersedes=current,
            status__in=LOCKED_STATUSES,
        ).first()
    ) is not None:
        current = following
    return current


@transaction.atomic
def feedback_record_finding(
    *,
    feedback: Feedback,
    actor: User,
    community: Community,
    finding: str,
    text: str,
    order_republication: bool = False,
    working_days: int = REPUBLICATION_WORKING_DAYS,
    today: date | None = None,
) -> Feedback:
    """The supervision group's finding after its investigation (000 第十七条). Where it finds an omission
    or an untruth in a disclosure, it orders re-publication through the engine, which opens the
    obligation with its deadline and the correction draft."""
    if not permissions.can_supervise(community_roles_of(user=actor, community=community)):
        raise NotAllowed(permissions.FINDING_REFUSED)
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.escalated_at is None:
        raise Conflict(gettext("这条反映没有转给监督小组。"))
    if feedback.finding:
        raise Conflict(gettext("监督小组已经对这条反映作出了结论。"))
    if finding not in Finding.values:
        raise InvalidInput(gettext("请选择调查结论:查实或不属实。"), code="finding")
    feedback.finding_text = ensure_text(text, limit=ANSWER_LIMIT, what="调查情况")
    if order_republication:
        if finding != Finding.SUBSTANTIATED:
            raise InvalidInput(
                gettext("只有查实存在遗漏或不实之处,才能责令重新公布。"), code="not_substantiated"
            )
        if feedback.disclosure is None:
            raise InvalidInput(gettext("这条反映不针对某项公开内容,无法责令重新公布。"), code="no_disclosure")
        feedback.republication = engine.disclosure_order_republication(
            disclosure=_current_version(feedback.disclosure),
            actor=actor,
            community=community,
            finding=feedback.finding_text,
            working_days=working_days,
            today=today,
        )
    feedback.finding = finding
    feedback.finding_at = timezone.now()
    feedback.finding_by = actor
    feedback.finding_by_name = actor.get_full_name()
    feedback.save()
    found = feedback.get_finding_display() + (",责令重新公布" if feedback.republication else "")
    engine.audit_record(feedback, actor, AuditStep.ESCALATED, AuditStep.FOUND, found)
    notifications_resolve(topic=topics.feedback(feedback.pk, topics.FeedbackStep.INVESTIGATE))
    notification_send(
        recipients=engine.users_with_roles(permissions.NOTIFIED_ROLES, community=community),
        title=f"监督小组调查结论:{feedback.get_finding_display()} · {_label(feedback)}",
        body=feedback.finding_text[:200],
        url=_staff_url(feedback),
    )
    return feedback


# --- the daily check -------------------------------------------------------------------------------


def _remind(feedback: Feedback, kind: str, recipients: list[User]) -> bool:
    with transaction.atomic():
        _, created = FeedbackReminder.objects.get_or_create(feedback=feedback, kind=kind)
        if not created:
            return False
        if kind == ReminderKind.DUE_TODAY:
            title = f"今天到期:{_label(feedback)}须在今天答复"
        else:
            title = f"即将到期:{_label(feedback)}须在 {zh_day(feedback.due_date)} 前答复"
        notification_send(
            recipients=recipients,
            title=title,
            url=_staff_url(feedback),
            sms=True,
            topic=topics.feedback(feedback.pk, topics.FeedbackStep.ANSWER),
        )
    return True


def feedback_daily_check(*, community: Community, on: date) -> dict[str, int]:
    """Provisional deadlines recomputed, reminders DUE_SOON_WORKING_DAYS before and on the due date (each sent
    once: recorded), and every matter past its deadline handed to the supervision group at once."""
    open_items = Feedback.objects.filter(status=Status.RECEIVED).select_related("disclosure")
    recomputed = 0
    for feedback in open_items.filter(due_provisional=True):
        due, provisional, basis = due_for(
            received_on=feedback.received_on, kind=feedback.kind, signed=feedback.signed
        )
        if (due, provisional) != (feedback.due_date, feedback.due_provisional):
            Feedback.objects.filter(pk=feedback.pk).update(
                due_date=due, due_provisional=provisional, due_basis=basis
            )
            recomputed += 1
    recipients = engine.users_with_roles(permissions.NOTIFIED_ROLES, community=community)
    soon_limit = workdays.add_working_days(on, DUE_SOON_WORKING_DAYS).date
    reminded = escalated = 0
    for feedback in open_items.order_by("due_date"):
        if feedback.due_date < on:
            with transaction.atomic():
                escalated += _escalate(feedback, EscalationReason.OVERDUE, community=community)
        elif feedback.due_date == on:
            reminded += _remind(feedback, ReminderKind.DUE_TODAY, recipients)
        elif feedback.due_date <= soon_limit:
            reminded += _remind(feedback, ReminderKind.DUE_SOON, recipients)
    return {"recomputed": recomputed, "reminded": reminded, "escalated": escalated}
