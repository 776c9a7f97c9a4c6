"""整改: orders to a community, its answer, the inspector's verification, and escalation to the
street office's leaders when the deadline passes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finder.selectors import entries_public
from inspection import permissions, rules
from inspection.choices import EscalationStep, RectificationStatus
from inspection.models import (
    AccountabilityRules,
    Admonishment,
    Rectification,
    RectificationEvent,
    RectificationFile,
    SpotCheck,
    Survey,
)
from inspection.services.staff import require_street_staff
from tenants.audit import audit_record
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import Community, User
from tenants.selectors import community_roles_of, leader_in_charge_of
from tenants.uploads import MB, upload_check, upload_store
from workdays import services as workdays
from workdays.dates import zh_day

# what a community sends with its answer, and the scan of a talk's signed minutes
EVIDENCE_TYPES = {"image/jpeg": "JPG 图片", "image/png": "PNG 图片", "application/pdf": "PDF"}
MAX_EVIDENCE_BYTES = 20 * MB
MAX_EVIDENCE_FILES = 10
MAX_EVIDENCE_LINKS = 10


def _event(
    order: Rectification, actor: User | None, from_state: str, note: str = "", *, to_state: str = ""
) -> None:
    """The one place an order's state changes are recorded: its own history and the street office's
    append-only audit trail (``tenants.audit``), in the change's transaction. ``to_state``: a step of
    the ladder that is not a status (``EscalationStep``: a talk held, a criticism, a referral)."""
    to_state = to_state or order.status
    RectificationEvent.objects.create(
        rectification=order, actor=actor, from_state=from_state, to_state=to_state, note=note[:2000]
    )
    audit_record(order, actor, from_state, to_state, note)


@transaction.atomic
def rectification_issue(
    *,
    community: Community,
    source: str,
    issues: str,
    actor: User | None,
    working_days: int = rules.RECTIFICATION_WORKING_DAYS,
    roles: list[str] | None = None,
    survey: Survey | None = None,
    spot_check: SpotCheck | None = None,
    today: date | None = None,
    failure_key: str | None = None,
    evidence: list[dict[str, str]] | None = None,
    rules_version: AccountabilityRules | None = None,
) -> Rectification:
    """An order to one community; a person who issues it works for that community's street office
    (``actor=None`` is the system: a failure its accountability rules name). ``failure_key`` is unique in
    the database: a second order for the same failure fails with ``IntegrityError``, whoever races."""
    if actor is not None:
        require_street_staff(actor, community.street_office_id)
    issues = issues.strip()
    if not issues:
        raise InvalidInput(_("请写明需要整改的问题。"))
    if not 1 <= working_days <= rules.RECTIFICATION_MAX_WORKING_DAYS:
        raise InvalidInput(
            _("整改期限应在 1 到 %(RECTIFICATION_MAX_WORKING_DAYS)s 个工作日之间。")
            % {"RECTIFICATION_MAX_WORKING_DAYS": rules.RECTIFICATION_MAX_WORKING_DAYS}
        )
    due = workdays.add_working_days(today or timezone.localdate(), working_days)
    order = Rectification.objects.create(
        community=community,
        source=source,
        issues=issues,
        survey=survey,
        spot_check=spot_check,
        responsible_roles=roles or list(permissions.COMMUNITY_HEADS),
        due_date=due.date,
        due_provisional=due.provisional,
        issued_by=actor,
        failure_key=failure_key,
        evidence=evidence or [],
        rules=rules_version,
    )
    _event(order, actor, "", issues)
    return order


def _chosen_links(
    community: Community, disclosure_ids: Sequence[int], *, on: date
) -> list[dict[str, object]]:
    """The community's published items the answer points at, as the public index names them today."""
    if len(disclosure_ids) > MAX_EVIDENCE_LINKS:
        raise InvalidInput(_("最多选择 %(n)s 项重新公开的内容。") % {"n": MAX_EVIDENCE_LINKS})
    wanted = list(dict.fromkeys(int(i) for i in disclosure_ids))
    entries = entries_public(on=on).filter(community=community, is_current=True, disclosure_id__in=wanted)
    titles = {e.disclosure_id: e.title for e in entries}
    missing = [i for i in wanted if i not in titles]
    if missing:
        raise InvalidInput(_("所选的内容不是本社区已公布的内容,请重新选择。"))
    return [{"id": i, "title": titles[i]} for i in wanted]


@transaction.atomic
def rectification_cured(*, rectification: Rectification, note: str) -> Rectification:
    """The failure behind an order has since been put right (the item published, the resident answered):
    noted on the order, once; the order itself goes on (the community still reports and is verified)."""
    order = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if order.cured_at is not None:
        return order
    order.cured_at = timezone.now()
    order.save(update_fields=["cured_at", "updated_at"])
    _event(order, None, order.status, note)
    return order


@transaction.atomic
def rectification_answer(
    *,
    rectification: Rectification,
    actor: User,
    answer: str,
    files: Sequence[UploadedFile] = (),
    links: Sequence[int] = (),
) -> Rectification:
    """The community reports what it did, with evidence: photos or PDFs (``files``) and the items it
    published again (``links``: disclosure numbers from its public index)."""
    order = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if not permissions.can_answer_rectification(community_roles_of(user=actor, community=order.community)):
        raise NotAllowed(permissions.ANSWER_REFUSED)
    if order.status not in (RectificationStatus.OPEN, RectificationStatus.ESCALATED):
        raise Conflict(_("这份整改通知当前不需要反馈。"))
    answer = answer.strip()
    if not answer:
        raise InvalidInput(_("请写明整改情况。"))
    if len(files) > MAX_EVIDENCE_FILES:
        raise InvalidInput(_("一次最多上传 %(n)s 个佐证文件。") % {"n": MAX_EVIDENCE_FILES})
    order.evidence_links = _chosen_links(order.community, links, on=timezone.localdate())
    for upload in files:
        checked = upload_check(upload, allowed=EVIDENCE_TYPES, max_bytes=MAX_EVIDENCE_BYTES, what="佐证材料")
        row = RectificationFile(
            rectification=order,
            original_name=(upload.name or "佐证材料")[-200:],
            mime_type=checked.mime,
            sha256=checked.sha256,
            uploaded_by=actor,
        )
        upload_store(row.file, f"{order.pk}-{checked.sha256[:12]}.{checked.extension}", checked)
        row.save()
    previous = order.status
    order.status = RectificationStatus.ANSWERED
    order.answer = answer
    order.answered_at = timezone.now()
    order.save()
    evidence = [f"附件 {len(files)} 个"] if files else []
    evidence += [f"重新公开:{link['title']}" for link in order.evidence_links]
    _event(order, actor, previous, "\n".join([answer, *evidence]))
    return order


@transaction.atomic
def rectification_verify(
    *, rectification: Rectification, actor: User, accept: bool, note: str = ""
) -> Rectification:
    """The inspector closes the order (销号) or reopens it with what is still missing."""
    order = Rectification.objects.select_for_update().get(pk=rectification.pk)
    require_street_staff(actor, order.community.street_office_id)
    if order.status != RectificationStatus.ANSWERED:
        raise Conflict(_("社区还没有反馈整改情况。"))
    if not accept and not note.strip():
        raise InvalidInput(_("退回重新整改时请写明还差什么。"))
    previous = order.status
    order.verified_by = actor
    if accept:
        order.status = RectificationStatus.CLOSED
        order.closed_at = timezone.now()
        order.save()
        _event(order, actor, previous, note)
        return order
    order.reopen_count += 1
    order.status = RectificationStatus.OPEN
    order.save()
    _event(order, actor, previous, f"第 {order.reopen_count} 次退回:{note.strip()}")
    if order.reopen_count >= permissions.REOPENS_BEFORE_ESCALATION and order.escalated_at is None:
        _escalate(order, actor, f"退回 {order.reopen_count} 次仍未整改到位,已报包社区领导")
    return order


def _escalate(order: Rectification, actor: User | None, note: str) -> None:
    """To the community's 包社区领导 (or, if none is named, every leader of the street office), once."""
    previous = order.status
    order.status = RectificationStatus.ESCALATED
    order.escalated_at = timezone.now()
    order.escalated_to = leader_in_charge_of(order.community)
    order.save()
    leader = order.escalated_to.get_full_name() if order.escalated_to else "街道领导"
    _event(order, actor, previous, f"{note}({leader})")
    if order.escalated_to is not None:
        recipients = [order.escalated_to.email] if order.escalated_to.email else []
    else:
        recipients = list(
            User.objects.filter(
                street_office_memberships__street_office_id=order.community.street_office_id,
                street_office_memberships__role=permissions.ESCALATED_TO,
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    if recipients:
        subject = f"整改上报:{order.community.name}({order.get_source_display()})"
        body = f"{order.issues}\n期限 {zh_day(order.due_date)}。{note}。"
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients))


@transaction.atomic
def rectifications_escalate(*, on: date) -> list[Rectification]:
    """Orders past their deadline go to the community's leader in charge (once)."""
    escalated = []
    for order in Rectification.objects.select_for_update().filter(
        status=RectificationStatus.OPEN, due_date__lt=on, escalated_at__isnull=True
    ):
        _escalate(order, None, f"逾期未整改,已报包社区领导({zh_day(order.due_date)} 到期)")
        escalated.append(order)
    return escalated


def _ladder_roles(order: Rectification, actor: User) -> set[str]:
    return require_street_staff(actor, order.community.street_office_id)


@transaction.atomic
def admonishment_record(
    *,
    rectification: Rectification,
    actor: User,
    person_name: str,
    role: str,
    held_on: date,
    place: str,
    spoken_by: str,
    attendees: str,
    notes: str,
    minutes: UploadedFile | None,
    today: date | None = None,
) -> Admonishment:
    """诫勉谈话 (000 第十九条) after an escalation, recorded by the leader or the admin: date, place, who
    spoke, who attended, notes and the signed minutes as a scan."""
    order = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if not permissions.can_record_admonishment(actor, _ladder_roles(order, actor)):
        raise NotAllowed(permissions.ADMONISHMENT_REFUSED)
    if order.escalated_at is None:
        raise Conflict(_("整改通知上报街道领导之后才进行诫勉谈话。"))
    fields = {_("谈话对象"): person_name, _("谈话地点"): place, _("谈话人"): spoken_by, _("谈话记录"): notes}
    empty = [label for label, value in fields.items() if not value.strip()]
    if empty:
        raise InvalidInput(_("请填写%(fields)s。") % {"fields": _("、").join(empty)})
    if held_on > (today or timezone.localdate()):
        raise InvalidInput(_("谈话日期不能晚于今天:谈话之后再记录。"))
    if minutes is None:
        raise InvalidInput(_("请上传签字的谈话记录扫描件(PDF 或图片)。"))
    checked = upload_check(
        minutes, allowed=EVIDENCE_TYPES, max_bytes=MAX_EVIDENCE_BYTES, what="谈话记录扫描件"
    )
    talk = Admonishment(
        rectification=order,
        person_name=person_name.strip(),
        role=role.strip(),
        held_on=held_on,
        place=place.strip(),
        spoken_by=spoken_by.strip(),
        attendees=attendees.strip(),
        notes=notes.strip(),
        recorded_by=actor,
    )
    upload_store(talk.minutes, f"{order.pk}-{checked.sha256[:12]}.{checked.extension}", checked)
    talk.save()
    note = f"{zh_day(held_on)} 在{talk.place},{talk.spoken_by}对{talk.person_name}({talk.role})诫勉谈话"
    _event(order, actor, order.status, note, to_state=EscalationStep.ADMONISHED)
    return talk


@transaction.atomic
def criticism_publish(*, rectification: Rectification, actor: User, text: str) -> Rectification:
    """通报批评 after a talk: sent to every community's staff of the street office, and on the portals
    if the street office chooses (``StreetOffice.criticisms_public``)."""
    order = (
        Rectification.objects.select_for_update()
        .select_related("community__street_office")
        .get(pk=rectification.pk)
    )
    if not permissions.can_criticize(actor, _ladder_roles(order, actor)):
        raise NotAllowed(permissions.CRITICISM_REFUSED)
    if not order.admonishments.filter(held_on__isnull=False).exists():
        raise Conflict(_("通报批评在诫勉谈话之后:请先记录诫勉谈话。"))
    if order.criticized_at is not None:
        raise Conflict(_("这份整改通知已经通报批评过。"))
    text = text.strip()
    if not text:
        raise InvalidInput(_("请写明通报批评的内容。"))
    order.criticism = text
    order.criticized_at = timezone.now()
    order.criticized_by = actor
    order.criticism_public = order.community.street_office.criticisms_public
    order.save()
    where = "各社区工作人员及门户网站" if order.criticism_public else "各社区工作人员"
    _event(order, actor, order.status, f"通报批评(发至{where}):{text}", to_state=EscalationStep.CRITICIZED)
    return order


@transaction.atomic
def referral_record(
    *,
    rectification: Rectification,
    actor: User,
    referred_to: str,
    referred_on: date,
    note: str = "",
    today: date | None = None,
) -> Rectification:
    """移送纪律处分 after a criticism: to whom and when; what follows is outside the system."""
    order = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if not permissions.can_refer(actor, _ladder_roles(order, actor)):
        raise NotAllowed(permissions.REFERRAL_REFUSED)
    if order.criticized_at is None:
        raise Conflict(_("移送纪律处分在通报批评之后。"))
    if order.referred_on is not None:
        raise Conflict(_("这份整改通知已经移送过。"))
    referred_to = referred_to.strip()
    if not referred_to:
        raise InvalidInput(_("请写明移送给哪个机关(如街道纪工委)。"))
    if referred_on > (today or timezone.localdate()):
        raise InvalidInput(_("移送日期不能晚于今天。"))
    order.referred_to = referred_to
    order.referred_on = referred_on
    order.referral_note = note.strip()
    order.referred_by = actor
    order.save()
    text = f"{zh_day(referred_on)} 移送{referred_to}" + (
        f":{order.referral_note}" if order.referral_note else ""
    )
    _event(order, actor, order.status, text, to_state=EscalationStep.REFERRED)
    return order
