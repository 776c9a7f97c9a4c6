"""定期考核: the scoring standard (a shared default, revised per street office as new versions),
and an assessment's steps — opened, self-assessed by the community, scored by the assigned
inspector, approved by the leader."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from disclosure.feedback.rules import ANSWER_WORKING_DAYS, SIGNED_COMPLAINT_DAYS
from inspection import permissions, rules
from inspection.choices import AssessmentStatus
from inspection.models import SCORE_NOTE_LIMIT, Assessment, AssessmentScore, ScoringItem, ScoringTemplate
from inspection.services.staff import require_street_staff
from standards.choices import BOARD_DISPLAY_DAYS
from tenants.audit import audit_record
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import Community, StreetOffice, User
from tenants.selectors import community_roles_of
from tenants.uploads import upload_check, upload_store
from workdays.periods import DUE_DAY_OF_MONTH

DEFAULT_TEMPLATE = "社区党务居务公开考核评分标准"
# 000 第十六条: 全面真实、程序规范、公开及时、形式科学; plus feedback handling and archives (第十、十一条).
DEFAULT_ITEMS: list[tuple[str, str, str, str, bool]] = [
    ("内容全面真实", "A1", "按公开目录全面公开党务、政务、事务、财务、服务事项", "15", False),
    ("内容全面真实", "A2", "财务逐笔公开,报账五人签字,低保公开年龄、人口、困难情况", "15", True),
    ("程序规范", "B1", "公开前提交监督小组审核,书记、主任、经办人签字", "15", False),
    ("程序规范", "B2", "先党内后党外,更正、重新公布有记录", "10", False),
    (
        "公开及时",
        "C1",
        f"一般事务每月{DUE_DAY_OF_MONTH}日前、财务每季度次季第{DUE_DAY_OF_MONTH}日前公开",
        "15",
        True,
    ),
    ("公开及时", "C2", f"公开栏内容保留不少于{BOARD_DISPLAY_DAYS}天,及时更新", "5", False),
    ("形式科学", "D1", "公开栏、意见箱、网站、电子屏等渠道齐全", "10", False),
    (
        "意见反馈",
        "E1",
        f"居民询问当场或{ANSWER_WORKING_DAYS}个工作日内答复,署名投诉{SIGNED_COMPLAINT_DAYS}天内告知结果",
        "10",
        True,
    ),
    ("资料建档", "F1", "台帐完整,公开报告单齐全,电子资料备份", "5", False),
]


@transaction.atomic
def template_seed_default() -> ScoringTemplate:
    """The shared default standard (000 第十六条 criteria), used until a street office revises it."""
    template = (
        ScoringTemplate.objects.filter(street_office=None, name=DEFAULT_TEMPLATE).order_by("-version").first()
    )
    if template is not None:
        return template
    template = ScoringTemplate.objects.create(name=DEFAULT_TEMPLATE, version=1)
    ScoringItem.objects.bulk_create(
        ScoringItem(
            template=template,
            section=section,
            code=code,
            title=title,
            max_score=Decimal(max_score),
            critical=critical,
            order=order,
        )
        for order, (section, code, title, max_score, critical) in enumerate(DEFAULT_ITEMS)
    )
    return template


def template_for(*, street_office: StreetOffice) -> ScoringTemplate:
    """The version new assessments of this street office are scored with: its own latest revision,
    else the shared default."""
    own = ScoringTemplate.objects.filter(street_office=street_office).order_by("-version").first()
    return own or template_seed_default()


def _template_in_use(template: ScoringTemplate) -> bool:
    return Assessment.objects.filter(template=template).exists()


SCORING_ITEM_FIELDS = ("section", "code", "title", "max_score", "critical", "guidance")


@transaction.atomic
def template_new_version(
    *, template: ScoringTemplate, street_office: StreetOffice | None = None, actor: User | None = None
) -> ScoringTemplate:
    """Copy a version to edit: assessments already scored keep pointing at the old one."""
    owner = street_office if street_office is not None else template.street_office
    latest = (
        ScoringTemplate.objects.filter(street_office=owner, name=template.name).order_by("-version").first()
    )
    version = max(template.version, latest.version if latest else 0) + 1
    new = ScoringTemplate.objects.create(
        street_office=owner, name=template.name, version=version, revised_by=actor
    )
    ScoringItem.objects.bulk_create(
        ScoringItem(template=new, order=i.order, **{f: getattr(i, f) for f in SCORING_ITEM_FIELDS})
        for i in template.items.all()
    )
    return new


@transaction.atomic
def template_revise(
    *, street_office: StreetOffice, actor: User, rows: list[dict[str, Any]]
) -> ScoringTemplate:
    """Replace the street office's scoring items. A version that an assessment was scored with is
    never edited: the revision becomes a new version, and only new assessments use it."""
    roles = require_street_staff(actor, street_office.pk)
    if not permissions.can_revise_standard(actor, roles):
        raise NotAllowed(permissions.STANDARD_REFUSED)
    if not rows:
        raise InvalidInput(_("评分标准至少要有一项评分细则。"))
    if len(rows) > rules.MAX_SCORING_ITEMS:
        raise InvalidInput(
            _("评分细则最多 %(MAX_SCORING_ITEMS)s 项。") % {"MAX_SCORING_ITEMS": rules.MAX_SCORING_ITEMS}
        )
    codes = [str(r["code"]).strip() for r in rows]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise InvalidInput(_("编号不能重复:%(join)s。") % {"join": _("、").join(repeated)})
    for row in rows:
        if not Decimal(0) < Decimal(row["max_score"]) <= Decimal(100):
            raise InvalidInput(_("%(row)s 的分值须大于 0、不超过 100。") % {"row": row["code"]})
    current = template_for(street_office=street_office)
    if current.street_office_id == street_office.pk and not _template_in_use(current):
        target = current
        target.items.all().delete()
        target.revised_by = actor
        target.save(update_fields=["revised_by", "updated_at"])
    else:
        target = template_new_version(template=current, street_office=street_office, actor=actor)
        target.items.all().delete()
    ScoringItem.objects.bulk_create(
        ScoringItem(template=target, order=order, **{f: row.get(f, "") for f in SCORING_ITEM_FIELDS})
        for order, row in enumerate(rows)
    )
    return target


@transaction.atomic
def assessment_open(
    *, community: Community, period: str, template: ScoringTemplate, inspector: User, actor: User
) -> Assessment:
    require_street_staff(actor, community.street_office_id)
    require_street_staff(inspector, community.street_office_id)
    if Assessment.objects.filter(community=community, period=period).exists():
        raise Conflict(
            _("%(name)s%(period)s的定期考核已经开始。") % {"name": community.name, "period": period}
        )
    assessment = Assessment.objects.create(
        community=community, period=period.strip(), template=template, inspector=inspector
    )
    AssessmentScore.objects.bulk_create(
        [AssessmentScore(assessment=assessment, item=i) for i in template.items.all()]
    )
    assign_perm(permissions.SCORE_ASSESSMENT, inspector, assessment)
    audit_record(assessment, actor, "", assessment.status, f"考核人:{inspector.get_full_name()}")
    return assessment


def _checked_scores(assessment: Assessment, scores: dict[str, Decimal]) -> dict[str, Decimal]:
    items = {i.code: i for i in assessment.template.items.all()}
    if set(scores) != set(items):
        raise InvalidInput(_("请为每一项评分。"))
    for code, value in scores.items():
        if value is None or not Decimal(0) <= value <= items[code].max_score:
            raise InvalidInput(
                _("%(code)s 的得分应在 0 到 %(max_score)s 之间。")
                % {"code": code, "max_score": items[code].max_score}
            )
    return scores


REPORT_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word(docx)",
}
MAX_REPORT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def assessment_self_assess(
    *, assessment: Assessment, actor: User, scores: dict[str, Decimal], report: UploadedFile | None = None
) -> Assessment:
    """The community scores itself and uploads its written self-report (自查报告)."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not permissions.can_self_assess(community_roles_of(user=actor, community=assessment.community)):
        raise NotAllowed(permissions.SELF_ASSESS_REFUSED)
    if assessment.status != AssessmentStatus.SELF_ASSESSING:
        raise Conflict(_("自查已经提交。"))
    scores = _checked_scores(assessment, scores)
    if report is None and not assessment.self_report:
        raise InvalidInput(_("请上传书面自查报告。"))
    if report is not None:
        checked = upload_check(report, allowed=REPORT_TYPES, max_bytes=MAX_REPORT_BYTES, what="自查报告")
        name = f"{assessment.community.schema_name}-{assessment.period}.{checked.extension}"
        upload_store(assessment.self_report, name, checked)
    for row in assessment.scores.select_related("item"):
        row.self_score = scores[row.item.code]
        row.save(update_fields=["self_score"])
    assessment.self_total = sum(scores.values(), Decimal(0))
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.save()
    audit_record(
        assessment,
        actor,
        AssessmentStatus.SELF_ASSESSING,
        assessment.status,
        f"自评 {assessment.self_total} 分",
    )
    return assessment


@transaction.atomic
def assessment_score(
    *, assessment: Assessment, actor: User, scores: dict[str, Decimal], notes: dict[str, str] | None = None
) -> Assessment:
    """The assigned inspector scores; a critical item at zero fails the whole assessment."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not actor.has_perm(permissions.SCORE_ASSESSMENT, assessment):
        raise NotAllowed(permissions.SCORE_REFUSED)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise Conflict(_("社区提交自查后才能评分。"))
    scores = _checked_scores(assessment, scores)
    critical_failed = False
    for row in assessment.scores.select_related("item"):
        row.inspector_score = scores[row.item.code]
        row.note = (notes or {}).get(row.item.code, "")[:SCORE_NOTE_LIMIT]
        row.save(update_fields=["inspector_score", "note"])
        critical_failed = critical_failed or (row.item.critical and row.inspector_score == 0)
    assessment.inspector_total = sum(scores.values(), Decimal(0))
    assessment.critical_failed = critical_failed
    assessment.status = AssessmentStatus.SCORED
    assessment.save()
    note = f"考核 {assessment.inspector_total} 分" + (",否决项得零分" if critical_failed else "")
    audit_record(assessment, actor, AssessmentStatus.SUBMITTED, assessment.status, note)
    return assessment


@transaction.atomic
def assessment_approve(*, assessment: Assessment, actor: User) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    roles = require_street_staff(actor, assessment.community.street_office_id)
    if not permissions.can_approve(roles):
        raise NotAllowed(permissions.ASSESSMENT_APPROVE_REFUSED)
    if assessment.status != AssessmentStatus.SCORED:
        raise Conflict(_("考核组评分后才能审定。"))
    assessment.status = AssessmentStatus.APPROVED
    assessment.approved_by = actor
    assessment.approved_at = timezone.now()
    assessment.save()
    audit_record(assessment, actor, AssessmentStatus.SCORED, assessment.status)
    return assessment
