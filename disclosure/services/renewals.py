"""Fixed content kept current (000 第八条 固定内容长期公开; 第十九条 names 不按规定更新 a failure).

A fixed item's renewal (``obligations.renewals_generate``: its next display period, due the day the
current one ends) is answered one of two ways:

- 修改后重新公布 (``fixed_item_revise``): the next version of what it renews, through the five steps;
  its publication fulfils the renewal;
- 内容无变化,确认续期 (``fixed_item_confirm_unchanged``): someone who may publish confirms, with a note
  of what was checked, that nothing changed, and the display runs another of the item's display
  periods. The publication is sealed, so the longer display is a row of its own (``DisplayExtension``,
  append-only), written with the audit record and the ledger entry in one transaction.

A new version published any other way (a correction from the disclosure's page, a re-publication the
supervision group ordered) renews it as well (``renewals_fulfil``).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure import display
from disclosure.choices import DisclosureStatus, LedgerAction
from disclosure.models import Disclosure, DisplayExtension, Obligation
from disclosure.permissions import Action
from disclosure.rules import OPEN_OBLIGATION_STATUSES, RENEWAL_NOTE_MAX_CHARS
from disclosure.services.context import (
    action_require,
    announce_change,
    content_expect,
    disclosure_lock,
    obligation_fulfil,
    status_expect,
)
from disclosure.services.corrections import disclosure_start_correction
from disclosure.services.ledger import ledger_append
from tenants.errors import Conflict, InvalidInput
from tenants.models import Community, User
from workdays.dates import zh_date


def _renewal_lock(obligation: Obligation) -> Obligation:
    """The renewal's row again, locked; refused unless it is a fixed item's renewal still open."""
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    if not obligation.is_renewal:
        raise Conflict(_("这项公开任务不是固定公开内容的续期。"))
    if not obligation.is_open:
        raise Conflict(
            _("这项续期任务已经办结(%(get_status_display)s)。")
            % {"get_status_display": obligation.get_status_display()}
        )
    return obligation


def renewal_extends_to(obligation: Obligation, *, current_end: date, today: date) -> date:
    """The display end a confirmation on ``today`` gives: another of the item's display periods from the
    end of the current one, or from ``today`` if that end has passed."""
    return max(current_end, today) + timedelta(days=obligation.min_display_days)


@transaction.atomic
def fixed_item_revise(*, obligation: Obligation, actor: User, community: Community) -> Disclosure:
    """修改后重新公布: the draft of the next version of what ``obligation`` renews — its content copied, to
    be changed and taken through the five steps — whose publication fulfils the renewal. If a next
    version is already under way, it is that one."""
    action_require(actor, Action.CORRECT, community=community)
    obligation = _renewal_lock(obligation)
    under_way = display.revision_under_way(obligation)
    if under_way is not None:
        return under_way
    assert obligation.renews is not None
    return disclosure_start_correction(
        disclosure=obligation.renews,
        actor=actor,
        community=community,
        reason=f"固定公开内容复核更新(原公示至 {zh_date(obligation.base_due_date)})",
        obligation=obligation,
    )


@transaction.atomic
def fixed_item_confirm_unchanged(
    *,
    obligation: Obligation,
    actor: User,
    community: Community,
    note: str,
    seen_hash: str = "",
    today: date | None = None,
) -> DisplayExtension:
    """内容无变化,确认续期: the version ``obligation`` renews was checked and nothing in it changed, so it
    stays on display another of the item's display periods (``renewal_extends_to``). By the people who
    publish (``Action.RENEW``), with a note of what was checked, bound to the content shown
    (``seen_hash``); written to its own append-only row, the audit trail and the ledger."""
    action_require(actor, Action.RENEW, community=community)
    note = note.strip()
    if not note:
        raise InvalidInput(_("请写明核对了哪些内容,例如:已逐项核对,人员、职责和电话均无变化。"))
    if len(note) > RENEWAL_NOTE_MAX_CHARS:
        raise InvalidInput(
            _("核对说明不能超过 %(RENEWAL_NOTE_MAX_CHARS)s 个字(现在有 %(len)s 个)。")
            % {"RENEWAL_NOTE_MAX_CHARS": RENEWAL_NOTE_MAX_CHARS, "len": len(note)}
        )
    obligation = _renewal_lock(obligation)
    assert obligation.renews is not None
    disclosure = disclosure_lock(obligation.renews)
    status_expect(disclosure, DisclosureStatus.PUBLISHED, DisclosureStatus.ARCHIVED)
    content_expect(disclosure, seen_hash, doing="确认续期")
    today = today or timezone.localdate()
    before = display.display_end(disclosure)
    assert before is not None  # a published version has its display end (a database constraint)
    extension = DisplayExtension.objects.create(
        disclosure=disclosure,
        obligation=obligation,
        content_hash=disclosure.content_hash,
        previous_until=before,
        display_until=renewal_extends_to(obligation, current_end=before, today=today),
        note=note,
        confirmed_by=actor,
        confirmed_by_name=actor.get_full_name(),
    )
    obligation_fulfil(
        obligation, by=disclosure, actor=actor, today=today, reason=f"内容无变化,确认续期:{note}"
    )
    announce_change(community=community)  # and its page and the e-screen show the new display end
    ledger_append(
        action=LedgerAction.RENEW,
        actor=actor,
        disclosure=disclosure,
        payload={
            "obligation": obligation.pk,
            "code": obligation.code,
            "period": obligation.period,
            "content_hash": disclosure.content_hash,
            "display_until_before": before,
            "display_until": extension.display_until,
            "note": note,
        },
    )
    return extension


def renewals_fulfil(*, old: Disclosure, new: Disclosure, actor: User, today: date) -> None:
    """``new`` was published in place of ``old``: the open renewal of ``old``, however the new version
    was started, is fulfilled by it. In the publication's transaction."""
    renewals = Obligation.objects.select_for_update().filter(renews=old, status__in=OPEN_OBLIGATION_STATUSES)
    for renewal in renewals:
        obligation_fulfil(renewal, by=new, actor=actor, today=today, reason="已公布新版本")
