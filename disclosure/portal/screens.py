"""The e-screen (电子屏) and the touch screen (触摸屏) of a community (000 第九条 公开形式).

Both are kiosks: nobody logs in, nobody types. The e-screen rotates by itself through what is on
display today and reloads when the set changes (``screen.js`` polls ``state.json``); the touch screen
offers big buttons and goes back to its home page when left alone (``touch.js``). Every item comes
from ``selectors.disclosures_public_find`` and every content from ``selectors.disclosure_public_content``,
so the kiosks show exactly what the portal shows, never more. The scripts are static files: no page
carries inline script.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import segno
from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition

from communities import selectors as community_selectors
from communities.models import Officer
from disclosure import selectors, services
from disclosure.choices import Category, ContentType, SignatureRole
from disclosure.models import Disclosure
from disclosure.portal.views import DIRECTORY_CODE
from tenants.form_errors import Form

# How much of an item a screen shows; the QR code leads to the rest.
EXCERPT_CHARS = 150
ROWS_ON_SCREEN = 6
OFFICERS_ON_SCREEN = 8
TOUCH_PAGE_SIZE = 8
TOUCH_IDLE_COOKIE = "gk_touch_idle"


class ScreenForm(Form):
    """``/screen/?interval=20&poll=30``: seconds per slide and between checks for news."""

    interval = forms.IntegerField(label=_("每条停留秒数"), min_value=2, max_value=600, required=False)
    poll = forms.IntegerField(label=_("检查更新的间隔秒数"), min_value=2, max_value=3600, required=False)
    slide = forms.IntegerField(label=_("从第几条开始"), min_value=0, required=False)


class TouchForm(Form):
    """``/touch/?idle=90``: seconds without a touch before the screen goes back to its home page."""

    idle = forms.IntegerField(label=_("无人操作返回首页的秒数"), min_value=3, max_value=3600, required=False)


def on_display(*, on: date) -> QuerySet[Disclosure]:
    """What a bulletin board would carry today (``selectors.disclosures_on_display``): versions whose
    display window (公示期) runs, and fixed items (固定公开) waiting for their renewal, which never drop
    off the screen while nobody has renewed them."""
    return selectors.disclosures_on_display(on=on)


def fingerprint(*, on: date) -> str:
    """Changes whenever what the e-screen shows changes: a publication, a correction, an item whose
    window opens or closes, the profile or the cadre board edited, a new evaluation result, a new day."""
    shown = on_display(on=on).values_list("pk", "content_hash", "shown_until")  # type: ignore[misc]  # annotated
    items = list(shown)
    profile = community_selectors.profile_get()
    officers = Officer.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    results = community_selectors.street_office_results().aggregate(n=Count("pk"), last=Max("pk"))
    payload = {
        "on": on,
        "items": items,
        "profile": profile.updated_at if profile else None,
        "officers": officers,
        "results": results,
    }
    return hashlib.sha256(json.dumps(payload, default=str, sort_keys=True).encode()).hexdigest()


def _qr_svg(url: str) -> str:
    """An inline SVG QR code (dark on white, as scanners expect) leading to ``url``."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff", omitsize=True)


def _excerpt(html: str) -> str:
    return Truncator(" ".join(strip_tags(html).split())).chars(EXCERPT_CHARS)


@dataclass
class Slide:
    kind: str
    d: Disclosure | None = None
    data: dict[str, Any] = field(default_factory=dict)
    rows: list[Any] = field(default_factory=list)
    more: int = 0
    excerpt: str = ""
    qr: str = ""


def _rows_of(content_type: str, data: dict[str, Any]) -> list[Any]:
    """The list a structured item is made of, for a screen that has room for a few of them."""
    key = {
        ContentType.FINANCE: "lines",
        ContentType.RELIEF: "households",
        ContentType.PLAN: "milestones",
        ContentType.CADRE: "officers",
        ContentType.SERVICE_GUIDE: "steps",
    }.get(ContentType(content_type))
    return list(data.get(key, [])) if key else []


def _item_slide(request: HttpRequest, d: Disclosure) -> Slide:
    public = selectors.disclosure_public_content(d)
    rows = _rows_of(d.content_type, public.data)
    return Slide(
        kind="item",
        d=d,
        data=public.data,
        rows=rows[:ROWS_ON_SCREEN],
        more=max(0, len(rows) - ROWS_ON_SCREEN),
        excerpt=_excerpt(public.body),
        qr=_qr_svg(request.build_absolute_uri(reverse("portal:detail", args=[d.pk]))),
    )


def refuse(
    request: HttpRequest,
    form: forms.Form | None = None,
    *,
    problems: list[str] | None = None,
    status: int = 400,
) -> HttpResponse:
    """A kiosk address or a print link typed wrong: say what is wrong, in Chinese, as a page."""
    problems = list(problems or [])
    if form is not None:
        problems += [f"{form.fields[name].label}:{m}" for name, errors in form.errors.items() for m in errors]
    return render(request, "portal/problem.html", {"problems": problems}, status=status)


def screen(request: HttpRequest) -> HttpResponse:
    """The e-screen: the community overview, then every item on display, then the cadre board and
    the street office's latest result, one slide at a time in very large type."""
    form = ScreenForm(request.GET)
    if not form.is_valid():
        return refuse(request, form)
    interval = form.cleaned_data["interval"] or 15
    poll = form.cleaned_data["poll"] or 45
    today = timezone.localdate()
    profile = community_selectors.profile_get()
    slides = [Slide(kind="overview")]
    slides += [_item_slide(request, d) for d in on_display(on=today)]
    officers = list(
        Officer.objects.select_related("committee").order_by("committee__sort_order", "sort_order")
    )
    if officers:
        slides.append(
            Slide(
                kind="officers",
                rows=officers[:OFFICERS_ON_SCREEN],
                more=max(0, len(officers) - OFFICERS_ON_SCREEN),
            )
        )
    result = community_selectors.street_office_results().first()
    if result is not None:
        slides.append(Slide(kind="result", data={"result": result}))
    current = (form.cleaned_data["slide"] or 0) % len(slides)
    return render(
        request,
        "portal/screen.html",
        {
            "profile": profile,
            "today": today,
            "slides": slides,
            "items_shown": sum(1 for s in slides if s.kind == "item"),
            "current": current,
            "next_slide": (current + 1) % len(slides),
            "interval": interval,
            "poll": poll,
            "fingerprint": fingerprint(on=today),
        },
    )


def _state_etag(request: HttpRequest) -> str:
    return fingerprint(on=timezone.localdate())


@condition(etag_func=_state_etag)
def screen_state(request: HttpRequest) -> JsonResponse:
    """What the e-screen polls: a fingerprint of what is on display. The ETag is the fingerprint, so
    an unchanged state costs a 304 and no body."""
    response = JsonResponse({"fingerprint": fingerprint(on=timezone.localdate())})
    response["Cache-Control"] = "no-cache"
    return response


# --- touch screen ---------------------------------------------------------------------------------


def _touch(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Every touch page knows its idle time: ``?idle=`` sets it (remembered in a cookie, so a kiosk is
    configured once by opening its start address), 90 s otherwise."""
    form = TouchForm(request.GET)
    if not form.is_valid():
        return refuse(request, form)
    chosen = form.cleaned_data["idle"]
    remembered = request.COOKIES.get(TOUCH_IDLE_COOKIE, "")
    idle = chosen or (int(remembered) if remembered.isdigit() and 3 <= int(remembered) <= 3600 else 90)
    context.update({"idle": idle, "profile": community_selectors.profile_get()})
    response = render(request, template, context)
    if chosen:
        response.set_cookie(
            TOUCH_IDLE_COOKIE,
            str(chosen),
            max_age=int(timedelta(days=365).total_seconds()),
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    return response


def touch_home(request: HttpRequest) -> HttpResponse:
    """Big buttons: the five categories with how many items each has, the overview, service guides."""
    current = selectors.disclosures_public_find(on=timezone.localdate())
    counts = dict(current.order_by().values_list("category").annotate(n=Count("pk")))
    return _touch(
        request,
        "portal/touch_home.html",
        {"categories": [(value, label, counts.get(value, 0)) for value, label in Category.choices]},
    )


def touch_list(request: HttpRequest, category: str) -> HttpResponse:
    if category not in Category.values:
        raise Http404
    found = selectors.disclosures_public_find(on=timezone.localdate(), category=category)
    page = Paginator(found, TOUCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return _touch(
        request,
        "portal/touch_list.html",
        {"category": category, "category_label": Category(category).label, "page": page},
    )


def touch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One item in large type, as the portal's page shows it; files and the hash check are on the
    portal, a QR code away."""
    d = selectors.disclosure_public_get(pk=pk, on=timezone.localdate())
    public = selectors.disclosure_public_content(d)
    signatures = services.valid_signatures(d)
    return _touch(
        request,
        "portal/touch_detail.html",
        {
            "d": d,
            "public": public,
            "signatures": [signatures[role] for role in SignatureRole.values if role in signatures],
            "qr": _qr_svg(request.build_absolute_uri(reverse("portal:detail", args=[d.pk]))),
        },
    )


def touch_overview(request: HttpRequest) -> HttpResponse:
    return _touch(
        request,
        "portal/touch_overview.html",
        {"committees": community_selectors.committees_with_officers()},
    )


def touch_services(request: HttpRequest) -> HttpResponse:
    """服务: service guides and every other service item, with the convenience directory first."""
    current = selectors.disclosures_public_find(on=timezone.localdate())
    directory = current.filter(obligation__code=DIRECTORY_CODE).first()
    return _touch(
        request,
        "portal/touch_services.html",
        {
            "directory": directory,
            "directory_body": selectors.disclosure_public_content(directory).body if directory else "",
            "guides": current.filter(
                Q(category=Category.SERVICE) | Q(content_type=ContentType.SERVICE_GUIDE)
            ).exclude(obligation__code=DIRECTORY_CODE),
        },
    )
