"""暗访 draws once per period: the first draw stands; a redraw is the leader's, with a written reason;
the earlier draw stays on the record, marked 已重抽 with who, when and why; and the street office's
own pages count the redraws of each period."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from inspection import services
from inspection.models import SpotCheckDraw
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tests.conftest import login

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
PERIOD = "2026-11"
REASON = "抽中社区的检查员与该社区书记是亲属,需回避"


def street(login_name: str) -> Client:
    client = Client(HTTP_HOST="localhost")
    login(client, login_name)
    return client


def first_draw(world, period: str = PERIOD) -> SpotCheckDraw:
    return services.spot_check_draw(
        street_office=world.yinzhou,
        period=period,
        sample_size=2,
        actor=world.user("yinzhou_inspector"),
        seed="first",
    )


def test_a_second_draw_of_the_period_is_refused_in_chinese_and_the_first_stands(world):
    first = first_draw(world)
    with pytest.raises(Conflict) as refused:
        services.spot_check_draw(
            street_office=world.yinzhou, period=PERIOD, sample_size=2, actor=world.user("yinzhou_leader")
        )
    assert "2026年11月已经抽取过" in refused.value.message
    assert "以第一次为准" in refused.value.message and "理由" in refused.value.message
    assert list(SpotCheckDraw.objects.filter(street_office=world.yinzhou)) == [first]
    # another street office draws its own November as it likes
    services.spot_check_draw(
        street_office=world.dongguan, period=PERIOD, sample_size=1, actor=world.user("dongguan_inspector")
    )


def test_the_period_must_be_a_period(world):
    for typed, message in (("", "请选择所属期"), ("十一月", "所属期无效"), ("2026-13", "所属期无效")):
        with pytest.raises(InvalidInput) as refused:
            first_draw(world, period=typed)
        assert message in refused.value.message


def test_a_second_draw_posted_on_the_page_is_refused_with_the_reason_on_the_form(world):
    from django.utils import timezone

    from workdays.periods import Span, period_of

    period = period_of(Span.MONTH, timezone.localdate())
    inspector = street("yinzhou_inspector")
    form = {"period": period.label, "sample_size": "1", "inspector": world.user("yinzhou_inspector").pk}
    assert inspector.post("/inspection/spot-checks/", form).status_code == 302
    again = inspector.post("/inspection/spot-checks/", form)
    assert again.status_code == 400
    assert f"{period.zh}已经抽取过" in again.content.decode()
    assert SpotCheckDraw.objects.filter(period=period.label).count() == 1


def test_a_redraw_without_a_reason_is_refused(world):
    first = first_draw(world)
    for reason in ("", "   "):
        with pytest.raises(InvalidInput) as refused:
            services.spot_check_redraw(
                draw=first, reason=reason, sample_size=2, actor=world.user("yinzhou_leader")
            )
        assert "请写明重新抽取的理由" in refused.value.message
    page = street("yinzhou_leader").post(
        f"/inspection/spot-checks/draws/{first.pk}/redraw/",
        {"reason": "", "sample_size": "2", "inspector": world.user("yinzhou_inspector").pk},
    )
    assert page.status_code == 400
    body = page.content.decode()
    assert 'href="#id_reason"' in body and "请写明重新抽取的理由" in body
    assert SpotCheckDraw.objects.filter(replaces=first).count() == 0


def test_only_the_leader_redraws(world):
    first = first_draw(world)
    for login_name in ("yinzhou_inspector", "yinzhou_admin", "dongguan_leader"):
        with pytest.raises(NotAllowed):
            services.spot_check_redraw(draw=first, reason=REASON, sample_size=2, actor=world.user(login_name))
    other_office = street("dongguan_leader").get(f"/inspection/spot-checks/draws/{first.pk}/redraw/")
    assert other_office.status_code == 404


def test_a_redraw_with_a_reason_keeps_the_first_draw_on_the_record_and_calls_off_its_visits(world):
    first = first_draw(world)
    leader = world.user("yinzhou_leader")
    second = services.spot_check_redraw(draw=first, reason=f"  {REASON} ", sample_size=1, actor=leader)
    assert second.replaces == first and second.reason == REASON and second.drawn_by == leader
    assert second.period == PERIOD and second.checks.count() == 1
    assert set(first.checks.values_list("status", flat=True)) == {"redrawn"}
    with pytest.raises(Conflict):  # the first is set aside once
        services.spot_check_redraw(draw=first, reason=REASON, sample_size=1, actor=leader)
    with pytest.raises(Conflict):  # and a first draw of the period is still refused
        first_draw(world)
    third = services.spot_check_redraw(draw=second, reason="再次回避", sample_size=1, actor=leader)
    assert third.replaces == second

    # the inspector of the first draw no longer records it
    called_off = first.checks.all()[0]
    with pytest.raises(Conflict):
        services.spot_check_record(
            spot_check=called_off,
            actor=world.user("yinzhou_inspector"),
            visited_at=datetime(2026, 11, 20, 9, tzinfo=TZ),
            checklist={"board_current": True, "display_window_kept": True, "opinion_box": True},
        )
    refused = street("yinzhou_inspector").post(f"/inspection/spot-checks/{called_off.pk}/", {})
    assert refused.status_code == 403 and "不再暗访" in refused.content.decode()


def test_the_spot_check_page_shows_the_earlier_draw_marked_redrawn_with_who_when_and_why(world):
    first = first_draw(world)
    services.spot_check_redraw(draw=first, reason=REASON, sample_size=1, actor=world.user("yinzhou_leader"))
    page = street("yinzhou_inspector").get("/inspection/spot-checks/").content.decode()
    assert "2026年11月" in page and "重抽 1 次" in page
    assert "已重抽" in page and f"理由:{REASON}" in page
    assert "2026-11" not in page.split("</details>", 1)[1]  # periods are read in Chinese
    earlier = page.split("已重抽", 1)[1]
    assert str(world.user("yinzhou_leader")) in earlier  # who redrew it
    assert str(world.user("yinzhou_inspector")) in earlier  # who drew the first
    assert "年" in earlier and "月" in earlier and ":" in earlier  # when, in Chinese
    # the redraw link is the leader's only
    link = f"/inspection/spot-checks/draws/{SpotCheckDraw.objects.get(replaces=first).pk}/redraw/"
    assert link not in page
    assert link in street("yinzhou_leader").get("/inspection/spot-checks/").content.decode()


def test_the_dashboard_counts_the_redraws_of_each_period(world):
    first = first_draw(world)
    leader = world.user("yinzhou_leader")
    second = services.spot_check_redraw(draw=first, reason=REASON, sample_size=1, actor=leader)
    services.spot_check_redraw(draw=second, reason="再次回避", sample_size=1, actor=leader)
    first_draw(world, period="2026Q4")  # drawn once: nothing to count
    page = street("yinzhou_inspector").get("/inspection/?year=2026").content.decode()
    redraws = page.split("<h2>暗访重抽</h2>", 1)[1].split("<h2>", 1)[0]
    assert "2026年11月" in redraws and "重抽 2 次" in redraws and "第四季度" not in redraws
    other = street("dongguan_inspector").get("/inspection/?year=2026").content.decode()
    assert "没有重抽" in other


def test_a_draw_whose_visits_have_begun_cannot_be_redrawn(world):
    first = first_draw(world)
    check = first.checks.all()[0]
    services.spot_check_record(
        spot_check=check,
        actor=world.user("yinzhou_inspector"),
        visited_at=datetime(2026, 11, 20, 9, tzinfo=TZ),
        checklist={"board_current": True, "display_window_kept": True, "opinion_box": True},
    )
    with pytest.raises(Conflict):
        services.spot_check_redraw(
            draw=first, reason=REASON, sample_size=2, actor=world.user("yinzhou_leader")
        )
    page = street("yinzhou_leader").get(f"/inspection/spot-checks/draws/{first.pk}/redraw/").content.decode()
    assert "不能再重新抽取" in page and 'name="reason"' not in page


def test_the_database_keeps_every_draw_on_the_record(world):
    first = first_draw(world)

    def another(**redraw: object) -> SpotCheckDraw:
        return SpotCheckDraw.objects.create(
            street_office=world.yinzhou,
            period=PERIOD,
            seed="again",
            sample_size=1,
            population=["yincheng"],
            drawn=["yincheng"],
            drawn_by=world.user("yinzhou_inspector"),
            **redraw,
        )

    for change in (
        lambda: SpotCheckDraw.objects.filter(pk=first.pk).update(seed="another"),
        lambda: SpotCheckDraw.objects.filter(pk=first.pk).update(period="2026-12"),
        lambda: connection.cursor().execute("DELETE FROM inspection_spotcheckdraw WHERE id = %s", [first.pk]),
        lambda: another(),  # a second first draw of the period
        lambda: another(replaces=first, reason=""),  # a redraw without a reason
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            change()
    first.refresh_from_db()
    assert first.seed == "first" and first.period == PERIOD
