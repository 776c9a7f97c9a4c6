"""The shared menus are assembled from each app's own entries (tenants.navigation), in order, on the
site they belong to, and for whom they are meant."""

from __future__ import annotations

import re

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db

SUBNAV = re.compile(r'<nav class="subnav"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)">([^<]+)</a>')


def _subnav(html: str) -> list[tuple[str, str]]:
    match = SUBNAV.search(html)
    assert match, "the page has no sub-menu"
    return LINK.findall(match.group(1))


def test_the_community_workspace_menu_joins_disclosure_feedback_and_inspection_entries_in_order(
    world, client_for
):
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    menu = _subnav(client.get("/workspace/").content.decode())
    labels = [label for _, label in menu]
    assert labels[:5] == ["工作台", "公开任务", "公开内容", "公开目录", "台帐"]  # disclosure's own
    assert labels[-2:] == ["街道考核", "工作简报"]  # inspection's, registered from inspection/navigation.py
    assert ("/workspace/inspection/", "街道考核") in menu
    assert all(url.startswith("/workspace/") for url, _ in menu)


def test_the_street_office_menu_lists_inspections_pages_and_never_a_community_page(world, client_for):
    client = client_for(None)
    login(client, "yinzhou_inspector")
    menu = _subnav(client.get("/inspection/").content.decode())
    assert [label for _, label in menu] == [
        "总览",
        "暗访",
        "群众评议",
        "整改",
        "居民投诉",
        "定期考核",
        "综合评价",
        "评分标准",
        "责任追究规则",
        "工作简报",
        "检索同义词",
    ]
    assert all(url.startswith(("/inspection/", "/finder/")) for url, _ in menu)  # street-office pages only


def test_the_street_leader_finds_the_reimbursements_to_sign_in_the_menu(world, client_for):
    """报账签字 (004 ⑵ 包社区领导签字) opens for the street office's leaders only, so only they see it."""
    client = client_for(None)
    login(client, "yinzhou_leader")
    menu = _subnav(client.get("/inspection/").content.decode())
    assert ("/inspection/reimbursements/", "报账签字") in menu
    labels = [label for _, label in menu]
    assert labels.index("报账签字") > labels.index("整改")


def test_the_admin_button_is_shown_to_django_staff_only(world, client_for):
    admin, inspector = client_for(None), client_for(None)
    login(admin, "yinzhou_admin")
    login(inspector, "yinzhou_inspector")
    assert 'href="/admin/"' in admin.get("/").content.decode()
    assert 'href="/admin/"' not in inspector.get("/").content.decode()
