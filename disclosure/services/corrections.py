"""Changing what was published: a correction is a new version with its reason, and the supervision
group's order to re-publish (000 第十七条) opens an obligation and a correction draft. Either draft then
goes through the same five steps (``workflow``)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from communities.services import notification_send
from disclosure import topics
from disclosure.choices import Cadence, DisclosureStatus, LedgerAction
from disclosure.models import Disclosure, Obligation, Receipt
from disclosure.models.catalogue import event_period_label
from disclosure.permissions import Action
from disclosure.rules import MIN_DISPLAY_DAYS, REPUBLICATION_WORKING_DAYS, REPUBLICATION_WORKING_DAYS_MAX
from disclosure.services.context import (
    action_require,
    announce_change,
    audit_record,
    disclosure_lock,
    status_expect,
    users_with_roles,
)
from disclosure.services.ledger import ledger_append
from tenants.choices import CommunityRole
from tenants.errors import Conflict, InvalidInput
from tenants.models import Community, User
from workdays import services as workdays
from workdays.dates import zh_day


def _next_version(
    disclosure: Disclosure,
    *,
    obligation: Obligation | None,
    reason: str,
    actor: User | None,
    authors: list[int],
) -> Disclosure:
    """The draft of the next version: the published content copied, its hash computed, superseding the
    one before it once it is published (both a correction and an ordered re-publication start so).
    ``authors``: who starts writing it (the one correcting; nobody yet for an ordered re-publication)."""
    draft = Disclosure(
        obligation=obligation,
        category=disclosure.category,
        content_type=disclosure.content_type,
        audience=disclosure.audience,
        title=disclosure.title,
        body=disclosure.body,
        data=disclosure.data,
        version=disclosure.version + 1,
        supersedes=disclosure,
        correction_reason=reason,
        created_by=actor,
        authors=authors,
    )
    draft.content_hash = draft.compute_content_hash()
    draft.save()
    receipts = [
        Receipt(
            disclosure=draft,
            line_id=r.line_id,
            file=r.file.name,
            original_name=r.original_name,
            mime_type=r.mime_type,
            size=r.size,
            sha256=r.sha256,
            uploaded_by_id=r.uploaded_by_id,
        )
        for r in disclosure.receipts.all()
    ]
    if receipts:  # a reimbursement's receipts stay with its line in the next version
        Receipt.objects.bulk_create(receipts)
        draft.content_hash = draft.compute_content_hash()
        draft.save(update_fields=["content_hash"])
    return draft


@transaction.atomic
def disclosure_start_correction(
    *,
    disclosure: Disclosure,
    actor: User,
    community: Community,
    reason: str,
    obligation: Obligation | None = None,
) -> Disclosure:
    """A correction is a new version with its reason; the published one stays readable and becomes
    superseded when the correction is published."""
    action_require(actor, Action.CORRECT, community=community)
    disclosure = disclosure_lock(disclosure)
    status_expect(disclosure, DisclosureStatus.PUBLISHED, DisclosureStatus.ARCHIVED)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("请写明更正理由。"))
    if Disclosure.objects.filter(supersedes=disclosure).exists():
        raise Conflict(_("这条公开内容已经有一个更正版本在办理中。"))
    draft = _next_version(
        disclosure,
        obligation=obligation or disclosure.obligation,
        reason=reason,
        actor=actor,
        authors=[actor.pk],
    )
    assign_perm("change_disclosure", actor, draft)
    audit_record(draft, actor, "", DisclosureStatus.DRAFT, reason)
    return draft


@transaction.atomic
def disclosure_order_republication(
    *,
    disclosure: Disclosure,
    actor: User,
    community: Community,
    finding: str,
    working_days: int = REPUBLICATION_WORKING_DAYS,
    today: date | None = None,
) -> Disclosure:
    """000 第十七条: the supervision group found an omission or an untruth and orders re-publication.
    The order becomes an obligation with its own deadline and a correction draft that goes through the
    same five steps; the handlers own the draft. Their notification waits until the obligation is
    fulfilled (the correction published) or waived."""
    action_require(actor, Action.ORDER_REPUBLICATION, community=community)
    disclosure = disclosure_lock(disclosure)
    status_expect(disclosure, DisclosureStatus.PUBLISHED, DisclosureStatus.ARCHIVED)
    finding = finding.strip()
    if not finding:
        raise InvalidInput(_("请写明监督小组认定的遗漏或不实之处。"))
    if not 1 <= working_days <= REPUBLICATION_WORKING_DAYS_MAX:
        raise InvalidInput(
            _("重新公布的期限应在 1 到 %(REPUBLICATION_WORKING_DAYS_MAX)s 个工作日之间。")
            % {"REPUBLICATION_WORKING_DAYS_MAX": REPUBLICATION_WORKING_DAYS_MAX}
        )
    if Disclosure.objects.filter(supersedes=disclosure).exists():
        raise Conflict(_("这条公开内容已经有一个更正版本在办理中。"))
    today = today or timezone.localdate()
    due = workdays.add_working_days(today, working_days)
    number = Obligation.objects.filter(source=Obligation.Source.ORDER, code=f"R-{disclosure.pk}").count() + 1
    obligation = Obligation.objects.create(
        source=Obligation.Source.ORDER,
        item_id=None,
        code=f"R-{disclosure.pk}",
        title=f"重新公布:{disclosure.title}",
        category=disclosure.category,
        cadence=Cadence.EVENT,
        audience=disclosure.audience,
        content_type=disclosure.content_type,
        min_display_days=disclosure.obligation.min_display_days
        if disclosure.obligation
        else MIN_DISPLAY_DAYS,
        period=event_period_label(today, number),
        period_start=today,
        period_end=today,
        event_description=finding[:200],
        base_due_date=today,
        event_working_days=working_days,
        due_date=due.date,
        due_provisional=due.provisional,
    )
    # the supervision member who ordered it wrote none of it: the handlers who change it become its
    # authors, and the group (the one who ordered it too) reviews it
    draft = _next_version(
        disclosure, obligation=obligation, reason=f"监督小组认定:{finding}"[:500], actor=actor, authors=[]
    )
    handlers = users_with_roles({CommunityRole.HANDLER}, community=community)
    for handler in handlers:
        assign_perm("change_disclosure", handler, draft)
    audit_record(draft, actor, "", DisclosureStatus.DRAFT, f"监督小组责令重新公布:{finding}")
    announce_change(community=community)
    ledger_append(
        action=LedgerAction.ORDER,
        actor=actor,
        disclosure=disclosure,
        payload={
            "finding": finding,
            "due_date": due.date,
            "correction": draft.pk,
            "content_hash": disclosure.content_hash,
        },
    )
    notification_send(
        recipients=handlers,
        title=f"监督小组责令重新公布:{disclosure.title}",
        body=f"{finding}。须在 {zh_day(due.date, today=today)} 前重新公布。",
        url=f"/workspace/disclosures/{draft.pk}/",
        sms=True,
        topic=topics.obligation(obligation.pk),
    )
    return draft
