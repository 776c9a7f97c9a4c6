"""Reads of residents' feedback shared by the staff pages, the portal and the tasks."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q, QuerySet

from disclosure.choices import ContentType
from disclosure.feedback.choices import AuditStep, OpinionStep, Status
from disclosure.feedback.models import Feedback, Opinion
from disclosure.feedback.rules import DUE_SOON_WORKING_DAYS
from disclosure.models import Disclosure
from disclosure.rules import LOCKED_STATUSES
from disclosure.selectors import audit_of
from tenants.audit import AuditLine, audit_lines
from workdays import selectors as workdays
from workdays.selectors import Clock


def feedback_by_code(*, code: str) -> Feedback | None:
    return Feedback.objects.select_related("disclosure", "republication").filter(code=code).first()


def feedback_inbox(*, status: str = "", kind: str = "", escalated_only: bool = False) -> QuerySet[Feedback]:
    """Open matters first, the nearest deadline first; then the answered ones, latest first."""
    qs = Feedback.objects.select_related("disclosure")
    if status in Status.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if escalated_only:
        qs = qs.filter(escalated_at__isnull=False)
    return qs.order_by("status", "due_date", "-created_at")


def clocks_for(items: list[Feedback], *, on: date) -> dict[int, Clock]:
    """The clock of each item, with one walk over the calendar for the whole list."""
    return workdays.answer_clocks(
        ((f.pk, f.due_date, f.due_provisional, f.status == Status.RECEIVED) for f in items),
        on=on,
        due_soon=DUE_SOON_WORKING_DAYS,
    )


def public_answers_for(*, disclosure: Disclosure) -> QuerySet[Feedback]:
    """Answers staff chose to publish, on every version of the disclosure they were asked about."""
    ids = [disclosure.pk]
    current = disclosure
    while current.supersedes_id is not None:
        ids.append(current.supersedes_id)
        current = Disclosure.objects.only("pk", "supersedes_id").get(pk=current.supersedes_id)
    return Feedback.objects.filter(
        disclosure_id__in=ids, status=Status.ANSWERED, answer_public=True
    ).order_by("-answered_at")


def feedback_history(feedback: Feedback) -> list[AuditLine]:
    """The matter's audit trail as its page shows it: received, escalated, answered, rated, found."""
    labels = {**dict(Status.choices), **dict(AuditStep.choices)}
    return audit_lines(audit_of(feedback), labels)


# --- opinions on a consultation (征求意见) ----------------------------------------------------------


def opinion_by_code(*, code: str) -> Opinion | None:
    return Opinion.objects.select_related("consultation").filter(code=code).first()


def opinions_shown(consultation: Disclosure) -> QuerySet[Opinion]:
    """What residents read on the consultation's page: the opinions the supervision group showed."""
    return Opinion.objects.filter(consultation=consultation, shown=True).order_by("created_at")


def opinions_of(consultation: Disclosure) -> QuerySet[Opinion]:
    """Every opinion, for the supervision group: those not yet looked at first, then the latest."""
    return Opinion.objects.filter(consultation=consultation).order_by(
        F("moderated_at").asc(nulls_first=True), "-created_at"
    )


def opinion_counts(consultation: Disclosure) -> dict[str, int]:
    """How many were received, shown, and not yet looked at."""
    return Opinion.objects.filter(consultation=consultation).aggregate(
        received=Count("pk"),
        shown=Count("pk", filter=Q(shown=True)),
        waiting=Count("pk", filter=Q(moderated_at__isnull=True)),
    )


def consultations_for_staff() -> QuerySet[Disclosure]:
    """Every published consultation, the latest first, with its counts."""
    return (
        Disclosure.objects.filter(content_type=ContentType.CONSULTATION, status__in=LOCKED_STATUSES)
        .annotate(
            received=Count("resident_opinions"),
            shown_count=Count("resident_opinions", filter=Q(resident_opinions__shown=True)),
            waiting=Count("resident_opinions", filter=Q(resident_opinions__moderated_at__isnull=True)),
        )
        .order_by("-published_at")
    )


def opinion_history(opinion: Opinion) -> list[AuditLine]:
    return audit_lines(audit_of(opinion), dict(OpinionStep.choices))
