"""Spot checks, satisfaction surveys and rectification orders (000 第十八、十九条)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inspection import services
from inspection.choices import RectificationStatus
from inspection.models import Admonishment, Rectification, SpotCheck, Vote
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tests.factories import PNG

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def test_a_spot_check_draw_rerun_from_its_record_gives_the_same_communities(world):
    draw = services.spot_check_draw(
        street_office=world.yinzhou, period="2026-11", sample_size=2, actor=world.user("yinzhou_inspector")
    )
    assert len(draw.drawn) == 2 and set(draw.drawn) <= {"yincheng", "yinnan", "yinxin"}
    assert (
        services.draw_sample(population=draw.population, sample_size=draw.sample_size, seed=draw.seed)
        == draw.drawn
    )
    # and the same record gives the same sample whatever order the population is listed in
    assert (
        services.draw_sample(population=list(reversed(draw.population)), sample_size=2, seed=draw.seed)
        == draw.drawn
    )
    assert SpotCheck.objects.filter(draw=draw).count() == 2


def test_only_the_street_offices_staff_draw_its_sample(world):
    with pytest.raises(NotAllowed):
        services.spot_check_draw(
            street_office=world.yinzhou,
            period="2026-11",
            sample_size=1,
            actor=world.user("dongguan_inspector"),
        )
    with pytest.raises(InvalidInput):
        services.spot_check_draw(
            street_office=world.yinzhou,
            period="2026-11",
            sample_size=9,
            actor=world.user("yinzhou_inspector"),
        )


def _checklist(ok: bool = True) -> dict[str, bool]:
    return {"board_current": ok, "display_window_kept": True, "opinion_box": True}


def test_only_the_assigned_inspector_records_and_a_failure_opens_a_rectification(world):
    draw = services.spot_check_draw(
        street_office=world.yinzhou,
        period="2026-11",
        sample_size=1,
        actor=world.user("yinzhou_leader"),
        inspector=world.user("yinzhou_inspector"),
    )
    check = draw.checks.get()
    visited = datetime(2026, 11, 20, 9, 30, tzinfo=TZ)
    with pytest.raises(NotAllowed):
        services.spot_check_record(
            spot_check=check, actor=world.user("yinzhou_admin"), visited_at=visited, checklist=_checklist()
        )
    check = services.spot_check_record(
        spot_check=check,
        actor=world.user("yinzhou_inspector"),
        visited_at=visited,
        checklist=_checklist(False),
        findings="公开栏仍是9月内容",
        latitude=Decimal("38.46"),
        longitude=Decimal("106.27"),
        photos=[SimpleUploadedFile("board.png", PNG)],
    )
    assert check.status == "completed" and check.score == Decimal("66.7") and check.photos.count() == 1
    order = Rectification.objects.get(spot_check=check)
    assert "公开栏内容不是当期的" in order.issues and order.due_date == date(2026, 12, 4)
    with pytest.raises(Conflict):
        services.spot_check_record(
            spot_check=check,
            actor=world.user("yinzhou_inspector"),
            visited_at=visited,
            checklist=_checklist(),
        )


def _survey_with(world, satisfied: int, basic: int, unsatisfied: int):
    total = satisfied + basic + unsatisfied
    survey = services.survey_open(
        community=world.yincheng, period="2026", title="", codes=total, actor=world.user("yinzhou_inspector")
    )
    codes = list(survey.codes.values_list("code", flat=True))
    answers = ["satisfied"] * satisfied + ["basic"] * basic + ["unsatisfied"] * unsatisfied
    Vote.objects.bulk_create(
        [
            Vote(survey=survey, code=c, answer=a)
            for c, a in zip(survey.codes.order_by("code"), answers, strict=True)
        ]
    )
    survey.codes.update(used_at=datetime(2026, 11, 20, tzinfo=TZ))
    return survey, codes


def test_899_per_mille_satisfaction_orders_rectification_and_admonishment(world):
    survey, _ = _survey_with(world, 800, 99, 101)  # 899 / 1000 = 89.9 %
    survey = services.survey_close(
        survey=survey, actor=world.user("yinzhou_inspector"), today=date(2026, 11, 23)
    )
    assert survey.satisfaction_rate == Decimal("89.90")
    order = Rectification.objects.get(survey=survey)
    assert order.source == "survey" and order.status == RectificationStatus.OPEN
    talks = set(Admonishment.objects.filter(rectification=order).values_list("role", flat=True))
    assert talks == {"党组织书记", "居委会主任"}


def test_exactly_90_percent_orders_nothing(world):
    survey, _ = _survey_with(world, 850, 50, 100)  # 900 / 1000 = 90 %
    survey = services.survey_close(survey=survey, actor=world.user("yinzhou_inspector"))
    assert survey.satisfaction_rate == Decimal("90.00")
    assert not Rectification.objects.filter(survey=survey).exists()


def test_rates_are_not_rounded_up_past_the_threshold():
    assert services.satisfaction_rate(satisfied=8999, basic=0, total=10000) == Decimal("89.99")
    assert services.satisfaction_rate(satisfied=17999, basic=0, total=20000) == Decimal("89.99")  # 89.995


def test_one_code_one_vote_and_no_vote_without_a_code(world):
    survey = services.survey_open(
        community=world.yincheng,
        period="2026下半年",
        title="",
        codes=3,
        actor=world.user("yinzhou_inspector"),
    )
    first = survey.codes.first()
    assert first is not None
    code = first.code
    services.vote_cast(community=world.yincheng, code=code.lower(), answer="satisfied")
    with pytest.raises(Conflict, match="已经投过票"):
        services.vote_cast(community=world.yincheng, code=code, answer="unsatisfied")
    with pytest.raises(InvalidInput, match="投票码无效"):
        services.vote_cast(community=world.yincheng, code="ABCDEFGH", answer="satisfied")
    last = survey.codes.last()
    assert last is not None
    with pytest.raises(InvalidInput, match="投票码无效"):  # a yincheng code is worth nothing in yinnan
        services.vote_cast(community=world.yinnan, code=last.code, answer="satisfied")
    assert survey.votes.count() == 1


def test_a_rectification_is_answered_verified_reopened_and_closed(world):
    order = services.rectification_issue(
        community=world.yincheng,
        source="manual",
        issues="财务只公布总数",
        actor=world.user("yinzhou_inspector"),
        today=date(2026, 11, 23),
    )
    with pytest.raises(NotAllowed):
        services.rectification_answer(
            rectification=order, actor=world.user("yinnan_secretary"), answer="已改"
        )
    with pytest.raises(Conflict):
        services.rectification_verify(rectification=order, actor=world.user("yinzhou_inspector"), accept=True)
    services.rectification_answer(
        rectification=order, actor=world.user("yincheng_handler"), answer="已逐笔公开"
    )
    with pytest.raises(InvalidInput):
        services.rectification_verify(
            rectification=order, actor=world.user("yinzhou_inspector"), accept=False
        )
    order = services.rectification_verify(
        rectification=order, actor=world.user("yinzhou_inspector"), accept=False, note="缺少报账单据复印件"
    )
    assert order.status == RectificationStatus.OPEN
    services.rectification_answer(
        rectification=order, actor=world.user("yincheng_handler"), answer="已补贴单据"
    )
    order = services.rectification_verify(
        rectification=order, actor=world.user("yinzhou_inspector"), accept=True
    )
    assert order.status == RectificationStatus.CLOSED
    assert list(order.events.values_list("to_state", flat=True)) == [
        "open",
        "answered",
        "open",
        "answered",
        "closed",
    ]


def test_an_order_past_its_deadline_escalates_to_the_leader_once(world):
    order = services.rectification_issue(
        community=world.yincheng,
        source="manual",
        issues="意见箱损坏",
        actor=world.user("yinzhou_inspector"),
        working_days=1,
        today=date(2026, 11, 23),
    )
    assert services.rectifications_escalate(on=date(2026, 11, 24)) == []
    escalated = services.rectifications_escalate(on=date(2026, 11, 25))
    assert [o.pk for o in escalated] == [order.pk]
    assert services.rectifications_escalate(on=date(2026, 11, 26)) == []
