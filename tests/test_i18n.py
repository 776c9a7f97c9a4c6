"""One language at a time: Chinese unless the person picks English with the switcher (a cookie);
the browser's Accept-Language never switches it; kiosks and printed notices are always Chinese."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """LocaleMiddleware leaves the request's language active in the thread; later tests expect Chinese."""
    yield
    translation.deactivate()


def english(client):
    """A visitor who picked English with the switcher."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_an_english_browser_alone_still_gets_chinese(world, client_for):
    for site, path in (
        (None, "/"),
        ("yincheng", "/"),
        ("yincheng", "/disclosures/"),
        ("yincheng", "/accounts/login/"),
    ):
        response = client_for(site).get(path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert response.status_code == 200, path
        page = response.content.decode()
        assert '<html lang="zh-CN">' in page, path
        assert "Accept-Language" not in response.get("Vary", ""), path


def test_street_office_home_is_english_when_the_person_picks_it(world, client_for):
    response = english(client_for(None)).get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Street office staff login" in page
    assert "街道工作人员登录" not in page
    assert '<html lang="en">' in page


def test_kiosks_and_printed_notices_stay_chinese_for_an_english_visitor(world, client_for):
    client = english(client_for("yincheng"))
    for path in ("/screen/", "/touch/"):
        page = client.get(path).content.decode()
        assert '<html lang="zh-CN">' in page, path
    assert '<html lang="en">' in client.get("/").content.decode()  # the portal itself follows the choice


def test_street_office_home_is_chinese_by_default(world, client_for):
    response = client_for(None).get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "街道工作人员登录" in page
    assert "Street office staff login" not in page
    assert '<html lang="zh-CN">' in page


def test_community_login_page_is_english_and_keeps_the_community_name(world, client_for):
    response = english(client_for("yincheng")).get("/accounts/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "银城社区 staff login" in page
    assert "This login is only for staff of 银城社区." in page
    assert "工作人员登录" not in page


def test_login_refusal_is_translated(world, client_for):
    response = english(client_for("yinnan")).post(
        "/accounts/login/", {"username": "yincheng_handler", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "You are not a staff member of “银南社区”" in response.content.decode()


def test_language_switcher_is_on_every_page(world, client_for):
    for site in (None, "yincheng"):
        page = client_for(site).get("/").content.decode()
        assert '<span aria-current="true" lang="zh-hans">简体中文</span>' in page
        assert 'href="/text-size/?lang=en&amp;next=/"' in page and ">English</a>" in page


def test_switching_language_changes_later_pages(world, client_for):
    client = client_for(None)
    assert "街道工作人员登录" in client.get("/").content.decode()
    response = client.get("/text-size/", {"lang": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert "Street office staff login" in page and "街道工作人员登录" not in page
    client.get("/text-size/", {"lang": "zh-hans", "next": "/"})
    assert "街道工作人员登录" in client.get("/").content.decode()


def test_the_switch_ignores_a_language_it_does_not_have(world, client_for):
    client = client_for(None)
    response = client.get("/text-size/", {"lang": "fr", "next": "/"})
    assert response.status_code == 302 and "django_language" not in response.cookies
    assert '<html lang="zh-CN">' in client.get("/").content.decode()
