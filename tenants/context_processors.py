from django.conf import settings
from django.http import HttpRequest

from tenants.display import display_modes


def site(request: HttpRequest) -> dict[str, object]:
    """What every page needs to say where it is: the community (or the street office) and the base URL."""
    community = getattr(request, "community", None)
    port = request.get_port()
    suffix = "" if port in ("80", "443") else f":{port}"
    return {
        "community": community,
        "base_url": f"{request.scheme}://{settings.BASE_DOMAIN}{suffix}",
    }


def display(request: HttpRequest) -> dict[str, bool]:
    """The resident's display modes (适老化), for the residents' pages' switch and body class."""
    return display_modes(request)
