"""Obligations: what the community must publish by when. Generated from the catalogue for every
closed period, and for every fixed item whose display is running out; recorded for per-event items,
waived with a reason, brought to their state each day with reminders, and recomputed when the
working-day calendar changes. ``daily_run`` is the community's daily job."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from communities.services import notification_send, notifications_resolve
from disclosure import display, selectors, topics
from disclosure.choices import Cadence, LedgerAction, ObligationStatus
from disclosure.models import Disclosure, Obligation, Reminder
from disclosure.models.catalogue import event_period_label, event_period_prefix
from disclosure.permissions import Action
from disclosure.rules import (
    CADENCE_SPANS,
    DUE_SOON_WORKING_DAYS,
    FIXED_RENEWAL_LEAD_WORKING_DAYS,
    FIXED_RENEWAL_NOTICE_WORKING_DAYS,
    OBLIGATION_OWNERS,
)
from disclosure.services.context import (
    action_require,
    announce_change,
    audit_record,
    users_with_roles,
)
from disclosure.services.ledger import ledger_anchor_record, ledger_append
from tenants.errors import Conflict, InvalidInput
from tenants.models import Community, User
from workdays import services as workdays
from workdays.dates import zh_date, zh_day
from workdays.periods import closed_periods

# A fixed (长期) item's first publication is due this many days after it starts to apply.
FIXED_FIRST_DUE_DAYS = 10


def applicable_items(*, community: Community, on: date, cadence: str) -> list[tuple[str, Any]]:
    """``community``'s catalogue items of ``cadence`` in force on ``on``, with their source."""
    return selectors.catalogue_applicable(street_office_id=community.street_office_id, on=on, cadence=cadence)


def obligation_from(
    source: str,
    item: Any,
    *,
    period: str,
    start: date,
    end: date,
    base_due: date,
    event_days: int = 0,
    description: str = "",
    renews: Disclosure | None = None,
) -> Obligation:
    """The obligation of ``item`` for one period or event (the existing one if it was created before),
    with the item's terms copied in and its deadline from the working-day calendar."""
    due = workdays.due_after(base_due, event_days)
    obligation, _ = Obligation.objects.get_or_create(
        source=source,
        code=item.code,
        period=period,
        defaults={
            "item_id": item.pk,
            "title": item.title,
            "category": item.category,
            "cadence": item.cadence,
            "audience": item.audience,
            "content_type": item.content_type,
            "min_display_days": item.min_display_days,
            "period_start": start,
            "period_end": end,
            "event_description": description,
            "base_due_date": base_due,
            "event_working_days": event_days,
            "due_date": due.date,
            "due_provisional": due.provisional,
            "renews": renews,
        },
    )
    return obligation


def renewal_period(display_end: date) -> str:
    """The stored period of a fixed item's renewal: the display end it follows (one renewal per end)."""
    return f"长期·{zh_date(display_end)}到期"


def renewals_generate(*, community: Community, on: date) -> None:
    """000 第八条 固定内容长期公开: every fixed item in force whose current version's display ends within
    ``FIXED_RENEWAL_LEAD_WORKING_DAYS`` gets its next display period as an obligation, due the day the
    display ends, naming the version it renews. Idempotent: one renewal per display end, so a waived one
    stays waived, and a renewal comes again only once the display was extended or a new version
    published."""
    horizon = workdays.add_working_days(on, FIXED_RENEWAL_LEAD_WORKING_DAYS).date
    for source, item in applicable_items(community=community, on=on, cadence=Cadence.FIXED):
        current = display.fixed_item_current(source=source, code=item.code)
        if current is None or current.shown_until > horizon:  # type: ignore[attr-defined]
            continue
        end: date = current.shown_until  # type: ignore[attr-defined]  # annotated by fixed_item_current
        obligation_from(
            source,
            item,
            period=renewal_period(end),
            start=end + timedelta(days=1),
            end=end + timedelta(days=item.min_display_days),
            base_due=end,
            renews=current,
        )


@transaction.atomic
def obligations_generate(*, community: Community, on: date, since: date) -> int:
    """Create the obligations of every period that has closed by ``on``, the first publication of every
    fixed item and the renewal of those whose display is running out (idempotent: a second run creates
    nothing). Each period uses the catalogue version that applied when it began."""
    before = Obligation.objects.count()
    for cadence in CADENCE_SPANS:
        for period in closed_periods(CADENCE_SPANS[cadence], since=since, on=on):
            for source, item in applicable_items(community=community, on=period.start, cadence=cadence):
                obligation_from(
                    source,
                    item,
                    period=period.label,
                    start=period.start,
                    end=period.end,
                    base_due=period.base_due,
                )
    for source, item in applicable_items(community=community, on=on, cadence=Cadence.FIXED):
        start = max(item.valid_from, since)
        obligation_from(
            source,
            item,
            period="长期",
            start=start,
            end=start,
            base_due=start + timedelta(days=FIXED_FIRST_DUE_DAYS),
        )
    renewals_generate(community=community, on=on)
    created = Obligation.objects.count() - before
    if created:
        announce_change(community=community)
    return created


@transaction.atomic
def event_record(
    *, actor: User, community: Community, code: str, event_date: date, description: str
) -> Obligation:
    """A per-event (即时) item falls due N working days after its event is recorded."""
    action_require(actor, Action.RECORD_EVENT, community=community)
    description = description.strip()
    if not description:
        raise InvalidInput(gettext("请简要写明发生的事项。"))
    items = applicable_items(community=community, on=event_date, cadence=Cadence.EVENT)
    candidates = [(s, i) for s, i in items if i.code == code]
    if not candidates:
        raise InvalidInput(gettext("公开目录中没有编号为“%(code)s”的即时公开事项。") % {"code": code})
    source, item = candidates[0]
    number = Obligation.objects.filter(
        source=source, code=code, period__startswith=event_period_prefix(event_date)
    ).count()
    return obligation_from(
        source,
        item,
        period=event_period_label(event_date, number + 1),
        start=event_date,
        end=event_date,
        base_due=event_date,
        event_days=item.event_working_days,
        description=description[:200],
    )


@transaction.atomic
def obligation_waive(*, obligation: Obligation, actor: User, community: Community, reason: str) -> Obligation:
    action_require(actor, Action.WAIVE, community=community)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(gettext("免除公开任务须写明理由。"))
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    if not obligation.is_open:
        raise Conflict(gettext("这项公开任务已经办结,不能再免除。"))
    previous = obligation.status
    obligation.status = ObligationStatus.WAIVED
    obligation.waived_reason = reason
    obligation.waived_by = actor
    obligation.waived_at = timezone.now()
    obligation.save()
    audit_record(obligation, actor, previous, obligation.status, reason)
    notifications_resolve(topic=topics.obligation(obligation.pk))
    announce_change(community=community)
    ledger_append(
        action=LedgerAction.WAIVE,
        actor=actor,
        disclosure=None,
        payload={
            "obligation": obligation.pk,
            "code": obligation.code,
            "period": obligation.period,
            "reason": reason,
        },
    )
    return obligation


def obligation_state_on(obligation: Obligation, on: date) -> str:
    if not obligation.is_open:
        return obligation.status
    if on > obligation.due_date:
        return ObligationStatus.OVERDUE
    if workdays.add_working_days(on, DUE_SOON_WORKING_DAYS).date >= obligation.due_date:
        return ObligationStatus.DUE_SOON
    return ObligationStatus.UPCOMING


@transaction.atomic
def obligations_refresh(*, community: Community, on: date) -> list[Obligation]:
    """Bring open obligations to their state on ``on``; returns those whose state changed."""
    changed = []
    for obligation in Obligation.objects.select_for_update().filter(status__in=selectors.OPEN):
        state = obligation_state_on(obligation, on)
        if state != obligation.status:
            audit_record(obligation, None, obligation.status, state)
            obligation.status = state
            obligation.save(update_fields=["status", "updated_at"])
            changed.append(obligation)
    if changed:
        announce_change(community=community)
    return changed


def reminder_due(obligation: Obligation, *, on: date) -> str | None:
    """The reminder an open obligation calls for on ``on``, by its state (brought up to date by
    ``obligations_refresh``): overdue, due soon, or — for a fixed item's renewal —
    ``FIXED_RENEWAL_NOTICE_WORKING_DAYS`` before its display ends."""
    if obligation.status == ObligationStatus.OVERDUE:
        return Reminder.Kind.OVERDUE
    if obligation.status == ObligationStatus.DUE_SOON:
        return Reminder.Kind.DUE_SOON
    notice = workdays.add_working_days(on, FIXED_RENEWAL_NOTICE_WORKING_DAYS).date
    if obligation.is_renewal and notice >= obligation.due_date:
        return Reminder.Kind.RENEWAL_NOTICE
    return None


def reminder_text(obligation: Obligation, kind: str, *, on: date) -> tuple[str, str]:
    """A reminder's title and the page it leads to: a renewal speaks of the display that runs out and
    leads to the page where it is renewed."""
    if obligation.is_renewal:
        item, end = obligation.title, zh_day(obligation.base_due_date, today=on)
        return {
            Reminder.Kind.RENEWAL_NOTICE: f"固定公开内容将到期:{item}公示至 {end},请复核后续期",
            Reminder.Kind.DUE_SOON: f"即将到期:{item}公示至 {end},须在此前复核续期",
            Reminder.Kind.OVERDUE: f"已逾期:{item}已于 {end} 公示期满,待更新",
        }[Reminder.Kind(kind)], reverse("disclosure:renew", args=[obligation.pk])
    item = f"{obligation.title}({obligation.period_zh})"
    due = zh_day(obligation.due_date, today=on)
    if kind == Reminder.Kind.DUE_SOON:
        return f"即将到期:{item}须在 {due} 前公开", reverse("disclosure:obligations")
    return f"已逾期:{item}应于 {due} 前公开", reverse("disclosure:obligations")


def reminders_send(*, community: Community, on: date) -> int:
    """Remind the handler and the secretary when a deadline is near (``DUE_SOON_WORKING_DAYS``), when it
    is overdue, and ``FIXED_RENEWAL_NOTICE_WORKING_DAYS`` before a fixed item's display ends. Each
    reminder is recorded, so a second run the same day (or any later day) sends nothing twice."""
    recipients = users_with_roles(OBLIGATION_OWNERS, community=community)
    sent = 0
    for obligation in Obligation.objects.filter(status__in=selectors.OPEN):
        kind = reminder_due(obligation, on=on)
        if kind is None:
            continue
        with transaction.atomic():
            _, created = Reminder.objects.get_or_create(obligation=obligation, kind=kind)
            if not created:
                continue
            title, url = reminder_text(obligation, kind, on=on)
            notification_send(
                recipients=recipients,
                title=title,
                url=url,
                sms=True,
                topic=topics.obligation(obligation.pk),
            )
            sent += 1
    return sent


def daily_run(*, community: Community, on: date) -> dict[str, int]:
    """The community's daily job: new obligations, their states, reminders, the ledger anchor."""
    since = timezone.localdate(community.created_at).replace(day=1)
    created = obligations_generate(community=community, on=on, since=since)
    obligations_recompute_due(community=community)  # catches a calendar change whose signal was missed
    changed = len(obligations_refresh(community=community, on=on))
    reminded = reminders_send(community=community, on=on)
    ledger_anchor_record(community=community, day=on)
    return {"created": created, "changed": changed, "reminded": reminded}


@transaction.atomic
def obligations_recompute_due(*, community: Community, years: set[int] | None = None) -> int:
    """The calendar changed: recompute the deadlines of open obligations (all, or those in ``years``)."""
    count = 0
    for obligation in Obligation.objects.select_for_update().filter(status__in=selectors.OPEN):
        if years and obligation.base_due_date.year not in years and obligation.due_date.year not in years:
            continue
        due = workdays.due_after(obligation.base_due_date, obligation.event_working_days)
        if (due.date, due.provisional) != (obligation.due_date, obligation.due_provisional):
            obligation.due_date, obligation.due_provisional = due.date, due.provisional
            obligation.save(update_fields=["due_date", "due_provisional", "updated_at"])
            count += 1
    if count:
        announce_change(community=community)
    return count
