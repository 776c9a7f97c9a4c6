"""Reads of residents' feedback shared by the staff pages, the portal and the tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from disclosure.feedback.choices import AuditStep, Status
from disclosure.feedback.models import Feedback
from disclosure.feedback.rules import DUE_SOON_WORKING_DAYS
from disclosure.models import Disclosure
from disclosure.selectors import audit_of
from tenants.audit import AuditLine, audit_lines
from workdays import selectors as workdays


@dataclass(frozen=True)
class Clock:
    """Where an open matter stands against its deadline, as the inbox shows it."""

    state: str  # "answered", "open", "due_soon", "due_today", "overdue"
    working_days_left: int
    provisional: bool

    @property
    def label(self) -> str:
        if self.state == "answered":
            return "已答复"
        if self.state == "overdue":
            return "已逾期"
        if self.state == "due_today":
            return "今天到期"
        prefix = "即将到期 · " if self.state == "due_soon" else ""
        return f"{prefix}剩余 {self.working_days_left} 个工作日"


def mask_mobile(mobile: str) -> str:
    """138****1234: enough for the resident to recognise, not enough to call."""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) == 11 else ""


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
    counts = workdays.countdowns(
        [f.due_date for f in items if f.status == Status.RECEIVED and f.due_date > on], on=on
    )
    clocks = {}
    for f in items:
        if f.status != Status.RECEIVED:
            clocks[f.pk] = Clock("answered", 0, f.due_provisional)
        elif f.due_date < on:
            clocks[f.pk] = Clock("overdue", 0, f.due_provisional)
        elif f.due_date == on:
            clocks[f.pk] = Clock("due_today", 0, f.due_provisional)
        else:
            left = counts[f.due_date].left
            state = "due_soon" if left <= DUE_SOON_WORKING_DAYS else "open"
            clocks[f.pk] = Clock(state, left, f.due_provisional)
    return clocks


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
