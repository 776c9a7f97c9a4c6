"""The five steps of a disclosure after drafting (桂花方案 四): 审核 submit and review, 签字 sign,
公布 publish, 建档 archive, and the drafter's withdrawal back to draft. One transaction each; the audit
record and the ledger entry are written in it; notifications are queued on commit. Corrections and
re-publication orders are in ``corrections``."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from communities.services import notification_send, notifications_resolve
from disclosure import consultations, display, permissions, topics
from disclosure.choices import (
    Audience,
    Cadence,
    Channel,
    DisclosureStatus,
    LedgerAction,
    ObligationStatus,
    ReviewDecision,
    SignatureRole,
)
from disclosure.models import Disclosure, ReviewOpinion, Signature
from disclosure.permissions import ROLE_ACTIONS, Action
from disclosure.rules import AUTHOR_MAY_SIGN_AS, MIN_DISPLAY_DAYS, REVIEW_WORKING_DAYS, SIGNING_ROLES
from disclosure.services.context import (
    action_require,
    announce_change,
    audit_record,
    content_expect,
    disclosure_lock,
    obligation_fulfil,
    status_expect,
    users_with_roles,
)
from disclosure.services.indexing import public_index_sync
from disclosure.services.ledger import ledger_append
from disclosure.services.pushes import publication_push_later
from disclosure.services.reimbursements import reimbursements_unsigned
from disclosure.services.renewals import renewals_fulfil
from tenants.choices import CommunityRole
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import Community, User
from tenants.selectors import community_roles_of
from workdays import services as workdays
from workdays.dates import zh_day


def earliest_publication(*, today: date) -> workdays.WorkdayResult:
    return workdays.add_working_days(today, REVIEW_WORKING_DAYS)


# --- who may review and sign what (the services refuse by these; disclosure.progress offers by them) ---


def approvals_needed(*, community: Community, group_size: int, eligible: int) -> int:
    """000 第七条(二) 集体审核: how many approving opinions a round of review needs — the number the
    street office fixed, or a majority of the community's supervision group (⌊n/2⌋ + 1) — and never
    more than the members who may review it (the group less the draft's authors): then all of them."""
    fixed = community.street_office.review_approvals_needed
    needed = fixed if fixed is not None else group_size // 2 + 1
    return max(1, min(needed, eligible))


def round_approvals(disclosure: Disclosure) -> list[ReviewOpinion]:
    """The approving opinions that count now: of the current round of review, on the content as it is,
    one per reviewer. Reads ``disclosure.opinions`` whole, so a prefetch serves a list of them."""
    seen: set[int] = set()
    approvals = []
    for opinion in disclosure.opinions.all():
        if (
            opinion.review_round == disclosure.review_round
            and opinion.decision == ReviewDecision.APPROVE
            and opinion.content_hash == disclosure.content_hash
            and opinion.reviewer_id not in seen
        ):
            seen.add(opinion.reviewer_id)
            approvals.append(opinion)
    return approvals


def review_refusal(disclosure: Disclosure, actor: User) -> str | None:
    """Why ``actor`` may not give an opinion on ``disclosure`` now, or ``None``: an author never reviews
    what they wrote, whatever roles they hold; only the members assigned when it was submitted review;
    each gives one approval a round. (The status is the service's to check.)"""
    if actor.pk in disclosure.authors:
        return "您参与了这份内容的起草或修改,不能审核自己起草的内容。"
    if not actor.has_perm(permissions.REVIEW, disclosure):
        return "您不是这份公开内容的审核人。"
    if any(o.reviewer_id == actor.pk for o in round_approvals(disclosure)):
        return "您已经同意过这一版内容,正在等其他审核人的意见。"
    return None


def sign_refusal(disclosure: Disclosure, actor: User, *, role: str, roles: set[str]) -> str | None:
    """Why ``actor``, holding ``roles``, may not sign ``disclosure`` as ``role``, or ``None``: each
    signs in a capacity they hold, and an author signs what they wrote only as 经办人
    (``rules.AUTHOR_MAY_SIGN_AS``)."""
    if role not in SIGNING_ROLES or role not in roles:
        return "您没有以这个身份签字的权限。"
    if actor.pk in disclosure.authors and role not in AUTHOR_MAY_SIGN_AS:
        return f"您参与了这份内容的起草或修改,不能以{SignatureRole(role).label}的身份签字确认自己起草的内容。"
    return None


@transaction.atomic
def disclosure_submit(
    *,
    disclosure: Disclosure,
    actor: User,
    community: Community,
    planned_publish_date: date,
    short_notice_reason: str = "",
    today: date | None = None,
) -> Disclosure:
    """Step 2 审核: to the supervision group, at least REVIEW_WORKING_DAYS before the planned publication.
    A per-event (即时) item may be published sooner, with the reason recorded. Every member of the group
    who did not write it is assigned to review it, and the round needs ``approvals_needed`` of them."""
    action_require(actor, Action.SUBMIT, community=community)
    disclosure = disclosure_lock(disclosure)
    status_expect(disclosure, DisclosureStatus.DRAFT, DisclosureStatus.RETURNED)
    today = today or timezone.localdate()
    earliest = earliest_publication(today=today).date
    short_notice_reason = short_notice_reason.strip()
    if planned_publish_date < today:
        raise InvalidInput(_("计划公布日期不能早于今天。"))
    if planned_publish_date < earliest:
        is_event = disclosure.obligation is not None and disclosure.obligation.cadence == Cadence.EVENT
        if not is_event:
            raise InvalidInput(
                f"审核稿须在公布前至少 {REVIEW_WORKING_DAYS} 个工作日交监督小组,"
                f"计划公布日期最早为 {zh_day(earliest)}。"
            )
        if not short_notice_reason:
            raise InvalidInput(_("即时公开事项缩短审核期,须写明理由。"))
    group = users_with_roles({CommunityRole.SUPERVISOR}, community=community)
    if not group:
        raise Conflict(_("本社区还没有监督小组成员,无法提交审核。请先在街道后台添加。"))
    reviewers = [u for u in group if u.pk not in disclosure.authors]
    if not reviewers:
        raise Conflict(
            _(
                "本社区监督小组成员都参与了这份内容的起草或修改,没有人可以审核。起草人不能审核自己起草的内容,"
                "请由其他人起草,或请街道在后台增加监督小组成员。"
            )
        )
    previous = disclosure.status
    disclosure.status = DisclosureStatus.SUBMITTED
    disclosure.planned_publish_date = planned_publish_date
    disclosure.short_notice_reason = short_notice_reason
    disclosure.review_round += 1
    disclosure.reviews_needed = approvals_needed(
        community=community, group_size=len(group), eligible=len(reviewers)
    )
    disclosure.save()
    for reviewer in reviewers:
        assign_perm("review_disclosure", reviewer, disclosure)
    if previous == DisclosureStatus.RETURNED:
        notifications_resolve(topic=topics.disclosure(disclosure.pk, topics.Step.RESUBMIT))
    audit_record(disclosure, actor, previous, disclosure.status, short_notice_reason)
    ledger_append(
        action=LedgerAction.SUBMIT,
        actor=actor,
        disclosure=disclosure,
        payload={
            "title": disclosure.title,
            "content_hash": disclosure.content_hash,
            "planned_publish_date": planned_publish_date,
            "short_notice_reason": short_notice_reason,
            "review_round": disclosure.review_round,
            "reviewers": [u.pk for u in reviewers],
            "reviews_needed": disclosure.reviews_needed,
        },
    )
    notification_send(
        recipients=reviewers,
        title=f"请审核:{disclosure.title}",
        body=f"计划公布日期 {zh_day(planned_publish_date, today=today)}。"
        f"须 {disclosure.reviews_needed} 名审核人同意。",
        url=_url(disclosure),
        topic=topics.disclosure(disclosure.pk, topics.Step.REVIEW),
    )
    return disclosure


def _url(disclosure: Disclosure) -> str:
    return f"/workspace/disclosures/{disclosure.pk}/"


def _ask_for_signatures(disclosure: Disclosure, *, community: Community) -> None:
    """After approval: each signing role that has not signed this content yet is asked to (桂花方案
    四(一)); when all have, the publishers are told it may be published."""
    signed = valid_signatures(disclosure)
    for role in SIGNING_ROLES:
        if role in signed:
            continue
        notification_send(
            recipients=users_with_roles({role}, community=community),
            title=f"请签字:{disclosure.title}",
            body=f"请以{SignatureRole(role).label}的身份签字确认。",
            url=_url(disclosure),
            topic=topics.sign(disclosure.pk, role),
        )
    if set(SIGNING_ROLES) <= set(signed):
        _tell_publishers(disclosure, community=community)


def _tell_publishers(disclosure: Disclosure, *, community: Community) -> None:
    planned = disclosure.planned_publish_date
    notification_send(
        recipients=users_with_roles(ROLE_ACTIONS[Action.PUBLISH], community=community),
        title=f"可以公布:{disclosure.title}",
        body=f"签字已齐,计划公布日期 {zh_day(planned)}。" if planned else "签字已齐。",
        url=_url(disclosure),
        topic=topics.disclosure(disclosure.pk, topics.Step.PUBLISH),
    )


@transaction.atomic
def disclosure_review(
    *,
    disclosure: Disclosure,
    actor: User,
    community: Community,
    decision: str,
    comments: str = "",
    seen_hash: str = "",
) -> Disclosure:
    """A supervision group member approves, or returns with comments (kept with the draft), never on
    what they wrote (``review_refusal``). 000 第七条(二) 集体审核: the draft is approved when the round
    has the approvals it needs (``Disclosure.reviews_needed``); until then each approval takes only
    its giver's request off their list. One return sends it back to the drafter at once — an objection
    is answered by the drafter, not outvoted — and ends the round: a resubmission opens the next."""
    disclosure = disclosure_lock(disclosure)
    status_expect(disclosure, DisclosureStatus.SUBMITTED)
    content_expect(disclosure, seen_hash, doing="提交审核意见")
    refused = review_refusal(disclosure, actor)
    if refused:
        raise NotAllowed(refused)
    if decision not in ReviewDecision.values:
        raise InvalidInput(_("请选择“同意公开”或“退回修改”。"))
    comments = comments.strip()
    if decision == ReviewDecision.RETURN and not comments:
        raise InvalidInput(_("退回修改时请写明意见。"))
    ReviewOpinion.objects.create(
        disclosure=disclosure,
        reviewer=actor,
        reviewer_name=actor.get_full_name(),
        decision=decision,
        comments=comments,
        content_hash=disclosure.content_hash,
        review_round=disclosure.review_round,
    )
    approvals = len(round_approvals(disclosure))
    ledger_append(
        action=LedgerAction.OPINION,
        actor=actor,
        disclosure=disclosure,
        payload={
            "decision": decision,
            "comments": comments,
            "content_hash": disclosure.content_hash,
            "review_round": disclosure.review_round,
            "approvals": approvals,
            "reviews_needed": disclosure.reviews_needed,
        },
    )
    review_topic = topics.disclosure(disclosure.pk, topics.Step.REVIEW)
    approved = decision == ReviewDecision.APPROVE
    if approved and approvals < disclosure.reviews_needed:
        notifications_resolve(topic=review_topic, recipient=actor)
        return disclosure
    previous = disclosure.status
    disclosure.status = DisclosureStatus.APPROVED if approved else DisclosureStatus.RETURNED
    disclosure.save(update_fields=["status", "updated_at"])
    reason = f"{approvals}/{disclosure.reviews_needed} 名审核人同意" if approved else comments
    audit_record(disclosure, actor, previous, disclosure.status, reason)
    notifications_resolve(topic=review_topic)
    if disclosure.created_by_id:
        notification_send(
            recipients=User.objects.filter(pk=disclosure.created_by_id),
            title=f"审核{'通过' if approved else '退回'}:{disclosure.title}",
            body=comments,
            url=_url(disclosure),
            topic=topics.disclosure(
                disclosure.pk, topics.Step.APPROVED if approved else topics.Step.RESUBMIT
            ),
        )
    if approved:
        _ask_for_signatures(disclosure, community=community)
    return disclosure


@transaction.atomic
def disclosure_withdraw(*, disclosure: Disclosure, actor: User, reason: str) -> Disclosure:
    """Take a submitted or approved disclosure back to draft to change it. Any signature already
    given stops counting as soon as the content changes. Nobody is asked to review, sign or publish it
    any more."""
    disclosure = disclosure_lock(disclosure)
    status_expect(disclosure, DisclosureStatus.SUBMITTED, DisclosureStatus.APPROVED)
    if not actor.has_perm(permissions.OWN_DRAFT, disclosure):
        raise NotAllowed(permissions.own_draft_refusal("撤回修改"))
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("请写明撤回修改的理由。"))
    previous = disclosure.status
    disclosure.status = DisclosureStatus.DRAFT
    disclosure.save(update_fields=["status", "updated_at"])
    audit_record(disclosure, actor, previous, disclosure.status, reason)
    notifications_resolve(prefix=topics.disclosure_all(disclosure.pk))
    return disclosure


def valid_signatures(disclosure: Disclosure) -> dict[str, Signature]:
    """The signatures that bind to the content as it is now, by role."""
    return {s.role: s for s in disclosure.signatures.all() if s.content_hash == disclosure.content_hash}


@transaction.atomic
def disclosure_sign(
    *, disclosure: Disclosure, actor: User, community: Community, role: str, seen_hash: str = ""
) -> Signature:
    """Secretary, director and handler each sign the exact content (桂花方案 四(一)), in a capacity they
    hold and, for an author, only as 经办人 (``sign_refusal``). The role's request to sign is resolved
    for everyone who holds it; the last signature tells the publishers."""
    disclosure = disclosure_lock(disclosure)
    status_expect(disclosure, DisclosureStatus.APPROVED)
    content_expect(disclosure, seen_hash, doing="签字")
    refused = sign_refusal(
        disclosure, actor, role=role, roles=community_roles_of(user=actor, community=community)
    )
    if refused:
        raise NotAllowed(refused)
    if role in valid_signatures(disclosure):
        raise Conflict(_("这个身份已经签过字了。"))
    signature = Signature.objects.create(
        disclosure=disclosure,
        role=role,
        signer=actor,
        signer_name=actor.get_full_name(),
        content_hash=disclosure.content_hash,
    )
    ledger_append(
        action=LedgerAction.SIGN,
        actor=actor,
        disclosure=disclosure,
        payload={"role": role, "content_hash": disclosure.content_hash},
    )
    notifications_resolve(topic=topics.sign(disclosure.pk, role))
    if set(SIGNING_ROLES) <= set(valid_signatures(disclosure)):
        _tell_publishers(disclosure, community=community)
    return signature


@transaction.atomic
def disclosure_publish(
    *,
    disclosure: Disclosure,
    actor: User,
    community: Community,
    channels: list[str],
    public_from: date | None = None,
    now: datetime | None = None,
    seen_hash: str = "",
) -> Disclosure:
    """Step 3 公布: all three signatures on this exact content (and five on each reimbursement of a
    statement, 004 ⑵), not before the planned date, through
    chosen channels, displayed at least the item's minimum days. Party-internal first items reach the
    public on a recorded date."""
    action_require(actor, Action.PUBLISH, community=community)
    disclosure = disclosure_lock(disclosure)
    status_expect(disclosure, DisclosureStatus.APPROVED)
    content_expect(disclosure, seen_hash, doing="公布")
    missing = [r for r in SIGNING_ROLES if r not in valid_signatures(disclosure)]
    if missing:
        raise Conflict(
            _("还缺少签字:%(join)s。") % {"join": "、".join(str(SignatureRole(r).label) for r in missing)}
        )
    unsigned = reimbursements_unsigned(disclosure, community=community)
    if unsigned:
        raise Conflict(unsigned)
    channels = [c for c in dict.fromkeys(channels)]
    if not channels or any(c not in Channel.values for c in channels):
        raise InvalidInput(_("请至少选择一个公开渠道。"))
    now = now or timezone.now()
    today = timezone.localdate(now)
    if disclosure.planned_publish_date and today < disclosure.planned_publish_date:
        raise Conflict(
            _("未到计划公布日期 %(zh_day)s,监督小组的审核期还没有满。")
            % {"zh_day": zh_day(disclosure.planned_publish_date)}
        )
    if disclosure.audience == Audience.PARTY_FIRST:
        if public_from is None:
            raise InvalidInput(_("先党内后党外的事项,请填写向居民公开的日期。"))
        if public_from < today:
            raise InvalidInput(_("向居民公开的日期不能早于公布日期。"))
    else:
        public_from = today
    problem = consultations.publish_problem(disclosure, today=today)
    if problem:
        raise Conflict(problem)
    min_days = disclosure.obligation.min_display_days if disclosure.obligation else MIN_DISPLAY_DAYS
    display_until = public_from + timedelta(days=min_days)
    disclosure.status = DisclosureStatus.PUBLISHED
    disclosure.channels = channels
    disclosure.published_at = now
    disclosure.published_by = actor
    disclosure.public_from = public_from
    disclosure.display_until = max(
        display_until, consultations.display_until_at_least(disclosure) or display_until
    )
    disclosure.save()
    audit_record(disclosure, actor, DisclosureStatus.APPROVED, DisclosureStatus.PUBLISHED)
    if disclosure.supersedes_id:
        old = Disclosure.objects.select_for_update().get(pk=disclosure.supersedes_id)
        previous = old.status
        old.status = DisclosureStatus.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
        audit_record(old, actor, previous, old.status, disclosure.correction_reason)
        renewals_fulfil(old=old, new=disclosure, actor=actor, today=today)
        public_index_sync(disclosure=old, community=community)
    public_index_sync(disclosure=disclosure, community=community)
    obligation = disclosure.obligation
    if (
        obligation is not None
        and obligation.fulfilled_by_id is None
        and obligation.status != ObligationStatus.WAIVED
    ):
        obligation_fulfil(obligation, by=disclosure, actor=actor, today=today)
    notifications_resolve(prefix=topics.disclosure_all(disclosure.pk))
    announce_change(community=community)
    publication_push_later(community=community, disclosure=disclosure)
    ledger_append(
        action=LedgerAction.CORRECT if disclosure.supersedes_id else LedgerAction.PUBLISH,
        actor=actor,
        disclosure=disclosure,
        payload={
            "title": disclosure.title,
            "content_hash": disclosure.content_hash,
            "channels": channels,
            "public_from": public_from,
            "display_until": disclosure.display_until,
            "supersedes": disclosure.supersedes_id,
            "reason": disclosure.correction_reason,
        },
    )
    return disclosure


@transaction.atomic
def disclosure_archive(
    *, disclosure: Disclosure, actor: User, community: Community, today: date | None = None
) -> Disclosure:
    """Step 5 建档: after its display window."""
    action_require(actor, Action.ARCHIVE, community=community)
    disclosure = disclosure_lock(disclosure)
    status_expect(disclosure, DisclosureStatus.PUBLISHED)
    today = today or timezone.localdate()
    until = display.display_end(disclosure)
    if until and today < until:
        raise Conflict(_("公示期到 %(zh_day)s 才结束,之后才能归档。") % {"zh_day": zh_day(until)})
    disclosure.status = DisclosureStatus.ARCHIVED
    disclosure.save(update_fields=["status", "updated_at"])
    audit_record(disclosure, actor, DisclosureStatus.PUBLISHED, DisclosureStatus.ARCHIVED)
    public_index_sync(disclosure=disclosure, community=community)
    ledger_append(
        action=LedgerAction.ARCHIVE,
        actor=actor,
        disclosure=disclosure,
        payload={"content_hash": disclosure.content_hash},
    )
    return disclosure
