"""The staff workspace on a community's sub-domain. Views validate input and call services; a refused
action comes back as a Chinese message next to the form, with what was typed kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from communities.selectors import notifications_for
from disclosure import forms, permissions, reports, rules, selectors, services
from disclosure.choices import Cadence, DisclosureStatus, ObligationStatus
from disclosure.models import Attachment, Disclosure, Obligation
from disclosure.pdf import FontMissing
from tenants.choices import CommunityRole
from tenants.errors import DomainError, NotAllowed
from tenants.idempotency import submission_once, submission_token

View = Callable[..., HttpResponseBase]


def member_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        roles = services.roles_of(request.user)  # type: ignore[arg-type]
        if not roles:
            raise PermissionDenied
        request.roles = roles  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


def _can(request: HttpRequest, action: permissions.Action) -> bool:
    return permissions.allowed(request.roles, action)  # type: ignore[attr-defined]


@member_required
def workspace(request: HttpRequest) -> HttpResponse:
    """本月到期、已逾期、办理中: what a clerk needs to see first thing in the morning."""
    today = timezone.localdate()
    open_obligations = selectors.obligations_open()
    return render(
        request,
        "disclosure/workspace.html",
        {
            "role_labels": [CommunityRole(r).label for r in sorted(request.roles)],  # type: ignore[attr-defined]
            "overdue": [o for o in open_obligations if o.status == ObligationStatus.OVERDUE],
            "due_this_month": [
                o
                for o in open_obligations
                if o.status != ObligationStatus.OVERDUE
                and (o.due_date.year, o.due_date.month) == (today.year, today.month)
            ],
            "in_progress": selectors.disclosures_in_progress()[:20],
            "notifications": notifications_for(request.user)[:10],  # type: ignore[arg-type]
            "can_draft": _can(request, permissions.Action.DRAFT),
        },
    )


@member_required
def obligation_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    qs = Obligation.objects.order_by("-due_date", "code")
    if status == "open":
        qs = qs.filter(status__in=selectors.OPEN)
    elif status in ObligationStatus.values:
        qs = qs.filter(status=status)
    event_items = [
        i
        for _, i in selectors.catalogue_applicable(
            street_office_id=request.community.street_office_id,  # type: ignore[attr-defined]
            on=timezone.localdate(),
            cadence=Cadence.EVENT,
        )
    ]
    return render(
        request,
        "disclosure/obligations.html",
        {
            "obligations": qs[:200],
            "status": status,
            "statuses": ObligationStatus.choices,
            "event_items": event_items,
            "can_waive": _can(request, permissions.Action.WAIVE),
            "can_record": _can(request, permissions.Action.RECORD_EVENT),
        },
    )


@member_required
@require_POST
def obligation_waive(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = get_object_or_404(Obligation, pk=pk)
    try:
        services.obligation_waive(
            obligation=obligation,
            actor=request.user,  # type: ignore[arg-type]
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, f"已免除:{obligation.title}({obligation.period})")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("disclosure:obligations")


@member_required
@require_POST
def event_record(request: HttpRequest) -> HttpResponse:
    try:
        event_day = date.fromisoformat(request.POST.get("event_date", ""))
    except ValueError:
        messages.error(request, "请填写正确的事件日期。")
        return redirect("disclosure:obligations")
    try:
        ob = services.event_record(
            actor=request.user,  # type: ignore[arg-type]
            code=request.POST.get("code", ""),
            event_date=event_day,
            description=request.POST.get("description", ""),
        )
        messages.success(request, f"已登记,须在 {ob.due_date:%Y-%m-%d} 前公开。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("disclosure:obligations")


def _editor(
    request: HttpRequest, *, disclosure: Disclosure | None, obligation: Obligation | None
) -> HttpResponse:
    if disclosure is not None:
        initial = {
            "title": disclosure.title,
            "category": disclosure.category,
            "content_type": disclosure.content_type,
            "audience": disclosure.audience,
            "body": disclosure.body,
        }
        data_initial = disclosure.data
    elif obligation is not None:
        initial = {
            "title": f"{obligation.title}({obligation.period})",
            "category": obligation.category,
            "content_type": obligation.content_type,
            "audience": obligation.audience,
        }
        data_initial = {}
    else:
        initial, data_initial = {}, {}
    content_type = (
        request.POST.get("content_type")
        or request.GET.get("content_type")
        or initial.get("content_type", "notice")
    )
    post = request.POST if request.method == "POST" and "save" in request.POST else None
    form = forms.DisclosureForm(post, initial={**initial, "content_type": content_type})
    parts, data = forms.structured_data(content_type, post, data_initial)
    status = 200
    if post is not None:
        status = 400  # whatever happens below that is not a redirect, the input was refused
    if post is not None and form.is_valid() and data is not None:
        fields = {k: form.cleaned_data[k] for k in ("title", "category", "content_type", "audience", "body")}
        try:
            if disclosure is None:

                def create() -> str:
                    made = services.disclosure_create(
                        actor=request.user,  # type: ignore[arg-type]
                        obligation=obligation,
                        data=data,
                        **fields,
                    )
                    return reverse("disclosure:detail", kwargs={"pk": made.pk})

                url, repeated = submission_once(request, create)
                if repeated:
                    messages.info(request, "这份表单已经提交过,没有重复保存。")
                else:
                    messages.success(request, "已保存。")
                return redirect(url)
            disclosure = services.disclosure_update(
                disclosure=disclosure,
                actor=request.user,  # type: ignore[arg-type]
                data=data,
                **fields,
            )
            messages.success(request, "已保存。")
            return redirect("disclosure:detail", pk=disclosure.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "disclosure/editor.html",
        {
            "form": form,
            "parts": parts,
            "disclosure": disclosure,
            "obligation": obligation,
            "content_type": content_type,
            "submission_token": submission_token(request),
        },
        status=status,
    )


@member_required
def disclosure_new(request: HttpRequest) -> HttpResponse:
    if not _can(request, permissions.Action.DRAFT):
        raise PermissionDenied
    obligation = None
    wanted = request.GET.get("obligation") or request.POST.get("obligation") or ""
    if wanted.isdecimal() and len(wanted) < 19:  # a bigint; anything else names no obligation
        obligation = Obligation.objects.filter(pk=int(wanted)).first()
    return _editor(request, disclosure=None, obligation=obligation)


@member_required
def disclosure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = get_object_or_404(Disclosure, pk=pk)
    try:
        services.draft_change_check(disclosure=disclosure, actor=request.user)  # type: ignore[arg-type]
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from refused
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("disclosure:detail", pk=pk)
    return _editor(request, disclosure=disclosure, obligation=disclosure.obligation)


@member_required
def disclosure_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = Disclosure.objects.order_by("-updated_at")
    if status in DisclosureStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "disclosure/list.html",
        {"disclosures": qs[:200], "status": status, "statuses": DisclosureStatus.choices},
    )


@member_required
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = get_object_or_404(Disclosure, pk=pk)
    user = request.user
    today = timezone.localdate()
    signatures = services.valid_signatures(disclosure)
    roles = request.roles  # type: ignore[attr-defined]
    return render(
        request,
        "disclosure/detail.html",
        {
            "d": disclosure,
            "public_data": disclosure.data,
            # the printed notice carries what residents see, so it is offered once they may see it
            "notice_public": selectors.disclosures_public(on=today).filter(pk=disclosure.pk).exists(),
            "opinions": disclosure.opinions.all(),
            "signatures": disclosure.signatures.all(),
            "valid_signature_ids": {s.pk for s in signatures.values()},
            "history": selectors.audit_for(disclosure),
            "can_edit": services.draft_changeable(disclosure=disclosure, actor=user),  # type: ignore[arg-type]
            "can_submit": disclosure.status in ("draft", "returned")
            and _can(request, permissions.Action.SUBMIT),
            "can_review": disclosure.status == "submitted" and user.has_perm(permissions.REVIEW, disclosure),
            "can_withdraw": disclosure.status in ("submitted", "approved")
            and user.has_perm(permissions.OWN_DRAFT, disclosure),
            "sign_roles": [r for r in rules.SIGNING_ROLES if r in roles and r not in signatures]
            if disclosure.status == "approved"
            else [],
            "can_publish": disclosure.status == "approved" and _can(request, permissions.Action.PUBLISH),
            "can_correct": disclosure.status in ("published", "archived")
            and _can(request, permissions.Action.CORRECT)
            and not Disclosure.objects.filter(supersedes=disclosure).exists(),
            "can_archive": disclosure.status == "published"
            and _can(request, permissions.Action.ARCHIVE)
            and disclosure.display_until is not None
            and today >= disclosure.display_until,
            "earliest": services.earliest_publication(today=today),
            "review_working_days": rules.REVIEW_WORKING_DAYS,
            "submit_form": forms.SubmitForm(
                initial={"planned_publish_date": services.earliest_publication(today=today).date}
            ),
            "review_form": forms.ReviewForm(),
            "publish_form": forms.PublishForm(),
            "reason_form": forms.ReasonForm(),
        },
    )


@member_required
@require_POST
def disclosure_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One endpoint per workflow step; the service decides whether it is allowed."""
    disclosure = get_object_or_404(Disclosure, pk=pk)
    user = request.user
    try:
        if action == "submit":
            form: Form = forms.SubmitForm(request.POST)
            if not form.is_valid():
                raise DomainError("请填写正确的计划公布日期。")
            services.disclosure_submit(disclosure=disclosure, actor=user, **form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, "已提交监督小组审核。")
        elif action == "review":
            form = forms.ReviewForm(request.POST)
            if not form.is_valid():
                raise DomainError("请选择“同意公开”或“退回修改”。")
            services.disclosure_review(disclosure=disclosure, actor=user, **form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, "审核意见已记录。")
        elif action == "withdraw":
            services.disclosure_withdraw(
                disclosure=disclosure,
                actor=user,  # type: ignore[arg-type]
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, "已撤回为草稿。")
        elif action == "sign":
            services.disclosure_sign(disclosure=disclosure, actor=user, role=request.POST.get("role", ""))  # type: ignore[arg-type]
            messages.success(request, "已签字。")
        elif action == "publish":
            form = forms.PublishForm(request.POST)
            if not form.is_valid():
                raise DomainError("请至少选择一个公开渠道。")
            services.disclosure_publish(disclosure=disclosure, actor=user, **form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, "已公布。")
        elif action == "correct":
            draft = services.disclosure_start_correction(
                disclosure=disclosure,
                actor=user,  # type: ignore[arg-type]
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, "已建立更正版本,请修改后重新提交审核。")
            return redirect("disclosure:edit", pk=draft.pk)
        elif action == "order":
            form = forms.RepublicationForm(request.POST)
            if not form.is_valid():
                raise DomainError(
                    "请写明认定的遗漏或不实之处,"
                    f"并填写 1 到 {rules.REPUBLICATION_WORKING_DAYS_MAX} 个工作日的期限。"
                )
            draft = services.disclosure_order_republication(
                disclosure=disclosure,
                actor=user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
            messages.success(request, f"已责令重新公布,期限至 {draft.obligation.due_date:%Y-%m-%d}。")  # type: ignore[union-attr]
        elif action == "attach":
            form = forms.AttachmentForm(request.POST, request.FILES)
            if not form.is_valid():
                raise DomainError(
                    " ".join(str(e) for e in form.errors.get("upload", [])) or "请选择要上传的文件。"
                )
            services.attachment_add(disclosure=disclosure, actor=user, upload=form.cleaned_data["upload"])  # type: ignore[arg-type]
            messages.success(request, "附件已上传。")
        elif action == "archive":
            services.disclosure_archive(disclosure=disclosure, actor=user)  # type: ignore[arg-type]
            messages.success(request, "已归档。")
        else:
            raise DomainError("未知操作。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("disclosure:detail", pk=pk)


@member_required
def ledger(request: HttpRequest) -> HttpResponse:
    community = request.community  # type: ignore[attr-defined]
    return render(
        request,
        "disclosure/ledger.html",
        {
            "report": selectors.ledger_verify(community_id=community.pk),
            "entries": selectors.ledger_recent(),
            "anchors": selectors.anchors_of(community_id=community.pk)[:30],
        },
    )


@member_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Attachments are served through the app to staff of this community only (drafts are not public)."""
    attachment = get_object_or_404(Attachment, pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )


@member_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment, pk=pk)
    disclosure_pk = attachment.disclosure_id
    try:
        services.attachment_remove(attachment=attachment, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, "附件已删除。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("disclosure:detail", pk=disclosure_pk)


@member_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """The standard catalogue of the street office and this community's own items."""
    form = forms.LocalItemForm(request.POST or None)
    can_edit = _can(request, permissions.Action.CATALOGUE)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            try:
                item = services.local_item_add(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
                messages.success(request, f"已添加本社区公开事项 {item.code}。")
                return redirect("disclosure:catalogue")
            except DomainError as exc:
                messages.error(request, exc.message)
    today = timezone.localdate()
    community = request.community  # type: ignore[attr-defined]
    return render(
        request,
        "disclosure/catalogue.html",
        {
            "standard": selectors.catalogue_standard(street_office_id=community.street_office_id, on=today),
            "local": selectors.catalogue_local(on=today),
            "form": form,
            "can_edit": can_edit,
        },
        status=status,
    )


@member_required
def report_form(request: HttpRequest, pk: int) -> HttpResponse:
    """公开报告单 of a published disclosure, as a PDF."""
    disclosure = get_object_or_404(Disclosure, pk=pk)
    if not disclosure.is_locked:
        messages.error(request, "公布后才有公开报告单。")
        return redirect("disclosure:detail", pk=pk)
    try:
        pdf = reports.report_form_pdf(disclosure, community_name=request.community.name)  # type: ignore[attr-defined]
    except FontMissing as exc:
        return render(request, "disclosure/unavailable.html", {"message": str(exc)}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{disclosure.pk}-v{disclosure.version}.pdf"'
    return response
