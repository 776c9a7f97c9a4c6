"""Consequences in the evaluation (issue 17 item 3; 000 第十三条 评先创优, 第十九条 责任追究): the failures a
street office lists veto excellence (一票否决) and are shown beside the score; ties share a rank on
every page that shows a published evaluation and in its PDF; the published evaluation carries its
approver, its date and a seal area; a year selector shows past years."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from pypdf import PdfReader

from api import services as api_services
from inspection import services
from inspection.models import (
    Admonishment,
    Assessment,
    ComplianceSummary,
    Evaluation,
    EvaluationWeights,
    Rectification,
    Survey,
)
from inspection.rules import EXCELLENCE_VETOES_DEFAULT
from inspection.vetoes import VETO_KINDS, vetoes_found
from tests.api.support import api
from tests.inspection.test_ranking import computed_and_approved, street, year_rates
from workdays.dates import zh_date

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def this_year() -> int:
    return timezone.localdate().year


def rates(world, year: int, **by_code: str) -> None:
    """The on-time rate as the only source: it is the composite."""
    year_rates(world, year, by_code)


def escalated_order(world) -> Rectification:
    """An order to 银城 left past its deadline, escalated to the leader today."""
    today = timezone.localdate()
    order = services.rectification_issue(
        community=world.yincheng,
        source="manual",
        issues="财务只公布总数",
        actor=world.user("yinzhou_inspector"),
        working_days=1,
        today=today - timedelta(days=20),
    )
    services.rectifications_escalate(on=today)
    order.refresh_from_db()
    assert order.escalated_at is not None
    return order


def compute(world, year: int) -> dict[str, Evaluation]:
    leader = world.user("yinzhou_leader")
    return {
        e.community.schema_name: e
        for e in services.evaluation_compute(street_office=world.yinzhou, year=year, actor=leader)
    }


def approve(world, year: int) -> None:
    services.evaluation_approve(street_office=world.yinzhou, year=year, actor=world.user("yinzhou_leader"))


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def row_of(page: str, name: str) -> str:
    """The table row (or the section) of one community on a page."""
    match = re.search(rf"<tr>(?:(?!</tr>).)*{name}(?:(?!</tr>).)*</tr>", page, re.S)
    assert match, name
    return match.group(0)


def test_an_escalated_order_vetoes_excellence_without_touching_the_score_or_the_rank(world, client_for):
    year = this_year()
    rates(world, year, yincheng="95.0", yinnan="90.0")
    escalated_order(world)
    results = compute(world, year)
    vetoed, clear = results["yincheng"], results["yinnan"]
    assert vetoed.composite == Decimal("95.0") and vetoed.rank == 1  # the veto bars excellence, not the rank
    assert [v["kind"] for v in vetoed.vetoes] == ["order_escalated"] and vetoed.vetoed
    assert "财务只公布总数" in vetoed.vetoes[0]["detail"]
    assert clear.vetoes == [] and not clear.vetoed

    page = street("yinzhou_inspector").get(f"/inspection/evaluations/?year={year}").content.decode()
    assert "一票否决" in row_of(page, "银城社区") and "整改逾期,被报街道领导" in row_of(page, "银城社区")
    assert "可参评" in row_of(page, "银南社区") and "一票否决" not in row_of(page, "银南社区")
    for source in ("定期考核", "暗访", "群众满意率", "按时公开率"):
        assert source in page

    approve(world, year)
    public = client_for(None).get(f"/results/?year={year}").content.decode()
    assert "一票否决" in row_of(public, "银城社区") and "按时公开率 95.0" in row_of(public, "银城社区")
    assert "可参评" in row_of(public, "银南社区")
    portal = client_for("yincheng").get(f"/results/?year={year}").content.decode()
    assert "一票否决" in portal and "整改逾期,被报街道领导" in portal and "按时公开率:95.0" in portal
    assert "一票否决" not in client_for("yinnan").get(f"/results/?year={year}").content.decode()
    _, key = api_services.apiclient_create(name="区纪委", street_offices=[world.yinzhou])
    by_code = {
        r["community"]: r for r in api(key).get(f"/api/v1/evaluations/?period={year}").json()["results"]
    }
    assert (
        by_code["yincheng"]["vetoes"][0].startswith("整改逾期,被报街道领导:")
        and by_code["yinnan"]["vetoes"] == []
    )


def test_each_listed_kind_of_failure_is_found_in_its_year_only(world):
    year = this_year()
    order = escalated_order(world)
    inspector = world.user("yinzhou_inspector")
    Admonishment.objects.create(
        rectification=order, person_name="张书记", role="党组织书记", held_on=date(year, 3, 2)
    )
    Admonishment.objects.create(  # a talk of another year does not count in this one
        rectification=order, person_name="李主任", role="居委会主任", held_on=date(year - 1, 3, 2)
    )
    Rectification.objects.filter(pk=order.pk).update(
        criticism="逾期未整改", criticized_at=datetime(year, 3, 9, 10, tzinfo=TZ)
    )
    Survey.objects.create(
        community=world.yincheng,
        period=str(year),
        title="测评",
        status="closed",
        created_by=inspector,
        satisfaction_rate=Decimal("89.90"),
    )
    Survey.objects.create(
        community=world.yincheng,
        period=f"{year}上半年",
        title="测评",
        status="closed",
        created_by=inspector,
        satisfaction_rate=Decimal("90"),
    )
    template = services.template_seed_default()
    assessment = services.assessment_open(
        community=world.yincheng,
        period=f"{year}年度",
        template=template,
        inspector=world.user("yinzhou_inspector"),
        actor=world.user("yinzhou_leader"),
    )
    # scored with a critical item at zero
    Assessment.objects.filter(pk=assessment.pk).update(status="scored", critical_failed=True)
    rates(world, year, yincheng="90.0")
    ComplianceSummary.objects.filter(community=world.yincheng).update(republications_ordered=2)

    found = vetoes_found(community=world.yincheng, year=year, kinds=EXCELLENCE_VETOES_DEFAULT)
    by_kind: dict[str, list[str]] = {}
    for veto in found:
        by_kind.setdefault(veto.kind, []).append(veto.detail)
    assert set(by_kind) == set(EXCELLENCE_VETOES_DEFAULT) == set(VETO_KINDS)
    assert by_kind["admonishment"] == [f"{year}年3月2日 对张书记(党组织书记)诫勉谈话"]
    assert by_kind["criticism"] == [f"{year}年3月9日 通报批评:逾期未整改"]
    assert by_kind["survey_below_threshold"] == [f"{year}年群众评议满意率 89.90%"]
    assert by_kind["untrue_content"] == ["全年责令重新公布 2 次"]
    assert len(by_kind["assessment_failed"]) == 1 and len(by_kind["order_escalated"]) == 1
    assert (
        vetoes_found(
            community=world.yincheng, year=year - 1, kinds=["order_escalated", "survey_below_threshold"]
        )
        == []
    )
    assert vetoes_found(community=world.yinnan, year=year, kinds=EXCELLENCE_VETOES_DEFAULT) == []
    assert vetoes_found(community=world.yincheng, year=year, kinds=["a_kind_since_retired"]) == []


def test_the_street_office_lists_its_own_vetoes_and_only_its_admin_or_leader_may(world):
    year = this_year()
    rates(world, year, yincheng="95.0", yinnan="90.0")
    escalated_order(world)
    inspector = street("yinzhou_inspector")
    page = inspector.get("/inspection/evaluations/").content.decode()
    assert 'value="vetoes"' not in page and "整改逾期,被报街道领导" in page  # the list, read-only
    assert (
        inspector.post(
            "/inspection/evaluations/", {"action": "vetoes", "kinds": ["admonishment"]}
        ).status_code
        == 403
    )

    admin = street("yinzhou_admin")
    assert 'value="vetoes"' in admin.get("/inspection/evaluations/").content.decode()
    refused = admin.post("/inspection/evaluations/", {"action": "vetoes", "kinds": ["no_such_kind"]})
    assert refused.status_code == 400 and "一票否决事项" in refused.content.decode()
    saved = admin.post("/inspection/evaluations/", {"action": "vetoes", "kinds": ["admonishment"]})
    assert saved.status_code == 302
    assert EvaluationWeights.objects.get(street_office=world.yinzhou).vetoes == ["admonishment"]
    assert EvaluationWeights.objects.get_or_create(street_office=world.dongguan)[0].vetoes == list(
        EXCELLENCE_VETOES_DEFAULT
    )
    assert compute(world, year)["yincheng"].vetoes == []  # the escalation is not on 银州's list any more


def test_ties_share_a_rank_on_the_published_pages_and_in_the_pdf(world, client_for):
    computed_and_approved(
        world
    )  # 银城 and 银南 tie on 95.0, 银新 is third (tests/inspection/test_ranking.py)
    public = client_for(None).get("/results/?year=2026").content.decode()
    assert "第 1 名 (并列)" in row_of(public, "银城社区") and "第 1 名 (并列)" in row_of(public, "银南社区")
    assert "第 3 名" in row_of(public, "银新社区") and "第 2 名" not in public
    pdf = pdf_text(client_for(None).get("/results/?year=2026&office=yinzhou&export=pdf").content)
    assert {name: int(rank) for rank, name in re.findall(r"(\d)\s*(银\w社区)", pdf)} == {
        "银城社区": 1,
        "银南社区": 1,
        "银新社区": 3,
    }
    for code in ("yincheng", "yinnan"):
        portal = client_for(code).get("/results/?year=2026").content.decode()
        assert "在 3 个社区中并列第 1 名" in portal and "第 2 名" not in portal
    assert "在 3 个社区中排第 3 名" in client_for("yinxin").get("/results/?year=2026").content.decode()


def test_the_published_evaluation_carries_its_approver_date_and_seal_area(world, client_for):
    year = this_year()
    rates(world, year, yincheng="95.0", yinnan="90.0")
    compute(world, year)
    staff_pdf = pdf_text(
        street("yinzhou_leader").get(f"/inspection/evaluations/?year={year}&export=pdf").content
    )
    assert "尚未审定" in staff_pdf and "盖章处" in staff_pdf
    assert client_for(None).get(f"/results/?year={year}&office=yinzhou&export=pdf").status_code == 404
    approve(world, year)
    leader, today = world.user("yinzhou_leader").get_full_name(), zh_date(timezone.localdate())

    public = client_for(None).get(f"/results/?year={year}").content.decode()
    assert f"审定人:{leader}" in public and f">{today}</time>" in public and "盖章处" in public
    assert "银州镇办事处" in public.split('class="seal-area"', 1)[1][:200]
    pdf = pdf_text(client_for(None).get(f"/results/?year={year}&office=yinzhou&export=pdf").content)
    assert (
        f"审定人:{leader}" in pdf
        and f"公布日期:{today}" in pdf
        and "(盖章处)" in pdf
        and "银州镇办事处" in pdf
    )
    portal = client_for("yincheng").get(f"/results/?year={year}").content.decode()
    assert f"审定人:{leader}" in portal and f">{today}</time>" in portal and "盖章处" in portal
    assert "银州镇办事处" in portal.split('class="seal-area"', 1)[1][:200]


def test_a_year_selector_shows_past_years_on_the_street_offices_site_the_portal_and_the_staff_page(
    world, client_for
):
    year = this_year()
    rates(world, year - 1, yincheng="80.0", yinnan="70.0")
    compute(world, year - 1)
    approve(world, year - 1)
    rates(world, year, yincheng="60.0", yinnan="99.0")
    compute(world, year)
    approve(world, year)

    site = client_for(None)
    latest = site.get("/results/").content.decode()
    assert f"{year}年度党务居务公开综合评价" in latest and "第 1 名" in row_of(latest, "银南社区")
    assert f'<option value="{year - 1}">{year - 1}年度</option>' in latest
    past = site.get(f"/results/?year={year - 1}").content.decode()
    assert f"{year - 1}年度党务居务公开综合评价" in past and "第 1 名" in row_of(past, "银城社区")
    assert "80.0" in row_of(past, "银城社区") and "60.0" not in past
    assert site.get("/results/?year=abc").status_code == 200  # a bad year is the latest, never an error
    assert "还没有审定公布" in site.get("/results/?year=2001").content.decode()

    portal = client_for("yincheng")
    assert "综合得分 60.0" in portal.get("/results/").content.decode()
    assert "综合得分 80.0" in portal.get(f"/results/?year={year - 1}").content.decode()
    assert "还没有公布" in portal.get("/results/?year=2001").content.decode()

    staff = street("yinzhou_inspector").get(f"/inspection/evaluations/?year={year - 1}").content.decode()
    assert f"{year - 1} 年度综合评价" in staff and "80.0" in row_of(staff, "银城社区")
    assert f'<option value="{year}">{year}年度</option>' in staff
