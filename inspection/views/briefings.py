"""工作简报 pages (000 第九条(五); 004 ⑷).

On a community's site: generating the quarter's briefing as a draft of the community's own (it then
goes through the five steps on the disclosure's page), and reading the street office's published
briefings. On the base domain: the street office's briefings (generate, edit, send to the leader,
approve or return, print), and the published ones for anyone, with their PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure import services as disclosure_services
from disclosure.bulletin import briefing_pdf
from disclosure.forms import BriefingTextsForm
from disclosure.models import Briefing
from disclosure.pdf import FontMissing
from disclosure.permissions import ROLE_ACTIONS, Action
from inspection import forms, permissions, services
from inspection.access import access_published_briefing_by_id, access_street_briefing_by_id
from inspection.choices import BriefingStatus
from inspection.models import StreetOfficeBriefing
from tenants.access import (
    CommunityRequest,
    StreetOfficeRequest,
    access_street_office,
    member_required,
    street_staff_required,
    submit,
)
from workdays.dates import zh_date, zh_datetime

GENERATED = gettext_lazy("已按本季度的数据生成简报草稿。核对、修改文字后,按正常程序提交审核。")


def _published(street_office_id: int) -> list[StreetOfficeBriefing]:
    return list(
        StreetOfficeBriefing.objects.filter(
            street_office_id=street_office_id, status=BriefingStatus.PUBLISHED
        )
    )


# --- a community's site -------------------------------------------------------------------------------------


@member_required(roles=ROLE_ACTIONS[Action.DRAFT])
def community_briefings(request: CommunityRequest) -> HttpResponse:
    """生成本季度简报: the quarter (the last completed one unless chosen) compiled into a draft. A draft
    edited since it was generated is shown a confirmation instead of being overwritten (409)."""
    form = forms.BriefingQuarterForm(request.POST or None, today=timezone.localdate())
    made = submit(
        request,
        lambda: services.community_briefing_generate(
            community=request.community,
            period=form.quarter(),
            actor=request.user,
            overwrite=form.cleaned_data["overwrite"],
        ),
        forms=[form],
        status_by_kind=True,
    )
    if made.ok and made.value is not None:
        messages.success(request, GENERATED)
        return redirect("disclosure:detail", pk=made.value.pk)
    return render(
        request,
        "inspection/community_briefings.html",
        {
            "form": form,
            "confirm": isinstance(made.error, disclosure_services.BriefingEdited),
            "briefings": Briefing.objects.select_related("disclosure").order_by("-period"),
            "street_briefings": _published(request.community.street_office_id),
        },
        status=made.status,
    )


@member_required()
def community_street_briefing(request: CommunityRequest, pk: int) -> HttpResponse:
    """The street office's published briefing, read by the community's staff on their own site."""
    briefing = access_published_briefing_by_id(pk, street_office_id=request.community.street_office_id)
    return render(
        request, "inspection/street_briefing_read.html", {"briefing": briefing, "on_community_site": True}
    )


@member_required()
def community_street_briefing_pdf(request: CommunityRequest, pk: int) -> HttpResponse:
    return _pdf(access_published_briefing_by_id(pk, street_office_id=request.community.street_office_id))


# --- the street office's site ------------------------------------------------------------------------


@street_staff_required()
def briefings(request: StreetOfficeRequest) -> HttpResponse:
    office = access_street_office(request)
    form = forms.BriefingQuarterForm(request.POST or None, today=timezone.localdate())
    made = submit(
        request,
        lambda: services.street_briefing_generate(
            street_office=office,
            period=form.quarter(),
            actor=request.user,
            overwrite=form.cleaned_data["overwrite"],
        ),
        forms=[form],
        status_by_kind=True,
    )
    if made.ok and made.value is not None:
        messages.success(request, _("已按本季度的汇总数据生成简报草稿。"))
        return redirect("inspection:briefing", pk=made.value.pk)
    return render(
        request,
        "inspection/briefings.html",
        {
            "form": form,
            "confirm": isinstance(made.error, services.StreetBriefingEdited),
            "briefings": StreetOfficeBriefing.objects.filter(street_office=office).select_related(
                "drafted_by"
            ),
        },
        status=made.status,
    )


@street_staff_required()
def briefing_detail(request: StreetOfficeRequest, pk: int) -> HttpResponse:
    """The briefing as it reads, and its step: send to the leader (a draft), approve or return (the
    leader, once sent). The review form is shown only to the leader; anyone else's POST is a 403."""
    briefing = access_street_briefing_by_id(request, pk)
    may_review = permissions.can_approve_briefing(request.street_office_roles)
    action = request.POST.get("action", "")
    review = forms.BriefingReviewForm(
        request.POST if action == "review" else None, initial={"seen": briefing.content_hash}
    )
    status = 200
    if action == "review":
        if not may_review:
            raise PermissionDenied(permissions.BRIEFING_APPROVE_REFUSED)
        done = submit(
            request,
            lambda: services.street_briefing_review(
                briefing=briefing,
                actor=request.user,
                approve=review.cleaned_data["decision"] == "approve",
                comments=review.cleaned_data["comments"],
                seen_hash=review.cleaned_data["seen"],
            ),
            forms=[review],
            forbid=True,
        )
        if done.ok:
            approved = review.cleaned_data["decision"] == "approve"
            messages.success(request, _("已审定并公布。") if approved else _("已退回修改。"))
            return redirect("inspection:briefing", pk=pk)
        status = done.status
    elif action == "submit":
        sent = submit(
            request,
            lambda: services.street_briefing_submit(briefing=briefing, actor=request.user),
            success=_("已提交街道领导审定。"),
        )
        if sent.ok:
            return redirect("inspection:briefing", pk=pk)
        status = sent.status
    return render(
        request,
        "inspection/briefing.html",
        {"briefing": briefing, "review": review, "may_review": may_review},
        status=status,
    )


@street_staff_required()
def briefing_edit(request: StreetOfficeRequest, pk: int) -> HttpResponse:
    """The title, the summary and each section's text; the figures stay as compiled."""
    briefing = access_street_briefing_by_id(request, pk)
    if not briefing.editable:
        messages.error(
            request,
            _("这份简报%(get_status_display)s,不能修改。")
            % {"get_status_display": briefing.get_status_display()},
        )
        return redirect("inspection:briefing", pk=pk)
    sections = briefing.data.get("sections", [])
    form = forms.BriefingEditForm(
        request.POST or None, initial={"title": briefing.title, "summary": briefing.summary}
    )
    texts = BriefingTextsForm(request.POST or None, prefix="br", sections=sections)
    saved = submit(
        request,
        lambda: services.street_briefing_edit(
            briefing=briefing,
            actor=request.user,
            title=form.cleaned_data["title"],
            summary=form.cleaned_data["summary"],
            texts={s["key"]: t for s, t in zip(sections, texts.texts(), strict=True)},
        ),
        forms=[form, texts],
        success=_("已保存。"),
    )
    if saved.ok:
        return redirect("inspection:briefing", pk=pk)
    return render(
        request,
        "inspection/briefing_edit.html",
        {"briefing": briefing, "form": form, "texts": texts},
        status=saved.status,
    )


def _pdf(briefing: StreetOfficeBriefing) -> HttpResponse:
    if briefing.status == BriefingStatus.PUBLISHED and briefing.approved_by is not None:
        footer = _("经%(get_full_name)s审定,%(zh_date)s公布。") % {
            "get_full_name": briefing.approved_by.get_full_name(),
            "zh_date": zh_date(briefing.published_at),
        }
    else:
        footer = (
            f"草稿({briefing.get_status_display()}),未经审定,不得对外发布。"
            f"生成于{zh_datetime(briefing.generated_at)}。"
        )
    try:
        content = briefing_pdf(
            issuer=_("%(name)s · 社区工作简报") % {"name": briefing.street_office.name},
            title=briefing.title,
            summary=briefing.summary,
            sections=briefing.data.get("sections", []),
            footer=footer,
        )
    except FontMissing as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="briefing-{briefing.period}.pdf"'
    return response


@street_staff_required()
def briefing_pdf_staff(request: StreetOfficeRequest, pk: int) -> HttpResponse:
    return _pdf(access_street_briefing_by_id(request, pk))


# --- published, for everyone (the base domain, no login) ----------------------------------------------


def public_briefings(request: HttpRequest) -> HttpResponse:
    published = StreetOfficeBriefing.objects.filter(status=BriefingStatus.PUBLISHED).select_related(
        "street_office"
    )
    return render(request, "inspection/public_briefings.html", {"briefings": published})


def public_briefing(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = access_published_briefing_by_id(pk)
    return render(request, "inspection/street_briefing_read.html", {"briefing": briefing})


def public_briefing_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf(access_published_briefing_by_id(pk))
