from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from communities import selectors, services
from communities.forms import OfficerFormSet, ProfileForm
from communities.models import Officer
from communities.permissions import PROFILE_EDITORS
from tenants import selectors as tenant_selectors
from tenants.errors import DomainError


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """社区概况 and the 干部监督台: kept current by the two heads."""
    roles = tenant_selectors.community_roles_of(user=request.user, community=request.community)  # type: ignore[arg-type, attr-defined]
    if not roles & PROFILE_EDITORS:
        raise PermissionDenied
    profile = selectors.profile_get()
    form = ProfileForm(request.POST or None, instance=profile, prefix="p")
    officers = OfficerFormSet(
        request.POST or None, queryset=Officer.objects.order_by("sort_order", "id"), prefix="o"
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and officers.is_valid():
            rows = [
                {**f.cleaned_data, "id": f.instance.pk}
                for f in officers.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            delete_ids = [
                f.instance.pk for f in officers.forms if f.cleaned_data.get("DELETE") and f.instance.pk
            ]
            try:
                with transaction.atomic():
                    services.profile_update(
                        actor=request.user,  # type: ignore[arg-type]
                        **{k: form.cleaned_data[k] for k in services.PROFILE_FIELDS},
                    )
                    services.officers_save(actor=request.user, rows=rows, delete_ids=delete_ids)  # type: ignore[arg-type]
                messages.success(request, "社区概况和干部监督台已更新。")
                return redirect("profile_edit")
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(
        request, "communities/profile_edit.html", {"form": form, "officers": officers}, status=status
    )
