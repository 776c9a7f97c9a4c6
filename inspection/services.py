"""Writes of the street-office layer."""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context
from guardian.shortcuts import assign_perm

from communities import services as community_services
from disclosure.compliance import compliance_figures
from inspection.choices import (
    AssessmentStatus,
    RectificationSource,
    RectificationStatus,
    Satisfaction,
    SpotCheckStatus,
    SurveyStatus,
)
from inspection.models import (
    Admonishment,
    Assessment,
    AssessmentScore,
    ComplianceSummary,
    Evaluation,
    EvaluationWeights,
    Rectification,
    RectificationEvent,
    ScoringItem,
    ScoringTemplate,
    SpotCheck,
    SpotCheckDraw,
    SpotCheckPhoto,
    Survey,
    Vote,
    VotingCode,
)
from tenants.choices import CommunityRole, StreetOfficeRole
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import Community, Membership, StreetOffice, StreetOfficeMembership, User
from tenants.uploads import upload_check, upload_store
from workdays import services as workdays
from workdays.periods import periods_of_year


def compliance_refresh(*, community: Community, on: date, years: list[int] | None = None) -> int:
    """Recompute a community's summary rows: one switch into its schema, one aggregate per period,
    then the public rows are written in one transaction."""
    years = years or [on.year - 1, on.year]
    rows = []
    with tenant_context(community):
        for year in years:
            for period in periods_of_year(year):
                if period.start > on:
                    continue
                figures = compliance_figures(start=period.start, end=period.end, on=on)
                rows.append((period.span.value, period.label, period.start, period.end, figures))
    with transaction.atomic():
        for kind, label, start, end, figures in rows:
            ComplianceSummary.objects.update_or_create(
                community=community,
                period_kind=kind,
                period=label,
                defaults={
                    "start": start,
                    "end": end,
                    "computed_on": on,
                    "on_time_rate": figures.on_time_rate,
                    **figures.as_dict(),
                },
            )
    return len(rows)


# --- spot checks (平时考核, 暗访) --------------------------------------------------------------------


def _require_street_staff(actor: User, street_office_id: int) -> set[str]:
    roles = set(
        StreetOfficeMembership.objects.filter(user=actor, street_office_id=street_office_id).values_list(
            "role", flat=True
        )
    )
    if not roles and not actor.is_superuser:
        raise NotAllowed("只有本街道的工作人员可以进行这项操作。")
    return roles


def draw_sample(*, population: list[str], sample_size: int, seed: str) -> list[str]:
    """The same population and seed always give the same sample, on any machine."""
    return random.Random(seed).sample(sorted(population), sample_size)


@transaction.atomic
def spot_check_draw(
    *,
    street_office: StreetOffice,
    period: str,
    sample_size: int,
    actor: User,
    inspector: User | None = None,
    seed: str | None = None,
) -> SpotCheckDraw:
    _require_street_staff(actor, street_office.pk)
    period = period.strip()
    if not period:
        raise InvalidInput("请填写所属期,例如 2026年11月。")
    population = sorted(
        street_office.communities.filter(is_active=True).values_list("schema_name", flat=True)
    )
    if not 1 <= sample_size <= len(population):
        raise InvalidInput(f"抽取数量应在 1 到 {len(population)} 之间。")
    inspector = inspector or actor
    _require_street_staff(inspector, street_office.pk)
    seed = seed or secrets.token_hex(16)
    drawn = draw_sample(population=population, sample_size=sample_size, seed=seed)
    draw = SpotCheckDraw.objects.create(
        street_office=street_office,
        period=period,
        seed=seed,
        sample_size=sample_size,
        population=population,
        drawn=drawn,
        drawn_by=actor,
    )
    for code in drawn:
        check = SpotCheck.objects.create(
            draw=draw, community=Community.objects.get(schema_name=code), inspector=inspector
        )
        assign_perm("record_spotcheck", inspector, check)
    return draw


CHECKLIST = ("board_current", "display_window_kept", "opinion_box")
CHECKLIST_LABELS = {
    "board_current": "公开栏内容不是当期的",
    "display_window_kept": "公示期未满的内容已撤下",
    "opinion_box": "意见箱缺失或无法使用",
}
RECTIFICATION_WORKING_DAYS = 10
PHOTO_TYPES = {"image/jpeg": "JPG 图片", "image/png": "PNG 图片"}
MAX_PHOTO_BYTES = 10 * 1024 * 1024


@transaction.atomic
def spot_check_record(
    *,
    spot_check: SpotCheck,
    actor: User,
    visited_at: datetime,
    checklist: dict[str, bool],
    findings: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    photos: list[UploadedFile] | None = None,
) -> SpotCheck:
    """Only the assigned inspector records; a failed checklist item opens a rectification order."""
    spot_check = SpotCheck.objects.select_for_update().get(pk=spot_check.pk)
    if not actor.has_perm("inspection.record_spotcheck", spot_check):
        raise NotAllowed("只有指派的检查员可以记录这次暗访。")
    if spot_check.status == SpotCheckStatus.COMPLETED:
        raise Conflict("这次暗访已经记录完成。")
    if set(checklist) != set(CHECKLIST):
        raise InvalidInput("请逐项勾选检查结果。")
    if (latitude is not None and not -90 <= latitude <= 90) or (
        longitude is not None and not -180 <= longitude <= 180
    ):
        raise InvalidInput("位置坐标无效。")
    # Every photo is checked before anything is written: a bad one refuses the whole record.
    checked_photos = [
        (photo, upload_check(photo, allowed=PHOTO_TYPES, max_bytes=MAX_PHOTO_BYTES, what=f"第 {n} 张照片"))
        for n, photo in enumerate(photos or [], start=1)
    ]
    for name in CHECKLIST:
        setattr(spot_check, name, bool(checklist[name]))
    spot_check.visited_at = visited_at
    spot_check.latitude, spot_check.longitude = latitude, longitude
    spot_check.findings = findings.strip()
    spot_check.score = Decimal(100 * sum(bool(checklist[n]) for n in CHECKLIST) / len(CHECKLIST)).quantize(
        Decimal("0.1")
    )
    spot_check.status = SpotCheckStatus.COMPLETED
    spot_check.save()
    for photo, checked in checked_photos:
        record = SpotCheckPhoto(spot_check=spot_check, taken_at=visited_at, sha256=checked.sha256)
        name = f"{spot_check.community.schema_name}-{checked.sha256[:16]}.{checked.extension}"
        upload_store(record.image, name, photo)
        record.save()
    failed = [CHECKLIST_LABELS[n] for n in CHECKLIST if not checklist[n]]
    if failed:
        issues = ";".join(failed) + (f"。检查员记录:{spot_check.findings}" if spot_check.findings else "")
        rectification_issue(
            community=spot_check.community,
            source=RectificationSource.SPOT_CHECK,
            issues=issues,
            actor=actor,
            spot_check=spot_check,
            today=timezone.localdate(visited_at),
        )
    return spot_check


# --- 群众评议 ---------------------------------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no O/0, I/1
SATISFACTION_THRESHOLD = Decimal("90")  # 000 第十九条: 民主测评满意率达不到90%


def _voting_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


@transaction.atomic
def survey_open(*, community: Community, period: str, title: str, codes: int, actor: User) -> Survey:
    _require_street_staff(actor, community.street_office_id)
    if not 1 <= codes <= 2000:
        raise InvalidInput("投票码数量应在 1 到 2000 之间。")
    if Survey.objects.filter(community=community, period=period).exists():
        raise Conflict(f"{community.name}{period}的群众评议已经发起过。")
    survey = Survey.objects.create(
        community=community,
        period=period.strip(),
        title=title.strip() or f"{community.name}{period}党务居务公开群众满意度测评",
        created_by=actor,
    )
    made: set[str] = set()
    while len(made) < codes:
        code = _voting_code()
        if code not in made and not VotingCode.objects.filter(code=code).exists():
            made.add(code)
    VotingCode.objects.bulk_create([VotingCode(survey=survey, code=c) for c in sorted(made)])
    return survey


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


@transaction.atomic
def vote_cast(*, community: Community, code: str, answer: str, comment: str = "") -> Vote:
    """One code, one vote: a used or unknown code is refused, and nothing is counted twice."""
    if answer not in Satisfaction.values:
        raise InvalidInput("请选择“满意”“基本满意”或“不满意”。")
    voting_code = (
        VotingCode.objects.select_for_update()
        .select_related("survey")
        .filter(code=normalise_code(code), survey__community=community)
        .first()
    )
    if voting_code is None:
        raise InvalidInput("投票码无效,请核对纸条上的 8 位投票码。")
    if voting_code.used_at is not None:
        raise Conflict("这个投票码已经投过票了,每个投票码只能用一次。")
    if voting_code.survey.status != SurveyStatus.OPEN:
        raise Conflict("这次评议已经结束。")
    voting_code.used_at = timezone.now()
    voting_code.save(update_fields=["used_at"])
    return Vote.objects.create(
        survey=voting_code.survey, code=voting_code, answer=answer, comment=comment.strip()[:500]
    )


def satisfaction_rate(*, satisfied: int, basic: int, total: int) -> Decimal | None:
    """满意率 = (满意 + 基本满意) ÷ 有效票, to two decimals (so 89.9 % is not rounded up to 90 %)."""
    if total == 0:
        return None
    return (Decimal(satisfied + basic) * 100 / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


@transaction.atomic
def survey_close(*, survey: Survey, actor: User, today: date | None = None) -> Survey:
    """Count the votes; below 90 % a rectification order and admonishment talks follow (000 第十九条)."""
    _require_street_staff(actor, survey.community.street_office_id)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.OPEN:
        raise Conflict("这次评议已经结束。")
    counts = {a: survey.votes.filter(answer=a).count() for a in Satisfaction.values}
    survey.satisfied, survey.basic, survey.unsatisfied = (
        counts[Satisfaction.SATISFIED],
        counts[Satisfaction.BASIC],
        counts[Satisfaction.UNSATISFIED],
    )
    survey.votes_cast = sum(counts.values())
    survey.satisfaction_rate = satisfaction_rate(
        satisfied=survey.satisfied, basic=survey.basic, total=survey.votes_cast
    )
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now()
    survey.save()
    if survey.satisfaction_rate is not None and survey.satisfaction_rate < SATISFACTION_THRESHOLD:
        order = rectification_issue(
            community=survey.community,
            source=RectificationSource.SURVEY,
            actor=actor,
            survey=survey,
            issues=f"{survey.period}群众评议满意率为 {survey.satisfaction_rate}%,低于 90%。",
            today=today,
        )
        heads = Membership.objects.filter(
            community=survey.community, role__in=[CommunityRole.SECRETARY, CommunityRole.DIRECTOR]
        )
        for membership in heads.select_related("user"):
            Admonishment.objects.create(
                rectification=order,
                person_name=membership.user.get_full_name(),
                role=membership.get_role_display(),
            )
    return survey


# --- 整改 ---------------------------------------------------------------------------------------------


def _event(order: Rectification, actor: User | None, from_state: str, note: str = "") -> None:
    RectificationEvent.objects.create(
        rectification=order, actor=actor, from_state=from_state, to_state=order.status, note=note[:2000]
    )


@transaction.atomic
def rectification_issue(
    *,
    community: Community,
    source: str,
    issues: str,
    actor: User | None,
    working_days: int = RECTIFICATION_WORKING_DAYS,
    roles: list[str] | None = None,
    survey: Survey | None = None,
    spot_check: SpotCheck | None = None,
    today: date | None = None,
) -> Rectification:
    """An order to one community; a person who issues it works for that community's street office
    (``actor=None`` is the system: a failed survey or spot check)."""
    if actor is not None:
        _require_street_staff(actor, community.street_office_id)
    issues = issues.strip()
    if not issues:
        raise InvalidInput("请写明需要整改的问题。")
    if not 1 <= working_days <= 60:
        raise InvalidInput("整改期限应在 1 到 60 个工作日之间。")
    due = workdays.add_working_days(today or timezone.localdate(), working_days)
    order = Rectification.objects.create(
        community=community,
        source=source,
        issues=issues,
        survey=survey,
        spot_check=spot_check,
        responsible_roles=roles or [CommunityRole.SECRETARY, CommunityRole.DIRECTOR],
        due_date=due.date,
        due_provisional=due.provisional,
        issued_by=actor,
    )
    _event(order, actor, "", issues)
    return order


@transaction.atomic
def rectification_answer(*, rectification: Rectification, actor: User, answer: str) -> Rectification:
    order = Rectification.objects.select_for_update().get(pk=rectification.pk)
    roles = set(
        Membership.objects.filter(user=actor, community=order.community).values_list("role", flat=True)
    )
    if not roles & {CommunityRole.SECRETARY, CommunityRole.DIRECTOR, CommunityRole.HANDLER}:
        raise NotAllowed("只有本社区的书记、主任或经办人可以反馈整改情况。")
    if order.status not in (RectificationStatus.OPEN, RectificationStatus.ESCALATED):
        raise Conflict("这份整改通知当前不需要反馈。")
    answer = answer.strip()
    if not answer:
        raise InvalidInput("请写明整改情况。")
    previous = order.status
    order.status = RectificationStatus.ANSWERED
    order.answer = answer
    order.answered_at = timezone.now()
    order.save()
    _event(order, actor, previous, answer)
    return order


@transaction.atomic
def rectification_verify(
    *, rectification: Rectification, actor: User, accept: bool, note: str = ""
) -> Rectification:
    """The inspector closes the order (销号) or reopens it with what is still missing."""
    order = Rectification.objects.select_for_update().get(pk=rectification.pk)
    _require_street_staff(actor, order.community.street_office_id)
    if order.status != RectificationStatus.ANSWERED:
        raise Conflict("社区还没有反馈整改情况。")
    if not accept and not note.strip():
        raise InvalidInput("退回重新整改时请写明还差什么。")
    previous = order.status
    order.status = RectificationStatus.CLOSED if accept else RectificationStatus.OPEN
    order.verified_by = actor
    order.closed_at = timezone.now() if accept else None
    order.save()
    _event(order, actor, previous, note)
    return order


@transaction.atomic
def rectifications_escalate(*, on: date) -> list[Rectification]:
    """Orders past their deadline go to the street office's leaders (once)."""
    escalated = []
    for order in Rectification.objects.select_for_update().filter(
        status=RectificationStatus.OPEN, due_date__lt=on
    ):
        previous = order.status
        order.status = RectificationStatus.ESCALATED
        order.escalated_at = timezone.now()
        order.save()
        _event(order, None, previous, f"逾期未整改,已报街道领导({order.due_date:%Y-%m-%d} 到期)")
        escalated.append(order)
    leaders_by_office: dict[int, list[str]] = {}
    for order in escalated:
        office = order.community.street_office_id
        if office not in leaders_by_office:
            leaders_by_office[office] = list(
                User.objects.filter(
                    street_office_memberships__street_office_id=office,
                    street_office_memberships__role=StreetOfficeRole.LEADER,
                )
                .exclude(email="")
                .values_list("email", flat=True)
            )
        recipients = leaders_by_office[office]
        if recipients:
            subject = f"整改逾期:{order.community.name}({order.get_source_display()})"

            def notify(s: str = subject, r: list[str] = recipients, o: Rectification = order) -> None:
                send_mail(s, f"{o.issues}\n期限 {o.due_date:%Y-%m-%d},至今未整改。", None, r)

            transaction.on_commit(notify)
    return escalated


# --- scoring standards and regular assessments (定期考核) ----------------------------------------------

DEFAULT_TEMPLATE = "社区党务居务公开考核评分标准"
# 000 第十六条: 全面真实、程序规范、公开及时、形式科学; plus feedback handling and archives (第十、十一条).
DEFAULT_ITEMS: list[tuple[str, str, str, str, bool]] = [
    ("内容全面真实", "A1", "按公开目录全面公开党务、政务、事务、财务、服务事项", "15", False),
    ("内容全面真实", "A2", "财务逐笔公开,报账五人签字,低保公开年龄、人口、困难情况", "15", True),
    ("程序规范", "B1", "公开前提交监督小组审核,书记、主任、经办人签字", "15", False),
    ("程序规范", "B2", "先党内后党外,更正、重新公布有记录", "10", False),
    ("公开及时", "C1", "一般事务每月10日前、财务每季度次季第10日前公开", "15", True),
    ("公开及时", "C2", "公开栏内容保留不少于10天,及时更新", "5", False),
    ("形式科学", "D1", "公开栏、意见箱、网站、电子屏等渠道齐全", "10", False),
    ("意见反馈", "E1", "居民询问当场或10个工作日内答复,署名投诉15天内告知结果", "10", True),
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
MAX_SCORING_ITEMS = 100


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
    roles = _require_street_staff(actor, street_office.pk)
    if not actor.is_superuser and not roles & {StreetOfficeRole.ADMIN, StreetOfficeRole.LEADER}:
        raise NotAllowed("评分标准由街道管理员或领导修订。")
    if not rows:
        raise InvalidInput("评分标准至少要有一项评分细则。")
    if len(rows) > MAX_SCORING_ITEMS:
        raise InvalidInput(f"评分细则最多 {MAX_SCORING_ITEMS} 项。")
    codes = [str(r["code"]).strip() for r in rows]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise InvalidInput(f"编号不能重复:{'、'.join(repeated)}。")
    for row in rows:
        if not Decimal(0) < Decimal(row["max_score"]) <= Decimal(100):
            raise InvalidInput(f"{row['code']} 的分值须大于 0、不超过 100。")
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
    _require_street_staff(actor, community.street_office_id)
    _require_street_staff(inspector, community.street_office_id)
    if Assessment.objects.filter(community=community, period=period).exists():
        raise Conflict(f"{community.name}{period}的定期考核已经开始。")
    assessment = Assessment.objects.create(
        community=community, period=period.strip(), template=template, inspector=inspector
    )
    AssessmentScore.objects.bulk_create(
        [AssessmentScore(assessment=assessment, item=i) for i in template.items.all()]
    )
    assign_perm("score_assessment", inspector, assessment)
    return assessment


def _checked_scores(assessment: Assessment, scores: dict[str, Decimal]) -> dict[str, Decimal]:
    items = {i.code: i for i in assessment.template.items.all()}
    if set(scores) != set(items):
        raise InvalidInput("请为每一项评分。")
    for code, value in scores.items():
        if value is None or not Decimal(0) <= value <= items[code].max_score:
            raise InvalidInput(f"{code} 的得分应在 0 到 {items[code].max_score} 之间。")
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
    roles = set(
        Membership.objects.filter(user=actor, community=assessment.community).values_list("role", flat=True)
    )
    if not roles & {CommunityRole.SECRETARY, CommunityRole.DIRECTOR}:
        raise NotAllowed("自查评分由社区党组织书记或居委会主任提交。")
    if assessment.status != AssessmentStatus.SELF_ASSESSING:
        raise Conflict("自查已经提交。")
    scores = _checked_scores(assessment, scores)
    if report is None and not assessment.self_report:
        raise InvalidInput("请上传书面自查报告。")
    if report is not None:
        checked = upload_check(report, allowed=REPORT_TYPES, max_bytes=MAX_REPORT_BYTES, what="自查报告")
        name = f"{assessment.community.schema_name}-{assessment.period}.{checked.extension}"
        upload_store(assessment.self_report, name, report)
    for row in assessment.scores.select_related("item"):
        row.self_score = scores[row.item.code]
        row.save(update_fields=["self_score"])
    assessment.self_total = sum(scores.values(), Decimal(0))
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.save()
    return assessment


@transaction.atomic
def assessment_score(
    *, assessment: Assessment, actor: User, scores: dict[str, Decimal], notes: dict[str, str] | None = None
) -> Assessment:
    """The assigned inspector scores; a critical item at zero fails the whole assessment."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not actor.has_perm("inspection.score_assessment", assessment):
        raise NotAllowed("只有指派的考核组负责人可以评分。")
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise Conflict("社区提交自查后才能评分。")
    scores = _checked_scores(assessment, scores)
    critical_failed = False
    for row in assessment.scores.select_related("item"):
        row.inspector_score = scores[row.item.code]
        row.note = (notes or {}).get(row.item.code, "")[:300]
        row.save(update_fields=["inspector_score", "note"])
        critical_failed = critical_failed or (row.item.critical and row.inspector_score == 0)
    assessment.inspector_total = sum(scores.values(), Decimal(0))
    assessment.critical_failed = critical_failed
    assessment.status = AssessmentStatus.SCORED
    assessment.save()
    return assessment


@transaction.atomic
def assessment_approve(*, assessment: Assessment, actor: User) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    roles = _require_street_staff(actor, assessment.community.street_office_id)
    if StreetOfficeRole.LEADER not in roles:
        raise NotAllowed("考核结果由街道领导审定。")
    if assessment.status != AssessmentStatus.SCORED:
        raise Conflict("考核组评分后才能审定。")
    assessment.status = AssessmentStatus.APPROVED
    assessment.approved_by = actor
    assessment.approved_at = timezone.now()
    assessment.save()
    return assessment


# --- composite evaluation ------------------------------------------------------------------------------


def _percent(value: Decimal | None, maximum: Decimal) -> Decimal | None:
    return None if value is None else (value * 100 / maximum).quantize(Decimal("0.1"))


@transaction.atomic
def evaluation_compute(*, street_office: StreetOffice, year: int, actor: User) -> list[Evaluation]:
    """Composite per community: weighted mean of the sources it has (a missing source does not count
    as zero; its weight is left out), then a rank. Recomputing replaces unapproved results."""
    _require_street_staff(actor, street_office.pk)
    weights, _ = EvaluationWeights.objects.get_or_create(street_office=street_office)
    period = str(year)
    results = []
    for community in street_office.communities.filter(is_active=True):
        if Evaluation.objects.filter(community=community, period=period, approved_by__isnull=False).exists():
            raise Conflict(f"{period}年度的综合评价已经审定,不能重算。")
        assessment = (
            Assessment.objects.filter(
                community=community,
                period__startswith=period,
                status__in=[AssessmentStatus.SCORED, AssessmentStatus.APPROVED],
            )
            .order_by("-created_at")
            .first()
        )
        assessment_pct = None
        if assessment is not None:
            maximum = sum((i.max_score for i in assessment.template.items.all()), Decimal(0))
            assessment_pct = (
                Decimal(0) if assessment.critical_failed else _percent(assessment.inspector_total, maximum)
            )
        spot = SpotCheck.objects.filter(
            community=community, status=SpotCheckStatus.COMPLETED, visited_at__year=year
        ).aggregate(avg=models.Avg("score"))["avg"]
        survey = (
            Survey.objects.filter(community=community, period__startswith=period, status=SurveyStatus.CLOSED)
            .order_by("-closed_at")
            .first()
        )
        compliance = ComplianceSummary.objects.filter(
            community=community, period_kind="year", period=period
        ).first()
        parts = [
            (assessment_pct, weights.assessment),
            (None if spot is None else Decimal(spot).quantize(Decimal("0.1")), weights.spot_check),
            (survey.satisfaction_rate if survey else None, weights.satisfaction),
            (compliance.on_time_rate if compliance else None, weights.compliance),
        ]
        used = [(value, weight) for value, weight in parts if value is not None and weight]
        total_weight = sum(weight for _, weight in used)
        composite = (
            (sum((value * weight for value, weight in used), Decimal(0)) / total_weight).quantize(
                Decimal("0.1")
            )
            if total_weight
            else Decimal(0)
        )
        results.append((community, parts, composite))
    results.sort(key=lambda r: -r[2])
    saved = []
    for rank, (community, parts, composite) in enumerate(results, start=1):
        evaluation, _ = Evaluation.objects.update_or_create(
            community=community,
            period=period,
            defaults={
                "assessment_score": parts[0][0],
                "spot_check_score": parts[1][0],
                "satisfaction_score": parts[2][0],
                "compliance_score": parts[3][0],
                "composite": composite,
                "rank": rank,
            },
        )
        saved.append(evaluation)
    return saved


@transaction.atomic
def evaluation_approve(*, street_office: StreetOffice, year: int, actor: User) -> int:
    """The leader approves the year's results; they are then published to each community's residents."""
    roles = _require_street_staff(actor, street_office.pk)
    if StreetOfficeRole.LEADER not in roles:
        raise NotAllowed("综合评价由街道领导审定。")
    now = timezone.now()
    pending = list(
        Evaluation.objects.filter(
            community__street_office=street_office, period=str(year), approved_by__isnull=True
        ).select_related("community")
    )
    out_of = Evaluation.objects.filter(community__street_office=street_office, period=str(year)).count()
    for evaluation in pending:
        evaluation.approved_by, evaluation.published_at = actor, now
        evaluation.save(update_fields=["approved_by", "published_at", "updated_at"])
        # published back into the community's own schema, for its residents' portal
        with tenant_context(evaluation.community):
            community_services.street_office_result_publish(
                period=evaluation.period,
                composite=evaluation.composite,
                rank=evaluation.rank,
                out_of=out_of,
                summary=f"{street_office.name}{year}年度党务居务公开综合评价",
                published_at=now,
            )
    return len(pending)
