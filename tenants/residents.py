"""What residents without an account type and get back, wherever they bring it: their community's
feedback (``disclosure.feedback``) or a complaint to the street office (``inspection``). One home for
the one-time query code, the plain-text and identity rules, the robot trap and the rate limit, so a
resident meets the same rules on every site.

A code is the key to the resident's status page: ten characters from an alphabet without look-alikes,
drawn with ``secrets`` (31**10 ≈ 8·10^14 codes: not guessable, even unthrottled) and unique in its
table (a clash draws again).
"""

from __future__ import annotations

import ipaddress
import re
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_ratelimit import ALL
from django_ratelimit.core import get_usage, is_ratelimited

from tenants import access
from tenants.errors import Conflict, InvalidInput
from tenants.form_errors import Form
from tenants.idempotency import submission_once
from tenants.models import TimeStampedModel
from tenants.validators import MAINLAND_MOBILE, validate_mainland_mobile

# Unambiguous characters only: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
# What a resident may type in one go: a question, a complaint, the account of what is wrong.
TEXT_LIMIT = 2000
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HONEYPOT = "homepage"
LOOPBACK = ("127.0.0.1", "::1")

M = TypeVar("M")


# --- what every resident's matter stores ---------------------------------------------------------------


class ResidentMatter(TimeStampedModel):
    """A matter a resident without an account brought: its query code (the key to its status page) and,
    if signed, the name and mobile, kept for the answer and the 15-day rule and never shown in full on
    a public page. Anonymous gives neither, signed both."""

    code = models.CharField(_("查询码"), max_length=10, unique=True)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[validate_mainland_mobile])

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(name="", mobile="") | (~Q(name="") & ~Q(mobile="")),
                name="%(app_label)s_%(class)s_signed_has_name_and_mobile",
            ),
        ]

    @property
    def signed(self) -> bool:
        return bool(self.mobile)

    @property
    def code_display(self) -> str:
        return code_display(self.code)


# --- the query code --------------------------------------------------------------------------------


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a resident types from a slip of paper: lower case, spaces and dashes do not matter."""
    return re.sub(r"[\s\-—]", "", typed or "").upper()


def code_display(code: str) -> str:
    """Two groups of five, easier to read out over the phone."""
    return f"{code[:5]}-{code[5:]}"


def create_with_code(create: Callable[[str], M]) -> M:
    """``create(code)`` with a fresh code; a code already taken (the table's unique constraint) draws
    again, inside a savepoint so the caller's transaction goes on."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return create(new_code())
        except IntegrityError:
            continue
    raise Conflict(gettext("暂时无法生成查询码,请稍后再试。"))


class CodeConverter:
    """A query code in a URL: ten letters and digits; lower case is accepted, and the status page
    redirects it to the canonical form."""

    regex = "[0-9A-Za-z]{10}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# --- what residents type ---------------------------------------------------------------------------


def text_clean(text: str) -> str:
    """Plain text kept exactly as typed: ``x<y``, ``a & b`` and ``<b>`` stay what the resident wrote
    (every page escapes it on output, never marks it safe). Only control characters are dropped, line
    ends made one kind, and the ends trimmed."""
    plain = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARS.sub("", plain).strip()


def ensure_text(text: str, *, limit: int = TEXT_LIMIT, what: str = gettext("反映内容")) -> str:
    cleaned = text_clean(text)
    if not cleaned:
        raise InvalidInput(gettext("请填写%(what)s。") % {"what": what}, code="empty")
    if len(cleaned) > limit:
        raise InvalidInput(
            f"{what}最多 {limit} 个字,现在有 {len(cleaned)} 个字,请删减 {len(cleaned) - limit} 个字后再提交。"
            "您写的内容都还在下面。",
            code="too_long",
        )
    return cleaned


def ensure_identity(name: str, mobile: str) -> tuple[str, str]:
    """Anonymous (both empty) or signed (both given, a mainland mobile number)."""
    name, mobile = (name or "").strip(), re.sub(r"[\s\-]", "", mobile or "")
    if not name and not mobile:
        return "", ""
    if not name or not mobile:
        raise InvalidInput(
            gettext("署名反映请同时填写姓名和手机号码;匿名反映请两项都不填。"), code="half_signed"
        )
    if len(name) > 50:
        raise InvalidInput(gettext("姓名不能超过 50 个字。"), code="name_too_long")
    if not MAINLAND_MOBILE.match(mobile):
        raise InvalidInput(gettext("请输入11位中国大陆手机号码,例如 13812345678。"), code="invalid_mobile")
    return name, mobile


def mask_mobile(mobile: str) -> str:
    """138****1234: enough for the resident to recognise, not enough to call."""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) == 11 else ""


def checked(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A service's input rule as a form's validation error (one rule, two callers)."""
    try:
        return call(*args, **kwargs)
    except InvalidInput as exc:
        raise forms.ValidationError(exc.message, code=exc.code) from exc


# --- forms -----------------------------------------------------------------------------------------


class SignedOrAnonymousForm(Form):
    """The resident's text, an optional name and mobile (both or neither), and a robot trap."""

    # No maxlength on the widget: a browser would cut a long paste silently; the server says how much
    # to shorten and gives every word back.
    text = forms.CharField(
        label=_("内容"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=lazy(  # filled in when shown, in the reader's language
            lambda: (
                gettext(
                    "最多 %(limit)s 个字。请写清楚是哪一项、哪个数字或哪句话有疑问。"
                    "请不要写别人的身份证号、手机号等个人信息。"
                )
                % {"limit": TEXT_LIMIT}
            ),
            str,
        )(),
        error_messages={"required": _("请填写反映内容。")},
    )
    name = forms.CharField(
        label=_("姓名"), required=False, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    mobile = forms.CharField(
        label=_("手机号码"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
        help_text=_("只用于短信告知答复结果,不会公开。"),
    )
    # Honeypot: hidden from people (and screen readers), filled in by form-filling robots.
    homepage = forms.CharField(
        label=_("网址(请留空)"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_text(self) -> str:
        return str(checked(ensure_text, self.cleaned_data["text"]))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["name"], data["mobile"] = ensure_identity(data.get("name", ""), data.get("mobile", ""))
        except InvalidInput as exc:
            missing_name = exc.code == "half_signed" and not (data.get("name") or "").strip()
            field = "name" if missing_name or exc.code == "name_too_long" else "mobile"
            self.add_error(field, exc.message)
        return data

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())


class LookupForm(Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=40,
        help_text=_("提交时得到的 10 位查询码,例如 K7M3P-Q9XR2;大小写和横线都可以。"),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
            raise forms.ValidationError(
                _("查询码是 10 位字母和数字(不含 0、1、I、L、O),请核对后再输入。"), code="invalid"
            )
        return code


# --- robots and floods -----------------------------------------------------------------------------


def submit_rate(group: str, request: HttpRequest) -> str:
    """Ten saved submissions an hour per address by default: enough for a family sharing one phone or
    a community centre's Wi-Fi, too few to flood the inbox. ``FEEDBACK_SUBMIT_RATE`` changes it."""
    return str(getattr(settings, "FEEDBACK_SUBMIT_RATE", "10/h"))


def client_address(group: str, request: HttpRequest) -> str:
    """The resident's address. nginx on the same machine overwrites X-Forwarded-For with the address it
    saw (infra/nginx); from anywhere else the header could be forged, so it is believed only from the
    loopback proxy, as gunicorn's ``forwarded_allow_ips`` does."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip()
    if remote in LOOPBACK and forwarded:
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            return remote
    return remote


def _count(request: HttpRequest, group: str) -> bool:
    return is_ratelimited(
        request, group=group, key=client_address, rate=submit_rate, method="POST", increment=True
    )


# A query code is found by typing it or by its status page's address. Ten characters make guessing
# impractical; counting the misses per address as well keeps a robot from trying: after
# ``CODE_LOOKUP_MISSES`` codes that match nothing in an hour, that address is refused lookups for the
# rest of the hour (a right code too), with a message saying so.
LOOKUP_REFUSED = _(
    "查询次数太多了:这一个小时内输错的查询码太多,请过一个小时再查。如果找不到查询码,可以直接{elsewhere}。"
)


def lookup_rate(group: str, request: HttpRequest) -> str:
    return str(getattr(settings, "CODE_LOOKUP_MISSES", "20/h"))


def _missed(request: HttpRequest, group: str, *, increment: bool) -> bool:
    """Counts a miss (``increment``) or only reads the count; whether the limit is reached."""
    usage = get_usage(
        request, group=f"{group}-miss", key=client_address, rate=lookup_rate, method=ALL, increment=increment
    )
    return usage is not None and usage["count"] >= usage["limit"]


def by_code(request: HttpRequest, code: str, find: Callable[[str], M | None], *, group: str) -> M | None:
    """``find(code)``, or ``None`` when nothing has that code (the miss is counted against the
    address). Raises ``LookupRefused`` once the address has missed too often this hour."""
    if _missed(request, group, increment=False):
        raise LookupRefused
    found = find(code)
    if found is None:
        _missed(request, group, increment=True)
    return found


class LookupRefused(Exception):
    """Too many codes that matched nothing from one address in an hour (``by_code``)."""


def lookup_form(
    request: HttpRequest,
    form: LookupForm,
    find: Callable[[str], M | None],
    *,
    group: str,
    elsewhere: str | Promise,
) -> tuple[M | None, int]:
    """The "查询办理结果" form: ``(what the code found, 200)``, or ``(None, status)`` with the reason
    among the form's errors (the typed code kept): nothing typed yet (200), not a code or a code that
    matches nothing (400), too many misses from this address (429)."""
    if not form.is_bound:
        return None, 200
    if not form.is_valid():
        return None, 400
    try:
        found = by_code(request, form.cleaned_data["code"], find, group=group)
    except LookupRefused:
        form.add_error(None, LOOKUP_REFUSED.format(elsewhere=elsewhere))
        return None, 429
    if found is None:
        form.add_error("code", "没有找到这个查询码,请核对后再输入。")
        return None, 400
    return found, 200


def refused_form(elsewhere: str | Promise) -> LookupForm:
    """The lookup form to show instead of a status page when ``by_code`` refused."""
    form = LookupForm({})
    form.is_valid()
    form.errors.clear()
    form.add_error(None, LOOKUP_REFUSED.format(elsewhere=elsewhere))
    return form


def resident_gate(
    request: HttpRequest, form: SignedOrAnonymousForm, *, group: str, elsewhere: str | Promise
) -> int:
    """Whether a resident's POST may go on to the service: 200 if so; otherwise the status to show the
    form again with, its reason among the form's errors and everything typed kept. A robot (the trap
    filled in) and a flood (more than ``submit_rate`` saved submissions from one address in ``group``)
    are refused; ``elsewhere`` says where else the resident can go."""
    if form.is_robot:
        _count(request, group)
        form.is_valid()
        form.add_error(
            None,
            gettext(
                "系统认为这次提交可能来自自动程序,没有保存。如果您是居民本人,请清空“网址(请留空)”一栏后再提交。"
            ),
        )
        return 400
    if not form.is_valid():
        return 400
    if _count(request, group):
        form.add_error(
            None,
            gettext("提交次数太多了,请过一个小时再提交。您写的内容都还在下面;也可以直接%(elsewhere)s。")
            % {"elsewhere": elsewhere},
        )
        return 429
    return 200


def resident_submit(
    request: HttpRequest,
    form: SignedOrAnonymousForm,
    *,
    group: str,
    elsewhere: str | Promise,
    save: Callable[[], str],
) -> tuple[str | None, int]:
    """A resident's POST through ``resident_gate``, then ``save`` (which calls the service and returns
    the status page's address) once per form token: a double tap or a resent request gets the first
    one's query code, not a second. ``(address to redirect to, None)`` or ``(None, status to show the
    form again with)``."""
    status = resident_gate(request, form, group=group, elsewhere=elsewhere)
    if status != 200:
        return None, status
    saved = access.submit(
        request, lambda: submission_once(request, save)[0], forms=[form], error_on_form=True
    )
    return saved.value, saved.status
