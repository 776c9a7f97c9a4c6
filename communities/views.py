from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render

from communities import selectors, services
from communities.forms import OfficerFormSet, ProfileForm
from communities.models import Officer
from communities.permissions import PROFILE_EDITORS, PROFILE_REFUSED
from tenants.access import CommunityRequest, member_required, submit


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

    saved = submit(request, save, forms=[form, officers], success="社区概况和干部监督台已更新。")
    if saved.ok:
        return redirect("profile_edit")
    return render(
        request, "communities/profile_edit.html", {"form": form, "officers": officers}, status=saved.status
    )
