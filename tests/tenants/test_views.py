"""Routing by host, the login rules of each site, and sessions that stay on their own site."""

import re

import pytest
from django.core import mail

from tenants import services
from tests.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_base_domain_is_the_street_office_site(world, client_for):
    response = client_for(None).get("/")
    assert response.status_code == 200
    assert "街道工作平台" in response.content.decode()


def test_each_community_host_serves_its_own_schema(world, client_for):
    page = client_for("yincheng").get("/").content.decode()
    assert "银城社区" in page and "银南社区" not in page
    page = client_for("yinnan").get("/").content.decode()
    assert "银南社区" in page and "银城社区" not in page


def test_unknown_subdomain_gets_a_chinese_404_that_names_the_problem(world, client_for):
    response = client_for("nosuch").get("/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "没有找到这个社区站点" in body and "nosuch.localhost" in body


def test_a_host_outside_the_base_domain_is_refused(world, client):
    assert client.get("/", HTTP_HOST="evil.example.com").status_code == 400


def test_deactivated_community_shows_a_closed_page(world, client_for):
    assert client_for("yinnan").get("/").status_code == 200  # the host is now cached
    services.community_set_active(community=world.yinnan, active=False)
    response = client_for("yinnan").get("/")
    assert response.status_code == 403
    assert "公开站点已停用" in response.content.decode()
    assert client_for("yinnan").get("/accounts/login/").status_code == 403


def test_member_logs_in_on_their_own_community(world, client_for):
    client = client_for("yincheng")
    response = login(client, "yincheng_handler")
    assert response.status_code == 302
    workspace = client.get("/workspace/")
    assert workspace.status_code == 200
    assert "经办人/专干" in workspace.content.decode()


def test_member_of_another_community_is_refused_with_a_clear_message(world, client_for):
    client = client_for("yinnan")
    response = login(client, "yincheng_handler")
    assert response.status_code == 200
    assert "您不是“银南社区”的工作人员" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/workspace/").status_code == 302


def test_street_office_staff_log_in_on_the_base_domain_only(world, client_for):
    assert login(client_for(None), "yinzhou_inspector").status_code == 302
    refused = login(client_for("yincheng"), "yinzhou_inspector")
    assert "您不是“银城社区”的工作人员" in refused.content.decode()


def test_community_staff_are_refused_on_the_street_office_site(world, client_for):
    response = login(client_for(None), "yincheng_secretary")
    assert response.status_code == 200
    assert "街道工作平台只供街道工作人员登录" in response.content.decode()


def test_session_cookie_is_host_only(world, client_for):
    response = login(client_for("yincheng"), "yincheng_handler")
    cookie = response.cookies["sessionid"]
    assert cookie["domain"] == ""
    assert cookie["httponly"]


def test_a_session_carried_by_hand_to_another_community_is_worth_nothing(world, client_for):
    yincheng = client_for("yincheng")
    login(yincheng, "yincheng_handler")
    session_id = yincheng.cookies["sessionid"].value

    yinnan = client_for("yinnan")
    yinnan.cookies["sessionid"] = session_id
    response = yinnan.get("/workspace/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "yincheng_handler" not in yinnan.get("/").content.decode()

    street = client_for(None)
    street.cookies["sessionid"] = session_id
    assert "所辖社区" not in street.get("/").content.decode()
    # the session still works where it was made
    assert yincheng.get("/workspace/").status_code == 200


def test_street_office_home_lists_only_own_communities(world, client_for):
    client = client_for(None)
    login(client, "dongguan_inspector")
    page = client.get("/").content.decode()
    assert "东风社区" in page and "银城社区" not in page


def test_repeated_failed_logins_lock_the_account_with_a_chinese_message(world, client_for):
    client = client_for("yincheng")
    for _ in range(5):
        login(client, "yincheng_director", "wrong-password")
    locked = login(client, "yincheng_director", PASSWORD)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(world, client_for):
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    client.post("/accounts/logout/")
    assert client.get("/workspace/").status_code == 302


def test_password_change(world, client_for):
    client = client_for("yincheng")
    login(client, "yincheng_finance")
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "Xin-Mima-2026", "new_password2": "Xin-Mima-2026"},
    )
    assert response.status_code == 302
    assert world.user("yincheng_finance").check_password("Xin-Mima-2026")


def test_password_reset_by_email_links_back_to_the_same_community(world, client_for):
    client = client_for("yincheng")
    user = world.user("yincheng_deputy")
    client.post("/accounts/password_reset/", {"email": user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://yincheng\.localhost/accounts/reset/\S+", str(mail.outbox[0].body))
    assert link, mail.outbox[0].body
    path = link.group(0).removeprefix("http://yincheng.localhost")
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Chong-She-2026", "new_password2": "Chong-She-2026"},
    )
    assert response.status_code == 302
    assert world.user("yincheng_deputy").check_password("Chong-She-2026")


def test_admin_is_for_street_office_admins_and_scoped_to_their_office(world, client_for):
    client = client_for(None)
    login(client, "yinzhou_admin")
    listing = client.get("/admin/tenants/community/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "银城社区" in page and "东风社区" not in page
    other = client_for(None)
    login(other, "yinzhou_inspector")
    assert other.get("/admin/tenants/community/").status_code == 302


def test_a_known_host_is_looked_up_once_then_served_from_the_cache(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("yincheng")
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [q for q in queries.captured_queries if "tenants_domain" in q["sql"]]
    # a renamed domain is forgotten at once
    domain = world.yincheng.domains.get()
    domain.domain = "yc-renamed.localhost"
    domain.save()
    assert client.get("/").status_code == 404
