from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from communities import selectors
from tenants import selectors as tenant_selectors
from tenants.choices import CommunityRole


def home(request: HttpRequest) -> HttpResponse:
    """The community's front page: its overview and the bodies with their officers (open to everyone)."""
    return render(
        request,
        "communities/home.html",
        {"profile": selectors.profile_get(), "committees": selectors.committees_with_officers()},
    )


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """The staff workspace: who you are here and what is waiting for you."""
    roles = tenant_selectors.community_roles_of(user=request.user, community=request.community)  # type: ignore[arg-type, attr-defined]
    return render(
        request,
        "communities/workspace.html",
        {
            "role_labels": [CommunityRole(r).label for r in sorted(roles)],
            "notifications": selectors.notifications_for(request.user)[:20],  # type: ignore[arg-type]
        },
    )
