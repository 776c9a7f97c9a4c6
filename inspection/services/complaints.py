"""居民向街道投诉 (000 第十五条 街道"接受和调查处理…投诉"; 桂花方案 八(三)): a resident's complaint about a
community, received on the base domain, investigated by the street office's staff, concluded with a
finding and an answer the resident reads with the query code; an upheld complaint may open an order to
the community (``rectification_issue``), which names what is wrong, never who complained.

Every change of a complaint's status goes through ``_transition``: the one place where its history
is to be recorded.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finder.selectors import entries_public
from inspection import rules
from inspection.choices import ComplaintDueBasis, ComplaintFinding, ComplaintStatus, RectificationSource
from inspection.models import Complaint, ComplaintNote
from inspection.models.complaints import ANSWER_LIMIT, NOTE_LIMIT
from inspection.services.accountability_rules import rule_for
from inspection.services.failures import failure_key
from inspection.services.rectifications import rectification_issue
from inspection.services.staff import require_street_staff
from tenants.audit import RESIDENT, audit_record
from tenants.errors import Conflict, InvalidInput
from tenants.models import Community, User
from tenants.residents import create_with_code, ensure_identity, ensure_text
from workdays import services as workdays


def complaint_due(*, received_on: date, signed: bool) -> tuple[date, bool, str]:
    """``(due date, provisional, basis)``: COMPLAINT_ANSWER_WORKING_DAYS working days, or for a signed
    complaint COMPLAINT_SIGNED_RESULT_DAYS calendar days where that ends first."""
    due, provisional, by_calendar = workdays.answer_due(
        received_on,
        working_days=rules.COMPLAINT_ANSWER_WORKING_DAYS,
        calendar_days=rules.COMPLAINT_SIGNED_RESULT_DAYS if signed else None,
    )
    return due, provisional, ComplaintDueBasis.SIGNED if by_calendar else ComplaintDueBasis.WORKING_DAYS


def _transition(complaint: Complaint, to: str, *, actor: User | None, note: str = "") -> None:
    """The one place a complaint changes status (``actor`` None: the resident filing it); the audit
    trail of the street-office layer records each change here."""
    previous = "" if to == ComplaintStatus.RECEIVED else complaint.status
    complaint.status = to
    complaint.save()
    audit_record(complaint, actor, previous, to, note, actor_name="" if actor else RESIDENT)


@transaction.atomic
def complaint_submit(
    *,
    community: Community,
    text: str,
    disclosure_id: int | None = None,
    name: str = "",
    mobile: str = "",
    today: date | None = None,
) -> Complaint:
    """A resident's complaint about ``community``, about one of its items published today
    (``disclosure_id`` in the public index) or its disclosure work as a whole, with its code and clock."""
    if not community.is_active:
        raise InvalidInput(_("请选择一个社区。"), code="community")
    text = ensure_text(text, what="投诉内容")
    name, mobile = ensure_identity(name, mobile)
    today = today or timezone.localdate()
    title = ""
    if disclosure_id is not None:
        entry = entries_public(on=today).filter(community=community, disclosure_id=disclosure_id).first()
        if entry is None:
            raise InvalidInput(_("请从列表中选择这个社区已公布的一项内容。"), code="item")
        title = entry.title
    due, provisional, basis = complaint_due(received_on=today, signed=bool(mobile))
    complaint = create_with_code(
        lambda code: Complaint.objects.create(
            code=code,
            community=community,
            disclosure_id=disclosure_id,
            item_title=title,
            text=text,
            name=name,
            mobile=mobile,
            received_on=today,
            due_date=due,
            due_provisional=provisional,
            due_basis=basis,
        )
    )
    _transition(complaint, ComplaintStatus.RECEIVED, actor=None, note=text)
    return complaint


def _open_for(complaint: Complaint, actor: User) -> Complaint:
    locked = Complaint.objects.select_for_update().select_related("community").get(pk=complaint.pk)
    require_street_staff(actor, locked.community.street_office_id)
    if locked.status == ComplaintStatus.CONCLUDED:
        raise Conflict(_("这件投诉已经答复,不能再修改。"))
    return locked


@transaction.atomic
def complaint_note_add(*, complaint: Complaint, actor: User, text: str) -> ComplaintNote:
    """An investigation note (调查记录); the first one starts the investigation."""
    complaint = _open_for(complaint, actor)
    note = ComplaintNote.objects.create(
        complaint=complaint, author=actor, text=ensure_text(text, limit=NOTE_LIMIT, what="调查情况")
    )
    if complaint.status == ComplaintStatus.RECEIVED:
        _transition(complaint, ComplaintStatus.INVESTIGATING, actor=actor, note=note.text)
    return note


@transaction.atomic
def complaint_conclude(
    *,
    complaint: Complaint,
    actor: User,
    finding: str,
    answer: str,
    open_order: bool = False,
    issues: str = "",
    working_days: int = rules.RECTIFICATION_WORKING_DAYS,
    today: date | None = None,
) -> Complaint:
    """The finding and the answer the resident reads with the code; an upheld complaint may open an
    order to the community (source COMPLAINT) with the issues the inspector writes for it."""
    complaint = _open_for(complaint, actor)
    if finding not in ComplaintFinding.values:
        raise InvalidInput(_("请选择调查结论:属实或不属实。"), code="finding")
    answer = ensure_text(answer, limit=ANSWER_LIMIT, what="给居民的答复")
    if open_order:
        if finding != ComplaintFinding.UPHELD:
            raise InvalidInput(_("投诉属实才能向社区下达整改通知。"), code="not_upheld")
        version, rule = rule_for(
            street_office_id=complaint.community.street_office_id, kind=RectificationSource.COMPLAINT
        )
        if not rule.on:
            raise InvalidInput(
                _("本街道的责任追究规则没有启用“投诉属实下达整改”,请先在责任追究规则中启用。"),
                code="rule_off",
            )
        complaint.rectification = rectification_issue(
            community=complaint.community,
            source=RectificationSource.COMPLAINT,
            issues=issues,
            actor=actor,
            working_days=working_days,
            roles=list(rule.roles),
            today=today,
            failure_key=failure_key(RectificationSource.COMPLAINT, complaint.community, complaint.pk),
            rules_version=version,
        )
    complaint.finding = finding
    complaint.answer = answer
    complaint.answered_at = timezone.now()
    complaint.answered_by = actor
    _transition(complaint, ComplaintStatus.CONCLUDED, actor=actor, note=answer)
    return complaint
