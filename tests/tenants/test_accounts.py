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


def test_a_session_idle_past_the_timeout_is_signed_out_with_a_reason(world, client_for):
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    assert client.get("/workspace/").status_code == 200
    _idle_for(client, settings.SESSION_IDLE_TIMEOUT + 60)
    response = client.get("/workspace/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "没有操作,为了账号安全已自动退出" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_activity_within_the_timeout_keeps_the_session(world, client_for):
    client = client_for(None)
    login(client, "yinzhou_inspector")
    _idle_for(client, settings.SESSION_IDLE_TIMEOUT - 120)
    assert client.get("/inspection/").status_code == 200
    # the request counted as activity: the clock restarted
    assert int(time.time()) - client.session[LAST_SEEN_KEY] < 5
    assert client.get("/inspection/").status_code == 200


def test_the_session_cookie_ends_with_the_browser_and_the_idle_limit_is_thirty_minutes(world, client_for):
    response = login(client_for("yincheng"), "yincheng_handler")
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60


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
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
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
