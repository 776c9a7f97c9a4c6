"""Residents' SMS subscriptions (004 ⑷: residents read their phones, not the website): a mainland
number confirmed with a six-digit code, the categories it wants (none: all), unsubscribing with the link
in every message or with a new code. The codes asked for are rate-limited per number and per address by
the pages (``disclosure.portal.sms``); the texting of each publication: ``disclosure.pushes``.

A code is kept only as a keyed hash (HMAC-SHA256 with the site's secret key and the number), lives
``SMS_CODE_TTL_SECONDS``, allows ``SMS_CODE_TRIES`` tries, is used once, and a newer code for the same
number and purpose retires the older ones.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.sms import SmsFailed, get_backend
from disclosure.choices import Category
from disclosure.models import SmsCode, SmsSubscriber
from tenants.errors import Conflict, InvalidInput
from tenants.models import Community
from tenants.validators import MAINLAND_MOBILE

Purpose = SmsCode.Purpose
CODE_DIGITS = 6


def ensure_mobile(typed: str) -> str:
    """A mainland mobile number as residents type it: spaces, dashes and a leading +86 do not matter."""
    mobile = re.sub(r"[\s\-()()]", "", typed or "")
    mobile = re.sub(r"^(\+?86)(?=1\d{10}$)", "", mobile)
    if not MAINLAND_MOBILE.match(mobile):
        raise InvalidInput(_("请输入11位中国大陆手机号码,例如 13812345678。"), code="invalid_mobile")
    return mobile


def ensure_categories(categories: list[str]) -> list[str]:
    known = set(Category.values)
    if any(c not in known for c in categories):
        raise InvalidInput(_("请从列出的类别中选择。"), code="invalid_category")
    return [c for c in Category.values if c in set(categories)]


def code_hash(mobile: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"sms-code:{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


def code_text(*, community: Community, code: str, purpose: str) -> str:
    what = "订阅" if purpose == Purpose.SUBSCRIBE else "退订"
    minutes = settings.SMS_CODE_TTL_SECONDS // 60
    return (
        f"【{community.name}】验证码 {code},{minutes}分钟内有效,用于{what}本社区公开内容短信。"
        "如非本人操作,请忽略本短信。"
    )


def subscribed(mobile: str) -> bool:
    return SmsSubscriber.objects.filter(mobile=mobile, unsubscribed_at__isnull=True).exists()


@transaction.atomic
def code_send(
    *, community: Community, mobile: str, purpose: str, categories: list[str] | None = None
) -> bool:
    """Text a new code to ``mobile`` (retiring its older ones). Unsubscribing a number that is not
    subscribed sends nothing (returns False), and the page says the same either way, so nobody learns
    from it whether a number subscribed."""
    mobile = ensure_mobile(mobile)
    chosen = ensure_categories(categories or [])
    if purpose == Purpose.UNSUBSCRIBE and not subscribed(mobile):
        return False
    now = timezone.now()
    SmsCode.objects.filter(mobile=mobile, purpose=purpose, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    SmsCode.objects.create(
        mobile=mobile,
        purpose=purpose,
        categories=chosen,
        code_hash=code_hash(mobile, code),
        expires_at=now + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS),
    )
    try:
        get_backend().send(
            mobile=mobile,
            text=code_text(community=community, code=code, purpose=purpose),
            template="code",
            params={"code": code},
        )
    except SmsFailed as exc:
        raise Conflict(_("验证码短信没有发出去,请过几分钟再试。"), code="sms_failed") from exc
    return True


def code_check(*, mobile: str, purpose: str, code: str) -> SmsCode:
    """The number's live code if ``code`` is it (used up now); otherwise InvalidInput saying what to do.
    A wrong try counts even though the error is raised (the count is saved first)."""
    mobile = ensure_mobile(mobile)
    typed = re.sub(r"\s", "", code or "")
    if not re.fullmatch(rf"\d{{{CODE_DIGITS}}}", typed):
        raise InvalidInput(_("请输入短信里的6位数字验证码。"), code="invalid_code")
    now = timezone.now()
    with transaction.atomic():
        live = (
            SmsCode.objects.select_for_update()
            .filter(mobile=mobile, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if live is None or live.expires_at <= now:
            problem = "expired"
        elif live.tries >= settings.SMS_CODE_TRIES:
            problem = "tries"
        else:
            live.tries += 1
            right = hmac.compare_digest(live.code_hash, code_hash(mobile, typed))
            if right:
                live.used_at = now
            live.save(update_fields=["tries", "used_at"])
            problem = "" if right else "wrong"
            if right:
                return live
    left = settings.SMS_CODE_TRIES - live.tries if live is not None else 0
    raise InvalidInput(
        {
            "expired": "验证码已过期或还没有获取,请重新获取验证码。",
            "tries": "输错次数太多,这个验证码已作废,请重新获取验证码。",
            "wrong": f"验证码不对,请核对短信后再输入(还可以试 {left} 次)。"
            if left
            else "验证码不对,输错次数已满,这个验证码已作废,请重新获取验证码。",
        }[problem],
        code=problem,
    )


def subscribe(*, mobile: str, code: str) -> SmsSubscriber:
    """Confirm a subscription with its code: new, renewed after unsubscribing, or its categories
    changed. The unsubscribe token stays the same for the number."""
    live = code_check(mobile=mobile, purpose=Purpose.SUBSCRIBE, code=code)
    with transaction.atomic():
        subscriber, created = SmsSubscriber.objects.select_for_update().get_or_create(
            mobile=live.mobile,
            defaults={"categories": live.categories, "token": secrets.token_urlsafe(16)},
        )
        if not created:
            subscriber.categories = live.categories
            subscriber.unsubscribed_at = None
            subscriber.save(update_fields=["categories", "unsubscribed_at", "updated_at"])
    return subscriber


def unsubscribe_with_code(*, mobile: str, code: str) -> None:
    live = code_check(mobile=mobile, purpose=Purpose.UNSUBSCRIBE, code=code)
    SmsSubscriber.objects.filter(mobile=live.mobile, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )


def subscriber_by_token(token: str) -> SmsSubscriber | None:
    return SmsSubscriber.objects.filter(token=token).first() if token else None


def unsubscribe_with_token(subscriber: SmsSubscriber) -> None:
    SmsSubscriber.objects.filter(pk=subscriber.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )


def subscriber_counts() -> dict[str, int]:
    """For the staff page: active subscribers per category (``""``: all categories)."""
    counts = {"": 0, **{c: 0 for c in Category.values}}
    for categories in SmsSubscriber.objects.filter(unsubscribed_at__isnull=True).values_list(
        "categories", flat=True
    ):
        for c in categories or [""]:
            counts[c] += 1
    return counts
