"""短信订阅 on a community's site (no login): a resident types a mainland number and the categories
they want, gets a six-digit code, types it, and is subscribed; ``/sms/stop/`` unsubscribes the same way,
and the link in every message (``/sms/stop/<token>/``) unsubscribes with one click and a confirmation.

The number typed in the first step waits in the resident's session for the second, so it never comes
back in a page (the second step shows it masked). Codes asked for are limited per address and per
number (django-ratelimit in Redis, like residents' feedback: ``SMS_CODE_RATE_PER_ADDRESS``,
``SMS_CODE_RATE_PER_NUMBER``); each code's expiry and tries are the service's
(``disclosure.services.sms``).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from disclosure.choices import Category
from disclosure.portal.forms import SmsCodeForm, SmsNumberForm, SmsSubscribeForm
from disclosure.portal.views import portal_render
from disclosure.services import sms
from tenants import access
from tenants.access import CommunitySiteRequest
from tenants.errors import InvalidInput
from tenants.residents import client_address, mask_mobile

PENDING = "sms_pending"
SUBSCRIBE, UNSUBSCRIBE = sms.Purpose.SUBSCRIBE, sms.Purpose.UNSUBSCRIBE
PAGES: dict[str, str] = {SUBSCRIBE: "/sms/", UNSUBSCRIBE: "/sms/stop/"}


def _too_many(request: HttpRequest, mobile: str) -> bool:
    """Count one code asked for, against the address and against the number; True if either is over
    its rate (the code is then not sent)."""
    by_address = is_ratelimited(
        request,
        group="sms-code-address",
        key=client_address,
        rate=lambda group, request: settings.SMS_CODE_RATE_PER_ADDRESS,
        increment=True,
    )
    by_number = is_ratelimited(
        request,
        group="sms-code-number",
        key=lambda group, request: f"mobile:{mobile}",
        rate=lambda group, request: settings.SMS_CODE_RATE_PER_NUMBER,
        increment=True,
    )
    return bool(by_address or by_number)


def _pending(request: HttpRequest, purpose: str) -> dict[str, Any] | None:
    """The number waiting for its code in this session, while a code could still be valid."""
    pending = request.session.get(PENDING)
    if (
        not isinstance(pending, dict)
        or pending.get("purpose") != purpose
        or time.time() - float(pending.get("at", 0)) > settings.SMS_CODE_TTL_SECONDS
    ):
        return None
    return pending


def _categories_display(categories: list[str]) -> str:
    labels = dict(Category.choices)
    return _("、").join(str(labels[c]) for c in categories) if categories else _("全部类别")


def _page(request: HttpRequest, purpose: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    template = "portal/sms.html" if purpose == SUBSCRIBE else "portal/sms_stop.html"
    context.setdefault("section", "portal:sms")
    return portal_render(request, template, context, status=status)


def _ask_code(request: CommunitySiteRequest, form: SmsNumberForm, purpose: str) -> HttpResponse | int:
    """The first step's POST: a redirect to the second step, or the status to show the form again."""
    if not form.is_valid():
        return 400
    mobile = form.cleaned_data["mobile"]
    categories = form.cleaned_data.get("categories") or []
    if _too_many(request, mobile):
        form.add_error(
            None,
            _("获取验证码的次数太多了,请过一个小时再试。也可以到社区居委会请工作人员帮您办理。"),
        )
        return 429
    sent = access.submit(
        request,
        lambda: sms.code_send(
            community=request.community, mobile=mobile, purpose=purpose, categories=categories
        ),
        forms=[form],
        error_on_form=True,
    )
    if not sent.ok:
        return sent.status
    request.session[PENDING] = {
        "purpose": purpose,
        "mobile": mobile,
        "categories": categories,
        "at": time.time(),
    }
    return redirect(f"{PAGES[purpose]}?step=code")


def _check_code(
    request: CommunitySiteRequest, form: SmsCodeForm, pending: dict[str, Any], purpose: str
) -> HttpResponse | int:
    """The second step's POST: done (a redirect to the page saying so), or the status to show it again."""
    confirm = sms.subscribe if purpose == SUBSCRIBE else sms.unsubscribe_with_code
    if not form.is_valid():
        return 400
    try:
        confirm(mobile=pending["mobile"], code=form.cleaned_data["code"])
    except InvalidInput as exc:  # wrong, expired, used up: said at the field
        form.add_error("code", exc.message)
        return 400
    request.session.pop(PENDING, None)
    return redirect(f"{PAGES[purpose]}?step=done")


def _two_steps(request: CommunitySiteRequest, purpose: str) -> HttpResponse:
    number_form_class = SmsSubscribeForm if purpose == SUBSCRIBE else SmsNumberForm
    pending = _pending(request, purpose)
    step = request.GET.get("step", "")
    status = 200
    number_form: SmsNumberForm = number_form_class()
    code_form = SmsCodeForm()
    if request.method == "POST" and "code" in request.POST and pending is not None:
        code_form = SmsCodeForm(request.POST)
        answer = _check_code(request, code_form, pending, purpose)
        if isinstance(answer, HttpResponse):
            return answer
        step, status = "code", answer
    elif request.method == "POST" and "mobile" in request.POST:
        number_form = number_form_class(request.POST)
        answer = _ask_code(request, number_form, purpose)
        if isinstance(answer, HttpResponse):
            return answer
        step, status = "", answer
    elif request.method == "POST":  # a code typed after the session's code ran out: start again
        number_form.add_error(None, _("验证码已过期,请重新获取验证码。"))
        step, status = "", 400
    if step == "code" and pending is None:
        step = ""
    return _page(
        request,
        purpose,
        {
            "step": step if step in ("code", "done") else "",
            "number_form": number_form,
            "code_form": code_form,
            "mobile_masked": mask_mobile(pending["mobile"]) if pending else "",
            "categories": _categories_display(pending["categories"]) if pending else "",
            "minutes": settings.SMS_CODE_TTL_SECONDS // 60,
        },
        status=status,
    )


def subscribe(request: CommunitySiteRequest) -> HttpResponse:
    return _two_steps(request, SUBSCRIBE)


def stop(request: CommunitySiteRequest) -> HttpResponse:
    return _two_steps(request, UNSUBSCRIBE)


def stop_link(request: CommunitySiteRequest, token: str) -> HttpResponse:
    """The link in every message: one click shows the question, the button unsubscribes."""
    subscriber = sms.subscriber_by_token(token)
    if subscriber is None:
        return _page(request, UNSUBSCRIBE, {"step": "unknown", "number_form": SmsNumberForm()}, status=404)
    if request.method == "POST":
        sms.unsubscribe_with_token(subscriber)
        return redirect(f"/sms/stop/{token}/")
    return _page(
        request,
        UNSUBSCRIBE,
        {"step": "gone" if subscriber.unsubscribed_at else "link", "token": token},
    )
