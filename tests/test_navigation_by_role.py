"""Menus offer only what the person may open: for every community role, every street-office role and an
anonymous visitor, each entry of the navigation registry on that site is followed, and a link shown must
open (200) while a link not shown must refuse (403/404) or send to the login page. The entries come from
the registry itself, so an entry added to any app's ``navigation.py`` is covered without touching this
file. The working-day calculator and the survey's vote page keep the menu of the site they are on."""

from __future__ import annotations

import re

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse, set_urlconf

from tenants import navigation
from tenants.choices import CommunityRole, StreetOfficeRole
from tests.conftest import login

pytestmark = pytest.mark.django_db

URLCONF = {
    navigation.Site.COMMUNITY: "config.urls_tenant",
    navigation.Site.STREET_OFFICE: "config.urls_public",
}
COMMUNITY_VISITORS = [f"yincheng_{role.value}" for role in CommunityRole] + [None]
STREET_OFFICE_VISITORS = [f"yinzhou_{role.value}" for role in StreetOfficeRole] + [None]
NAV = re.compile(r'<nav class="(?:subnav|portal-nav)"[^>]*>(.*?)</nav>', re.S)
HREF = re.compile(r'<a href="([^"]+)"')


def _every_entry(site: navigation.Site) -> set[str]:
    """The URL of every entry of every menu that lives on ``site``."""
    return {
        reverse(entry.url_name, urlconf=URLCONF[site])
        for section in navigation.Section
        for entry in navigation.entries(section)
        if entry.site == site
    }


def _offered(
    request: HttpRequest, sections: tuple[navigation.Section, ...] = tuple(navigation.Section)
) -> set[str]:
    """What the registry offers the user of ``request`` on its site, in these menus (all by default)."""
    set_urlconf(getattr(request, "urlconf", None))
    try:
        return {item.url for section in sections for item in navigation.menu(section, request)}
    finally:
        set_urlconf(None)


def _visit(client_for, code: str | None, username: str | None) -> tuple[Client, set[str]]:  # type: ignore[no-untyped-def]
    client = client_for(code)
    if username is not None:
        assert login(client, username).status_code == 302, f"{username} could not log in"
    page = client.get("/calendar/")  # every host serves it, to everyone
    assert page.status_code == 200
    return client, _offered(page.wsgi_request)


def _assert_menus_tell_the_truth(client: Client, offered: set[str], every: set[str], who: str) -> None:
    assert offered <= every
    for url in sorted(every):
        status = client.get(url).status_code
        if url in offered:
            assert status == 200, f"{who} is offered {url}, which answers {status}"
        else:
            assert status in (302, 403, 404), f"{who} is not offered {url}, which answers {status}"


@pytest.mark.parametrize("username", COMMUNITY_VISITORS, ids=lambda u: u or "anonymous")
def test_every_community_menu_link_shown_opens_and_every_one_hidden_is_refused(world, client_for, username):
    client, offered = _visit(client_for, "yincheng", username)
    _assert_menus_tell_the_truth(
        client, offered, _every_entry(navigation.Site.COMMUNITY), username or "a visitor"
    )


@pytest.mark.parametrize("username", STREET_OFFICE_VISITORS, ids=lambda u: u or "anonymous")
def test_every_street_office_menu_link_shown_opens_and_every_one_hidden_is_refused(
    world, client_for, username
):
    client, offered = _visit(client_for, None, username)
    _assert_menus_tell_the_truth(
        client, offered, _every_entry(navigation.Site.STREET_OFFICE), username or "a visitor"
    )


def test_the_handler_is_not_offered_the_profile_that_only_the_two_heads_may_edit(world, client_for):
    client, offered = _visit(client_for, "yincheng", "yincheng_handler")
    profile = reverse("profile_edit", urlconf=URLCONF[navigation.Site.COMMUNITY])
    assert profile not in offered
    assert profile not in client.get("/workspace/").content.decode()
    _, offered = _visit(client_for, "yincheng", "yincheng_secretary")
    assert profile in offered


def test_a_representative_is_not_offered_the_residents_inbox(world, client_for):
    client, offered = _visit(client_for, "yincheng", "yincheng_representative")
    inbox = reverse("feedback_staff:inbox", urlconf=URLCONF[navigation.Site.COMMUNITY])
    assert inbox not in offered
    assert client.get(inbox).status_code == 403


def _menu_links(html: str) -> set[str]:
    return {href for nav in NAV.findall(html) for href in HREF.findall(nav)}


@pytest.mark.parametrize(
    "code,username,section",
    [
        ("yincheng", "yincheng_handler", navigation.Section.COMMUNITY_WORKSPACE),
        ("yincheng", None, navigation.Section.PORTAL),
        (None, "yinzhou_inspector", navigation.Section.STREET_OFFICE),
    ],
    ids=["community staff", "resident", "street office"],
)
def test_the_working_day_calculator_keeps_the_menu_of_its_site(world, client_for, code, username, section):
    client = client_for(code)
    if username:
        login(client, username)
    page = client.get("/calendar/", {"start": "2026-10-01", "days": "abc"})  # an error keeps the menu too
    expected = _offered(page.wsgi_request, (section,))
    assert expected and expected <= _menu_links(page.content.decode())


def test_the_vote_page_keeps_the_residents_bar(world, client_for):
    client = client_for("yincheng")
    home = reverse("portal:home", urlconf=URLCONF[navigation.Site.COMMUNITY])
    for page in (client.get("/vote/"), client.post("/vote/", {"code": "", "answer": ""})):
        assert home in _menu_links(page.content.decode())
