"""A fixed (长期) item's renewal (000 第八条 固定内容长期公开, 第十九条 不按规定更新): answered either by a
new version through the five steps (a correction of the version on display, ``renewals_fulfil``) or by
a recorded confirmation that the content has not changed (``renewal_confirm``), which keeps the sealed
publication on display another period through a ``DisplayExtension`` of its own."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from disclosure import display
from disclosure.choices import LedgerAction
from disclosure.models import Disclosure, DisplayExtension, Obligation
from disclosure.permissions import Action
from disclosure.services.context import (
    action_require,
    announce_change,
    content_expect,
    obligation_fulfil,
)
from disclosure.services.ledger import ledger_append
from tenants.errors import Conflict, InvalidInput
from tenants.models import Community, User

RENEW_NOTE_MAX = 300


def renewals_fulfil(*, old: Disclosure, new: Disclosure, actor: User, today: date) -> None:
    """A new version of a fixed item published in place of ``old`` answers the open renewals of ``old``."""
    for obligation in Obligation.objects.select_for_update().filter(renews=old, fulfilled_by__isnull=True):
        if obligation.is_open:
            obligation_fulfil(obligation, by=new, actor=actor, today=today, reason="发布新版本续期")


def renewal_display_until(obligation: Obligation, *, today: date) -> date:
    """The display end a confirmation on ``today`` gives: the renewal's next period, or, confirmed after
    the display lapsed, a full display period from ``today``."""
    return max(obligation.period_end, today + timedelta(days=obligation.min_display_days))


@transaction.atomic
def renewal_confirm(
    *, obligation: Obligation, actor: User, community: Community, note: str, seen_hash: str, today: date
) -> DisplayExtension:
    """内容无变化,确认续期: ``actor`` (one who may publish) reviewed the version on display and confirms
    it unchanged; it stays on display another period, recorded in the audit trail and the ledger."""
    action_require(actor, Action.RENEW, community=community)
    note = note.strip()
    if not note:
        raise InvalidInput("请写明核对了哪些内容、为什么无需更新。")
    if len(note) > RENEW_NOTE_MAX:
        raise InvalidInput(f"核对说明请控制在 {RENEW_NOTE_MAX} 字以内。")
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    if not obligation.is_open or obligation.renews_id is None:
        raise Conflict("这项续期任务已经办结,不能再确认。")
    disclosure = Disclosure.objects.get(pk=obligation.renews_id)
    content_expect(disclosure, seen_hash, doing="确认续期")
    previous_until = display.display_end(disclosure)
    if previous_until is None:
        raise Conflict("这条公开内容没有公示期,不能续期。")
    extension = DisplayExtension.objects.create(
        disclosure=disclosure,
        obligation=obligation,
        content_hash=disclosure.content_hash,
        previous_until=previous_until,
        display_until=max(renewal_display_until(obligation, today=today), previous_until + timedelta(days=1)),
        note=note,
        confirmed_by=actor,
        confirmed_by_name=actor.get_full_name(),
    )
    obligation_fulfil(
        obligation, by=disclosure, actor=actor, today=today, reason=f"内容无变化,确认续期:{note}"
    )
    announce_change(community=community)
    ledger_append(
        action=LedgerAction.RENEW,
        actor=actor,
        disclosure=disclosure,
        payload={
            "obligation": obligation.pk,
            "code": obligation.code,
            "content_hash": disclosure.content_hash,
            "previous_until": previous_until,
            "display_until": extension.display_until,
            "note": note,
        },
    )
    return extension
