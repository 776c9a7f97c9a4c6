"""A fixed (长期) item due for renewal: its page, with both ways to renew it — 修改后重新公布 (the next
version, through the five steps) or 内容无变化,确认续期 (a note of what was checked, and the display runs
another period). The obligations page offers both as well; its confirmation posts here, so a refused
note comes back on this page with what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from disclosure import display, permissions, progress, selectors, services, workspace_forms
from disclosure.access import access_renewal_by_id
from disclosure.permissions import Action
from tenants.access import CommunityRequest, member_required, submit
from workdays.dates import zh_date


def _require(request: CommunityRequest, action: Action) -> None:
    if not permissions.allowed(request.membership_roles, action):
        raise PermissionDenied(permissions.refusal(action))


@member_required()
def renewal(request: CommunityRequest, pk: int) -> HttpResponse:
    """The renewal's page (any member may read it); its form confirms the content unchanged."""
    obligation = access_renewal_by_id(request, pk)
    if request.method == "POST":
        _require(request, Action.RENEW)
    form = workspace_forms.RenewalConfirmForm(request.POST if request.method == "POST" else None)
    done = submit(
        request,
        lambda: services.fixed_item_confirm_unchanged(
            obligation=obligation,
            actor=request.user,
            community=request.community,
            note=form.cleaned_data["note"],
            seen_hash=request.POST.get("content_hash", ""),
        ),
        forms=[form],
        forbid=True,
        error_on_form=True,
    )
    if done.value is not None:
        messages.success(
            request,
            _("已确认“%(title)s”内容无变化,公示期延至 %(zh_date)s。")
            % {"title": obligation.title, "zh_date": zh_date(done.value.display_until)},
        )
        return redirect("disclosure:obligations")
    obligation.refresh_from_db()
    current = obligation.renews
    assert current is not None
    today = timezone.localdate()
    ends = display.display_end(current)
    assert ends is not None
    roles = request.membership_roles
    return render(
        request,
        "disclosure/renewal.html",
        {
            "o": obligation,
            "d": current,
            "ends": ends,
            "lapsed": obligation.is_open and today > ends,
            "clock": selectors.obligation_clocks([obligation], on=today).get(obligation.pk),
            "extended_to": services.renewal_extends_to(obligation, current_end=ends, today=today),
            "summary": progress.content_summary(current),
            "revision": display.revision_under_way(obligation),
            "extension": getattr(obligation, "extension", None),
            "form": form,
            "can_renew": permissions.allowed(roles, Action.RENEW),
            "can_revise": permissions.allowed(roles, Action.CORRECT),
            "renew_refusal": permissions.refusal(Action.RENEW),
            "revise_refusal": permissions.refusal(Action.CORRECT),
        },
        status=done.status,
    )


@member_required()
@require_POST
def renewal_revise(request: CommunityRequest, pk: int) -> HttpResponse:
    """修改后重新公布: the next version's draft (or the one already under way), opened for editing."""
    obligation = access_renewal_by_id(request, pk)
    _require(request, Action.CORRECT)
    done = submit(
        request,
        lambda: services.fixed_item_revise(
            obligation=obligation, actor=request.user, community=request.community
        ),
        forbid=True,
    )
    if done.value is None:
        return redirect("disclosure:renew", pk=pk)
    draft = done.value
    messages.success(
        request, _("这是新版本的草稿,内容已从现在公示的一版复制过来:修改后提交审核、签字、公布。")
    )
    if services.draft_changeable(disclosure=draft, actor=request.user):
        return redirect("disclosure:edit", pk=draft.pk)
    return redirect("disclosure:detail", pk=draft.pk)
