"""The street office's dashboard on the base domain: every community at once, from summary tables."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure import selectors as disclosure_selectors
from inspection import exports, forms, selectors, services
from inspection.models import Assessment, Rectification, ScoringTemplate, SpotCheck, Survey
from tenants import selectors as tenant_selectors
from tenants.errors import DomainError
from tenants.idempotency import submission_once, submission_token
from tenants.models import User


def _staff(request: HttpRequest) -> None:
    if not tenant_selectors.is_street_office_staff(request.user):  # type: ignore[arg-type]
        raise PermissionDenied


DASHBOARD_PAGE = 50
TREND_LINES = 12
RANKING_ENDS = 10


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _staff(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    rows = selectors.heatmap(user=request.user, year=year)  # type: ignore[arg-type]
    ranking = selectors.ranking(rows)
    query = request.GET.get("q", "").strip()[:50]
    shown = [r for r in rows if query in r.community.name] if query else rows
    # A street office has a handful of communities; a city has thousands: one page of the table at a
    # time, the ranking's two ends, and the street office's average trend instead of a line each.
    page = Paginator(shown, DASHBOARD_PAGE).get_page(request.GET.get("page"))
    table = [
        {
            "row": r,
            "cells": [(c, selectors.rate_band(c)) for c in r.months],
            "band": selectors.rate_band(r.year),
        }
        for r in page.object_list
    ]
    many = len(rows) > TREND_LINES
    return render(
        request,
        "inspection/dashboard.html",
        {
            "year": year,
            "years": list(range(today.year - 2, today.year + 1)),
            "query": query,
            "page": page,
            "table": table,
            "ranking": ranking if not many else ranking[:RANKING_ENDS],
            "ranking_bottom": ranking[-RANKING_ENDS:] if len(ranking) > 2 * RANKING_ENDS else [],
            "ranking_bottom_start": len(ranking) - RANKING_ENDS + 1,
            "communities_total": len(rows),
            "months": list(range(1, 13)),
            "overdue_total": sum(r.year.overdue for r in rows if r.year),
            "trend": {
                "months": [f"{m}月" for m in range(1, 13)],
                "series": selectors.trend_series(rows, lines=TREND_LINES),
            },
            "open_orders": Rectification.objects.filter(
                community__in=[r.community for r in rows], status__in=["open", "answered", "escalated"]
            )
            .select_related("community")
            .order_by("due_date")[:50],
        },
    )


@login_required
def community_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Drill-down: one switch into the community's schema, read-only."""
    _staff(request)
    community = tenant_selectors.communities_visible_to(request.user).filter(schema_name=code).first()  # type: ignore[arg-type]
    if community is None:
        raise Http404
    with tenant_context(community):
        context = {
            "open_obligations": list(disclosure_selectors.obligations_open()[:100]),
            "published": list(disclosure_selectors.disclosures_published()[:50]),
            "ledger": disclosure_selectors.ledger_verify(community_id=community.pk),
        }
    return render(request, "inspection/community.html", {"target": community, **context})


# --- spot checks ------------------------------------------------------------------------------------


def _office_of(request: HttpRequest):  # type: ignore[no-untyped-def]
    offices = tenant_selectors.street_offices_of(request.user)  # type: ignore[arg-type]
    office = offices.first()
    if office is None:
        raise PermissionDenied
    return office


@login_required
def spot_checks(request: HttpRequest) -> HttpResponse:
    _staff(request)
    office = _office_of(request)
    inspectors = User.objects.filter(street_office_memberships__street_office=office).distinct()
    form = forms.DrawForm(request.POST or None, inspectors=inspectors, initial={"inspector": request.user.pk})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:

                def draw() -> str:
                    made = services.spot_check_draw(
                        street_office=office,
                        actor=request.user,  # type: ignore[arg-type]
                        **form.cleaned_data,
                    )
                    messages.success(request, f"已抽取:{'、'.join(made.drawn)}(随机种子 {made.seed})")
                    return reverse("inspection:spot_checks")

                url, repeated = submission_once(request, draw)
                if repeated:
                    messages.info(request, "这次抽取已经做过,没有重复抽取。")
                return redirect(url)
            except DomainError as exc:
                messages.error(request, exc.message)
    checks = SpotCheck.objects.filter(draw__street_office=office).select_related(
        "community", "draw", "inspector"
    )
    return render(
        request,
        "inspection/spot_checks.html",
        {
            "form": form,
            "checks": checks[:100],
            "submission_token": submission_token(request),
            "user_can_record": {
                c.pk for c in checks[:100] if request.user.has_perm("inspection.record_spotcheck", c)
            },
        },
        status=status,
    )


@login_required
def spot_check_record(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    check = get_object_or_404(
        SpotCheck.objects.select_related("community", "draw"),
        pk=pk,
        draw__street_office__in=tenant_selectors.street_offices_of(request.user),  # type: ignore[arg-type]
    )
    can_record = request.user.has_perm("inspection.record_spotcheck", check) and check.status == "planned"
    form = forms.RecordForm(
        request.POST or None,
        request.FILES or None,
        initial={"visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    status = 200
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.spot_check_record(
                    spot_check=check,
                    actor=request.user,  # type: ignore[arg-type]
                    visited_at=data["visited_at"],
                    checklist={k: data[k] == "yes" for k in services.CHECKLIST},
                    findings=data["findings"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    photos=data["photos"],
                )
                messages.success(request, "暗访结果已记录。")
                return redirect("inspection:spot_checks")
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(
        request,
        "inspection/spot_check_record.html",
        {"check": check, "form": form, "can_record": can_record},
        status=status,
    )


# --- rectifications ------------------------------------------------------------------------------------


@login_required
def rectifications(request: HttpRequest) -> HttpResponse:
    _staff(request)
    communities = tenant_selectors.communities_visible_to(request.user)  # type: ignore[arg-type]
    form = forms.RectificationForm(request.POST or None, communities=communities)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:

                def issue() -> str:
                    services.rectification_issue(
                        source="manual",
                        actor=request.user,  # type: ignore[arg-type]
                        **form.cleaned_data,
                    )
                    return reverse("inspection:rectifications")

                url, repeated = submission_once(request, issue)
                if repeated:
                    messages.info(request, "这份整改通知已经下达过,没有重复下达。")
                else:
                    messages.success(request, "整改通知已下达。")
                return redirect(url)
            except DomainError as exc:
                messages.error(request, exc.message)
    orders = Rectification.objects.filter(community__in=communities).select_related("community")
    return render(
        request,
        "inspection/rectifications.html",
        {"form": form, "orders": orders, "submission_token": submission_token(request)},
        status=status,
    )


@login_required
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    order = get_object_or_404(
        Rectification.objects.select_related("community"),
        pk=pk,
        community__in=tenant_selectors.communities_visible_to(request.user),  # type: ignore[arg-type]
    )
    form = forms.VerifyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.rectification_verify(
                    rectification=order,
                    actor=request.user,  # type: ignore[arg-type]
                    accept=form.cleaned_data["decision"] == "accept",
                    note=form.cleaned_data["note"],
                )
                messages.success(request, "核查结论已记录。")
                return redirect("inspection:rectification", pk=pk)
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(request, "inspection/rectification.html", {"order": order, "form": form}, status=status)


# --- the community's side (on its own sub-domain) ----------------------------------------------------------


def _member(request: HttpRequest) -> set[str]:
    roles = tenant_selectors.community_roles_of(user=request.user, community=request.community)  # type: ignore[arg-type, attr-defined]
    if not roles:
        raise PermissionDenied
    return roles


@login_required
def community_results(request: HttpRequest) -> HttpResponse:
    """What the street office concluded about this community: completed spot checks and its orders.
    A planned (unannounced) check is never shown here."""
    _member(request)
    community = request.community  # type: ignore[attr-defined]
    return render(
        request,
        "inspection/community_results.html",
        {
            "checks": selectors.spot_checks_visible_to_community(community),
            "orders": Rectification.objects.filter(community=community),
            "assessments": Assessment.objects.filter(community=community),
            "evaluations": selectors.evaluations_published_for(community),
        },
    )


@login_required
def community_answer(request: HttpRequest, pk: int) -> HttpResponse:
    _member(request)
    order = get_object_or_404(Rectification, pk=pk, community=request.community)  # type: ignore[attr-defined]
    form = forms.AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.rectification_answer(
                    rectification=order,
                    actor=request.user,  # type: ignore[arg-type]
                    answer=form.cleaned_data["answer"],
                )
                messages.success(request, "整改情况已反馈街道。")
                return redirect("inspection_community:results")
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(request, "inspection/community_answer.html", {"order": order, "form": form}, status=status)


def vote(request: HttpRequest) -> HttpResponse:
    """群众评议: a party member or resident representative votes with the code on their slip."""
    form = forms.VoteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.vote_cast(community=request.community, **form.cleaned_data)  # type: ignore[attr-defined]
                return render(request, "inspection/vote_done.html")
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(request, "inspection/vote.html", {"form": form}, status=status)


# --- 群众评议 -------------------------------------------------------------------------------------------


@login_required
def surveys(request: HttpRequest) -> HttpResponse:
    _staff(request)
    communities = tenant_selectors.communities_visible_to(request.user)  # type: ignore[arg-type]
    form = forms.SurveyForm(request.POST or None, communities=communities)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                survey = services.survey_open(actor=request.user, title="", **form.cleaned_data)  # type: ignore[arg-type]
                messages.success(request, "已发起评议,请打印投票纸条发给党员和居民代表。")
                return redirect("inspection:survey", pk=survey.pk)
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(
        request,
        "inspection/surveys.html",
        {
            "form": form,
            "surveys": Survey.objects.filter(community__in=communities).select_related("community"),
        },
        status=status,
    )


def _survey_for(request: HttpRequest, pk: int) -> Survey:
    return get_object_or_404(
        Survey.objects.select_related("community"),
        pk=pk,
        community__in=tenant_selectors.communities_visible_to(request.user),  # type: ignore[arg-type]
    )


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    survey = _survey_for(request, pk)
    if request.method == "POST":
        try:
            survey = services.survey_close(survey=survey, actor=request.user)  # type: ignore[arg-type]
            messages.success(request, f"评议已结束,满意率 {survey.satisfaction_rate}%。")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("inspection:survey", pk=pk)
    return render(
        request,
        "inspection/survey.html",
        {
            "survey": survey,
            "used": survey.codes.filter(used_at__isnull=False).count(),
            "total": survey.codes.count(),
        },
    )


@login_required
def survey_slips(request: HttpRequest, pk: int) -> HttpResponse:
    """Printable slips: one code each, cut apart and handed out; nobody can tell who holds which."""
    _staff(request)
    survey = _survey_for(request, pk)
    port = request.get_port()
    suffix = "" if port in ("80", "443") else f":{port}"
    return render(
        request,
        "inspection/survey_slips.html",
        {
            "survey": survey,
            "codes": survey.codes.filter(used_at__isnull=True).order_by("?"),
            "vote_url": f"{request.scheme}://{survey.community.schema_name}.{settings.BASE_DOMAIN}{suffix}/vote/",
        },
    )


# --- 定期考核 and 综合评价 --------------------------------------------------------------------------------


def _scores_from(form: Any, items: Any) -> dict[str, Any]:
    return {i.code: form.cleaned_data[f"score_{i.code}"] for i in items}


@login_required
def assessments(request: HttpRequest) -> HttpResponse:
    _staff(request)
    office = _office_of(request)
    communities = tenant_selectors.communities_visible_to(request.user)  # type: ignore[arg-type]
    inspectors = User.objects.filter(street_office_memberships__street_office=office).distinct()
    form = forms.AssessmentOpenForm(request.POST or None, communities=communities, inspectors=inspectors)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                assessment = services.assessment_open(
                    actor=request.user,  # type: ignore[arg-type]
                    template=services.template_for(street_office=office),
                    **form.cleaned_data,
                )
                messages.success(request, "已开始定期考核,社区可在工作台提交自查。")
                return redirect("inspection:assessment", pk=assessment.pk)
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(
        request,
        "inspection/assessments.html",
        {
            "form": form,
            "assessments": Assessment.objects.filter(community__in=communities).select_related("community"),
        },
        status=status,
    )


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    assessment = get_object_or_404(
        Assessment.objects.select_related("community", "template"),
        pk=pk,
        community__in=tenant_selectors.communities_visible_to(request.user),  # type: ignore[arg-type]
    )
    items = list(assessment.template.items.all())
    can_score = assessment.status == "submitted" and request.user.has_perm(
        "inspection.score_assessment", assessment
    )
    roles = tenant_selectors.street_office_roles_of(user=request.user)  # type: ignore[arg-type]
    form = forms.scores_form(items, data=request.POST or None, with_notes=True) if can_score else None
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if request.POST.get("action") == "approve":
                services.assessment_approve(assessment=assessment, actor=request.user)  # type: ignore[arg-type]
                messages.success(request, "考核结果已审定。")
                return redirect("inspection:assessment", pk=pk)
            if form is not None and form.is_valid():
                services.assessment_score(
                    assessment=assessment,
                    actor=request.user,  # type: ignore[arg-type]
                    scores=_scores_from(form, items),
                    notes={i.code: form.cleaned_data[f"note_{i.code}"] for i in items},
                )
                messages.success(request, "评分已保存。")
                return redirect("inspection:assessment", pk=pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "inspection/assessment.html",
        {
            "assessment": assessment,
            "rows": assessment.scores.select_related("item").order_by("item__order"),
            "form": form,
            "can_approve": assessment.status == "scored" and "leader" in roles,
        },
        status=status,
    )


@login_required
def standards(request: HttpRequest) -> HttpResponse:
    """评分标准: the street office's admin or leader revises it; scored assessments keep their version."""
    _staff(request)
    office = _office_of(request)
    current = services.template_for(street_office=office)
    items = list(current.items.all())
    initial = [{f: getattr(i, f) for f in services.SCORING_ITEM_FIELDS} for i in items]
    formset = forms.ScoringItemFormSet(request.POST or None, initial=initial, prefix="items")
    status = 200
    if request.method == "POST":
        status = 400
        if formset.is_valid():
            rows = [
                f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                revised = services.template_revise(street_office=office, actor=request.user, rows=rows)  # type: ignore[arg-type]
                messages.success(request, f"评分标准已保存为“{revised}”,新开始的定期考核按此评分。")
                return redirect("inspection:standards")
            except DomainError as exc:
                messages.error(request, exc.message)
        else:
            messages.error(request, "有几处需要修改,请看标红的说明。")
    roles = tenant_selectors.street_office_roles_of(user=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "inspection/standards.html",
        {
            "template": current,
            "items": items,
            "total": sum((i.max_score for i in items), Decimal(0)),
            "formset": formset,
            "can_edit": request.user.is_superuser or bool(roles & {"admin", "leader"}),
            "versions": ScoringTemplate.objects.filter(Q(street_office=office) | Q(street_office=None))
            .annotate(used=Count("assessments"))
            .select_related("revised_by"),
        },
        status=status,
    )


@login_required
def evaluations(request: HttpRequest) -> HttpResponse:
    _staff(request)
    office = _office_of(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                count = services.evaluation_approve(street_office=office, year=year, actor=request.user)  # type: ignore[arg-type]
                messages.success(request, f"已审定并向各社区公布 {count} 个社区的结果。")
            else:
                services.evaluation_compute(street_office=office, year=year, actor=request.user)  # type: ignore[arg-type]
                messages.success(request, "综合评价已计算。")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?year={year}")
    rows = selectors.evaluations_of(street_office=office, year=year)
    export = request.GET.get("export")
    if export == "xlsx":
        return exports.evaluations_xlsx(rows, title=f"{office.name}{year}年度综合评价")
    if export == "pdf":
        return exports.evaluations_pdf(rows, title=f"{office.name}{year}年度综合评价")
    roles = tenant_selectors.street_office_roles_of(user=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "inspection/evaluations.html",
        {
            "rows": rows,
            "year": year,
            "is_leader": "leader" in roles,
            "approved": any(r.published_at for r in rows),
        },
    )


@login_required
def community_self_assess(request: HttpRequest, pk: int) -> HttpResponse:
    roles = _member(request)
    assessment = get_object_or_404(
        Assessment.objects.select_related("template"),
        pk=pk,
        community=request.community,  # type: ignore[attr-defined]
    )
    items = list(assessment.template.items.all())
    can_edit = assessment.status == "self_assessing" and bool(roles & {"secretary", "director"})
    form = forms.scores_form(items, data=request.POST or None, files=request.FILES or None, with_report=True)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            try:
                services.assessment_self_assess(
                    assessment=assessment,
                    actor=request.user,  # type: ignore[arg-type]
                    scores=_scores_from(form, items),
                    report=form.cleaned_data["report"],
                )
                messages.success(request, "自查已提交街道考核组。")
                return redirect("inspection_community:results")
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(
        request,
        "inspection/self_assess.html",
        {"assessment": assessment, "form": form, "can_edit": can_edit},
        status=status,
    )
