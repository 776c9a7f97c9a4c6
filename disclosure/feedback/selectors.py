"""Reads of residents' feedback shared by the staff pages, the portal and the tasks."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from disclosure.feedback.choices import Status
from disclosure.feedback.models import Feedback
from disclosure.feedback.rules import DUE_SOON_WORKING_DAYS
from disclosure.models import Disclosure
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
