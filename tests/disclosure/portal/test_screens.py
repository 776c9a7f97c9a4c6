"""The e-screen and the touch screen: what is on display now, masked as on the portal, refreshed
when something is published, configured by the address, and no inline script."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone
from django_tenants.utils import tenant_context

from communities.models import CommunityProfile
from disclosure.choices import Audience, Category, ContentType
from tests.factories import HOUSEHOLD, published, published_recently

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
            "current": published_recently(world, title="十一月社区事务公开", body="<p>更换路灯 12 盏。</p>"),
            "old": published(world, title="六月社区事务公开(已过公示期)", on=date(2026, 6, 8)),
            "party": published_recently(
                world,
                title="预备党员转正表决结果",
                body="<p>党内先行的表决结果</p>",
                audience=Audience.PARTY_FIRST,
                public_from=today + timedelta(days=5),
            ),
            "roster": published_recently(
                world,
                title="十一月低保名单公示",
                content_type=ContentType.RELIEF,
                data={"programme": "城市最低生活保障", "households": [HOUSEHOLD]},
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
        published_recently(world, title="新公布的事项")
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
