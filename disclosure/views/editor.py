"""Step 1 拟定 in the browser: a new draft (for an obligation, or on its own) and changes to a draft."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from disclosure import forms, lines, services
from disclosure.access import access_disclosure_by_id
from disclosure.choices import ContentType
from disclosure.models import Disclosure, Obligation
from disclosure.permissions import ROLE_ACTIONS, Action
from disclosure.prefill import Prefill, draft_prefill
from disclosure.progress import IN_PROGRESS
from disclosure.rules import FINANCE_LINES_MAX
from disclosure.views import imports
from tenants.access import CommunityRequest, member_required, submit
from tenants.errors import DomainError, NotAllowed
from tenants.idempotency import submission_once, submission_token

CONTENT_FIELDS = ("title", "category", "content_type", "audience", "body")


def _editor(
    request: CommunityRequest, *, disclosure: Disclosure | None, obligation: Obligation | None
) -> HttpResponse:
    """The editor: blank, a draft of ``obligation`` filled in from its catalogue item and the previous
    period, or ``disclosure`` as saved. Switching the content type shows the page again with everything
    typed kept: the title and the other fields, each content type's rows (those of the types switched
    away from travel on hidden, for switching back)."""
    prefill: Prefill | None = None
    if disclosure is not None:
        initial = {
            "title": disclosure.title,
            "category": disclosure.category,
            "content_type": disclosure.content_type,
            "audience": disclosure.audience,
            "body": disclosure.body,
        }
        data_initial = disclosure.data
    elif obligation is not None:  # the catalogue item's template and the previous period's structure
        prefill = draft_prefill(obligation=obligation, community_name=request.community.name)
        initial, data_initial = dict(prefill.fields), prefill.data
    else:
        initial, data_initial = {}, {}
    content_type = (
        request.POST.get("content_type")
        or request.GET.get("content_type")
        or initial.get("content_type", "notice")
    )
    importer = imports.importer_read(
        request, content_type=content_type, disclosure=disclosure, obligation=obligation
    )
    saving = request.method == "POST" and "save" in request.POST
    post = importer.post if importer and importer.post else request.POST if saving else None
    # a post that saves nothing (the content type switched, rows added) shows what was typed again
    carry = request.POST if request.method == "POST" and post is None else None
    if carry is not None:
        initial.update({k: carry[k] for k in CONTENT_FIELDS if k in carry})
    form = forms.DisclosureForm(post, initial={**initial, "content_type": content_type})
    parts, data = forms.structured_data(
        content_type, post, data_initial, carry=carry, more=_rows_wanted(request)
    )
    if saving and data is not None and content_type == ContentType.FINANCE:
        data = lines.finance_statement_check(parts, data)
    done = _("已保存。")
    if importer and importer.outcome:
        importer.count_existing(parts, data)
        if importer.action == "import_confirm":
            data, saving, done = importer.merged(parts, data), True, importer.done

    def save() -> str:
        """Create or update the draft; the address of its page."""
        fields = {k: form.cleaned_data[k] for k in CONTENT_FIELDS}
        if disclosure is None:

            def create() -> str:
                made = services.disclosure_create(
                    actor=request.user,
                    community=request.community,
                    obligation=obligation,
                    data=data,
                    **fields,
                )
                return reverse("disclosure:detail", kwargs={"pk": made.pk})

            url, repeated = submission_once(request, create)
            if repeated:
                messages.info(request, _("这份表单已经提交过,没有重复保存。"))
            else:
                messages.success(request, done)
            return url
        updated = services.disclosure_update(disclosure=disclosure, actor=request.user, data=data, **fields)
        messages.success(request, done)
        return reverse("disclosure:detail", kwargs={"pk": updated.pk})

    status = 400 if importer and importer.refused else 200
    if saving:  # whatever is not a redirect below, the input was refused
        if data is not None:  # the structured parts are valid; ``submit`` checks the form
            saved = submit(request, save, forms=[form])
            if saved.value is not None:
                return redirect(saved.value)
        status = 400
    return render(
        request,
        "disclosure/editor.html",
        {
            "form": form,
            "parts": parts,
            "disclosure": disclosure,
            "obligation": obligation,
            "content_type": content_type,
            "importer": importer,
            "prefill": prefill,
            "carried": forms.carried_elsewhere(content_type, request.POST),
            "lines_max": FINANCE_LINES_MAX,
            "submission_token": submission_token(request),
        },
        status=status,
    )


def _rows_wanted(request: CommunityRequest) -> int:
    """How many empty rows 添加 … 行 asked for (the button's value); 0 for any other press."""
    wanted = request.POST.get("add_rows", "")
    return int(wanted) if wanted.isdecimal() and len(wanted) < 4 else 0


@member_required(roles=ROLE_ACTIONS[Action.DRAFT])
def disclosure_new(request: CommunityRequest) -> HttpResponse:
    obligation = None
    wanted = request.GET.get("obligation") or request.POST.get("obligation") or ""
    if wanted.isdecimal() and len(wanted) < 19:  # a bigint; anything else names no obligation
        obligation = Obligation.objects.filter(pk=int(wanted)).first()
    if obligation is not None and request.method == "GET":
        started = obligation.disclosures.filter(status__in=IN_PROGRESS).order_by("-pk").first()
        if started is not None:  # one draft per obligation: open the one under way
            messages.info(request, _("这项公开任务已经有草稿在办理中,已为您打开。"))
            if services.draft_changeable(disclosure=started, actor=request.user):
                return redirect("disclosure:edit", pk=started.pk)
            return redirect("disclosure:detail", pk=started.pk)
    return _editor(request, disclosure=None, obligation=obligation)


@member_required()
def disclosure_edit(request: CommunityRequest, pk: int) -> HttpResponse:
    disclosure = access_disclosure_by_id(request, pk)
    try:
        services.draft_change_check(disclosure=disclosure, actor=request.user)
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from refused
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("disclosure:detail", pk=pk)
    return _editor(request, disclosure=disclosure, obligation=disclosure.obligation)
