"""The e-screen and the touch screen: what is on display now, masked as on the portal, refreshed
when something is published, configured by the address, and no inline script."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone
from django_tenants.utils import tenant_context

from communities.models import CommunityProfile
from disclosure import services
from disclosure.choices import Audience, Category, ContentType
from tests.factories import HOUSEHOLD, ON_SCREEN, published, published_recently, renewal_opened
from workdays.dates import zh_date

pytestmark = pytest.mark.django_db


def get(client, url, **params):
    response = client.get(url, params)
    return response.status_code, response.content.decode()


@pytest.fixture
def shown(world):
    """One item on display, one whose window ended, one party-internal item before its public day,
    a relief roster on display."""
    today = timezone.localdate()
    with tenant_context(world.yincheng):
        CommunityProfile.objects.update_or_create(
            id=1, defaults={"name": "银城社区", "overview": "银城社区位于镇中心。", "population": 8200}
        )
        return {
            "current": published_recently(
                world, title="十一月社区事务公开", body="<p>更换路灯 12 盏。</p>", channels=ON_SCREEN
            ),
            "old": published(
                world, title="六月社区事务公开(已过公示期)", on=date(2026, 6, 8), channels=ON_SCREEN
            ),
            "board_only": published_recently(world, title="只在公开栏张贴的通知", body="<p>公开栏见。</p>"),
            "party": published_recently(
                world,
                title="预备党员转正表决结果",
                body="<p>党内先行的表决结果</p>",
                audience=Audience.PARTY_FIRST,
                public_from=today + timedelta(days=5),
                channels=ON_SCREEN,
            ),
            "roster": published_recently(
                world,
                title="十一月低保名单公示",
                content_type=ContentType.RELIEF,
                data={"programme": "城市最低生活保障", "households": [HOUSEHOLD]},
                channels=ON_SCREEN,
            ),
        }


def test_the_screen_rotates_through_what_is_on_display_today_only(shown, client_for):
    status, html = get(client_for("yincheng"), "/screen/")
    assert status == 200
    assert shown["current"].title in html and "更换路灯 12 盏" in html
    assert shown["old"].title not in html
    assert shown["party"].title not in html and "党内先行的表决结果" not in html
    assert "银城社区位于镇中心" in html  # the overview slide
    assert len(re.findall(r'class="slide slide--', html)) == 3  # overview, current, roster
    assert len(re.findall(r"<section[^>]* hidden", html)) == 2  # one slide visible without script


def test_only_items_published_through_the_e_screen_channel_are_on_it(shown, client_for):
    html = get(client_for("yincheng"), "/screen/")[1]
    assert shown["board_only"].title not in html and "公开栏见" not in html
    assert shown["current"].title in html
    portal = get(client_for("yincheng"), "/disclosures/")[1]
    assert shown["board_only"].title in portal  # the portal carries every channel's items


def test_the_counter_counts_the_items_the_overview_announces(shown, client_for):
    html = get(client_for("yincheng"), "/screen/")[1]
    assert "今天正在公示 2 项内容" in html
    labels = re.findall(r'data-label="([^"]*)"', html)
    assert labels == ["社区概况", "第 1 项 / 共 2 项", "第 2 项 / 共 2 项"]
    assert '<span class="screen__count" data-count>社区概况</span>' in html


def finance_lines(n: int) -> list[dict]:
    return [
        {
            "date": timezone.localdate().replace(day=1).isoformat(),
            "description": f"第{i}笔支出",
            "direction": "expense",
            "category": "办公费",
            "amount": "10.00",
            "voucher": f"付-{i:03d}",
        }
        for i in range(1, n + 1)
    ]


def test_a_long_item_goes_on_over_several_slides_and_says_what_is_left(world, client_for):
    from disclosure.portal.screens import ROWS_PER_SLIDE, SLIDES_PER_ITEM

    per_slide = ROWS_PER_SLIDE[ContentType.FINANCE]
    n = per_slide * SLIDES_PER_ITEM + 5
    with tenant_context(world.yincheng):
        statement = published_recently(
            world,
            title="本季度财务收支明细",
            category=Category.FINANCE,
            content_type=ContentType.FINANCE,
            channels=ON_SCREEN,
            data={
                "period": "2026年第三季度",
                "opening_balance": str(10 * n),
                "closing_balance": "0.00",
                "lines": finance_lines(n),
            },
        )
    html = get(client_for("yincheng"), "/screen/")[1]
    assert html.count(f"{statement.title}<span") == SLIDES_PER_ITEM
    for page in range(1, SLIDES_PER_ITEM + 1):
        assert f"第 1 项 / 共 1 项 · 第 {page}/{SLIDES_PER_ITEM} 屏" in html
    for i in (1, per_slide + 1, per_slide * SLIDES_PER_ITEM):  # the first line of each slide, the last shown
        assert f"第{i}笔支出<" in html
    assert f"第{per_slide * SLIDES_PER_ITEM + 1}笔支出<" not in html
    assert "还有 5 项,请扫码查看全文" in html


def test_a_long_text_is_split_at_sentences_not_cut(world, client_for):
    sentences = [f"第{i}句说明社区本月办理的事项和结果,请居民知悉。" for i in range(1, 16)]
    with tenant_context(world.yincheng):
        published_recently(
            world, title="社区事务月度公开", body=f"<p>{''.join(sentences)}</p>", channels=ON_SCREEN
        )
    html = get(client_for("yincheng"), "/screen/")[1]
    for sentence in sentences[:8]:
        assert sentence in html  # whole sentences, over as many slides as they need
    assert "第 1 项 / 共 1 项 · 第 2/" in html


def test_the_cadre_board_is_shown_once(world, client_for):
    from communities.models import Committee, Officer

    with tenant_context(world.yincheng):
        committee, _ = Committee.objects.get_or_create(kind="residents", defaults={"name": "居委会"})
        Officer.objects.create(committee=committee, name="赵建华", post="主任", phone="0931-8821001")
        published_recently(
            world,
            title="居委会干部监督台",
            category=Category.AFFAIRS,
            content_type=ContentType.CADRE,
            channels=ON_SCREEN,
            data={"officers": [{"name": "赵建华", "post": "主任", "phone": "0931-8821001"}]},
        )
    html = get(client_for("yincheng"), "/screen/")[1]
    assert html.count("0931-8821001") == 1
    assert "slide--officers" not in html


def test_a_date_in_another_year_carries_its_year(world, client_for):
    """A fixed item published 400 days ago (its renewal still open) and one published today: the old
    publication day is written with its year, today's without (it is this year's)."""
    today = timezone.localdate()
    with tenant_context(world.yincheng):
        renewal = renewal_opened(world, published_on=today - timedelta(days=400), on=today)
        services.obligations_refresh(community=world.yincheng, on=today)
        old = renewal.renews
        assert old is not None and old.published_at is not None
        published_recently(world, title="今天公布的事项", channels=ON_SCREEN)
    html = get(client_for("yincheng"), "/screen/")[1]
    assert f"{zh_date(old.published_at.date())} 公布" in html
    assert f"{zh_date(today, year=False)} 公布" in html
    assert f"{zh_date(today)} 公布" not in html


def test_the_screen_shows_rosters_masked(shown, client_for):
    html = get(client_for("yincheng"), "/screen/")[1]
    assert "王*国" in html
    assert "王建国" not in html and HOUSEHOLD["id_number"] not in html


def test_another_communitys_screen_shows_none_of_it(shown, client_for):
    html = get(client_for("yinnan"), "/screen/")[1]
    assert shown["current"].title not in html and shown["roster"].title not in html


def test_the_interval_comes_from_the_address_and_bad_values_are_refused_in_chinese(shown, client_for):
    client = client_for("yincheng")
    html = get(client, "/screen/", interval=20, poll=5)[1]
    assert 'data-interval="20"' in html and 'data-poll="5"' in html
    # without script, the page itself moves to the next slide after the interval
    assert 'http-equiv="refresh" content="20;url=/screen/?slide=1&amp;interval=20&amp;poll=5"' in html
    for bad in ("abc", "0", "100000"):
        status, html = get(client, "/screen/", interval=bad)
        assert status == 400, bad
        assert "每条停留秒数" in html


def test_state_json_changes_when_something_is_published_and_answers_304_otherwise(world, shown, client_for):
    client = client_for("yincheng")
    first = client.get("/screen/state.json")
    assert first.status_code == 200 and first["ETag"]
    fingerprint = first.json()["fingerprint"]
    assert fingerprint in get(client, "/screen/")[1]
    again = client.get("/screen/state.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    with tenant_context(world.yincheng):
        published_recently(world, title="新公布的事项", channels=ON_SCREEN)
    changed = client.get("/screen/state.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["fingerprint"] != fingerprint


def test_the_party_internal_item_does_not_change_the_state_before_its_day(world, client_for):
    client = client_for("yincheng")
    before = client.get("/screen/state.json").json()["fingerprint"]
    with tenant_context(world.yincheng):
        published_recently(
            world,
            title="党内先行",
            audience=Audience.PARTY_FIRST,
            public_from=timezone.localdate() + timedelta(days=3),
            channels=ON_SCREEN,
        )
    assert client.get("/screen/state.json").json()["fingerprint"] == before


@pytest.mark.parametrize(
    "url", ["/screen/", "/touch/", "/touch/overview/", "/touch/services/", "/touch/category/affairs/"]
)
def test_kiosk_pages_carry_no_inline_script_and_their_scripts_are_served_by_the_app(url, shown, client_for):
    html = get(client_for("yincheng"), url)[1]
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts, "no script at all"
    for attributes, body in scripts:
        assert 'src="/static/' in attributes and not body.strip()
        source = re.search(r'src="/static/([^"]+)"', attributes)
        assert source is not None, attributes
        path = source.group(1)
        assert finders.find(path), path
    assert not re.search(r"<[^>]+\son(click|load|error|touch\w*)=", html)


def test_touch_home_has_a_button_per_category_the_overview_and_the_service_guides(shown, client_for):
    html = get(client_for("yincheng"), "/touch/")[1]
    for category in Category.values:
        assert f'href="/touch/category/{category}/"' in html
    assert 'href="/touch/overview/"' in html and 'href="/touch/services/"' in html
    assert "党务公开" in html and "财务公开" in html


def test_a_touch_category_lists_its_current_items_only(shown, world, client_for):
    client = client_for("yincheng")
    html = get(client, "/touch/category/affairs/")[1]
    assert shown["current"].title in html and shown["roster"].title in html
    assert shown["party"].title not in html
    assert shown["current"].title not in get(client, "/touch/category/finance/")[1]
    assert get(client, "/touch/category/nonsense/")[0] == 404


def test_touch_detail_follows_the_portal_s_visibility_and_masking(shown, client_for):
    client = client_for("yincheng")
    status, html = get(client, f"/touch/disclosures/{shown['roster'].pk}/")
    assert status == 200 and "王*国" in html and "王建国" not in html and HOUSEHOLD["id_number"] not in html
    assert get(client, f"/touch/disclosures/{shown['party'].pk}/")[0] == 404
    assert get(client_for("yinnan"), f"/touch/disclosures/{shown['current'].pk}/")[0] == 404


def test_touch_services_lists_service_guides(world, client_for):
    with tenant_context(world.yincheng):
        guide = published_recently(
            world,
            title="居住证办理指南",
            category=Category.SERVICE,
            content_type=ContentType.SERVICE_GUIDE,
            body="",
            data={"steps": ["到社区服务大厅登记"], "documents": [], "fee": "免费", "time_limit": "当场"},
        )
    html = get(client_for("yincheng"), "/touch/services/")[1]
    assert guide.title in html and f"/touch/disclosures/{guide.pk}/" in html


def test_the_idle_time_is_set_once_by_the_address_and_remembered(shown, client_for):
    client = client_for("yincheng")
    assert 'data-idle="90"' in get(client, "/touch/")[1]
    response = client.get("/touch/", {"idle": 45})
    assert 'data-idle="45"' in response.content.decode() and response.cookies["gk_touch_idle"].value == "45"
    html = get(client, f"/touch/disclosures/{shown['current'].pk}/")[1]
    assert 'data-idle="45"' in html
    assert 'http-equiv="refresh" content="45;url=/touch/"' in html  # without script, too
    assert get(client, "/touch/", idle="soon")[0] == 400
