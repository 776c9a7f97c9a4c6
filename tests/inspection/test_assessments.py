"""Scoring standards, regular assessments and the composite evaluation (000 第十六、十八、十九条)."""

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inspection import services
from inspection.models import AssessmentScore, ComplianceSummary, Evaluation
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tests.factories import PDF

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


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


def rows_of(template, **changes) -> list[dict]:
    rows = [{f: getattr(i, f) for f in services.SCORING_ITEM_FIELDS} for i in template.items.all()]
    for row in rows:
        row.update(changes.get(row["code"], {}))
    return rows


def test_a_street_office_revision_is_its_own_and_leaves_scored_versions_alone(world):
    template, assessment = opened(world)  # scored with the shared default
    revised = services.template_revise(
        street_office=world.yinzhou,
        actor=world.user("yinzhou_admin"),
        rows=rows_of(template, A1={"max_score": Decimal("20"), "guidance": "缺一类扣5分"}),
    )
    assert revised.pk != template.pk and revised.street_office == world.yinzhou
    assert revised.version == template.version + 1 and revised.revised_by == world.user("yinzhou_admin")
    assert template.items.get(code="A1").max_score == Decimal("15")  # the scored version is untouched
    assessment.refresh_from_db()
    assert assessment.template_id == template.pk
    # new assessments of 银州 use the revision; 东关 keeps the shared default
    assert services.template_for(street_office=world.yinzhou) == revised
    assert services.template_for(street_office=world.dongguan) == template
    # an unused revision is edited in place, not multiplied
    again = services.template_revise(
        street_office=world.yinzhou,
        actor=world.user("yinzhou_leader"),
        rows=rows_of(revised, A1={"max_score": Decimal("18")}),
    )
    assert again.pk == revised.pk and again.items.get(code="A1").max_score == Decimal("18")
    # once an assessment uses it, the next revision is a new version again
    services.assessment_open(
        community=world.yinnan,
        period="2027年度",
        template=again,
        inspector=world.user("yinzhou_inspector"),
        actor=world.user("yinzhou_leader"),
    )
    third = services.template_revise(
        street_office=world.yinzhou, actor=world.user("yinzhou_admin"), rows=rows_of(again)[:-1]
    )
    assert third.pk != again.pk and third.items.count() == again.items.count() - 1


def test_only_admins_and_leaders_of_the_street_office_revise_its_standard(world):
    template = services.template_seed_default()
    for login, office in [
        ("yinzhou_inspector", world.yinzhou),
        ("dongguan_admin", world.yinzhou),
        ("yincheng_secretary", world.yinzhou),
    ]:
        with pytest.raises(NotAllowed):
            services.template_revise(street_office=office, actor=world.user(login), rows=rows_of(template))
    assert services.template_for(street_office=world.yinzhou) == template


@pytest.mark.parametrize(
    "change, message",
    [
        ({"A2": {"code": "A1"}}, "编号不能重复"),
        ({"A1": {"max_score": Decimal("0")}}, "分值"),
        ({"A1": {"max_score": Decimal("100.5")}}, "分值"),
    ],
)
def test_a_broken_standard_is_refused(world, change, message):
    template = services.template_seed_default()
    with pytest.raises(InvalidInput, match=message):
        services.template_revise(
            street_office=world.yinzhou, actor=world.user("yinzhou_admin"), rows=rows_of(template, **change)
        )
    with pytest.raises(InvalidInput, match="至少"):
        services.template_revise(street_office=world.yinzhou, actor=world.user("yinzhou_admin"), rows=[])
    assert services.template_for(street_office=world.yinzhou) == template
