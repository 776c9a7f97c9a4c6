"""The street-office side of the demo: summary tables filled, a spot-check draw with one visit done,
two satisfaction surveys — 银北 below 90 %, so its rectification order and admonishment talks
exist, and that order went up the ladder after two reopenings to a recorded 诫勉谈话 and a 通报批评 —
an order the street office gave 银城 about its overdue items, not answered yet, and the orders its
accountability rules opened over the demo's year. Idempotent."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context
from fpdf import FPDF

from disclosure.choices import ObligationStatus
from disclosure.selectors import obligations_open
from inspection import services
from inspection.choices import RectificationSource, RectificationStatus
from inspection.models import (
    AccountabilityRules,
    Assessment,
    Evaluation,
    Rectification,
    SpotCheckDraw,
    Survey,
)
from inspection.rules import SATISFACTION_THRESHOLD
from tenants.models import Community, StreetOffice, User
from workdays.dates import zh_date
from workdays.periods import Span, period_of, period_zh

TZ = ZoneInfo("Asia/Shanghai")


def seed_inspection(office: StreetOffice, *, today: date) -> None:
    seed_assessments(office, today=today)
    for community in office.communities.all():
        services.compliance_refresh(community=community, on=today)
    inspector = User.objects.get(username=f"{office.code}_inspector")
    leader = User.objects.get(username=f"{office.code}_leader")
    period = period_of(Span.MONTH, today).label
    if not SpotCheckDraw.objects.filter(street_office=office, period=period).exists():
        draw = services.spot_check_draw(
            street_office=office,
            period=period,
            sample_size=2,
            actor=leader,
            inspector=inspector,
            seed=f"demo-{today:%Y%m}",
        )
        first = draw.checks.order_by("community__schema_name").first()
        if first is not None:
            services.spot_check_record(
                spot_check=first,
                actor=inspector,
                visited_at=datetime(today.year, today.month, today.day, 9, 30, tzinfo=TZ) - timedelta(days=2),
                checklist={"board_current": False, "display_window_kept": True, "opinion_box": True},
                findings="公开栏仍张贴上月内容,本月财务公开未上栏。",
            )
    year = str(today.year - 1)
    for code, satisfied, basic, unsatisfied in (("yincheng", 40, 8, 2), ("yinbei", 30, 14, 6)):
        surveyed = Community.objects.filter(schema_name=code, street_office=office).first()
        if surveyed is None or Survey.objects.filter(community=surveyed, period=year).exists():
            continue
        total = satisfied + basic + unsatisfied
        survey = services.survey_open(
            community=surveyed, period=year, title="", codes=total + 5, actor=inspector
        )
        answers = ["satisfied"] * satisfied + ["basic"] * basic + ["unsatisfied"] * unsatisfied
        for voting_code, answer in zip(survey.codes.order_by("code"), answers, strict=False):
            services.vote_cast(community=surveyed, code=voting_code.code, answer=answer)
        services.survey_close(survey=survey, actor=inspector, today=today)
    seed_order(office, today=today)
    seed_ladder(office, today=today)


ORDERED = "yincheng"  # the community the street office has just given an order


def seed_order(office: StreetOffice, *, today: date) -> None:
    """The street office orders 银城 to publish what it let lapse; the community has not answered yet."""
    community = Community.objects.filter(schema_name=ORDERED, street_office=office).first()
    if (
        community is None
        or Rectification.objects.filter(community=community, source=RectificationSource.MANUAL).exists()
    ):
        return
    with tenant_context(community):
        overdue = [o for o in obligations_open() if o.status == ObligationStatus.OVERDUE][:3]
    if not overdue:
        return
    items = ";".join(f"“{o.title}”({period_zh(o.period)}),应于{zh_date(o.due_date)}前公开" for o in overdue)
    services.rectification_issue(
        community=community,
        source=RectificationSource.MANUAL,
        issues=f"经街道核查,你社区以下事项逾期未公开:{items}。请逐项补充公开,并书面反馈整改情况。",
        actor=User.objects.get(username=f"{office.code}_leader"),
        today=today,
    )


def seed_accountability(office: StreetOffice, *, today: date) -> None:
    """责任追究: the street office's rules have been in force since the demo's year began, and today's
    check has run, so every failure of that year the rules name has its order (at least four kinds:
    overdue publications, unanswered residents, the failed spot check and survey, the upheld complaint).
    Running it again opens nothing: each failure has one order."""
    if not AccountabilityRules.objects.filter(street_office=office).exists():
        AccountabilityRules.objects.create(
            street_office=office,
            version=1,
            entries=services.rules_default_entries(),
            counts_from=today - timedelta(days=365),
        )
    services.accountability_evaluate(street_office=office, on=today)


LADDER = "yinbei"  # the community whose failed survey went up the ladder to a 诫勉谈话 and a 通报批评


def seed_ladder(office: StreetOffice, *, today: date) -> None:
    """银北's order after its failed survey: answered twice without the finance detail, sent back twice
    by the inspector, so it went to the leader in charge; the leader held the 诫勉谈话 (signed minutes
    scanned) and published a 通报批评, on the public pages too (the street office's setting)."""
    community = Community.objects.filter(schema_name=LADDER, street_office=office).first()
    order = Rectification.objects.filter(community=community, source=RectificationSource.SURVEY).first()
    if community is None or order is None or order.criticized_at is not None:
        return
    inspector = User.objects.get(username=f"{office.code}_inspector")
    leader = User.objects.get(username=f"{office.code}_leader")
    handler = User.objects.get(username=f"{LADDER}_handler")
    office.criticisms_public = True
    office.save(update_fields=["criticisms_public", "updated_at"])
    for answer, note in (
        ("已在公开栏补贴年度财务收支总表。", "只有总数,没有逐笔明细,请按月逐笔公开。"),
        ("已补充公开第四季度收支。", "前三季度仍未逐笔公开,且没有报账单据。"),
    ):
        if order.status != RectificationStatus.ESCALATED:
            services.rectification_answer(rectification=order, actor=handler, answer=answer)
            order = services.rectification_verify(
                rectification=order, actor=inspector, accept=False, note=note
            )
    talk = order.admonishments.filter(held_on__isnull=True).order_by("pk").first()
    services.admonishment_record(
        rectification=order,
        actor=leader,
        person_name=talk.person_name if talk else "社区党组织书记",
        role=talk.role if talk else "社区党组织书记",
        held_on=today,
        place="街道党工委会议室",
        spoken_by="街道党工委副书记",
        attendees="街道纪工委书记、考核检查员",
        notes=(
            f"群众评议满意率低于 {SATISFACTION_THRESHOLD}%,整改两次退回。指出财务公开只公布总数的问题,"
            "要求一周内逐笔补充公开。本人表示接受。"
        ),
        minutes=SimpleUploadedFile("诫勉谈话记录.pdf", demo_pdf("Admonishment talk minutes, signed (demo)")),
        today=today,
    )
    services.criticism_publish(
        rectification=order,
        actor=leader,
        text=(
            f"{community.name}群众评议满意率低于 {SATISFACTION_THRESHOLD}%,"
            "财务公开只公布总数、两次整改不到位,经诫勉谈话,予以通报批评。"
        ),
    )


def demo_report() -> bytes:
    return demo_pdf("Self-assessment report (demo)")


def demo_pdf(text: str) -> bytes:
    """A real one-page PDF (uploads are opened and read, so a stub would be refused)."""
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=14)
    document.cell(text=text)
    return bytes(document.output())


DEDUCTIONS = {
    "yincheng": {"C1": "5"},
    "yinnan": {"A2": "4", "E1": "2"},
    "yinbei": {"C1": "3", "D1": "2"},
    "yinxin": {"C1": "6", "B1": "3"},
}


def seed_assessments(office: StreetOffice, *, today: date) -> None:
    """Last year's regular assessment for every community, scored and approved, and the year's
    composite evaluation computed and published."""
    leader = User.objects.get(username=f"{office.code}_leader")
    inspector = User.objects.get(username=f"{office.code}_inspector")
    template = services.template_seed_default()
    year = today.year - 1
    period = f"{year}年度"
    for community in office.communities.all():
        if Assessment.objects.filter(community=community, period=period).exists():
            continue
        assessment = services.assessment_open(
            community=community, period=period, template=template, inspector=inspector, actor=leader
        )
        full = {i.code: i.max_score for i in template.items.all()}
        secretary = User.objects.get(username=f"{community.schema_name}_secretary")
        services.assessment_self_assess(
            assessment=assessment,
            actor=secretary,
            scores=full,
            report=SimpleUploadedFile("自查报告.pdf", demo_report()),
        )
        scored = {
            code: full[code] - Decimal(DEDUCTIONS.get(community.schema_name, {}).get(code, "0"))
            for code in full
        }
        services.assessment_score(assessment=assessment, actor=inspector, scores=scored)
        services.assessment_approve(assessment=assessment, actor=leader)
    if not Evaluation.objects.filter(community__street_office=office, period=str(year)).exists():
        services.evaluation_compute(street_office=office, year=year, actor=leader)
        services.evaluation_approve(street_office=office, year=year, actor=leader)
