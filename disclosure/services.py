"""Every write of the disclosure engine. One transaction each; the audit record and the ledger entry
are written in the same transaction; notifications are queued on commit.

The caller has switched to the community's schema (middleware, tenant-schemas-celery, or
``tenant_context``); ``current_community`` reads it from the connection.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from communities.services import notification_send
from disclosure import content as content_rules
from disclosure import permissions
from disclosure.choices import (
    CADENCE_SPANS,
    Audience,
    Cadence,
    Category,
    Channel,
    ContentType,
    DisclosureStatus,
    LedgerAction,
    ObligationStatus,
    ReviewDecision,
)
from disclosure.models import (
    Attachment,
    AuditRecord,
    Disclosure,
    LedgerEntry,
    LocalCatalogueItem,
    Obligation,
    ReviewOpinion,
    Signature,
)
from disclosure.permissions import Action
from standards.models import CatalogueItem, LedgerAnchor
from tenants.choices import CommunityRole
from tenants.errors import Conflict, DomainError, InvalidInput, NotAllowed
from tenants.models import Community, Membership, User
from tenants.uploads import upload_check, upload_store
from workdays import services as workdays
from workdays.periods import closed_periods

logger = logging.getLogger(__name__)
REVIEW_WORKING_DAYS = (
    5  # 桂花方案 四(二): to the supervision group at least 5 working days before publication
)
DUE_SOON_WORKING_DAYS = 3
MAX_BODY_CHARS = 50_000  # a long policy text fits; anything longer belongs in an attachment
GENESIS = "0" * 64


# --- context and checks ------------------------------------------------------------------------


def current_community() -> Community:
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Community):
        return tenant
    return Community.objects.get(schema_name=connection.schema_name)  # type: ignore[attr-defined]  # django-tenants' connection


def roles_of(actor: User) -> set[str]:
    return set(
        Membership.objects.filter(user=actor, community=current_community()).values_list("role", flat=True)
    )


def _require(actor: User, action: Action) -> set[str]:
    roles = roles_of(actor)
    if not permissions.allowed(roles, action):
        raise NotAllowed("您的身份不能进行这项操作。")
    return roles


def _lock(disclosure: Disclosure) -> Disclosure:
    return Disclosure.objects.select_for_update().get(pk=disclosure.pk)


def _expect(disclosure: Disclosure, *statuses: str) -> None:
    if disclosure.status not in statuses:
        raise Conflict(f"这条公开内容当前是“{disclosure.get_status_display()}”,不能进行这项操作。")


def draft_change_check(*, disclosure: Disclosure, actor: User, doing: str = "修改这份草稿") -> None:
    """The one rule for changing a draft's content or files, and for opening its editor: it is a
    draft or was returned, and ``actor`` drafted it (the object permission given at creation)."""
    _expect(disclosure, DisclosureStatus.DRAFT, DisclosureStatus.RETURNED)
    if not actor.has_perm(permissions.OWN_DRAFT, disclosure):
        raise NotAllowed(f"只有起草人可以{doing}。")


def draft_changeable(*, disclosure: Disclosure, actor: User) -> bool:
    try:
        draft_change_check(disclosure=disclosure, actor=actor)
    except DomainError:
        return False
    return True


def _audit(obj: Any, actor: User | None, from_state: str, to_state: str, reason: str = "") -> None:
    AuditRecord.objects.create(
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        actor=actor,
        actor_name=actor.get_full_name() if actor else "系统",
        from_state=from_state,
        to_state=to_state,
        reason=reason[:500],
    )


# --- ledger -------------------------------------------------------------------------------------


def _announce_change() -> None:
    """After commit, tell the layers above that this community's figures moved."""
    from disclosure.signals import disclosure_changed

    community_id = current_community().pk

    def announce() -> None:
        for receiver, error in disclosure_changed.send_robust(sender=Disclosure, community_id=community_id):
            if isinstance(error, Exception):
                logger.error("disclosure_changed receiver %r failed", receiver, exc_info=error)

    transaction.on_commit(announce)


def ledger_hash(
    *,
    seq: int,
    action: str,
    recorded_at: datetime,
    disclosure_id: int | None,
    actor_id: int | None,
    payload: dict[str, Any],
    prev_hash: str,
) -> str:
    return content_rules.sha256_hex(
        content_rules.canonical_json(
            {
                "seq": seq,
                "action": action,
                "recorded_at": recorded_at.isoformat(),
                "disclosure": disclosure_id,
                "actor": actor_id,
                "payload": payload,
                "prev_hash": prev_hash,
            }
        )
    )


def ledger_append(
    *, action: str, actor: User | None, disclosure: Disclosure | None, payload: dict[str, Any]
) -> LedgerEntry:
    """Append to this community's chain. The table lock serialises appends so ``seq`` has no gaps."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE disclosure_ledgerentry IN EXCLUSIVE MODE")
        last = LedgerEntry.objects.order_by("-seq").first()
        seq = last.seq + 1 if last else 1
        prev_hash = last.hash if last else GENESIS
        recorded_at = timezone.now()
        payload = content_rules.json_safe(payload)
        entry_hash = ledger_hash(
            seq=seq,
            action=action,
            recorded_at=recorded_at,
            disclosure_id=disclosure.pk if disclosure else None,
            actor_id=actor.pk if actor else None,
            payload=payload,
            prev_hash=prev_hash,
        )
        return LedgerEntry.objects.create(
            seq=seq,
            action=action,
            disclosure=disclosure,
            actor=actor,
            recorded_at=recorded_at,
            payload=payload,
            prev_hash=prev_hash,
            hash=entry_hash,
        )


def ledger_anchor_record(*, day: date) -> LedgerAnchor | None:
    """Record today's chain head in the public schema (idempotent per day)."""
    head = LedgerEntry.objects.order_by("-seq").first()
    if head is None:
        return None
    anchor, _ = LedgerAnchor.objects.get_or_create(
        community=current_community(), day=day, defaults={"head_seq": head.seq, "head_hash": head.hash}
    )
    return anchor


# --- drafting -------------------------------------------------------------------------------------


def _clean_content(
    *, title: str, body: str, data: dict[str, Any] | None, category: str, content_type: str, audience: str
) -> dict[str, Any]:
    title = (title or "").strip()
    if not title:
        raise InvalidInput("请填写标题。")
    if len(title) > 200:
        raise InvalidInput("标题不能超过 200 个字。")
    if len(body or "") > MAX_BODY_CHARS:
        raise InvalidInput(f"正文不能超过 {MAX_BODY_CHARS} 个字;很长的文件请作为附件上传。")
    if category not in Category.values:
        raise InvalidInput("请选择公开类别。")
    if content_type not in ContentType.values:
        raise InvalidInput("请选择内容格式。")
    if audience not in Audience.values:
        raise InvalidInput("请选择公开对象。")
    return {
        "title": title,
        "body": content_rules.sanitize_html(body),
        "data": content_rules.validate(content_type, data),
        "category": category,
        "content_type": content_type,
        "audience": audience,
    }


def _rehash(disclosure: Disclosure) -> None:
    disclosure.content_hash = content_rules.content_hash(
        title=disclosure.title,
        body=disclosure.body,
        data=disclosure.data,
        category=disclosure.category,
        content_type=disclosure.content_type,
        audience=disclosure.audience,
        attachments=list(disclosure.attachments.values_list("sha256", flat=True)) if disclosure.pk else [],
    )


@transaction.atomic
def disclosure_create(
    *,
    actor: User,
    title: str,
    category: str,
    content_type: str = ContentType.NOTICE,
    audience: str = Audience.PUBLIC,
    body: str = "",
    data: dict[str, Any] | None = None,
    obligation: Obligation | None = None,
) -> Disclosure:
    """Step 1 拟定: a draft owned by the person who wrote it."""
    _require(actor, Action.DRAFT)
    fields = _clean_content(
        title=title, body=body, data=data, category=category, content_type=content_type, audience=audience
    )
    disclosure = Disclosure(obligation=obligation, created_by=actor, **fields)
    _rehash(disclosure)
    disclosure.save()
    assign_perm("change_disclosure", actor, disclosure)
    _audit(disclosure, actor, "", DisclosureStatus.DRAFT)
    return disclosure


@transaction.atomic
def disclosure_update(
    *,
    disclosure: Disclosure,
    actor: User,
    title: str,
    category: str,
    content_type: str,
    audience: str,
    body: str = "",
    data: dict[str, Any] | None = None,
) -> Disclosure:
    """Edit a draft. The content hash changes, so every earlier signature stops counting."""
    disclosure = _lock(disclosure)
    draft_change_check(disclosure=disclosure, actor=actor)
    fields = _clean_content(
        title=title, body=body, data=data, category=category, content_type=content_type, audience=audience
    )
    for name, value in fields.items():
        setattr(disclosure, name, value)
    _rehash(disclosure)
    disclosure.save()
    return disclosure


# --- the community's own catalogue items --------------------------------------------------------------


@transaction.atomic
def local_item_add(
    *,
    actor: User,
    code: str,
    title: str,
    category: str,
    cadence: str,
    content_type: str,
    audience: str = Audience.PUBLIC,
    event_working_days: int = 5,
    min_display_days: int = 10,
    basis: str = "",
    valid_from: date | None = None,
) -> LocalCatalogueItem:
    _require(actor, Action.CATALOGUE)
    code, title = code.strip().upper(), title.strip()
    if not code or not title:
        raise InvalidInput("请填写编号和公开事项。")
    standard_codes = CatalogueItem.objects.filter(street_office_id=current_community().street_office_id)
    if standard_codes.filter(code=code).exists() or LocalCatalogueItem.objects.filter(code=code).exists():
        raise Conflict(f"编号“{code}”已被使用,请换一个(建议用社区拼音首字母开头,如 YC-01)。")
    if (
        cadence not in Cadence.values
        or category not in Category.values
        or content_type not in ContentType.values
    ):
        raise InvalidInput("请选择类别、公开时限和内容格式。")
    if not 1 <= min_display_days <= 3650 or not 0 <= event_working_days <= 60:
        raise InvalidInput("公示天数或事后公开期限不合理。")
    return LocalCatalogueItem.objects.create(
        code=code,
        title=title,
        category=category,
        cadence=cadence,
        content_type=content_type,
        audience=audience,
        event_working_days=event_working_days,
        min_display_days=min_display_days,
        basis=basis.strip(),
        valid_from=valid_from or timezone.localdate(),
    )


# --- attachments ----------------------------------------------------------------------------------

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_ATTACHMENTS = {
    "application/pdf": "PDF",
    "image/jpeg": "JPG 图片",
    "image/png": "PNG 图片",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word(docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel(xlsx)",
}


@transaction.atomic
def attachment_add(*, disclosure: Disclosure, actor: User, upload: UploadedFile) -> Attachment:
    """Attach a file to a draft. The type is read from the file's content, never from its name; the
    draft's content hash changes, so signatures given before stop counting."""
    disclosure = _lock(disclosure)
    draft_change_check(disclosure=disclosure, actor=actor, doing="添加附件")
    checked = upload_check(upload, allowed=ALLOWED_ATTACHMENTS, max_bytes=MAX_ATTACHMENT_BYTES, what="附件")
    name = (upload.name or "附件").rsplit("/", 1)[-1][:200]
    attachment = Attachment(
        disclosure=disclosure,
        original_name=name,
        mime_type=checked.mime,
        size=checked.size,
        sha256=checked.sha256,
    )
    upload_store(attachment.file, f"{checked.sha256[:16]}.{checked.extension}", upload)
    attachment.save()
    _rehash(disclosure)
    disclosure.save(update_fields=["content_hash", "updated_at"])
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    disclosure = _lock(attachment.disclosure)
    draft_change_check(disclosure=disclosure, actor=actor, doing="删除附件")
    attachment.file.delete(save=False)
    attachment.delete()
    _rehash(disclosure)
    disclosure.save(update_fields=["content_hash", "updated_at"])


# --- the five steps ---------------------------------------------------------------------------------


def earliest_publication(*, today: date) -> workdays.WorkdayResult:
    return workdays.add_working_days(today, REVIEW_WORKING_DAYS)


@transaction.atomic
def disclosure_submit(
    *,
    disclosure: Disclosure,
    actor: User,
    planned_publish_date: date,
    short_notice_reason: str = "",
    today: date | None = None,
) -> Disclosure:
    """Step 2 审核: to the supervision group, at least 5 working days before the planned publication.
    A per-event (即时) item may be published sooner, with the reason recorded."""
    _require(actor, Action.SUBMIT)
    disclosure = _lock(disclosure)
    _expect(disclosure, DisclosureStatus.DRAFT, DisclosureStatus.RETURNED)
    today = today or timezone.localdate()
    earliest = earliest_publication(today=today).date
    short_notice_reason = short_notice_reason.strip()
    if planned_publish_date < today:
        raise InvalidInput("计划公布日期不能早于今天。")
    if planned_publish_date < earliest:
        is_event = disclosure.obligation is not None and disclosure.obligation.cadence == Cadence.EVENT
        if not is_event:
            raise InvalidInput(
                f"审核稿须在公布前至少 {REVIEW_WORKING_DAYS} 个工作日交监督小组,"
                f"计划公布日期最早为 {earliest:%Y-%m-%d}。"
            )
        if not short_notice_reason:
            raise InvalidInput("即时公开事项缩短审核期,须写明理由。")
    reviewers = list(
        User.objects.filter(
            memberships__community=current_community(),
            memberships__role=CommunityRole.SUPERVISOR,
            is_active=True,
        ).distinct()
    )
    if not reviewers:
        raise Conflict("本社区还没有监督小组成员,无法提交审核。请先在街道后台添加。")
    previous = disclosure.status
    disclosure.status = DisclosureStatus.SUBMITTED
    disclosure.planned_publish_date = planned_publish_date
    disclosure.short_notice_reason = short_notice_reason
    disclosure.save()
    for reviewer in reviewers:
        assign_perm("review_disclosure", reviewer, disclosure)
    _audit(disclosure, actor, previous, disclosure.status, short_notice_reason)
    ledger_append(
        action=LedgerAction.SUBMIT,
        actor=actor,
        disclosure=disclosure,
        payload={
            "title": disclosure.title,
            "content_hash": disclosure.content_hash,
            "planned_publish_date": planned_publish_date,
            "short_notice_reason": short_notice_reason,
        },
    )
    notification_send(
        recipients=reviewers,
        title=f"请审核:{disclosure.title}",
        body=f"计划公布日期 {planned_publish_date:%Y-%m-%d}。",
        url=f"/workspace/disclosures/{disclosure.pk}/",
    )
    return disclosure


@transaction.atomic
def disclosure_review(
    *, disclosure: Disclosure, actor: User, decision: str, comments: str = ""
) -> Disclosure:
    """A supervision group member approves, or returns with comments (kept with the draft)."""
    disclosure = _lock(disclosure)
    _expect(disclosure, DisclosureStatus.SUBMITTED)
    if not actor.has_perm(permissions.REVIEW, disclosure):
        raise NotAllowed("您不是这份公开内容的审核人。")
    if decision not in ReviewDecision.values:
        raise InvalidInput("请选择“同意公开”或“退回修改”。")
    comments = comments.strip()
    if decision == ReviewDecision.RETURN and not comments:
        raise InvalidInput("退回修改时请写明意见。")
    ReviewOpinion.objects.create(
        disclosure=disclosure,
        reviewer=actor,
        reviewer_name=actor.get_full_name(),
        decision=decision,
        comments=comments,
        content_hash=disclosure.content_hash,
    )
    previous = disclosure.status
    disclosure.status = (
        DisclosureStatus.APPROVED if decision == ReviewDecision.APPROVE else DisclosureStatus.RETURNED
    )
    disclosure.save(update_fields=["status", "updated_at"])
    _audit(disclosure, actor, previous, disclosure.status, comments)
    ledger_append(
        action=LedgerAction.OPINION,
        actor=actor,
        disclosure=disclosure,
        payload={
            "decision": decision,
            "comments": comments,
            "content_hash": disclosure.content_hash,
        },
    )
    if disclosure.created_by_id:
        notification_send(
            recipients=User.objects.filter(pk=disclosure.created_by_id),
            title=f"审核{'通过' if decision == ReviewDecision.APPROVE else '退回'}:{disclosure.title}",
            body=comments,
            url=f"/workspace/disclosures/{disclosure.pk}/",
        )
    return disclosure


@transaction.atomic
def disclosure_withdraw(*, disclosure: Disclosure, actor: User, reason: str) -> Disclosure:
    """Take a submitted or approved disclosure back to draft to change it. Any signature already
    given stops counting as soon as the content changes."""
    disclosure = _lock(disclosure)
    _expect(disclosure, DisclosureStatus.SUBMITTED, DisclosureStatus.APPROVED)
    if not actor.has_perm(permissions.OWN_DRAFT, disclosure):
        raise NotAllowed("只有起草人可以撤回修改。")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("请写明撤回修改的理由。")
    previous = disclosure.status
    disclosure.status = DisclosureStatus.DRAFT
    disclosure.save(update_fields=["status", "updated_at"])
    _audit(disclosure, actor, previous, disclosure.status, reason)
    return disclosure


def valid_signatures(disclosure: Disclosure) -> dict[str, Signature]:
    """The signatures that bind to the content as it is now, by role."""
    return {s.role: s for s in disclosure.signatures.all() if s.content_hash == disclosure.content_hash}


@transaction.atomic
def disclosure_sign(*, disclosure: Disclosure, actor: User, role: str) -> Signature:
    """Secretary, director and handler each sign the exact content (桂花方案 四(一))."""
    disclosure = _lock(disclosure)
    _expect(disclosure, DisclosureStatus.APPROVED)
    if role not in permissions.SIGNING_ROLES or role not in roles_of(actor):
        raise NotAllowed("您没有以这个身份签字的权限。")
    if role in valid_signatures(disclosure):
        raise Conflict("这个身份已经签过字了。")
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
    return signature


@transaction.atomic
def disclosure_publish(
    *,
    disclosure: Disclosure,
    actor: User,
    channels: list[str],
    public_from: date | None = None,
    now: datetime | None = None,
) -> Disclosure:
    """Step 3 公布: all three signatures on this exact content, not before the planned date, through
    chosen channels, displayed at least the item's minimum days. Party-internal first items reach the
    public on a recorded date."""
    _require(actor, Action.PUBLISH)
    disclosure = _lock(disclosure)
    _expect(disclosure, DisclosureStatus.APPROVED)
    missing = [r for r in permissions.SIGNING_ROLES if r not in valid_signatures(disclosure)]
    if missing:
        labels = {"secretary": "党组织书记", "director": "居委会主任", "handler": "经办人"}
        raise Conflict(f"还缺少签字:{'、'.join(labels[r] for r in missing)}。")
    channels = [c for c in dict.fromkeys(channels)]
    if not channels or any(c not in Channel.values for c in channels):
        raise InvalidInput("请至少选择一个公开渠道。")
    now = now or timezone.now()
    today = timezone.localdate(now)
    if disclosure.planned_publish_date and today < disclosure.planned_publish_date:
        raise Conflict(
            f"未到计划公布日期 {disclosure.planned_publish_date:%Y-%m-%d},监督小组的审核期还没有满。"
        )
    if disclosure.audience == Audience.PARTY_FIRST:
        if public_from is None:
            raise InvalidInput("先党内后党外的事项,请填写向居民公开的日期。")
        if public_from < today:
            raise InvalidInput("向居民公开的日期不能早于公布日期。")
    else:
        public_from = today
    min_days = disclosure.obligation.min_display_days if disclosure.obligation else 10
    disclosure.status = DisclosureStatus.PUBLISHED
    disclosure.channels = channels
    disclosure.published_at = now
    disclosure.published_by = actor
    disclosure.public_from = public_from
    disclosure.display_until = public_from + timedelta(days=min_days)
    disclosure.save()
    _audit(disclosure, actor, DisclosureStatus.APPROVED, DisclosureStatus.PUBLISHED)
    if disclosure.supersedes_id:
        old = Disclosure.objects.select_for_update().get(pk=disclosure.supersedes_id)
        previous = old.status
        old.status = DisclosureStatus.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
        _audit(old, actor, previous, old.status, disclosure.correction_reason)
    obligation = disclosure.obligation
    if (
        obligation is not None
        and obligation.fulfilled_by_id is None
        and obligation.status != ObligationStatus.WAIVED
    ):
        previous = obligation.status
        obligation.fulfilled_by = disclosure
        obligation.fulfilled_on = today
        obligation.status = (
            ObligationStatus.ON_TIME if today <= obligation.due_date else ObligationStatus.LATE
        )
        obligation.save()
        _audit(obligation, actor, previous, obligation.status)
    _announce_change()
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
def disclosure_start_correction(
    *, disclosure: Disclosure, actor: User, reason: str, obligation: Obligation | None = None
) -> Disclosure:
    """A correction is a new version with its reason; the published one stays readable and becomes
    superseded when the correction is published."""
    _require(actor, Action.CORRECT)
    disclosure = _lock(disclosure)
    _expect(disclosure, DisclosureStatus.PUBLISHED, DisclosureStatus.ARCHIVED)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("请写明更正理由。")
    if Disclosure.objects.filter(supersedes=disclosure).exists():
        raise Conflict("这条公开内容已经有一个更正版本在办理中。")
    draft = Disclosure(
        obligation=obligation or disclosure.obligation,
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
    )
    _rehash(draft)
    draft.save()
    assign_perm("change_disclosure", actor, draft)
    _audit(draft, actor, "", DisclosureStatus.DRAFT, reason)
    return draft


REPUBLICATION_WORKING_DAYS = 5


@transaction.atomic
def disclosure_order_republication(
    *,
    disclosure: Disclosure,
    actor: User,
    finding: str,
    working_days: int = REPUBLICATION_WORKING_DAYS,
    today: date | None = None,
) -> Disclosure:
    """000 第十七条: the supervision group found an omission or an untruth and orders re-publication.
    The order becomes an obligation with its own deadline and a correction draft that goes through the
    same five steps; the handlers own the draft."""
    _require(actor, Action.ORDER_REPUBLICATION)
    disclosure = _lock(disclosure)
    _expect(disclosure, DisclosureStatus.PUBLISHED, DisclosureStatus.ARCHIVED)
    finding = finding.strip()
    if not finding:
        raise InvalidInput("请写明监督小组认定的遗漏或不实之处。")
    if not 1 <= working_days <= 30:
        raise InvalidInput("重新公布的期限应在 1 到 30 个工作日之间。")
    if Disclosure.objects.filter(supersedes=disclosure).exists():
        raise Conflict("这条公开内容已经有一个更正版本在办理中。")
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
        min_display_days=disclosure.obligation.min_display_days if disclosure.obligation else 10,
        period=f"{today:%Y%m%d}-{number}",
        period_start=today,
        period_end=today,
        event_description=finding[:200],
        base_due_date=today,
        event_working_days=working_days,
        due_date=due.date,
        due_provisional=due.provisional,
    )
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
        correction_reason=f"监督小组认定:{finding}"[:500],
        created_by=actor,
    )
    _rehash(draft)
    draft.save()
    handlers = list(
        User.objects.filter(
            memberships__community=current_community(),
            memberships__role=CommunityRole.HANDLER,
            is_active=True,
        ).distinct()
    )
    for handler in handlers:
        assign_perm("change_disclosure", handler, draft)
    _audit(draft, actor, "", DisclosureStatus.DRAFT, f"监督小组责令重新公布:{finding}")
    _announce_change()
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
        body=f"{finding}。须在 {due.date:%Y-%m-%d} 前重新公布。",
        url=f"/workspace/disclosures/{draft.pk}/",
        sms=True,
    )
    return draft


@transaction.atomic
def disclosure_archive(*, disclosure: Disclosure, actor: User, today: date | None = None) -> Disclosure:
    """Step 5 建档: after its display window."""
    _require(actor, Action.ARCHIVE)
    disclosure = _lock(disclosure)
    _expect(disclosure, DisclosureStatus.PUBLISHED)
    today = today or timezone.localdate()
    if disclosure.display_until and today < disclosure.display_until:
        raise Conflict(f"公示期到 {disclosure.display_until:%Y-%m-%d} 才结束,之后才能归档。")
    disclosure.status = DisclosureStatus.ARCHIVED
    disclosure.save(update_fields=["status", "updated_at"])
    _audit(disclosure, actor, DisclosureStatus.PUBLISHED, DisclosureStatus.ARCHIVED)
    ledger_append(
        action=LedgerAction.ARCHIVE,
        actor=actor,
        disclosure=disclosure,
        payload={"content_hash": disclosure.content_hash},
    )
    return disclosure


# --- obligations ------------------------------------------------------------------------------------


def _applicable_items(*, on_period_start: date, cadence: str) -> list[tuple[str, Any]]:
    community = current_community()

    def valid(qs: Any) -> Any:
        return qs.filter(cadence=cadence, valid_from__lte=on_period_start).exclude(
            valid_until__lte=on_period_start
        )

    standard = valid(CatalogueItem.objects.filter(street_office_id=community.street_office_id))
    local = valid(LocalCatalogueItem.objects.all())
    return [(Obligation.Source.STANDARD, i) for i in standard] + [(Obligation.Source.LOCAL, i) for i in local]


def _obligation_from(
    source: str,
    item: Any,
    *,
    period: str,
    start: date,
    end: date,
    base_due: date,
    event_days: int = 0,
    description: str = "",
) -> Obligation:
    due = workdays.add_working_days(base_due, event_days) if event_days else workdays.roll_forward(base_due)
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
        },
    )
    return obligation


@transaction.atomic
def obligations_generate(*, on: date, since: date) -> int:
    """Create the obligations of every period that has closed by ``on`` (idempotent: a second run
    creates nothing). Each period uses the catalogue version that applied when it began."""
    before = Obligation.objects.count()
    for cadence in CADENCE_SPANS:
        for period in closed_periods(CADENCE_SPANS[cadence], since=since, on=on):
            for source, item in _applicable_items(on_period_start=period.start, cadence=cadence):
                _obligation_from(
                    source,
                    item,
                    period=period.label,
                    start=period.start,
                    end=period.end,
                    base_due=period.base_due,
                )
    for source, item in _applicable_items(on_period_start=on, cadence=Cadence.FIXED):
        start = max(item.valid_from, since)
        _obligation_from(
            source, item, period="长期", start=start, end=start, base_due=start + timedelta(days=10)
        )
    created = Obligation.objects.count() - before
    if created:
        _announce_change()
    return created


@transaction.atomic
def event_record(*, actor: User, code: str, event_date: date, description: str) -> Obligation:
    """A per-event (即时) item falls due N working days after its event is recorded."""
    _require(actor, Action.RECORD_EVENT)
    description = description.strip()
    if not description:
        raise InvalidInput("请简要写明发生的事项。")
    candidates = [
        (s, i)
        for s, i in _applicable_items(on_period_start=event_date, cadence=Cadence.EVENT)
        if i.code == code
    ]
    if not candidates:
        raise InvalidInput(f"公开目录中没有编号为“{code}”的即时公开事项。")
    source, item = candidates[0]
    number = Obligation.objects.filter(
        source=source, code=code, period__startswith=f"{event_date:%Y%m%d}"
    ).count()
    return _obligation_from(
        source,
        item,
        period=f"{event_date:%Y%m%d}-{number + 1}",
        start=event_date,
        end=event_date,
        base_due=event_date,
        event_days=item.event_working_days,
        description=description[:200],
    )


@transaction.atomic
def obligation_waive(*, obligation: Obligation, actor: User, reason: str) -> Obligation:
    _require(actor, Action.WAIVE)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("免除公开任务须写明理由。")
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    if not obligation.is_open:
        raise Conflict("这项公开任务已经办结,不能再免除。")
    previous = obligation.status
    obligation.status = ObligationStatus.WAIVED
    obligation.waived_reason = reason
    obligation.waived_by = actor
    obligation.waived_at = timezone.now()
    obligation.save()
    _audit(obligation, actor, previous, obligation.status, reason)
    _announce_change()
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
def obligations_refresh(*, on: date) -> list[Obligation]:
    """Bring open obligations to their state on ``on``; returns those whose state changed."""
    changed = []
    for obligation in Obligation.objects.select_for_update().filter(
        status__in=[ObligationStatus.UPCOMING, ObligationStatus.DUE_SOON, ObligationStatus.OVERDUE]
    ):
        state = obligation_state_on(obligation, on)
        if state != obligation.status:
            _audit(obligation, None, obligation.status, state)
            obligation.status = state
            obligation.save(update_fields=["status", "updated_at"])
            changed.append(obligation)
    if changed:
        _announce_change()
    return changed


def reminders_send(*, on: date) -> int:
    """Remind the handler and the secretary 3 working days before a deadline and when it is overdue.
    Each reminder is recorded, so a second run the same day (or any later day) sends nothing twice."""
    from disclosure.models import Reminder

    recipients = list(
        User.objects.filter(
            memberships__community=current_community(),
            memberships__role__in=[CommunityRole.HANDLER, CommunityRole.SECRETARY],
            is_active=True,
        ).distinct()
    )
    sent = 0
    kinds = {
        ObligationStatus.DUE_SOON: Reminder.Kind.DUE_SOON,
        ObligationStatus.OVERDUE: Reminder.Kind.OVERDUE,
    }
    for obligation in Obligation.objects.filter(status__in=list(kinds)):
        kind = kinds[ObligationStatus(obligation.status)]
        with transaction.atomic():
            _, created = Reminder.objects.get_or_create(obligation=obligation, kind=kind)
            if not created:
                continue
            item = f"{obligation.title}({obligation.period})"
            due = f"{obligation.due_date:%m月%d日}"
            if kind == Reminder.Kind.DUE_SOON:
                title = f"即将到期:{item}须在 {due} 前公开"
            else:
                title = f"已逾期:{item}应于 {due} 前公开"
            notification_send(recipients=recipients, title=title, url="/workspace/", sms=True)
            sent += 1
    return sent


def daily_run(*, on: date) -> dict[str, int]:
    """The community's daily job: new obligations, their states, reminders, the ledger anchor."""
    community = current_community()
    since = timezone.localdate(community.created_at).replace(day=1)
    created = obligations_generate(on=on, since=since)
    obligations_recompute_due()  # catches a calendar change whose after-commit signal was missed
    changed = len(obligations_refresh(on=on))
    reminded = reminders_send(on=on)
    ledger_anchor_record(day=on)
    return {"created": created, "changed": changed, "reminded": reminded}


@transaction.atomic
def obligations_recompute_due(*, years: set[int] | None = None) -> int:
    """The calendar changed: recompute the deadlines of open obligations (all, or those in ``years``)."""
    count = 0
    for obligation in Obligation.objects.select_for_update().filter(
        status__in=[ObligationStatus.UPCOMING, ObligationStatus.DUE_SOON, ObligationStatus.OVERDUE]
    ):
        if years and obligation.base_due_date.year not in years and obligation.due_date.year not in years:
            continue
        due = (
            workdays.add_working_days(obligation.base_due_date, obligation.event_working_days)
            if obligation.event_working_days
            else workdays.roll_forward(obligation.base_due_date)
        )
        if (due.date, due.provisional) != (obligation.due_date, obligation.due_provisional):
            obligation.due_date, obligation.due_provisional = due.date, due.provisional
            obligation.save(update_fields=["due_date", "due_provisional", "updated_at"])
            count += 1
    if count:
        _announce_change()
    return count
