"""A disclosure's page and the steps taken on it: submit, review, withdraw, sign, publish, correct,
order re-publication, archive, and the files of a draft. One endpoint per step. A role that may not take
a step is not shown its form, and its POST is a 403 that says who may, before any input is read; the
service decides the rest (the state, the content), and such a refusal comes back on the page as a
message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from disclosure import forms, permissions, progress, reimbursements, rules, selectors, services
from disclosure.access import access_attachment_by_id, access_disclosure_by_id, access_receipt_by_id
from disclosure.choices import DisclosureStatus, ReimbursementSigner
from disclosure.models import Disclosure
from disclosure.permissions import Action
from tenants.access import CommunityRequest, member_required, submit
from tenants.errors import DomainError, InvalidInput
from tenants.form_errors import Form
from workdays.dates import zh_day

S = DisclosureStatus


# The forms of the page's own steps: the name the template knows each by, and its class. When a step
# comes back refused, the page is shown again with that form bound to what was sent, nothing lost.
PAGE_FORMS: dict[str, tuple[str, type[Form], str | None]] = {
    "submit": ("submit_form", forms.SubmitForm, None),
    # two reason boxes can share the page: each has its own prefix
    "withdraw": ("withdraw_form", forms.ReasonForm, "withdraw"),
    "correct": ("correct_form", forms.ReasonForm, "correct"),
    "order": ("order_form", forms.RepublicationForm, None),
    "attach": ("attachment_form", forms.AttachmentForm, None),
}


def _detail_page(
    request: CommunityRequest,
    disclosure: Disclosure,
    *,
    bound: dict[str, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    allowed = progress.allowed_for(request, disclosure, today=today)
    stages = progress.tracker(disclosure, today=today, community=request.community)
    earliest = services.earliest_publication(today=today)
    page_forms: dict[str, Form] = {name: cls(prefix=prefix) for name, cls, prefix in PAGE_FORMS.values()}
    page_forms["submit_form"] = forms.SubmitForm(initial={"planned_publish_date": earliest.date})
    page_forms.update(bound or {})
    return render(
        request,
        "disclosure/detail.html",
        {
            "d": disclosure,
            "public_data": disclosure.data,
            # the printed notice carries what residents see, so it is offered once they may see it
            "notice_public": selectors.disclosures_public(on=today).filter(pk=disclosure.pk).exists(),
            "tracker": stages,
            "waiting_for": progress.waiting_for(disclosure, stages),
            "allowed": allowed,
            "history": selectors.audit_for(disclosure),
            "earliest": earliest,
            "review_working_days": rules.REVIEW_WORKING_DAYS,
            "attachments": disclosure.attachments.order_by("pk"),
            **_reimbursement_context(request, disclosure),
            **page_forms,
        },
        status=status,
    )


def _reimbursement_context(request: CommunityRequest, disclosure: Disclosure) -> dict[str, object]:
    """A statement's reimbursements on its staff page: each line's receipts and five signatures, the
    upload (its drafter's) and the signatures this person may give here (the street leader signs on the
    street office's site)."""
    mode = reimbursements.signing_mode(request.community)
    shown = reimbursements.by_line(disclosure, mode=mode)
    reimbursed = reimbursements.linked(
        shown, lambda r: reverse("disclosure:receipt", args=[disclosure.pk, r.pk])
    )
    signable = disclosure.status in rules.REIMBURSEMENT_SIGNABLE_STATUSES
    roles = services.reimbursement_roles_for(disclosure, request.user, community=request.community)
    return {
        "reimbursed": reimbursed,
        "reimbursement_units": reimbursements.units(disclosure, mode=mode),
        "reimbursement_sign_roles": [r for r in roles if r != ReimbursementSigner.STREET_LEADER]
        if signable
        else [],
        "receipt_form": forms.ReceiptForm(),
    }


@member_required()
def disclosure_detail(request: CommunityRequest, pk: int) -> HttpResponse:
    """The five steps as a tracker, the content and its files, and the steps this person may take
    (``disclosure.progress``: the same rule as 待我办理)."""
    return _detail_page(request, access_disclosure_by_id(request, pk))


# --- the steps -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Taken:
    """A step done: what to tell the user, and where to go next (the disclosure's page by default)."""

    message: str
    url: str = ""


Step = Callable[[CommunityRequest, Disclosure], Taken]


def _submit(request: CommunityRequest, disclosure: Disclosure) -> Taken:
    form = forms.SubmitForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_("请填写正确的计划公布日期。"))
    services.disclosure_submit(
        disclosure=disclosure, actor=request.user, community=request.community, **form.cleaned_data
    )
    return Taken(_("已提交监督小组审核。"))


def _review(request: CommunityRequest, disclosure: Disclosure) -> Taken:
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_("请选择“同意公开”或“退回修改”。"))
    services.disclosure_review(
        community=request.community, disclosure=disclosure, actor=request.user, **form.cleaned_data
    )
    return Taken(_("审核意见已记录。"))


def _reason(request: CommunityRequest, step: str) -> str:
    """The reason typed in the step's own box (two boxes share the page), or a bare ``reason``."""
    return request.POST.get(f"{step}-reason", request.POST.get("reason", ""))


def _withdraw(request: CommunityRequest, disclosure: Disclosure) -> Taken:
    reason = _reason(request, "withdraw")
    services.disclosure_withdraw(disclosure=disclosure, actor=request.user, reason=reason)
    return Taken(_("已撤回为草稿。"))


def _sign(request: CommunityRequest, disclosure: Disclosure) -> Taken:
    services.disclosure_sign(
        disclosure=disclosure,
        actor=request.user,
        community=request.community,
        role=request.POST.get("role", ""),
    )
    return Taken(_("已签字。"))


def _publish(request: CommunityRequest, disclosure: Disclosure) -> Taken:
    form = forms.PublishForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_("请至少选择一个公开渠道。"))
    services.disclosure_publish(
        disclosure=disclosure, actor=request.user, community=request.community, **form.cleaned_data
    )
    return Taken(_("已公布。"))


def _correct(request: CommunityRequest, disclosure: Disclosure) -> Taken:
    draft = services.disclosure_start_correction(
        disclosure=disclosure,
        actor=request.user,
        community=request.community,
        reason=_reason(request, "correct"),
    )
    return Taken(
        _("已建立更正版本,请修改后重新提交审核。"), reverse("disclosure:edit", kwargs={"pk": draft.pk})
    )


def _order(request: CommunityRequest, disclosure: Disclosure) -> Taken:
    form = forms.RepublicationForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(
            _("请写明认定的遗漏或不实之处,并填写 1 到 %(REPUBLICATION_WORKING_DAYS_MAX)s 个工作日的期限。")
            % {"REPUBLICATION_WORKING_DAYS_MAX": rules.REPUBLICATION_WORKING_DAYS_MAX}
        )
    draft = services.disclosure_order_republication(
        disclosure=disclosure, actor=request.user, community=request.community, **form.cleaned_data
    )
    due = draft.obligation.due_date  # type: ignore[union-attr]  # an order always opens its obligation
    return Taken(_("已责令重新公布,期限至 %(zh_day)s。") % {"zh_day": zh_day(due)})


def _attach(request: CommunityRequest, disclosure: Disclosure) -> Taken:
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        raise InvalidInput(
            " ".join(str(e) for e in form.errors.get("upload", [])) or _("请选择要上传的文件。")
        )
    added = services.attachments_add(
        disclosure=disclosure, actor=request.user, uploads=form.cleaned_data["upload"]
    )
    return Taken(_("已上传 %(len)s 个附件。") % {"len": len(added)} if len(added) > 1 else _("附件已上传。"))


def _receipts(request: CommunityRequest, disclosure: Disclosure) -> Taken:
    form = forms.ReceiptForm(request.POST, request.FILES)
    if not form.is_valid():
        raise InvalidInput(
            " ".join(str(e) for e in form.errors.get("upload", [])) or _("请选择单据的照片或扫描件。")
        )
    added = services.receipts_add(
        disclosure=disclosure,
        actor=request.user,
        line_id=form.cleaned_data["line"],
        uploads=form.cleaned_data["upload"],
    )
    return Taken(
        _("已上传 %(len)s 张单据。这笔报账此前的签字需要重新签。") % {"len": len(added)}, "#reimbursements"
    )


def _receipt_remove(request: CommunityRequest, disclosure: Disclosure) -> Taken:
    receipt = access_receipt_by_id(request, disclosure, request.POST.get("receipt"))
    services.receipt_remove(receipt=receipt, actor=request.user)
    return Taken(_("单据已删除。这笔报账此前的签字需要重新签。"), "#reimbursements")


def _sign_line(request: CommunityRequest, disclosure: Disclosure) -> Taken:
    role = request.POST.get("role", "")
    services.reimbursement_sign(
        disclosure=disclosure,
        actor=request.user,
        community=request.community,
        key=request.POST.get("key", ""),
        role=role,
        seen_hash=request.POST.get("seen_hash", ""),
    )
    label = ReimbursementSigner(role).label
    return Taken(_("已以%(label)s的身份签字。") % {"label": label}, "#reimbursements")


def _archive(request: CommunityRequest, disclosure: Disclosure) -> Taken:
    services.disclosure_archive(disclosure=disclosure, actor=request.user, community=request.community)
    return Taken(_("已归档。"))


STEPS: dict[str, Step] = {
    "submit": _submit,
    "review": _review,
    "withdraw": _withdraw,
    "sign": _sign,
    "publish": _publish,
    "correct": _correct,
    "order": _order,
    "attach": _attach,
    "archive": _archive,
    "receipts": _receipts,
    "receipt_remove": _receipt_remove,
    "sign_line": _sign_line,
}


# Who may take each step at all, whatever the disclosure's state: a role (or, for a draft's own steps,
# having drafted it). Asked before the step reads its input; the reason is the service's own.
Guard = Callable[[CommunityRequest, Disclosure], str | None]


def _role(action: Action) -> Guard:
    def guard(request: CommunityRequest, disclosure: Disclosure) -> str | None:
        return None if permissions.allowed(request.membership_roles, action) else permissions.refusal(action)

    return guard


def _drafter(doing: str | Promise) -> Guard:
    def guard(request: CommunityRequest, disclosure: Disclosure) -> str | None:
        if request.user.has_perm(permissions.OWN_DRAFT, disclosure):
            return None
        return permissions.own_draft_refusal(str(doing))

    return guard


GUARDS: dict[str, Guard] = {
    "submit": _role(Action.SUBMIT),
    "review": _role(Action.REVIEW),
    "withdraw": _drafter(gettext_lazy("撤回修改")),
    "sign": _role(Action.SIGN),
    "publish": _role(Action.PUBLISH),
    "correct": _role(Action.CORRECT),
    "order": _role(Action.ORDER_REPUBLICATION),
    "attach": _drafter(gettext_lazy("添加附件")),
    "archive": _role(Action.ARCHIVE),
    "receipts": _drafter(gettext_lazy("上传报账单据")),
    "receipt_remove": _drafter(gettext_lazy("删除报账单据")),
    "sign_line": _role(Action.SIGN_REIMBURSEMENT),
}


def _unknown(request: CommunityRequest, disclosure: Disclosure) -> Taken:
    raise DomainError(_("未知操作。"))


@member_required()
@require_POST
def disclosure_act(request: CommunityRequest, pk: int, action: str) -> HttpResponse:
    """One endpoint per workflow step. A role that may not take it gets a 403 with the reason (also when
    the service refuses by role); invalid input and a refusal by state come back as a message on the
    disclosure's page."""
    disclosure = access_disclosure_by_id(request, pk)
    guard = GUARDS.get(action)
    if guard is not None and (reason := guard(request, disclosure)) is not None:
        raise PermissionDenied(reason)
    step = STEPS.get(action, _unknown)
    done = submit(request, lambda: step(request, disclosure), forbid=True)
    if done.value is not None:
        messages.success(request, done.value.message)
        if done.value.url.startswith("#"):  # a place on the disclosure's own page
            return redirect(reverse("disclosure:detail", kwargs={"pk": pk}) + done.value.url)
        if done.value.url:
            return redirect(done.value.url)
        return redirect("disclosure:detail", pk=pk)
    if action not in PAGE_FORMS:
        return redirect("disclosure:detail", pk=pk)
    # refused: the page again, the form as it was sent (its errors beside its fields), the reason on top
    name, form_class, prefix = PAGE_FORMS[action]
    form = form_class(request.POST, request.FILES, prefix=prefix)
    form.is_valid()
    disclosure.refresh_from_db()
    return _detail_page(request, disclosure, bound={name: form}, status=done.status)


# --- files -----------------------------------------------------------------------------------------------


@member_required()
def attachment_download(request: CommunityRequest, pk: int) -> FileResponse:
    """Attachments are served through the app to staff of this community only (drafts are not public)."""
    attachment = access_attachment_by_id(request, pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )


@member_required()
def receipt_download(request: CommunityRequest, pk: int, receipt_pk: int) -> FileResponse:
    """A reimbursement's receipt scan, for this community's staff (a draft's are not public)."""
    receipt = access_receipt_by_id(request, access_disclosure_by_id(request, pk), receipt_pk)
    return FileResponse(
        receipt.file.open("rb"), filename=receipt.original_name, content_type=receipt.mime_type
    )


@member_required()
@require_POST
def attachment_delete(request: CommunityRequest, pk: int) -> HttpResponse:
    attachment = access_attachment_by_id(request, pk)
    if not request.user.has_perm(permissions.OWN_DRAFT, attachment.disclosure):
        raise PermissionDenied(permissions.own_draft_refusal(_("删除附件")))
    submit(
        request,
        lambda: services.attachment_remove(attachment=attachment, actor=request.user),
        success=_("附件已删除。"),
        forbid=True,
    )
    return redirect("disclosure:detail", pk=attachment.disclosure_id)
