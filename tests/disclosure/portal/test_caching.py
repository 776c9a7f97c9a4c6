"""Residents' pages from the cache (disclosure/portal/caching.py): rendered once for every anonymous
visitor, replaced by the change that commits, answered with a 304 when the browser has them already,
never served to or stored from a signed-in user, one entry per language."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from communities import services as community_services
from tenants.selectors import site_version_of
from tests.conftest import login
from tests.factories import published

pytestmark = pytest.mark.django_db


def get(client: Client, url: str = "/", **headers: str) -> tuple[int, str, CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response.status_code, response.content.decode(), queries


def rendered(queries: CaptureQueriesContext) -> bool:
    """The page was built (what it shows read), not taken from the cache: a query beyond the schema's
    ``SET search_path`` and the community's version."""
    return any(
        "search_path" not in q["sql"] and "tenants_siteversion" not in q["sql"]
        for q in queries.captured_queries
    )


def test_a_cached_portal_page_is_replaced_in_the_same_request_cycle_as_the_publication(world, client_for):
    client = client_for("yincheng")
    pages = ("/", "/disclosures/", "/feed/", "/touch/")  # the touch screen's home counts the items
    before = {}
    for url in pages:
        first = get(client, url)
        again = get(client, url)
        assert first[0] == again[0] == 200 and first[1] == again[1]
        assert rendered(first[2]) and not rendered(again[2]), f"{url} is not served from the cache"
        sql = [q["sql"] for q in again[2].captured_queries]
        assert len(sql) == 2 and "search_path" in sql[0] and "siteversion" in sql[1], f"{url}: {sql}"
        before[url] = first[1]

    with tenant_context(world.yincheng):
        d = published(world, title="十二月社区停车位分配结果")

    for url in pages:
        status, html, queries = get(client, url)
        assert status == 200 and rendered(queries) and html != before[url], f"{url} is stale"
        assert d.title in html or url == "/touch/"
    assert d.title in get(client, f"/disclosures/{d.pk}/")[1]


def test_a_contact_change_replaces_the_cached_home_page(world, client_for):
    client = client_for("yincheng")
    assert "0951-7654321" not in get(client)[1]
    with tenant_context(world.yincheng):
        community_services.profile_update(
            actor=world.user("yincheng_director"), community=world.yincheng, phone="0951-7654321"
        )
    assert "0951-7654321" in get(client)[1]


def test_a_rolled_back_change_never_moves_the_version(world, client_for):
    before = site_version_of(world.yincheng)
    with pytest.raises(RuntimeError), transaction.atomic(), tenant_context(world.yincheng):
        published(world, title="没有提交的公布")
        assert site_version_of(world.yincheng) != before
        raise RuntimeError("the publication's transaction fails after the bump")
    assert site_version_of(world.yincheng) == before
    assert "没有提交的公布" not in get(client_for("yincheng"))[1]


def test_a_matching_etag_gets_a_304_until_something_changes(world, client_for):
    client = client_for("yincheng")
    response = client.get("/")
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert "no-cache" in response["Cache-Control"]

    again = client.get("/", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/", headers={"if-modified-since": last_modified}).status_code == 304

    with tenant_context(world.yincheng):
        published(world, title="新公布的一项")
    changed = client.get("/", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "新公布的一项" in changed.content.decode()


def test_a_signed_in_user_never_gets_a_cached_page_nor_leaves_one(world, client_for):
    staff = client_for("yincheng")
    assert login(staff, "yincheng_director").status_code == 302
    name = world.user("yincheng_director").get_full_name()

    # signed in first: nothing of their page is kept for the residents
    status, html, _ = get(staff)
    assert status == 200 and name in html
    resident = client_for("yincheng")
    status, html, queries = get(resident)
    assert name not in html and "csrfmiddlewaretoken" not in html and rendered(queries)

    # the residents' page is cached now, and still never served to the signed-in director
    status, html, queries = get(staff)
    assert name in html and rendered(queries)
    response = staff.get("/", headers={"if-none-match": resident.get("/")["ETag"]})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert not response.has_header("ETag")


def test_each_language_and_text_size_has_its_own_entry(world, client_for):
    client = client_for("yincheng")
    chinese = client.get("/")
    assert chinese["Content-Language"] == "zh-hans"
    assert client.get("/text-size/", {"lang": "en", "next": "/"}).status_code == 302
    english = client.get("/")
    assert english["Content-Language"] == "en" and 'lang="en"' in english.content.decode()
    assert english["ETag"] != chinese["ETag"]
    # a kiosk is Chinese whatever the cookie: one entry for both
    assert 'lang="zh-CN"' in client.get("/touch/").content.decode()

    client.get("/text-size/", {"large": "1"})
    large = client.get("/")
    assert "portal--large" in large.content.decode()
    assert large["ETag"] not in (english["ETag"], chinese["ETag"])
    client.get("/text-size/", {"contrast": "1"})
    contrast = client.get("/")
    assert "portal--contrast" in contrast.content.decode()
    assert contrast["ETag"] not in (english["ETag"], chinese["ETag"], large["ETag"])
    client.get("/text-size/", {"contrast": "0"})
    client.get("/text-size/", {"lang": "zh-hans"})
    client.get("/text-size/", {"large": "0"})
    back = client.get("/")
    assert back["ETag"] == chinese["ETag"] and 'lang="zh-CN"' in back.content.decode()
