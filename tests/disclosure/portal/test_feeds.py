"""Atom feeds of a community: valid Atom (RFC 4287's required elements), exactly what the portal shows
a resident today, only its public text, one category at a time if asked."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure.choices import Audience, Category, ContentType
from tests.factories import HOUSEHOLD, draft, published_recently

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def items(world):
    with tenant_context(world.yincheng):
        return {
            "notice": published_recently(
                world,
                title="路灯维修 x<y & 说明",
                category=Category.GOVERNMENT,
                body="<p>更换路灯 <b>12</b> 盏,x&lt;y。</p>",
            ),
            "roster": published_recently(
                world,
                title="十一月低保名单公示",
                category=Category.AFFAIRS,
                content_type=ContentType.RELIEF,
                data={"programme": "城市最低生活保障", "households": [HOUSEHOLD]},
            ),
            "party": published_recently(
                world,
                title="预备党员转正表决结果",
                audience=Audience.PARTY_FIRST,
                public_from=timezone.localdate() + timedelta(days=5),
            ),
            "draft": draft(world, title="还在起草的事项"),
        }


def feed(client, url="/feed/"):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_the_feed_is_valid_atom_with_what_the_portal_shows(items, client_for):
    root = feed(client_for("yincheng"))
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None and root.find(f"{ATOM}{required}").text
    assert any(link.get("rel") == "self" for link in root.findall(f"{ATOM}link"))
    entries = root.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert items["notice"].title in titles and items["roster"].title in titles
    assert items["party"].title not in titles and items["draft"].title not in titles
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(ids) == len(set(ids))
    for entry in entries:
        assert entry.find(f"{ATOM}updated").text
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith("http://yincheng.localhost/disclosures/")
    notice = next(e for e in entries if e.find(f"{ATOM}title").text == items["notice"].title)
    summary = notice.find(f"{ATOM}summary").text
    assert summary == "更换路灯 12 盏,x<y。"  # the public text, without markup, as written


def test_a_roster_in_the_feed_says_how_many_households_and_names_nobody(items, client_for):
    body = client_for("yincheng").get("/feed/").content.decode()
    assert "城市最低生活保障救助对象 1 户" in body
    assert HOUSEHOLD["name"] not in body and HOUSEHOLD["id_number"] not in body
    assert HOUSEHOLD["name"][0] + "*" not in body  # not even the masked name


def test_a_category_feed_carries_that_category_only(items, client_for):
    root = feed(client_for("yincheng"), f"/feed/{Category.AFFAIRS}/")
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert titles == [items["roster"].title]
    assert "事务" in root.find(f"{ATOM}title").text
    assert client_for("yincheng").get("/feed/nonsense/").status_code == 404


def test_another_community_s_feed_has_none_of_it(items, client_for):
    root = feed(client_for("yinnan"))
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert items["notice"].title not in titles


def test_every_portal_page_points_feed_readers_at_the_feed(items, client_for):
    html = client_for("yincheng").get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html and 'href="/feed/"' in html
