"""Compliance figures of one community for one period, read in its own schema. The street-office
layer copies them into its public summary tables; it never loops over schemas per request."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q

from disclosure.choices import DisclosureStatus, ObligationStatus
from disclosure.feedback.choices import Rating
from disclosure.feedback.choices import Status as FeedbackStatus
from disclosure.feedback.models import Feedback
from disclosure.models import AuditRecord, Disclosure, Obligation
from disclosure.rules import LOCKED_STATUSES, OPEN_OBLIGATION_STATUSES


def satisfaction_rate(satisfied: int, fairly: int, dissatisfied: int) -> Decimal | None:
    """好差评: the share of rated answers the residents found 满意 or 基本满意, in per cent; None when
    nobody rated one."""
    rated = satisfied + fairly + dissatisfied
    if not rated:
        return None
    return (Decimal(satisfied + fairly) / Decimal(rated) * 100).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ComplianceFigures:
    due: int  # obligations whose deadline falls in the period and has passed (waived excluded)
    on_time: int
    late: int
    overdue: int
    # of ``overdue``: fixed items whose display ended with nobody renewing them (000 第十九条 不更新)
    fixed_lapsed: int
    waived: int
    not_yet_due: int
    corrections: int
    republications_ordered: int
    display_windows_ended: int  # published items whose display window ended in the period
    display_windows_cut_short: int  # of those, archived before the window ended
    # residents' feedback received in the period (桂花方案 四(四): a written answer within the deadline)
    feedback_received: int
    feedback_answered_on_time: int  # of those, answered by their deadline
    feedback_overdue: int  # of those, still unanswered on ``on`` with the deadline passed
    # of those, the residents' verdicts on the answers (好差评): 满意, 基本满意, 不满意
    feedback_satisfied: int
    feedback_fairly_satisfied: int
    feedback_dissatisfied: int

    @property
    def display_windows_honoured(self) -> int:
        return self.display_windows_ended - self.display_windows_cut_short

    @property
    def feedback_satisfaction_rate(self) -> Decimal | None:
        return satisfaction_rate(
            self.feedback_satisfied, self.feedback_fairly_satisfied, self.feedback_dissatisfied
        )

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.due:
            return None
        return (Decimal(self.on_time) / Decimal(self.due) * 100).quantize(Decimal("0.1"))

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def compliance_figures(*, start: date, end: date, on: date) -> ComplianceFigures:
    """Obligations by deadline in [start, end], as they stand on ``on``."""
    obligations = Obligation.objects.filter(due_date__gte=start, due_date__lte=end)
    counts = obligations.aggregate(
        on_time=Count("id", filter=Q(status=ObligationStatus.ON_TIME)),
        late=Count("id", filter=Q(status=ObligationStatus.LATE)),
        waived=Count("id", filter=Q(status=ObligationStatus.WAIVED)),
        open_past=Count(
            "id",
            filter=Q(
                status__in=[ObligationStatus.UPCOMING, ObligationStatus.DUE_SOON, ObligationStatus.OVERDUE],
                due_date__lt=on,
            ),
        ),
        fixed_lapsed=Count(
            "id",
            filter=Q(status__in=OPEN_OBLIGATION_STATUSES, due_date__lt=on, renews__isnull=False),
        ),
        open_future=Count(
            "id",
            filter=Q(
                status__in=[ObligationStatus.UPCOMING, ObligationStatus.DUE_SOON, ObligationStatus.OVERDUE],
                due_date__gte=on,
            ),
        ),
    )
    corrections = Disclosure.objects.filter(
        supersedes__isnull=False,
        published_at__date__gte=start,
        published_at__date__lte=end,
        status__in=LOCKED_STATUSES,
    ).count()
    ordered = Obligation.objects.filter(
        source=Obligation.Source.ORDER, period_start__gte=start, period_start__lte=end
    ).count()
    archived_early = Exists(
        AuditRecord.objects.filter(
            object_type="disclosure",
            object_id=OuterRef("pk"),
            to_state=DisclosureStatus.ARCHIVED,
            at__date__lt=OuterRef("display_until"),
        )
    )
    windows = Disclosure.objects.filter(
        published_at__isnull=False,
        display_until__gte=start,
        display_until__lte=min(end, on),
        status__in=LOCKED_STATUSES,
    ).aggregate(ended=Count("id"), cut_short=Count("id", filter=archived_early))
    feedback = Feedback.objects.filter(received_on__gte=start, received_on__lte=end).aggregate(
        received=Count("id"),
        answered_on_time=Count(
            "id", filter=Q(status=FeedbackStatus.ANSWERED, answered_at__date__lte=F("due_date"))
        ),
        overdue=Count("id", filter=Q(status=FeedbackStatus.RECEIVED, due_date__lt=on)),
        satisfied=Count("id", filter=Q(rating=Rating.SATISFIED)),
        fairly_satisfied=Count("id", filter=Q(rating=Rating.FAIRLY_SATISFIED)),
        dissatisfied=Count("id", filter=Q(rating=Rating.DISSATISFIED)),
    )
    return ComplianceFigures(
        due=counts["on_time"] + counts["late"] + counts["open_past"],
        on_time=counts["on_time"],
        late=counts["late"],
        overdue=counts["open_past"],
        fixed_lapsed=counts["fixed_lapsed"],
        waived=counts["waived"],
        not_yet_due=counts["open_future"],
        corrections=corrections,
        republications_ordered=ordered,
        display_windows_ended=windows["ended"],
        display_windows_cut_short=windows["cut_short"],
        feedback_received=feedback["received"],
        feedback_answered_on_time=feedback["answered_on_time"],
        feedback_overdue=feedback["overdue"],
        feedback_satisfied=feedback["satisfied"],
        feedback_fairly_satisfied=feedback["fairly_satisfied"],
        feedback_dissatisfied=feedback["dissatisfied"],
    )
