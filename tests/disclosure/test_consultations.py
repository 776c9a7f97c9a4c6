"""征求意见 (新视界方案 四(一) 事前公示): a consultation's opinion period, its result published only after
the period, and the links between a consultation, its result and the disclosure that carried the
decision out. Each rule has a test that fails if the rule breaks; every date is derived from the day the
test runs or fixed in the past."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure import consultations, content, services
from disclosure.choices import Category, ContentType
from disclosure.models import Disclosure
from disclosure.rules import CONSULTATION_MIN_DAYS
from tenants.errors import Conflict, InvalidInput
from tests.conftest import login
from tests.factories import at, here, published, signed
from workdays.dates import zh_date

pytestmark = pytest.mark.django_db


def period(opens: date, days: int = CONSULTATION_MIN_DAYS) -> dict[str, str]:
    return {"opens_on": opens.isoformat(), "closes_on": (opens + timedelta(days=days - 1)).isoformat()}


def consultation(
    world, *, opens: date, days: int = CONSULTATION_MIN_DAYS, title: str = "关于加装电梯的意见征集"
):
    """Published on its opening day, submitted two weeks before."""
    return published(
        world,
        on=opens,
        today=opens - timedelta(days=14),
        planned=opens,
        title=title,
        category=Category.AFFAIRS,
        content_type=ContentType.CONSULTATION,
        body="<p>拟在3号楼加装电梯,费用由住户分摊。</p>",
        data=period(opens, days),
    )


def result_data(consultation_pk: int, follow_up: int | None = None) -> dict[str, object]:
    return {
        "consultation": consultation_pk,
        "summary": "共收到意见 12 条,其中赞成 9 条。",
        "decision": "同意加装电梯,按楼层分摊费用。",
        "follow_up": follow_up or "",
    }


def result_signed(world, consultation_pk: int, *, on: date, follow_up: int | None = None):
    return signed(
        world,
        today=on - timedelta(days=21),
        planned=on - timedelta(days=7),
        title="关于加装电梯的征求意见结果",
        category=Category.AFFAIRS,
        content_type=ContentType.CONSULTATION_RESULT,
        body="",
        data=result_data(consultation_pk, follow_up),
    )


def publish(world, d, on: date):
    return services.disclosure_publish(
        community=here(),
        disclosure=d,
        actor=world.user("yincheng_handler"),
        channels=["board", "web"],
        now=at(on),
    )


# --- the opinion period ---------------------------------------------------------------------------


def test_an_opinion_period_is_at_least_the_minimum_days_both_ends_counted():
    opens = date(2026, 12, 1)
    assert content.validate(ContentType.CONSULTATION, period(opens)) == period(opens)
    with pytest.raises(InvalidInput, match=f"至少 {CONSULTATION_MIN_DAYS} 天"):
        content.validate(ContentType.CONSULTATION, period(opens, CONSULTATION_MIN_DAYS - 1))
    with pytest.raises(InvalidInput, match="截止日期"):
        content.validate(ContentType.CONSULTATION, {"opens_on": "2026-12-01", "closes_on": ""})


def test_a_consultation_published_too_late_for_the_minimum_period_is_refused(world, in_yincheng):
    opens = date(2026, 6, 8)
    d = signed(
        world,
        content_type=ContentType.CONSULTATION,
        title="关于小区停车收费的意见征集",
        data=period(opens),
    )
    with pytest.raises(Conflict, match=f"至少要 {CONSULTATION_MIN_DAYS} 天"):
        publish(world, d, opens + timedelta(days=1))
    published_d = publish(world, d, opens)
    # on display at least until the period closes
    assert published_d.display_until >= opens + timedelta(days=CONSULTATION_MIN_DAYS - 1)


# --- the result -------------------------------------------------------------------------------------


def test_a_result_is_published_only_after_the_period_has_ended(world, in_yincheng):
    c = consultation(world, opens=date(2026, 6, 8))
    closes = date(2026, 6, 8) + timedelta(days=CONSULTATION_MIN_DAYS - 1)
    r = result_signed(world, c.pk, on=closes)
    with pytest.raises(Conflict, match="截止之后才能公布征求意见结果"):
        publish(world, r, closes)
    assert publish(world, r, closes + timedelta(days=1)).status == "published"


def test_a_result_names_a_published_consultation_and_a_published_follow_up(world, in_yincheng):
    other = published(world, title="2026年5月社区事务公开")
    with pytest.raises(InvalidInput, match="哪一次征求意见"):
        content.validate(ContentType.CONSULTATION_RESULT, {"summary": "x", "decision": "y"})
    r = result_signed(world, other.pk, on=date(2026, 7, 1))  # not a consultation
    with pytest.raises(Conflict, match="不存在或还没有公布"):
        publish(world, r, date(2026, 7, 1))


# --- links both ways on the portal --------------------------------------------------------------------


def test_the_consultation_its_result_and_the_follow_up_link_to_each_other(world, client_for):
    today = timezone.localdate()
    with tenant_context(world.yincheng):
        c = consultation(world, opens=today - timedelta(days=30))
        follow_up = published(
            world,
            on=today - timedelta(days=2),
            today=today - timedelta(days=16),
            planned=today - timedelta(days=2),
            title="3号楼加装电梯工作计划",
            content_type=ContentType.PLAN,
            data={"milestones": [{"name": "施工", "planned_date": "2027-03-01", "progress": 0}]},
        )
        r = result_signed(world, c.pk, on=today, follow_up=follow_up.pk)
        r = publish(world, r, today - timedelta(days=1))
    client = client_for("yincheng")
    consultation_page = client.get(f"/disclosures/{c.pk}/").content.decode()
    closes = today - timedelta(days=30 - CONSULTATION_MIN_DAYS + 1)
    assert f"意见征集已于 {zh_date(closes)} 截止" in consultation_page
    assert f'href="/disclosures/{r.pk}/"' in consultation_page
    assert f'href="/disclosures/{follow_up.pk}/"' in consultation_page
    result_page = client.get(f"/disclosures/{r.pk}/").content.decode()
    assert (
        f'href="/disclosures/{c.pk}/"' in result_page
        and f'href="/disclosures/{follow_up.pk}/"' in result_page
    )
    assert "同意加装电梯" in result_page
    follow_up_page = client.get(f"/disclosures/{follow_up.pk}/").content.decode()
    assert f'href="/disclosures/{r.pk}/"' in follow_up_page


def test_an_open_consultation_says_until_when_in_chinese(world, client_for):
    today = timezone.localdate()
    with tenant_context(world.yincheng):
        c = consultation(world, opens=today - timedelta(days=2))
    html = client_for("yincheng").get(f"/disclosures/{c.pk}/").content.decode()
    closes = today - timedelta(days=2) + timedelta(days=CONSULTATION_MIN_DAYS - 1)
    assert f"意见征集中,截至 {zh_date(closes)}" in html


def test_the_portal_home_puts_an_open_consultation_in_front_of_residents_until_it_closes(world, client_for):
    """事前征求意见 reaches residents only if they see it: the home page lists what takes opinions today,
    with its closing date, above the categories; a consultation whose period has ended is not there."""
    today = timezone.localdate()
    with tenant_context(world.yincheng):
        open_one = consultation(world, opens=today - timedelta(days=2), title="关于调整停车收费的意见征集")
        ended = today - timedelta(days=CONSULTATION_MIN_DAYS)
        closed = consultation(world, opens=ended, title="关于更换门禁的意见征集")
        both = Disclosure.objects.filter(pk__in=[open_one.pk, closed.pk])
        # the rule itself, whatever the display window: the period decides, not publication
        assert [d.pk for d, _period in consultations.open_now(both, on=today)] == [open_one.pk]
        assert [d.pk for d, _period in consultations.open_now(both, on=ended)] == [closed.pk]
    home = client_for("yincheng").get("/").content.decode()
    box = home.split('id="consulting"', 1)[1].split("</section>", 1)[0]
    closes = today - timedelta(days=2) + timedelta(days=CONSULTATION_MIN_DAYS - 1)
    assert f'href="/consultations/{open_one.pk}/"' in box and f"意见征集中,截至 {zh_date(closes)}" in box
    assert "关于更换门禁的意见征集" not in box  # closed yesterday
    assert home.index('id="consulting"') < home.index('id="by-category"')


# --- the editor -------------------------------------------------------------------------------------


def _editor_post(**fields: str) -> dict[str, str]:
    return {"save": "1", "category": "affairs", "audience": "public", "body": "<p>拟加装电梯。</p>", **fields}


def test_the_editor_saves_a_consultation_and_says_in_chinese_when_the_period_is_too_short(world, client_for):
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    assert client.get("/workspace/disclosures/new/?content_type=consultation").status_code == 200
    short = _editor_post(
        title="关于加装电梯的意见征集",
        content_type="consultation",
        **{"cs-opens_on": "2026-12-01", "cs-closes_on": "2026-12-05"},
    )
    response = client.post("/workspace/disclosures/new/", short)
    assert response.status_code == 400
    assert f"至少 {CONSULTATION_MIN_DAYS} 天" in response.content.decode()
    assert "2026-12-05" in response.content.decode()  # what was typed stays
    response = client.post("/workspace/disclosures/new/", {**short, "cs-closes_on": "2026-12-15"})
    assert response.status_code == 302
    with tenant_context(world.yincheng):
        assert Disclosure.objects.get().data == {"opens_on": "2026-12-01", "closes_on": "2026-12-15"}


def test_the_editor_offers_published_consultations_for_a_result(world, client_for):
    with tenant_context(world.yincheng):
        c = consultation(world, opens=date(2026, 6, 8))
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    page = client.get("/workspace/disclosures/new/?content_type=consultation_result").content.decode()
    assert f'<option value="{c.pk}">{c.title}</option>' in page
    response = client.post(
        "/workspace/disclosures/new/",
        _editor_post(
            title="关于加装电梯的征求意见结果",
            content_type="consultation_result",
            **{"cr-consultation": str(c.pk), "cr-summary": "共 12 条", "cr-decision": "同意"},
        ),
    )
    assert response.status_code == 302
