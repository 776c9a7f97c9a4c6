"""群众评议 as a voter sees it: the public page on a community's sub-domain where a party member or
resident representative votes with the code on their slip; no login."""

from __future__ import annotations

from django.http import HttpResponse

from disclosure.portal.views import portal_render
from inspection import forms, rules, services
from tenants.access import CommunitySiteRequest, submit


def vote(request: CommunitySiteRequest) -> HttpResponse:
    """群众评议: a party member or resident representative votes with the code on their slip."""
    # The QR code on a slip opens this page with its code filled in (``/vote/?code=…``); the voter still
    # chooses and sends the vote themselves.
    typed = request.GET.get("code", "").strip()[: rules.VOTING_CODE_LENGTH * 2]
    form = forms.VoteForm(request.POST or None, initial={"code": typed} if typed else None)
    voted = submit(
        request,
        lambda: services.vote_cast(community=request.community, **form.cleaned_data),
        forms=[form],
    )
    if voted.ok:
        return portal_render(request, "inspection/vote_done.html", {})
    return portal_render(
        request,
        "inspection/vote.html",
        {"form": form, "code_length": rules.VOTING_CODE_LENGTH},
        status=voted.status,
    )
