"""Check before you act: review, signature and publication each on a page that shows what is being
approved, signed or published — the content summary (totals of a finance statement, households of
a roster), the files, and the short hash the step binds to — then one button (GOV.UK's "check your
answers"). The page posts the hash it showed; the service refuses if the content changed since.
Errors come back on this page with everything typed kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure import forms, progress, selectors, services
from disclosure.access import access_disclosure_by_id
from disclosure.models import Disclosure
from disclosure.views.steps import GUARDS
from tenants.access import CommunityRequest, member_required, submit


@dataclass(frozen=True)
class Confirmable:
    heading: str | Promise  # 核对后签字
    button: str | Promise  # 确认签字
    done: str | Promise  # 已签字。
    offered: Callable[[progress.Allowed], bool]
    form: Callable[[CommunityRequest, progress.Allowed, Disclosure], django_forms.Form]
    take: Callable[[CommunityRequest, Disclosure, dict[str, Any], str], object]


def _review(request: CommunityRequest, d: Disclosure, data: dict[str, Any], seen: str) -> object:
    return services.disclosure_review(
        disclosure=d, actor=request.user, community=request.community, seen_hash=seen, **data
    )


def _sign(request: CommunityRequest, d: Disclosure, data: dict[str, Any], seen: str) -> object:
    return services.disclosure_sign(
        disclosure=d, actor=request.user, community=request.community, seen_hash=seen, **data
    )


def _publish(request: CommunityRequest, d: Disclosure, data: dict[str, Any], seen: str) -> object:
    return services.disclosure_publish(
        disclosure=d, actor=request.user, community=request.community, seen_hash=seen, **data
    )


def _channels_before(disclosure: Disclosure) -> dict[str, Any]:
    """The channels the item went out through last time — the version this one corrects, or the
    previous period's publication of its catalogue item — offered again; else the form's own."""
    before = disclosure.supersedes
    if before is None and disclosure.obligation is not None:
        before = selectors.publication_previous(obligation=disclosure.obligation)
    return {"channels": before.channels} if before is not None and before.channels else {}


def _post(request: CommunityRequest) -> Any:
    return request.POST if request.method == "POST" else None


CONFIRMABLE: dict[str, Confirmable] = {
    "review": Confirmable(
        gettext_lazy("核对后提交审核意见"),
        gettext_lazy("提交审核意见"),
        gettext_lazy("审核意见已记录。"),
        lambda a: a.review,
        lambda r, a, d: forms.ReviewForm(_post(r)),
        _review,
    ),
    "sign": Confirmable(
        gettext_lazy("核对后签字"),
        gettext_lazy("确认无误,签字"),
        gettext_lazy("已签字。"),
        lambda a: bool(a.sign_roles),
        lambda r, a, d: forms.SignForm(_post(r), roles=a.sign_roles),
        _sign,
    ),
    "publish": Confirmable(
        gettext_lazy("核对后公布"),
        gettext_lazy("确认无误,公布"),
        gettext_lazy("已公布。"),
        lambda a: a.publish,
        lambda r, a, d: forms.PublishForm(_post(r), initial=_channels_before(d)),
        _publish,
    ),
}


@member_required()
def disclosure_confirm(request: CommunityRequest, pk: int, action: str) -> HttpResponse:
    step = CONFIRMABLE.get(action)
    if step is None:
        raise Http404
    disclosure = access_disclosure_by_id(request, pk)
    if (reason := GUARDS[action](request, disclosure)) is not None:
        raise PermissionDenied(reason)
    today = timezone.localdate()
    allowed = progress.allowed_for(request, disclosure, today=today)
    if not step.offered(allowed):
        messages.info(request, _("这一步现在不用您办理了(可能已由他人办理,或内容状态已变化)。"))
        return redirect("disclosure:detail", pk=pk)
    form = step.form(request, allowed, disclosure)
    seen = request.POST.get("content_hash", "")
    done = submit(
        request,
        lambda: step.take(request, disclosure, form.cleaned_data, seen),
        forms=[form],
        success=str(step.done),
        forbid=True,
        error_on_form=True,
    )
    if done.ok:
        return redirect("disclosure:detail", pk=pk)
    disclosure.refresh_from_db()
    return render(
        request,
        "disclosure/confirm.html",
        {
            "d": disclosure,
            "action": action,
            "step": step,
            "form": form,
            "summary": progress.content_summary(disclosure),
            "review_tally": progress.review_tally(disclosure) if action == "review" else "",
            "attachments": disclosure.attachments.order_by("pk"),
            "earliest": services.earliest_publication(today=today),
        },
        status=done.status,
    )
