"""A reimbursement's receipts and its five signatures (004 ⑵ 五人同时签字方予报账; 原始单据复印件贴在
居务公开栏上). Receipts are a draft's files, added and removed by its drafter like attachments; the five
sign what they see — the line and its receipts — bound to its hash (``disclosure.reimbursements``), and
the statement is not published until every reimbursement carries five signatures on its content now."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from disclosure import reimbursements
from disclosure.choices import LedgerAction, ReimbursementSigner
from disclosure.models import Disclosure, LineSignature, Receipt
from disclosure.rules import (
    AUTHOR_MAY_SIGN_AS,
    MAX_RECEIPT_BYTES,
    RECEIPT_TYPES,
    RECEIPTS_PER_LINE_MAX,
    REIMBURSEMENT_SIGNABLE_STATUSES,
    REIMBURSEMENT_SIGNER_ROLES,
)
from disclosure.services.attachments import file_store, uploads_checked
from disclosure.services.context import content_rehash, disclosure_lock, draft_change_check, status_expect
from disclosure.services.ledger import ledger_append
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import Community, User
from tenants.selectors import communities_in_charge_of, community_roles_of


def _reimbursed_line(disclosure: Disclosure, line_id: str) -> None:
    """Refuse unless ``line_id`` is a reimbursed line of the statement."""
    if not any(line["id"] == line_id for _n, line in reimbursements.reimbursed_lines(disclosure)):
        raise InvalidInput(_("这一笔不是报账支出,或者已经删除了:请先在收支明细里勾选“报账”并保存。"))


@transaction.atomic
def receipts_add(
    *, disclosure: Disclosure, actor: User, line_id: str, uploads: list[UploadedFile]
) -> list[Receipt]:
    """Scans of a reimbursed line's original receipts, each checked by its content (images are drawn
    again without their metadata; a PDF with anything active is refused). One refused file refuses the
    batch. The line's signatures, and the statement's, stop counting: what they signed changed."""
    disclosure = disclosure_lock(disclosure)
    draft_change_check(disclosure=disclosure, actor=actor, doing="上传报账单据")
    _reimbursed_line(disclosure, line_id)
    if not uploads:
        raise InvalidInput(_("请选择单据的照片或扫描件。"))
    if disclosure.receipts.filter(line_id=line_id).count() + len(uploads) > RECEIPTS_PER_LINE_MAX:
        raise InvalidInput(
            _("每笔报账最多 %(RECEIPTS_PER_LINE_MAX)s 张单据。")
            % {"RECEIPTS_PER_LINE_MAX": RECEIPTS_PER_LINE_MAX}
        )
    checked = uploads_checked(uploads, allowed=RECEIPT_TYPES, max_bytes=MAX_RECEIPT_BYTES, what="单据")
    added = [
        file_store(Receipt(disclosure=disclosure, line_id=line_id, uploaded_by=actor), name, result)
        for name, result in checked
    ]
    content_rehash(disclosure, actor=actor)
    return added


def _receipt_drop(receipt: Receipt) -> None:
    """The row, and its file unless another version's receipt shares it (a correction copies them)."""
    if not Receipt.objects.filter(file=receipt.file.name).exclude(pk=receipt.pk).exists():
        receipt.file.delete(save=False)
    receipt.delete()


@transaction.atomic
def receipt_remove(*, receipt: Receipt, actor: User) -> None:
    disclosure = disclosure_lock(receipt.disclosure)
    draft_change_check(disclosure=disclosure, actor=actor, doing="删除报账单据")
    _receipt_drop(receipt)
    content_rehash(disclosure, actor=actor)


def receipts_prune(disclosure: Disclosure) -> None:
    """After the statement's lines were saved: the receipts of a line that is gone, or is no longer a
    reimbursement, go with it (the caller rehashes)."""
    kept = [line["id"] for _n, line in reimbursements.reimbursed_lines(disclosure)]
    for receipt in disclosure.receipts.exclude(line_id__in=kept):
        _receipt_drop(receipt)


def reimbursement_sign_refusal(
    disclosure: Disclosure, actor: User, *, role: str, community: Community
) -> str | None:
    """Why ``actor`` may not sign ``disclosure``'s reimbursements as ``role``, or ``None``: the party
    branch, committee and supervision heads and the handler sign in the community role they hold; the
    street leader is a street office leader whose 包联社区 list holds this community; and an author of the
    statement signs it only as 经办人 (``rules.AUTHOR_MAY_SIGN_AS``), whatever else they are."""
    if role not in ReimbursementSigner.values:
        return "没有这个签字身份。"
    label = ReimbursementSigner(role).label
    if role == ReimbursementSigner.STREET_LEADER:
        if not communities_in_charge_of(actor).filter(pk=community.pk).exists():
            return f"只有包{community.name}的街道领导可以以{label}的身份签字。"
    elif REIMBURSEMENT_SIGNER_ROLES[role] not in community_roles_of(user=actor, community=community):
        return f"您不是本社区的{label},不能以这个身份签字。"
    if actor.pk in disclosure.authors and role not in AUTHOR_MAY_SIGN_AS:
        return f"您参与了这份收支明细的起草或修改,不能以{label}的身份签字确认自己起草的内容。"
    return None


def reimbursement_roles_for(disclosure: Disclosure, actor: User, *, community: Community) -> list[str]:
    """The capacities in which ``actor`` may sign this statement's reimbursements (the page's buttons)."""
    return [
        role
        for role in ReimbursementSigner.values
        if reimbursement_sign_refusal(disclosure, actor, role=role, community=community) is None
    ]


@transaction.atomic
def reimbursement_sign(
    *,
    disclosure: Disclosure,
    actor: User,
    community: Community,
    key: str,
    role: str,
    seen_hash: str = "",
) -> LineSignature:
    """One of the five signs a reimbursement (or the statement's reimbursements, ``key`` empty, where the
    street office signs them as a whole): on the line and its receipts as they are now, which the page
    showed (``seen_hash``). A line without a receipt is not signed: the receipts are what is checked."""
    disclosure = disclosure_lock(disclosure)
    status_expect(disclosure, *REIMBURSEMENT_SIGNABLE_STATUSES)
    refused = reimbursement_sign_refusal(disclosure, actor, role=role, community=community)
    if refused:
        raise NotAllowed(refused)
    unit = reimbursements.unit_of(disclosure, key=key, mode=reimbursements.signing_mode(community))
    if unit is None:
        raise Conflict(_("这一笔报账已经删除或不再是报账支出,请刷新页面。"))
    if seen_hash and seen_hash != unit.content_hash:
        raise Conflict(_("您核对之后,这笔报账或它的单据又被修改过。请重新核对后再签字。"))
    if not unit.receipts or any(not any(r.line_id == ln["id"] for r in unit.receipts) for ln in unit.lines):
        raise Conflict(_("%(where)s还没有上传原始单据,上传后才能签字。") % {"where": unit.where})
    if role in unit.signatures:
        raise Conflict(
            _("%(where)s已经有%(label)s的签字了。")
            % {"where": unit.where, "label": ReimbursementSigner(role).label}
        )
    signature = LineSignature.objects.create(
        disclosure=disclosure,
        line_id=key,
        role=role,
        signer=actor,
        signer_name=actor.get_full_name(),
        content_hash=unit.content_hash,
    )
    ledger_append(
        action=LedgerAction.SIGN,
        actor=actor,
        disclosure=disclosure,
        payload={"reimbursement": key or "statement", "role": role, "content_hash": unit.content_hash},
    )
    return signature


def reimbursements_unsigned(disclosure: Disclosure, *, community: Community) -> str:
    """What keeps the statement from publication, in a sentence, or "" when every reimbursement carries
    five signatures on its content as it is now."""
    waiting = [
        u
        for u in reimbursements.units(disclosure, mode=reimbursements.signing_mode(community))
        if not u.complete
    ]
    if not waiting:
        return ""
    first = waiting[0]
    names = _("、").join(str(ReimbursementSigner(r).label) for r in first.missing)
    more = _("等 %(n)s 处") % {"n": len(waiting)} if len(waiting) > 1 else ""
    return _("报账须五人签字:%(where)s%(more)s还缺少 %(names)s 的签字。") % {
        "where": first.where,
        "more": more,
        "names": names,
    }
