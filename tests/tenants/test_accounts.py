"""Account security: lockout per username and address, the password policy, idle sessions, two-factor
login for street-office staff, and the security headers every page carries."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants import services
from tenants.errors import NotAllowed
from tenants.middleware import LAST_SEEN_KEY
from tenants.models import StreetOffice
from tests.conftest import host, login
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def post_login(client: Client, username: str, password: str, address: str):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def code_now(device: TOTPDevice) -> str:
    """What the user's authenticator shows right now, computed with django-otp's own TOTP function."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


# --- lockout ------------------------------------------------------------------------------------------


def test_lockout_is_per_username_and_address(world, client_for):
    attacker = client_for("yincheng")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(attacker, "yincheng_director", "wrong-password", "10.0.0.66")
    locked = post_login(attacker, "yincheng_director", PASSWORD, "10.0.0.66")
    assert locked.status_code == 429
    assert "登录失败次数过多,账号已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in attacker.session
    # the same account from the director's own desk still logs in ...
    assert post_login(client_for("yincheng"), "yincheng_director", PASSWORD, "10.0.0.7").status_code == 302
    # ... and a colleague behind the attacker's address is not locked out either
    assert post_login(client_for("yincheng"), "yincheng_handler", PASSWORD, "10.0.0.66").status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(world, client_for):
    client = client_for("yincheng")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, "yincheng_deputy", "wrong-password", "10.0.0.8")
    assert post_login(client, "yincheng_deputy", PASSWORD, "10.0.0.8").status_code == 302


def test_behind_nginx_the_forwarded_address_is_the_one_locked(world, rf):
    from tenants.middleware import forwarded_client_ip

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert forwarded_client_ip(request) == "203.0.113.9"
    assert forwarded_client_ip(rf.get("/", REMOTE_ADDR="10.1.1.1")) == "10.1.1.1"


# --- password policy --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "new_password,message",
    [
        ("Ab3$efgh", "至少要 10 个字符"),
        ("20261123456", "全都是数字"),
        ("password123", "太常见"),
        ("yincheng_finance", "太相似"),
    ],
)
def test_a_weak_new_password_is_refused_in_chinese(world, client_for, new_password, message):
    client = client_for("yincheng")
    login(client, "yincheng_finance")
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert world.user("yincheng_finance").check_password(PASSWORD)


def test_the_password_page_states_the_rules_in_chinese(world, client_for):
    client = client_for("yincheng")
    login(client, "yincheng_finance")
    page = client.get("/accounts/password_change/").content.decode()
    for rule in ("至少 10 个字符", "不能全是数字", "不能是常见密码", "不能和用户名、姓名、邮箱太相似"):
        assert rule in page
    lengths = [v["OPTIONS"]["min_length"] for v in settings.AUTH_PASSWORD_VALIDATORS if "OPTIONS" in v]
    assert lengths == [10]


# --- idle sessions ----------------------------------------------------------------------------------------


def _idle_for(client: Client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds
    session.save()


def idle_limit(code: str = "yinzhou") -> int:
    """The street office's idle limit, in seconds."""
    return StreetOffice.objects.get(code=code).session_idle_minutes * 60


def test_a_session_idle_past_the_timeout_is_signed_out_with_a_reason(world, client_for):
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    assert client.get("/workspace/").status_code == 200
    _idle_for(client, idle_limit() + 60)
    response = client.get("/workspace/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "您已超过 30 分钟没有操作,为了安全已自动退出,请重新登录。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_activity_within_the_timeout_keeps_the_session(world, client_for):
    client = client_for(None)
    login(client, "yinzhou_inspector")
    _idle_for(client, idle_limit() - 120)
    assert client.get("/inspection/").status_code == 200
    # the request counted as activity: the clock restarted
    assert int(time.time()) - client.session[LAST_SEEN_KEY] < 5
    assert client.get("/inspection/").status_code == 200


def test_the_session_cookie_ends_with_the_browser_and_the_idle_limit_is_thirty_minutes(world, client_for):
    response = login(client_for("yincheng"), "yincheng_handler")
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert idle_limit("yinzhou") == idle_limit("dongguan") == 30 * 60  # the default of every street office


def test_a_street_offices_admin_sets_the_idle_limit_for_its_staff_and_its_communities(world, client_for):
    admin = client_for(None)
    login(admin, "yinzhou_admin")
    page = admin.get("/accounts/two-factor/").content.decode()
    assert "银州镇办事处的闲置自动退出" in page and 'name="minutes" value="30"' in page
    saved = admin.post(
        "/accounts/two-factor/",
        {"action": "idle", "street_office": world.yinzhou.pk, "minutes": "10"},
        follow=True,
    )
    assert "闲置 10 分钟后自动退出" in saved.content.decode()
    assert idle_limit("yinzhou") == 10 * 60 and idle_limit("dongguan") == 30 * 60

    # 11 idle minutes: out on 银城 (under 银州) and on the street office's site, with the new number
    for code, username, path in (
        ("yincheng", "yincheng_handler", "/workspace/"),
        (None, "yinzhou_leader", "/inspection/"),
    ):
        client = client_for(code)
        login(client, username)
        _idle_for(client, 11 * 60)
        response = client.get(path, follow=True)
        assert "您已超过 10 分钟没有操作,为了安全已自动退出,请重新登录。" in response.content.decode(), code
    # …while 东风 (under 东关, still 30 minutes) keeps its session
    dongfeng = client_for("dongfeng")
    login(dongfeng, "dongfeng_handler")
    _idle_for(dongfeng, 11 * 60)
    assert dongfeng.get("/workspace/").status_code == 200


@pytest.mark.parametrize("minutes", ["4", "481", "", "半小时"])
def test_an_idle_limit_out_of_bounds_is_refused_with_the_bounds(world, client_for, minutes):
    admin = client_for(None)
    login(admin, "yinzhou_admin")
    response = admin.post(
        "/accounts/two-factor/",
        {"action": "idle", "street_office": world.yinzhou.pk, "minutes": minutes},
    )
    assert response.status_code == 400
    page = response.content.decode()
    field = f"idle-{world.yinzhou.pk}-minutes"
    assert "data-error-summary" in page and f'href="#{field}"' in page and f'id="{field}"' in page
    assert "分钟" in page.split("data-error-summary")[1].split("</div>")[0]  # the reason, in minutes
    if minutes:  # what was typed is still in the box
        assert f'name="minutes" value="{minutes}"' in page
    assert idle_limit("yinzhou") == 30 * 60


def test_only_the_street_offices_own_admin_sets_its_idle_limit(world, client_for):
    for username in ("dongguan_admin", "yinzhou_leader"):
        client = client_for(None)
        login(client, username)
        if username == "yinzhou_leader":  # no form for a role that may not use it
            assert 'value="idle"' not in client.get("/accounts/two-factor/").content.decode()
        refused = client.post(
            "/accounts/two-factor/", {"action": "idle", "street_office": world.yinzhou.pk, "minutes": "10"}
        )
        assert refused.status_code == 403
        assert "只有本街道的管理员可以设置闲置自动退出的时间" in refused.content.decode()
    assert idle_limit("yinzhou") == 30 * 60
    with pytest.raises(NotAllowed):
        services.street_office_idle_timeout_set(
            street_office=world.yinzhou, minutes=10, actor=world.user("dongguan_admin")
        )


# --- a session never outlives a password change -----------------------------------------------------------


def test_changing_the_password_signs_out_every_other_session_of_that_user(world, client_for):
    office, home, other_user = client_for("yincheng"), client_for("yincheng"), client_for("yincheng")
    for client in (office, home):
        login(client, "yincheng_finance")
    login(other_user, "yincheng_handler")
    response = office.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "Xin-Mima-2026", "new_password2": "Xin-Mima-2026"},
    )
    assert response.status_code == 302
    assert office.get("/workspace/").status_code == 200  # the session that changed it goes on
    assert home.get("/workspace/").status_code == 302  # the one left open elsewhere is over
    assert "_auth_user_id" not in home.session
    assert other_user.get("/workspace/").status_code == 200  # nobody else is touched


def test_resetting_the_password_signs_out_every_session_of_that_user(world, client_for):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    open_session = client_for(None)
    login(open_session, "yinzhou_inspector")
    assert open_session.get("/inspection/").status_code == 200
    user = world.user("yinzhou_inspector")
    uid, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    resetter = client_for(None)
    form = resetter.get(f"/accounts/reset/{uid}/{token}/", follow=True)
    assert form.status_code == 200
    done = resetter.post(
        form.redirect_chain[-1][0], {"new_password1": "Chong-She-2026", "new_password2": "Chong-She-2026"}
    )
    assert done.status_code == 302
    assert open_session.get("/inspection/").status_code == 302
    assert "_auth_user_id" not in open_session.session


# --- two-factor login -------------------------------------------------------------------------------------


def test_an_inspector_enrols_with_a_qr_code_and_a_real_code(world, client_for):
    client = client_for(None)
    login(client, "yinzhou_inspector")
    page = client.get("/accounts/two-factor/").content.decode()
    assert 'src="data:image/svg+xml' in page
    assert re.search(r'class="secret">[A-Z2-7 ]{20,}<', page)
    device = TOTPDevice.objects.get(user__username="yinzhou_inspector", confirmed=False)
    assert "otpauth://totp/" in device.config_url

    wrong = client.post("/accounts/two-factor/", {"action": "confirm", "token": "000000"})
    assert "动态码不正确或已过期" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    device.throttle_reset()
    done = client.post("/accounts/two-factor/", {"action": "confirm", "token": code_now(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert "已启用" in client.get("/accounts/two-factor/").content.decode()


def _enrolled(username: str) -> TOTPDevice:
    from tenants.models import User

    return TOTPDevice.objects.create(user=User.objects.get(username=username), name="手机", confirmed=True)


def test_an_enrolled_user_must_give_a_code_after_the_password(world, client_for):
    device = _enrolled("yinzhou_leader")
    client = client_for(None)
    response = login(client, "yinzhou_leader")
    assert response.status_code == 302
    held = client.get("/inspection/")
    assert held.status_code == 302 and held["Location"].startswith("/accounts/two-factor/verify/")
    assert "next=%2Finspection%2F" in held["Location"]

    refused = client.post("/accounts/two-factor/verify/", {"token": "123456"})
    assert "动态码不正确或已过期" in refused.content.decode()
    assert client.get("/inspection/").status_code == 302

    device.throttle_reset()
    passed = client.post("/accounts/two-factor/verify/?next=/inspection/", {"token": code_now(device)})
    assert passed.status_code == 302 and passed["Location"] == "/inspection/"
    assert client.get("/inspection/").status_code == 200


def test_a_code_cannot_be_used_twice(world, client_for):
    device = _enrolled("yinzhou_leader")
    token = code_now(device)
    first = client_for(None)
    login(first, "yinzhou_leader")
    assert first.post("/accounts/two-factor/verify/", {"token": token}).status_code == 302
    second = client_for(None)
    login(second, "yinzhou_leader")
    replay = second.post("/accounts/two-factor/verify/", {"token": token})
    assert replay.status_code == 200 and "动态码不正确或已过期" in replay.content.decode()


def test_wrong_codes_are_throttled(world, client_for, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = _enrolled("yinzhou_leader")
    client = client_for(None)
    login(client, "yinzhou_leader")
    client.post("/accounts/two-factor/verify/", {"token": "000000"})
    # even the right code waits until the throttle has passed
    response = client.post("/accounts/two-factor/verify/", {"token": code_now(device)})
    assert "动态码输错次数太多,请" in response.content.decode()
    assert client.get("/inspection/").status_code == 302


def test_logout_and_language_stay_open_while_the_code_is_owed(world, client_for):
    _enrolled("yinzhou_leader")
    client = client_for(None)
    login(client, "yinzhou_leader")
    assert client.get("/text-size/", {"lang": "en", "next": "/"}).cookies["django_language"].value == "en"
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_a_street_office_admin_can_require_two_factor_and_staff_must_enrol(world, client_for):
    admin = client_for(None)
    login(admin, "yinzhou_admin")
    admin.post(
        "/accounts/two-factor/", {"action": "require", "street_office": world.yinzhou.pk, "required": "1"}
    )
    world.yinzhou.refresh_from_db()
    assert world.yinzhou.require_two_factor

    leader = client_for(None)
    login(leader, "yinzhou_leader")
    held = leader.get("/inspection/")
    assert held.status_code == 302 and held["Location"].startswith("/accounts/two-factor/?")
    page = leader.get(held["Location"]).content.decode()
    assert "您所在的街道要求两步验证" in page
    device = TOTPDevice.objects.get(user__username="yinzhou_leader", confirmed=False)
    leader.post("/accounts/two-factor/", {"action": "confirm", "token": code_now(device)})
    assert leader.get("/inspection/").status_code == 200
    # and it cannot be switched off while required
    refused = leader.post("/accounts/two-factor/", {"action": "remove"}, follow=True)
    assert "不能关闭" in refused.content.decode()
    assert TOTPDevice.objects.filter(user__username="yinzhou_leader", confirmed=True).exists()

    # another street office's staff are not affected
    other = client_for(None)
    login(other, "dongguan_inspector")
    assert other.get("/inspection/").status_code == 200


def test_only_an_admin_of_that_street_office_may_require_two_factor(world):
    with pytest.raises(NotAllowed):
        services.street_office_two_factor_require(
            street_office=world.yinzhou, required=True, actor=world.user("yinzhou_inspector")
        )
    with pytest.raises(NotAllowed):
        services.street_office_two_factor_require(
            street_office=world.yinzhou, required=True, actor=world.user("dongguan_admin")
        )
    world.yinzhou.refresh_from_db()
    assert not world.yinzhou.require_two_factor


def test_two_factor_setup_is_not_for_community_staff(world, client_for):
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    assert client.get("/accounts/two-factor/").status_code == 403
    assert not TOTPDevice.objects.exists()


def test_community_staff_log_in_without_a_second_step(world, client_for):
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    assert client.get("/workspace/").status_code == 200


# --- headers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code,path", [(None, "/accounts/login/"), ("yincheng", "/"), ("yincheng", "/accounts/login/")]
)
def test_pages_carry_the_security_headers_and_a_strict_csp(world, code, path):
    response = Client(HTTP_HOST=host(code)).get(path)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
