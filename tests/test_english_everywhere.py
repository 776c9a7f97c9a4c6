"""The English catalogue is complete: every page kind, rendered for a person who picked English, shows no
Chinese except the data itself; kiosks, printed notices and slips and PDFs stay Chinese by rule.

How the data is told from the page's own words: before the crawl, every text value stored in the
database (each character, text and JSON column of every table, in the public schema and in every
community's schema) is read, with the built-in search vocabulary (finder.vocabulary: the Chinese words
residents search for, shown as such). On each page the visible text (text nodes outside ``<script>``
and ``<style>``, plus ``title``, ``placeholder``, ``aria-label``, ``alt`` and button values) has those
values removed, longest first, and what is left must hold no CJK character. Stored values shorter than
two characters are not removed (a single 党 would otherwise erase template words around it), and a
value is removed only where it appears whole, so a template's sentence is hidden only if it *is* a
stored value. The crawl reads the URL patterns from the resolvers (tests/urlcrawl.py), so a page added
tomorrow is crawled tomorrow: anonymously on a community's site and on the street office's, and signed
in as every community role and every street office role.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context

from finder.vocabulary import DEFAULT_GROUPS
from tenants.choices import CommunityRole, StreetOfficeRole
from tenants.models import Community
from tests.conftest import host
from tests.factories import PASSWORD
from tests.planted import plant
from tests.urlcrawl import Fillers, all_paths

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]+")
# Pages for everyone at once, always Chinese (tenants.i18n.chinese_only): e-screen, touch screen,
# printed notices and slips, PDFs. They answer ``Content-Language: zh-hans`` whatever the cookie.
CHINESE_BY_RULE = {
    "portal:screen",
    "portal:screen_state",
    "portal:touch",
    "portal:touch_overview",
    "portal:touch_services",
    "portal:touch_list",
    "portal:touch_detail",
    "portal:notice",
    "inspection:survey_slips",  # printed voting slips handed to residents
}
# The switcher names each language in its own script (简体中文), as every multilingual site does; the
# authenticator app lists the site under its issuer name, quoted on the two-step pages as it shows there.
OWN_NAMES = ("简体中文", "公开 Gongkai")
ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        values = dict(attrs)
        for name, value in attrs:
            if value and (
                name in ATTRIBUTES or (name == "value" and values.get("type") in ("submit", "button"))
            ):
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return [" ".join(p.split()) for p in parser.parts if p.strip()]


def stored_strings() -> list[str]:
    """Every text value in the database, public schema and each community's, longest first."""
    found: set[str] = set()

    def collect(value: object) -> None:
        if isinstance(value, str):
            found.update(" ".join(line.split()) for line in [value, *value.splitlines()])
        elif isinstance(value, dict):
            for v in value.values():
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)

    schemas = ["public", *Community.objects.values_list("schema_name", flat=True)]
    for schema in schemas:
        with schema_context(schema):
            tables = set(connection.introspection.table_names())
            for model in apps.get_models():
                if model._meta.db_table not in tables:
                    continue
                fields = [
                    f.attname
                    for f in model._meta.concrete_fields
                    if isinstance(f, models.CharField | models.TextField | models.JSONField)
                ]
                if fields:
                    for row in model._default_manager.values_list(*fields):
                        for value in row:
                            collect(value)
    found.update(word for group in DEFAULT_GROUPS for word in group)
    return sorted((s for s in found if len(s) >= 2 and CJK.search(s)), key=len, reverse=True)


def untranslated(html: str, data: Iterable[str]) -> set[str]:
    left: set[str] = set()
    for part in visible_text(html):
        for value in data:
            if value in part:
                part = part.replace(value, " ")
        for name in OWN_NAMES:
            part = part.replace(name, " ")
        left.update(CJK.findall(part))
    return left


def english_client(username: str | None, code: str | None) -> Client:
    client = Client(HTTP_HOST=host(code))
    if username:
        response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, username
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def crawl_in_english(client: Client, paths: list, data: list[str]) -> list[str]:  # type: ignore[type-arg]
    problems: list[str] = []
    for filled in paths:
        response = client.get(filled.path)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        name = filled.pattern.name
        language = response.get("Content-Language")
        if name in CHINESE_BY_RULE:
            if language != "zh-hans":
                problems.append(f"{filled.path} ({name}): a kiosk/notice page in {language}")
            continue
        if language != "en":
            problems.append(f"{filled.path} ({name}): answered in {language}")
        left = untranslated(response.content.decode(), data)
        if left:
            problems.append(f"{filled.path} ({name}): {sorted(left)}")
    return problems


@pytest.fixture
def crawl_setup(world):  # type: ignore[no-untyped-def]
    planted = plant(world, "yincheng")
    paths = [f for f in all_paths(Fillers(planted)) if not f.path.startswith(("/admin/", "/api/v1/"))]
    return paths, stored_strings()


@pytest.fixture(autouse=True)
def _chinese_after_each_test():  # type: ignore[no-untyped-def]
    yield
    translation.deactivate()


def community_paths(paths: list) -> list:  # type: ignore[type-arg]
    return [f for f in paths if f.pattern.conf == "config.urls_tenant"]


def street_paths(paths: list) -> list:  # type: ignore[type-arg]
    return [f for f in paths if f.pattern.conf == "config.urls_public"]


def test_public_pages_are_english_for_a_visitor_who_picked_it(crawl_setup):  # type: ignore[no-untyped-def]
    paths, data = crawl_setup
    problems = crawl_in_english(english_client(None, "yincheng"), community_paths(paths), data)
    problems += crawl_in_english(english_client(None, None), street_paths(paths), data)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("role", [r.value for r in CommunityRole])
def test_community_staff_pages_are_english(crawl_setup, role):  # type: ignore[no-untyped-def]
    paths, data = crawl_setup
    problems = crawl_in_english(english_client(f"yincheng_{role}", "yincheng"), community_paths(paths), data)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("role", [r.value for r in StreetOfficeRole])
def test_street_office_pages_are_english(crawl_setup, role):  # type: ignore[no-untyped-def]
    paths, data = crawl_setup
    problems = crawl_in_english(english_client(f"yinzhou_{role}", None), street_paths(paths), data)
    assert problems == [], "\n".join(problems)


def test_the_check_sees_an_untranslated_word():
    """The page's own Chinese is caught; the same words as stored data are not."""
    page = '<p>Status: 已公开</p><input type="submit" value="提交"><script>var a = "中文";</script>'
    assert untranslated(page, []) == {"已公开", "提交"}
    assert untranslated(page, ["已公开", "提交"]) == set()


def test_the_english_catalogue_is_complete():
    """Every msgid has an English msgstr: ``msgfmt`` counts none untranslated and none fuzzy."""
    catalogue = Path(settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.po"
    done = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
        env={"LC_ALL": "C"},
    )
    assert "untranslated" not in done.stderr and "fuzzy" not in done.stderr, done.stderr
