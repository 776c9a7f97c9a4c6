"""Scoring standards, regular assessments and the composite evaluation (000 第十六、十八、十九条)."""

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inspection import services
from inspection.models import AssessmentScore, ComplianceSummary, Evaluation
from tenants.errors import Conflict, InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def full_marks(template) -> dict[str, Decimal]:
    return {i.code: i.max_score for i in template.items.all()}


def opened(world):
    template = services.template_seed_default()
    return template, services.assessment_open(
        community=world.yincheng,
        period="2026年度",
        template=template,
        inspector=world.user("yinzhou_inspector"),
        actor=world.user("yinzhou_leader"),
    )


def test_the_default_standard_follows_article_16(world):
    template = services.template_seed_default()
    sections = list(dict.fromkeys(template.items.values_list("section", flat=True)))
    assert sections == ["内容全面真实", "程序规范", "公开及时", "形式科学", "意见反馈", "资料建档"]
    assert sum(i.max_score for i in template.items.all()) == 100
    assert template.items.filter(critical=True).exists()


def test_both_scores_and_their_differences_are_kept(world):
    template, assessment = opened(world)
    scores = full_marks(template)
    with pytest.raises(NotAllowed):
        services.assessment_self_assess(
            assessment=assessment,
            actor=world.user("yincheng_handler"),
            scores=scores,
            report=SimpleUploadedFile("自查报告.pdf", PDF),
        )
    with pytest.raises(InvalidInput, match="自查报告"):
        services.assessment_self_assess(
            assessment=assessment, actor=world.user("yincheng_secretary"), scores=scores
        )
    services.assessment_self_assess(
        assessment=assessment,
        actor=world.user("yincheng_secretary"),
        scores=scores,
        report=SimpleUploadedFile("自查报告.pdf", PDF),
    )
    lower = {**scores, "C1": Decimal("10")}
    with pytest.raises(NotAllowed):  # assigned inspector only
        services.assessment_score(assessment=assessment, actor=world.user("yinzhou_admin"), scores=lower)
    assessment = services.assessment_score(
        assessment=assessment,
        actor=world.user("yinzhou_inspector"),
        scores=lower,
        notes={"C1": "8月事务公开逾期"},
    )
    assert (assessment.self_total, assessment.inspector_total) == (Decimal(100), Decimal(95))
    c1 = AssessmentScore.objects.get(assessment=assessment, item__code="C1")
    assert c1.difference == Decimal(5) and c1.note == "8月事务公开逾期"


def test_a_critical_item_at_zero_fails_the_whole_assessment(world):
    template, assessment = opened(world)
    services.assessment_self_assess(
        assessment=assessment,
        actor=world.user("yincheng_director"),
        scores=full_marks(template),
        report=SimpleUploadedFile("r.pdf", PDF),
    )
    scores = {**full_marks(template), "E1": Decimal(0)}
    assessment = services.assessment_score(
        assessment=assessment, actor=world.user("yinzhou_inspector"), scores=scores
    )
    assert assessment.critical_failed and assessment.inspector_total == 90


def test_an_assessment_keeps_the_version_it_was_scored_with(world):
    template, assessment = opened(world)
    newer = services.template_new_version(template=template)
    newer.items.filter(code="A1").update(max_score=Decimal("20"))
    assessment.refresh_from_db()
    assert assessment.template_id == template.pk and newer.version == template.version + 1
    assert template.items.get(code="A1").max_score == Decimal("15")


def test_scores_outside_the_range_are_refused(world):
    template, assessment = opened(world)
    with pytest.raises(InvalidInput, match="A1"):
        services.assessment_self_assess(
            assessment=assessment,
            actor=world.user("yincheng_secretary"),
            scores={**full_marks(template), "A1": Decimal("16")},
            report=SimpleUploadedFile("r.pdf", PDF),
        )


def test_only_a_leader_approves(world):
    template, assessment = opened(world)
    services.assessment_self_assess(
        assessment=assessment,
        actor=world.user("yincheng_secretary"),
        scores=full_marks(template),
        report=SimpleUploadedFile("r.pdf", PDF),
    )
    services.assessment_score(
        assessment=assessment, actor=world.user("yinzhou_inspector"), scores=full_marks(template)
    )
    with pytest.raises(NotAllowed):
        services.assessment_approve(assessment=assessment, actor=world.user("yinzhou_inspector"))
    assert (
        services.assessment_approve(assessment=assessment, actor=world.user("yinzhou_leader")).status
        == "approved"
    )


def test_the_composite_weighs_the_sources_it_has_and_ranks(world):
    template, assessment = opened(world)
    services.assessment_self_assess(
        assessment=assessment,
        actor=world.user("yincheng_secretary"),
        scores=full_marks(template),
        report=SimpleUploadedFile("r.pdf", PDF),
    )
    services.assessment_score(
        assessment=assessment,
        actor=world.user("yinzhou_inspector"),
        scores={**full_marks(template), "A1": Decimal(5)},
    )  # 90 / 100
    ComplianceSummary.objects.create(
        community=world.yinnan,
        period_kind="year",
        period="2026",
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        computed_on=date(2026, 11, 23),
        due=10,
        on_time=8,
        on_time_rate=Decimal("80.0"),
    )
    results = services.evaluation_compute(
        street_office=world.yinzhou, year=2026, actor=world.user("yinzhou_leader")
    )
    by_code = {e.community.schema_name: e for e in results}
    assert by_code["yincheng"].composite == Decimal("90.0") and by_code["yincheng"].rank == 1
    assert by_code["yinnan"].composite == Decimal("80.0") and by_code["yinnan"].rank == 2
    with pytest.raises(NotAllowed):
        services.evaluation_approve(
            street_office=world.yinzhou, year=2026, actor=world.user("yinzhou_inspector")
        )
    assert (
        services.evaluation_approve(
            street_office=world.yinzhou, year=2026, actor=world.user("yinzhou_leader")
        )
        == 3
    )
    assert Evaluation.objects.filter(published_at__isnull=False).count() == 3
    with pytest.raises(Conflict):
        services.evaluation_compute(
            street_office=world.yinzhou, year=2026, actor=world.user("yinzhou_leader")
        )
