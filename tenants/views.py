import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants import permissions, selectors, services
from tenants.access import (
    AuthenticatedRequest,
    SiteRequest,
    StreetOfficeRequest,
    access_street_office_by_id,
    street_staff_required,
    submit,
)
from tenants.forms import IdleTimeoutForm, ReviewQuorumForm, TotpTokenForm
from tenants.middleware import TWO_FACTOR_KEY
from tenants.models import StreetOffice, User
from tenants.sites import community_site_url


def street_office_home(request: SiteRequest) -> HttpResponse:
    """The street-office site for its staff: the communities of the user's street office(s)."""
    context: dict[str, object] = {}
    user = request.user
    if selectors.is_street_office_staff(user):
        communities = selectors.communities_visible_to(user)
        context["communities"] = [
            {"community": c, "url": community_site_url(c.schema_name, request=request)} for c in communities
        ]
        context["street_offices"] = selectors.street_offices_of(user)
        context["roles"] = selectors.street_office_roles_of(user=user)
    return render(request, "tenants/street_office_home.html", context)


def _next_url(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else None


def _finish_two_factor(request: HttpRequest, device: TOTPDevice) -> None:
    otp_login(request, device)
    request.session.pop(TWO_FACTOR_KEY, None)


@login_required
def two_factor_verify(request: AuthenticatedRequest) -> HttpResponse:
    """The step after the password for anyone with an authenticator."""
    if request.user.is_verified():  # type: ignore[attr-defined]  # django_otp's OTPMiddleware adds it
        return redirect(_next_url(request) or "/")
    form = TotpTokenForm(request.POST or None)
    verified = submit(
        request,
        lambda: services.totp_verify(user=request.user, token=form.cleaned_data["token"]),
        forms=[form],
        error_on_form=True,
    )
    if verified.value is not None:
        _finish_two_factor(request, verified.value)
        return redirect(_next_url(request) or "/")
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)})


def _qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code, an SVG inlined as a data: URI (no request, no CDN)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2, dark="#1a1a1a"))


OfficeSettingForm = IdleTimeoutForm | ReviewQuorumForm


@dataclass(frozen=True)
class OfficeSetting:
    """One of a street office's settings on its admin's page: who may change it (asked before the
    input is read, the refusal the service's own), its form, the service that saves it, and what the
    admin is told once it is saved."""

    may: Callable[..., bool]
    refused: str | Promise
    form: type[IdleTimeoutForm] | type[ReviewQuorumForm]
    save: Callable[[StreetOffice, Any, User], object]
    saved: Callable[[StreetOffice], str]


OFFICE_SETTINGS: dict[str, OfficeSetting] = {
    "idle": OfficeSetting(
        permissions.may_set_idle_timeout,
        permissions.IDLE_TIMEOUT_REFUSED,
        IdleTimeoutForm,
        lambda office, form, user: services.street_office_idle_timeout_set(
            street_office=office, minutes=form.cleaned_data["minutes"], actor=user
        ),
        lambda office: (
            _("%(office)s及所属社区的工作人员闲置 %(minutes)d 分钟后自动退出,从下一次操作起生效。")
            % {"office": office.name, "minutes": office.session_idle_minutes}
        ),
    ),
    "quorum": OfficeSetting(
        permissions.may_set_review_quorum,
        permissions.REVIEW_QUORUM_REFUSED,
        ReviewQuorumForm,
        lambda office, form, user: services.street_office_review_quorum_set(
            street_office=office, approvals=form.chosen, actor=user
        ),
        lambda office: (
            _("%(office)s:%(rule)s。从下一次提交审核起生效。")
            % {"office": office.name, "rule": office.review_quorum_zh}
        ),
    ),
}


@street_staff_required()
def two_factor_setup(request: StreetOfficeRequest) -> HttpResponse:
    """Street-office staff turn two-factor login on (QR code, then a code to confirm) or off; a street
    office's admin also decides here whether its staff must use it. On a community's site: 403."""
    user = request.user
    form = TotpTokenForm(request.POST if request.POST.get("action") == "confirm" else None)
    refused: dict[str, OfficeSettingForm] = {}
    status = 200
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "confirm":
        confirmed = submit(
            request,
            lambda: services.totp_device_confirm(user=user, token=form.cleaned_data["token"]),
            forms=[form],
            error_on_form=True,
        )
        if confirmed.value is not None:
            _finish_two_factor(request, confirmed.value)
            messages.success(request, _("两步验证已启用。以后登录时,输入密码后还要输入验证器上的动态码。"))
            return redirect(_next_url(request) or "two_factor_setup")
        status = confirmed.status
    elif action == "remove":
        submit(request, lambda: services.totp_device_remove(user=user), success=_("两步验证已关闭。"))
        return redirect("two_factor_setup")
    elif action == "require":
        office = access_street_office_by_id(request, request.POST.get("street_office"))
        required = request.POST.get("required") == "1"
        submit(
            request,
            lambda: services.street_office_two_factor_require(
                street_office=office, required=required, actor=user
            ),
            success=_("已要求%(office)s全体人员使用两步验证,从各人下次登录起生效。") % {"office": office.name}
            if required
            else _("%(office)s的两步验证已改为自愿。") % {"office": office.name},
            forbid=True,
        )
        return redirect("two_factor_setup")
    elif action in OFFICE_SETTINGS:
        setting = OFFICE_SETTINGS[action]
        office = access_street_office_by_id(request, request.POST.get("street_office"))
        if not setting.may(user=user, street_office_id=office.pk):
            raise PermissionDenied(setting.refused)  # before the input is read
        sent = setting.form(request.POST, office_pk=office.pk)
        done = submit(request, lambda: setting.save(office, sent, user), forms=[sent], forbid=True)
        if done.ok:
            messages.success(request, setting.saved(office))
            return redirect("two_factor_setup")
        refused[action] = sent
        status = done.status  # the page again, with what was typed and why it was refused
    device = selectors.totp_device_of(user=user)
    context: dict[str, object] = {
        "form": form,
        "device": device,
        "required": selectors.two_factor_required_for(user),
        # each office the user administers, with its settings' forms (idle limit, review quorum): the
        # one just refused keeps what was typed, the others show the office's current choice
        "admin_offices": [
            (
                office,
                *(
                    kept
                    if (kept := refused.get(key)) is not None and kept.office_pk == office.pk
                    else setting.form.for_office(office)
                    for key, setting in OFFICE_SETTINGS.items()
                ),
            )
            for office in selectors.street_offices_administered_by(user)
        ],
        "next": _next_url(request),
    }
    if device is None:
        pending = services.totp_device_pending(user=user)
        secret = base64.b32encode(pending.bin_key).decode()
        context["qr"] = _qr_data_uri(pending)
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(request, "registration/two_factor_setup.html", context, status=status)
