"""What each demo community must have waiting on the day it was seeded (demo/waiting.py): one check,
used on the demo as ``make demo`` seeds it and on a community seeded on chosen days."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django_tenants.utils import tenant_context

from communities.models import Notification
from disclosure import consultations, permissions, services
from disclosure.choices import (
    ContentType,
    DisclosureStatus,
    ObligationStatus,
    ReviewDecision,
)
from disclosure.feedback.choices import Status
from disclosure.feedback.models import Feedback, Opinion
from disclosure.feedback.rules import DUE_SOON_WORKING_DAYS as ANSWER_DUE_SOON
from disclosure.models import Disclosure, Obligation
from disclosure.rules import LOCKED_STATUSES, SIGNING_ROLES
from disclosure.selectors import OPEN, ledger_verify
from tenants.models import Community, User
from tests.factories import at
from workdays.services import add_working_days

# Every count of the three signatures, from none to all: the approved items waiting to be signed or published.
EVERY_SIGNATURE_COUNT = [SIGNING_ROLES[:n] for n in range(len(SIGNING_ROLES) + 1)]


def check_work_waiting(community: Community, *, today: date) -> None:
    """Fails, naming the community, unless every step has work waiting on ``today``."""
    code = community.schema_name
    handler = User.objects.get(username=f"{code}_handler")
    supervisor = User.objects.get(username=f"{code}_supervisor")
    with tenant_context(community):
        in_progress = Disclosure.objects.exclude(status__in=LOCKED_STATUSES)

        # 拟定: the handler's quarterly statement of an open obligation, itemised line by line
        statement = in_progress.get(
            status=DisclosureStatus.DRAFT, created_by=handler, content_type=ContentType.FINANCE
        )
        assert statement.obligation is not None and statement.obligation.status in OPEN, code
        assert len(statement.data["lines"]) >= 40, code

        # 退回修改: the group's comments name a mistake the draft really has, and the handler is told
        returned = in_progress.get(status=DisclosureStatus.RETURNED)
        opinion = returned.opinions.get()
        expenses = [line for line in returned.data["lines"] if line["direction"] == "expense"]
        assert opinion.decision == ReviewDecision.RETURN and "第3笔支出" in opinion.comments, code
        assert expenses[2]["voucher"] == expenses[1]["voucher"] and expenses[1]["voucher"] in opinion.comments
        assert handler.has_perm(permissions.OWN_DRAFT, returned), code
        assert Notification.objects.filter(recipient_id=handler.pk, url__endswith=f"/{returned.pk}/").exists()

        # 审核: waiting for the supervision group, who were told
        submitted = in_progress.get(status=DisclosureStatus.SUBMITTED)
        assert supervisor.has_perm(permissions.REVIEW, submitted), code
        assert submitted.planned_publish_date is not None and submitted.planned_publish_date >= today
        told = Notification.objects.filter(recipient_id=supervisor.pk, url__endswith=f"/{submitted.pk}/")
        assert told.exists(), code

        # 签字: approved items with no signature, the secretary's, two of three, and all three
        approved = {
            tuple(r for r in SIGNING_ROLES if r in services.valid_signatures(d)): d
            for d in in_progress.filter(status=DisclosureStatus.APPROVED)
        }
        assert sorted(approved) == sorted(EVERY_SIGNATURE_COUNT), (code, sorted(approved))
        for roles, d in approved.items():
            assert d.planned_publish_date is not None, code
            if roles != SIGNING_ROLES:
                assert d.planned_publish_date >= today, (code, roles)

        # 公布: the one signed by all three can be published today (the service checks the review period
        # and the signatures); tried in a savepoint and undone
        ready = approved[SIGNING_ROLES]
        assert ready.planned_publish_date is not None and ready.planned_publish_date <= today, code
        with transaction.atomic():
            published = services.disclosure_publish(
                community=community, disclosure=ready, actor=handler, channels=["board"], now=at(today)
            )
            assert published.status == DisclosureStatus.PUBLISHED
            transaction.set_rollback(True)

        # residents: one answered; one unanswered and well within its deadline; one due within days
        soon = add_working_days(today, ANSWER_DUE_SOON).date
        assert Feedback.objects.filter(status=Status.ANSWERED).exists(), code
        open_dues = list(Feedback.objects.filter(status=Status.RECEIVED).values_list("due_date", flat=True))
        assert any(due > soon for due in open_dues), (code, open_dues)
        assert any(today <= due <= soon for due in open_dues), (code, open_dues)

        # 征求意见: one open today with opinions shown, hidden and waiting for the supervision group; one
        # finished, its result published after the period, naming the plan that carries it out
        open_now = [
            d
            for d in Disclosure.objects.filter(
                content_type=ContentType.CONSULTATION, status__in=LOCKED_STATUSES
            )
            if (period := consultations.period_of(d)) is not None and period.is_open(today)
        ]
        assert len(open_now) == 1, code
        said = Opinion.objects.filter(consultation=open_now[0])
        assert said.count() >= 12 and said.filter(shown=True).exists(), code
        assert said.filter(moderated_at__isnull=True).exists() and said.filter(shown=False).exists(), code
        result = Disclosure.objects.get(
            content_type=ContentType.CONSULTATION_RESULT, status__in=LOCKED_STATUSES
        )
        assert result.data["follow_up"] and consultations.links_of(result, on=today).follow_up is not None, (
            code
        )

        # obligations: at least one overdue, some due soon
        states = list(Obligation.objects.values_list("status", flat=True))
        assert ObligationStatus.OVERDUE in states and ObligationStatus.DUE_SOON in states, code

        assert ledger_verify(community_id=community.pk).ok, code
