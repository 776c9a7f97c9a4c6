from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from communities import selectors


def home(request: HttpRequest) -> HttpResponse:
    """The community's front page: its overview and the bodies with their officers (open to everyone)."""
    return render(
        request,
        "communities/home.html",
        {"profile": selectors.profile_get(), "committees": selectors.committees_with_officers()},
    )
