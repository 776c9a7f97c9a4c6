import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants import selectors, services
from tenants.errors import DomainError
from tenants.forms import TotpTokenForm
from tenants.middleware import TWO_FACTOR_KEY
from tenants.models import StreetOffice


def street_office_home(request: HttpRequest) -> HttpResponse:
    """The street-office site: a sign-in invitation, or the communities of the user's street office(s)."""
    context: dict[str, object] = {}
    if selectors.is_street_office_staff(request.user):  # type: ignore[arg-type]
        communities = selectors.communities_visible_to(request.user)  # type: ignore[arg-type]
        port = request.get_port()
        suffix = "" if port in ("80", "443") else f":{port}"
        context["communities"] = [
            {"community": c, "url": f"{request.scheme}://{c.schema_name}.{settings.BASE_DOMAIN}{suffix}/"}
            for c in communities
        ]
        context["street_offices"] = selectors.street_offices_of(request.user)  # type: ignore[arg-type]
        context["roles"] = selectors.street_office_roles_of(user=request.user)  # type: ignore[arg-type]
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
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The step after the password for anyone with an authenticator."""
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_next_url(request) or "/")
    form = TotpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_verify(user=request.user, token=form.cleaned_data["token"])  # type: ignore[arg-type]
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            _finish_two_factor(request, device)
            return redirect(_next_url(request) or "/")
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)})


def _qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code, an SVG inlined as a data: URI (no request, no CDN)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2, dark="#1a1a1a"))


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Street-office staff turn two-factor login on (QR code, then a code to confirm) or off; a street
    office's admin also decides here whether its staff must use it."""
    user = request.user
    if request.community is not None or not selectors.is_street_office_staff(user):  # type: ignore[attr-defined,arg-type]
        raise PermissionDenied(_("两步验证只供街道工作人员在街道工作平台上设置。"))
    form = TotpTokenForm(request.POST if request.POST.get("action") == "confirm" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm" and form.is_valid():
                device = services.totp_device_confirm(user=user, token=form.cleaned_data["token"])  # type: ignore[arg-type]
                _finish_two_factor(request, device)
                messages.success(
                    request, _("两步验证已启用。以后登录时,输入密码后还要输入验证器上的动态码。")
                )
                return redirect(_next_url(request) or "two_factor_setup")
            if action == "remove":
                services.totp_device_remove(user=user)  # type: ignore[arg-type]
                messages.success(request, _("两步验证已关闭。"))
                return redirect("two_factor_setup")
            if action == "require":
                office = get_object_or_404(StreetOffice, pk=request.POST.get("street_office"))
                required = request.POST.get("required") == "1"
                services.street_office_two_factor_require(street_office=office, required=required, actor=user)  # type: ignore[arg-type]
                messages.success(
                    request,
                    _("已要求%(office)s全体人员使用两步验证,从各人下次登录起生效。") % {"office": office.name}
                    if required
                    else _("%(office)s的两步验证已改为自愿。") % {"office": office.name},
                )
                return redirect("two_factor_setup")
        except DomainError as exc:
            if action != "confirm":
                messages.error(request, exc.message)
                return redirect("two_factor_setup")
            form.add_error(None, exc.message)
    device = selectors.totp_device_of(user=user)  # type: ignore[arg-type]
    context: dict[str, object] = {
        "form": form,
        "device": device,
        "required": selectors.two_factor_required_for(user),  # type: ignore[arg-type]
        "admin_offices": selectors.street_offices_administered_by(user),  # type: ignore[arg-type]
        "next": _next_url(request),
    }
    if device is None:
        pending = services.totp_device_pending(user=user)  # type: ignore[arg-type]
        secret = base64.b32encode(pending.bin_key).decode()
        context["qr"] = _qr_data_uri(pending)
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(request, "registration/two_factor_setup.html", context)
