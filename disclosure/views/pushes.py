"""推送到群: the community's WeChat Work group robots. Each publication on the website is posted to
every connected group once (``disclosure.pushes``); here the staff who publish connect and remove
groups and see whether the last push went through."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from disclosure import permissions, workspace_forms
from disclosure.choices import Category
from disclosure.models import GroupWebhook
from disclosure.permissions import Action
from disclosure.services import pushes, sms
from tenants.access import CommunityRequest, member_required, submit


def sms_counts() -> list[tuple[str, int]]:
    """Residents subscribed to texts, per category chosen: counts only, never a number."""
    counts = sms.subscriber_counts()
    labels = [("", _("全部类别")), *Category.choices]
    return [(str(label), counts[value]) for value, label in labels]


@member_required()
def group_webhooks(request: CommunityRequest) -> HttpResponse:
    may_manage = permissions.allowed(request.membership_roles, Action.PUBLISH)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied(permissions.refusal(Action.PUBLISH))
    form = workspace_forms.GroupWebhookForm(request.POST if request.method == "POST" else None)
    added = submit(
        request,
        lambda: pushes.webhook_add(
            community=request.community,
            actor=request.user,
            name=form.cleaned_data["name"],
            url=form.cleaned_data["url"],
        ),
        forms=[form],
        forbid=True,
        error_on_form=True,
    )
    if added.value is not None:
        messages.success(
            request,
            _("已添加“%(name)s”。以后每公布一项网站公开内容,都会自动推送到这个群。")
            % {"name": added.value.name},
        )
        return redirect("disclosure:group_webhooks")
    return render(
        request,
        "disclosure/group_webhooks.html",
        {
            "form": form,
            "may_manage": may_manage,
            "webhooks": GroupWebhook.objects.filter(is_active=True),
            "sms_counts": sms_counts(),
        },
        status=added.status,
    )


@require_POST
@member_required()
def group_webhook_remove(request: CommunityRequest, pk: int) -> HttpResponse:
    if not permissions.allowed(request.membership_roles, Action.PUBLISH):
        raise PermissionDenied(permissions.refusal(Action.PUBLISH))
    webhook = get_object_or_404(GroupWebhook, pk=pk, is_active=True)
    pushes.webhook_remove(community=request.community, actor=request.user, webhook=webhook)
    messages.success(request, _("已停止向“%(name)s”推送。") % {"name": webhook.name})
    return redirect("disclosure:group_webhooks")
