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
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition

from communities import selectors as community_selectors
from communities.models import Officer
from disclosure import selectors, services
from disclosure.choices import Category, Channel, ContentType, SignatureRole
from disclosure.models import Disclosure
from disclosure.portal.views import DIRECTORY_CODE
from tenants.form_errors import Form

# How much of an item one slide shows; a longer item goes on over the next slides, up to
# SLIDES_PER_ITEM of them, and the QR code leads to the rest.
TEXT_CHARS_PER_SLIDE = 180
ROWS_PER_SLIDE = {
    ContentType.FINANCE: 8,
    ContentType.RELIEF: 8,
    ContentType.PLAN: 7,
    ContentType.CADRE: 12,
    ContentType.SERVICE_GUIDE: 7,
}
SLIDES_PER_ITEM = 4
OFFICERS_ON_SCREEN = 12
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
    """What the e-screen carries today: what a bulletin board would (``selectors.disclosures_on_display``:
    versions whose display window (公示期) runs, and fixed items (固定公开) waiting for their renewal,
    which never drop off while nobody has renewed them), of the items published through the 电子屏
    channel only (000 第九条: the channels are chosen item by item at publication)."""
    return selectors.disclosures_on_display(on=on).filter(channels__contains=[Channel.E_SCREEN])


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


def _text_pages(html: str) -> list[str]:
    """The body's text in slide-sized pages: whole paragraphs where they fit, a long paragraph cut at
    the end of a sentence (。！？；), never in the middle of a word if it can be helped."""
    text = html.replace("</p>", "\n").replace("<br>", "\n").replace("<br/>", "\n")
    paragraphs = [" ".join(p.split()) for p in strip_tags(text).split("\n")]
    pieces: list[str] = []
    for paragraph in filter(None, paragraphs):
        while len(paragraph) > TEXT_CHARS_PER_SLIDE:
            window = paragraph[:TEXT_CHARS_PER_SLIDE]
            cut = max(window.rfind(mark) for mark in "。！？；;")
            cut = cut + 1 if cut > TEXT_CHARS_PER_SLIDE // 3 else TEXT_CHARS_PER_SLIDE
            pieces.append(paragraph[:cut])
            paragraph = paragraph[cut:].strip()
        if paragraph:
            pieces.append(paragraph)
    pages: list[str] = []
    for piece in pieces:
        if pages and len(pages[-1]) + len(piece) + 1 <= TEXT_CHARS_PER_SLIDE:
            pages[-1] += "\n" + piece
        else:
            pages.append(piece)
    return pages


@dataclass
class Slide:
    kind: str
    d: Disclosure | None = None
    data: dict[str, Any] = field(default_factory=dict)
    rows: list[Any] = field(default_factory=list)
    more: int = 0
    text: str = ""
    qr: str = ""
    item: int = 0  # the item's number among the items on display (1, 2, …), 0 for the other slides
    label: str = ""
    page: int = 1  # which of the item's slides this is
    pages: int = 1

    def labelled(self, items: int) -> Slide:
        """What the counter says while this slide is up: 第 2 项 / 共 8 项 (· 第 1/3 屏) for an item,
        the slide's name otherwise — so the counter and "今天正在公示 N 项" count the same things."""
        if self.kind == "item":
            self.label = _("第 %(n)s 项 / 共 %(total)s 项") % {"n": self.item, "total": items}
            if self.pages > 1:
                self.label += " · " + _("第 %(page)s/%(pages)s 屏") % {"page": self.page, "pages": self.pages}
        else:
            names = {"overview": _("社区概况"), "officers": _("联系方式"), "result": _("考核结果")}
            self.label = str(names[self.kind])
        return self


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


def _item_slides(request: HttpRequest, d: Disclosure, number: int) -> list[Slide]:
    """One item on as many slides as its rows (or its text) need, at most ``SLIDES_PER_ITEM``: the last
    one says how much is left for the QR code."""
    public = selectors.disclosure_public_content(d)
    rows = _rows_of(d.content_type, public.data)
    qr = _qr_svg(request.build_absolute_uri(reverse("portal:detail", args=[d.pk])))
    if rows:
        size = ROWS_PER_SLIDE[ContentType(d.content_type)]
        chunks = [rows[start : start + size] for start in range(0, len(rows), size)]
        texts = [""] * len(chunks)
    else:
        texts = _text_pages(public.body) or [""]
        chunks = [[] for _ in texts]
    shown = min(len(chunks), SLIDES_PER_ITEM)
    left = sum(len(chunk) for chunk in chunks[shown:]) if rows else 0
    slides = [
        Slide(kind="item", d=d, data=public.data, rows=chunk, text=text, qr=qr, item=number, page=page)
        for page, (chunk, text) in enumerate(zip(chunks[:shown], texts[:shown], strict=True), start=1)
    ]
    for slide in slides:
        slide.pages = shown
    slides[-1].more = left
    if not rows and len(texts) > shown:
        slides[-1].text += "……"
    return slides


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
    items = list(on_display(on=today))
    slides = [Slide(kind="overview")]
    for number, d in enumerate(items, start=1):
        slides += _item_slides(request, d, number)
    # The cadre board is shown once: by the published item when one is on the screen, from the
    # community's own list of officers otherwise.
    officers = list(
        Officer.objects.select_related("committee").order_by("committee__sort_order", "sort_order")
    )
    if officers and not any(d.content_type == ContentType.CADRE for d in items):
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
    slides = [slide.labelled(len(items)) for slide in slides]
    current = (form.cleaned_data["slide"] or 0) % len(slides)
    return render(
        request,
        "portal/screen.html",
        {
            "profile": profile,
            "today": today,
            "slides": slides,
            "items": items,
            "items_shown": len(items),
            "current": current,
            "current_label": slides[current].label,
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
