"""The street office's summary tables equal a direct count in the communities' schemas, and only
the street office's own staff see them."""

from datetime import date, timedelta
from decimal import Decimal
from typing import cast

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure import services as disclosure_services
from disclosure.choices import DisclosureStatus
from disclosure.models import AuditRecord, Disclosure, Obligation
from inspection import services
from inspection.models import ComplianceSummary
from tests.conftest import login
from tests.factories import at, here, published

pytestmark = pytest.mark.django_db


def make_history(world):
    with tenant_context(world.yincheng):
        disclosure_services.obligations_generate(
            community=here(), on=date(2026, 7, 1), since=date(2026, 4, 1)
        )
        may = Obligation.objects.get(code="SW-03", period="2026-05")
        published(world, obligation=may, on=date(2026, 6, 8))  # on time (due 06-10)
        late = Obligation.objects.get(code="SW-07", period="2026-05")
        published(world, obligation=late, on=date(2026, 6, 12), title="5月初审证明事项")  # late
        disclosure_services.obligation_waive(
            community=here(),
            obligation=Obligation.objects.get(code="SW-04", period="2026-05"),
            actor=world.user("yincheng_secretary"),
            reason="本月无新增",
        )
        disclosure_services.obligations_refresh(community=here(), on=date(2026, 7, 1))


def test_summary_figures_equal_a_direct_count_in_the_schema(world):
    make_history(world)
    services.compliance_refresh(community=world.yincheng, on=date(2026, 7, 1), years=[2026])
    seen = {"on_time": 0, "late": 0, "waived": 0, "overdue": 0}
    for month in (4, 5, 6):
        row = ComplianceSummary.objects.get(
            community=world.yincheng, period_kind="month", period=f"2026-{month:02d}"
        )
        end = date(2026, month + 1, 1)
        with tenant_context(world.yincheng):
            due = Obligation.objects.filter(due_date__gte=date(2026, month, 1), due_date__lt=end)
            direct = {
                "on_time": due.filter(status="on_time").count(),
                "late": due.filter(status="late").count(),
                "waived": due.filter(status="waived").count(),
                "overdue": due.filter(status__in=["upcoming", "due_soon", "overdue"]).count(),
            }
        assert {k: getattr(row, k) for k in direct} == direct, month
        assert row.due == direct["on_time"] + direct["late"] + direct["overdue"]
        if row.due:
            assert row.on_time_rate is not None
            assert float(row.on_time_rate) == round(100 * direct["on_time"] / row.due, 1)
        for key, value in direct.items():
            seen[key] += value
    assert all(seen.values()), seen  # every kind of outcome was compared at least once


def test_display_windows_count_those_taken_down_early(world):
    """A window is honoured when the item stayed up until its display-until date (000 第十六条: 公开时间).
    The archive step refuses early archiving; an item taken down early by other means (here written
    straight into the tables, audit trail included) must still show up in the figures."""
    today = timezone.localdate()
    with tenant_context(world.yincheng):
        kept = published(world, on=today - timedelta(days=3), title="按期公示的事项")
        early = published(world, on=today - timedelta(days=3), title="提前撤下的事项")
        Disclosure.objects.filter(pk=early.pk).update(status=DisclosureStatus.ARCHIVED)
        AuditRecord.objects.create(
            object_type="disclosure",
            object_id=early.pk,
            from_state="published",
            to_state=DisclosureStatus.ARCHIVED,
            actor_name="测试",
        )  # dated now
    ended = cast(date, kept.display_until)  # published, so it has one
    assert early.display_until == ended > today
    services.compliance_refresh(community=world.yincheng, on=ended + timedelta(days=1), years=[ended.year])
    row = ComplianceSummary.objects.get(
        community=world.yincheng, period_kind="month", period=f"{ended:%Y-%m}"
    )
    assert (row.display_windows_ended, row.display_windows_cut_short) == (2, 1)
    year = ComplianceSummary.objects.get(community=world.yincheng, period_kind="year", period=str(ended.year))
    assert year.display_windows_cut_short == 1
    # the day before the windows end, none has ended yet
    services.compliance_refresh(community=world.yincheng, on=ended - timedelta(days=1), years=[ended.year])
    row.refresh_from_db()
    assert (row.display_windows_ended, row.display_windows_cut_short) == (0, 0)


def test_refreshing_twice_keeps_one_row_per_period(world):
    make_history(world)
    services.compliance_refresh(community=world.yincheng, on=date(2026, 7, 1), years=[2026])
    count = ComplianceSummary.objects.filter(community=world.yincheng).count()
    services.compliance_refresh(community=world.yincheng, on=date(2026, 7, 1), years=[2026])
    assert ComplianceSummary.objects.filter(community=world.yincheng).count() == count
    # only periods that have begun: 7 months, 3 quarters, the year
    assert count == 7 + 3 + 1


def test_the_dashboard_shows_own_communities_only(world, client_for):
    make_history(world)
    services.compliance_refresh(community=world.yincheng, on=date(2026, 7, 1), years=[2026])
    inspector = client_for(None)
    login(inspector, "yinzhou_inspector")
    page = inspector.get("/inspection/?year=2026").content.decode()
    assert "银城社区" in page and "东风社区" not in page and "50.0%" in page
    other = client_for(None)
    login(other, "dongguan_inspector")
    page = other.get("/inspection/?year=2026").content.decode()
    assert "银城社区" not in page and "东风社区" in page
    assert other.get("/inspection/communities/yincheng/").status_code == 404
    assert inspector.get("/inspection/communities/yincheng/").status_code == 200


def test_a_city_sized_dashboard_pages_the_table_and_averages_the_trend(world, client_for, monkeypatch):
    """At thousands of communities the page shows one page of the table, the ranking's two ends and
    the street office's average line (here the limits are lowered to the test's three communities)."""
    import json

    from django.db.models import Avg

    from inspection.views import dashboard as views

    make_history(world)
    for community in (world.yincheng, world.yinnan):
        services.compliance_refresh(community=community, on=date(2026, 7, 1), years=[2026])
    monkeypatch.setattr(views, "DASHBOARD_PAGE", 1)
    monkeypatch.setattr(views, "TREND_LINES", 2)
    monkeypatch.setattr(views, "RANKING_ENDS", 1)
    inspector = client_for(None)
    login(inspector, "yinzhou_inspector")
    first = inspector.get("/inspection/?year=2026")
    table = first.content.decode().split("<h2>趋势</h2>")[0]
    assert "第 1 / 3 页,共 3 个社区" in table and "银城社区" in table and "银南社区" not in table
    series = json.loads(
        first.content.decode().split('id="trend-data" type="application/json">')[1].split("</script>")[0]
    )["series"]
    assert series[0]["name"] == "全街道平均" and len(series) == 2  # average + the lowest
    for month in range(12):
        expected = ComplianceSummary.objects.filter(
            community__street_office=world.yinzhou,
            period_kind="month",
            period=f"2026-{month + 1:02d}",
            on_time_rate__isnull=False,
        ).aggregate(avg=Avg("on_time_rate"))["avg"]
        assert series[0]["data"][month] == (round(float(expected), 1) if expected is not None else None)
    assert any(v is not None for v in series[0]["data"])
    second = inspector.get("/inspection/?year=2026&page=2").content.decode().split("<h2>趋势</h2>")[0]
    assert "银南社区" in second and "银城社区" not in second
    found = inspector.get("/inspection/?year=2026&q=银南").content.decode().split("<h2>趋势</h2>")[0]
    assert "银南社区" in found and "银城社区" not in found
    assert "东风社区" not in inspector.get("/inspection/?year=2026&q=东风").content.decode()


def test_community_staff_and_visitors_get_nothing(world, client_for):
    anonymous = client_for(None).get("/inspection/")
    assert anonymous.status_code == 302
    staff = client_for(None)
    login(staff, "yinzhou_admin")
    assert staff.get("/inspection/").status_code == 200
    member = client_for("yincheng")
    login(member, "yincheng_secretary")
    assert member.get("/inspection/").status_code == 404  # not a route on a community's site


def test_feedback_figures_equal_a_direct_count_in_the_schema_and_reach_the_api(world):
    from api.serializers import ComplianceSerializer
    from disclosure.feedback import services as feedback_services
    from disclosure.feedback.models import Feedback

    handler = world.user("yincheng_handler")
    with tenant_context(world.yincheng):

        def ask(on, text="路灯什么时候修?"):
            return feedback_services.feedback_submit(community=here(), kind="question", text=text, today=on)

        on_time = ask(date(2026, 6, 1))  # due 06-15
        feedback_services.feedback_answer(
            community=here(), feedback=on_time, actor=handler, answer="已修。", public=True
        )
        Feedback.objects.filter(pk=on_time.pk).update(answered_at=published_at(date(2026, 6, 10)))
        late = ask(date(2026, 6, 1))
        feedback_services.feedback_answer(
            community=here(), feedback=late, actor=handler, answer="迟复。", public=False
        )
        Feedback.objects.filter(pk=late.pk).update(answered_at=published_at(date(2026, 6, 20)))
        ask(date(2026, 6, 2))  # unanswered, due 06-16: overdue on 07-01
        ask(date(2026, 6, 25))  # unanswered, due 07-09: not yet overdue on 07-01
        ask(date(2026, 5, 6))  # another month, unanswered and overdue
    services.compliance_refresh(community=world.yincheng, on=date(2026, 7, 1), years=[2026])
    for kind, period, start, end in (
        ("month", "2026-06", date(2026, 6, 1), date(2026, 6, 30)),
        ("month", "2026-05", date(2026, 5, 1), date(2026, 5, 31)),
        ("quarter", "2026Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("year", "2026", date(2026, 1, 1), date(2026, 12, 31)),
    ):
        row = ComplianceSummary.objects.get(community=world.yincheng, period_kind=kind, period=period)
        with tenant_context(world.yincheng):
            received = Feedback.objects.filter(received_on__gte=start, received_on__lte=end)
            direct = {
                "feedback_received": received.count(),
                "feedback_answered_on_time": sum(
                    1 for f in received if f.answered_at and timezone.localdate(f.answered_at) <= f.due_date
                ),
                "feedback_overdue": received.filter(status="received", due_date__lt=date(2026, 7, 1)).count(),
            }
        assert {k: getattr(row, k) for k in direct} == direct, period
    june = ComplianceSummary.objects.get(community=world.yincheng, period_kind="month", period="2026-06")
    assert (june.feedback_received, june.feedback_answered_on_time, june.feedback_overdue) == (4, 1, 1)
    data = ComplianceSerializer(june).data
    keys = ("feedback_received", "feedback_answered_on_time", "feedback_overdue")
    assert tuple(data[k] for k in keys) == (4, 1, 1)
    services.compliance_refresh(community=world.yinnan, on=date(2026, 7, 1), years=[2026])
    yinnan = ComplianceSummary.objects.get(community=world.yinnan, period_kind="year", period="2026")
    assert yinnan.feedback_received == 0  # yincheng's feedback stays in yincheng's figures


def test_residents_verdicts_on_answers_reach_the_figures_the_dashboard_and_the_api(world, client_for):
    """好差评: each rating counted in the period the matter was received; the rate is 满意 and 基本满意
    among the rated (an unrated answer does not count)."""
    from api.serializers import ComplianceSerializer
    from disclosure.feedback import services as feedback_services
    from disclosure.feedback.choices import Rating

    handler = world.user("yincheng_handler")
    with tenant_context(world.yincheng):
        for rating in (
            Rating.SATISFIED,
            Rating.SATISFIED,
            Rating.FAIRLY_SATISFIED,
            Rating.DISSATISFIED,
            None,
        ):
            f = feedback_services.feedback_submit(
                community=here(), kind="question", text="路灯什么时候修?", today=date(2026, 6, 1)
            )
            feedback_services.feedback_answer(
                community=here(), feedback=f, actor=handler, answer="本周修。", public=False
            )
            if rating is not None:
                feedback_services.feedback_rate(community=here(), feedback=f, rating=rating)
    services.compliance_refresh(community=world.yincheng, on=date(2026, 7, 1), years=[2026])
    june = ComplianceSummary.objects.get(community=world.yincheng, period_kind="month", period="2026-06")
    assert (june.feedback_satisfied, june.feedback_fairly_satisfied, june.feedback_dissatisfied) == (2, 1, 1)
    assert june.feedback_rated == 4 and june.feedback_satisfaction_rate == Decimal("75.0")
    may = ComplianceSummary.objects.get(community=world.yincheng, period_kind="month", period="2026-05")
    assert may.feedback_satisfaction_rate is None
    data = ComplianceSerializer(june).data
    assert (data["feedback_dissatisfied"], data["feedback_satisfaction_rate"]) == (1, "75.0")
    inspector = client_for(None)
    login(inspector, "yinzhou_inspector")
    page = inspector.get("/inspection/?year=2026").content.decode()
    table = page.split('class="feedback-figures"')[1].split("</table>")[0]
    row = table.split("银城社区")[1].split("</tr>")[0]
    assert "2 / 1 / <strong>1</strong>" in row and "75.0%" in row


def published_at(day):
    return at(day, hour=16)


def test_the_dashboard_shows_feedback_figures(world, client_for):
    from disclosure.feedback import services as feedback_services

    with tenant_context(world.yincheng):
        feedback_services.feedback_submit(
            community=here(), kind="complaint", text="没人答复。", today=date(2026, 3, 2)
        )
    services.compliance_refresh(community=world.yincheng, on=date(2026, 7, 1), years=[2026])
    inspector = client_for(None)
    login(inspector, "yinzhou_inspector")
    page = inspector.get("/inspection/?year=2026").content.decode()
    table = page.split('class="feedback-figures"')[1].split("</table>")[0]
    assert "银城社区" in table and '<td class="num">1</td>' in table and "<strong>1</strong>" in table
