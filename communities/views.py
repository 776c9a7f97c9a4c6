from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import selectors, services
from communities.forms import OfficerFormSet, ProfileForm
from communities.models import Officer
from communities.permissions import PROFILE_EDITORS, PROFILE_REFUSED
from tenants.access import CommunityRequest, access_object_by_id, member_required, submit

NOTIFICATIONS_PAGE = 30
# The two tabs of the notifications page: what still waits, and everything.
ACTIVE, HISTORY = "active", "all"


@member_required(roles=PROFILE_EDITORS, refused=PROFILE_REFUSED)
def profile_edit(request: CommunityRequest) -> HttpResponse:
    """社区概况 and the 干部监督台: kept current by the two heads."""
    profile = selectors.profile_get()
    form = ProfileForm(request.POST or None, instance=profile, prefix="p")
    officers = OfficerFormSet(
        request.POST or None, queryset=Officer.objects.order_by("sort_order", "id"), prefix="o"
    )

    @transaction.atomic
    def save() -> None:
        rows = [
            {**f.cleaned_data, "id": f.instance.pk}
            for f in officers.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        delete_ids = [f.instance.pk for f in officers.forms if f.cleaned_data.get("DELETE") and f.instance.pk]
        services.profile_update(
            actor=request.user,
            community=request.community,
            **{k: form.cleaned_data[k] for k in services.PROFILE_FIELDS},
        )
        services.officers_save(
            actor=request.user, community=request.community, rows=rows, delete_ids=delete_ids
        )

    saved = submit(request, save, forms=[form, officers], success=_("社区概况和干部监督台已更新。"))
    if saved.ok:
        return redirect("profile_edit")
    return render(
        request, "communities/profile_edit.html", {"form": form, "officers": officers}, status=saved.status
    )


@member_required()
def notifications(request: CommunityRequest) -> HttpResponse:
    """待处理 (what still waits for this person) and 全部 (everything, a page at a time)."""
    tab = HISTORY if request.GET.get("tab") == HISTORY else ACTIVE
    shown = (
        selectors.notifications_history(request.user)
        if tab == HISTORY
        else selectors.notifications_active(request.user)
    )
    page = Paginator(shown, NOTIFICATIONS_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "communities/notifications.html",
        {
            "tab": tab,
            "tabs": {"active": ACTIVE, "history": HISTORY},
            "page": page,
            "active_count": selectors.notifications_active(request.user).count(),
            "unread_count": selectors.notifications_for(request.user, unread_only=True).count(),
        },
    )


@member_required()
@require_POST
def notification_open(request: CommunityRequest, pk: int) -> HttpResponse:
    """Read it and go where it points. Only its recipient may: anyone else's is not found."""
    notification = access_object_by_id(selectors.notifications_history(request.user), pk)
    services.notification_mark_read(notification=notification, user=request.user)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@member_required()
@require_POST
def notifications_read_all(request: CommunityRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    tab = HISTORY if request.POST.get("tab") == HISTORY else ACTIVE
    return redirect(f"{reverse('notifications:list')}?tab={tab}")
