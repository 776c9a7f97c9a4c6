from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants import selectors


def street_office_home(request: HttpRequest) -> HttpResponse:
    """The street-office site: a sign-in invitation, or the communities of the user's street office(s)."""
    context: dict[str, object] = {}
    if selectors.is_street_office_staff(request.user):  # type: ignore[arg-type]
        communities = selectors.communities_visible_to(request.user)  # type: ignore[arg-type]
        port = request.get_port()
        suffix = "" if port in ("80", "443") else f":{port}"
        context["communities"] = [
            {"community": c, "url": f"{request.scheme}://{c.schema_name}.{settings.BASE_DOMAIN}{suffix}/"}
            for c in communities
        ]
        context["street_offices"] = selectors.street_offices_of(request.user)  # type: ignore[arg-type]
        context["roles"] = selectors.street_office_roles_of(user=request.user)  # type: ignore[arg-type]
    return render(request, "tenants/street_office_home.html", context)
