"""The printed bulletin notice of a public disclosure (``bulletin.notice_pdf``), A4 or A3."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from disclosure import bulletin, reimbursements, selectors
from disclosure.models import Disclosure
from disclosure.pdf import FontMissing
from disclosure.portal.screens import refuse
from tenants.access import CommunitySiteRequest
from tenants.form_errors import Form


class NoticeForm(Form):
    size = forms.ChoiceField(
        label=_("纸张大小"),
        choices=[(s, s) for s in bulletin.SIZES],
        required=False,
        error_messages={"invalid_choice": _("纸张大小只能是 A4 或 A3。")},
    )

    def clean_size(self) -> str:
        return self.cleaned_data["size"] or "A4"

    def __init__(self, data: dict[str, str]) -> None:
        # "a3" from a hand-typed address is accepted as A3.
        super().__init__({key: (value.upper() if key == "size" else value) for key, value in data.items()})


def verify_url(request: HttpRequest, disclosure: Disclosure) -> str:
    """The absolute address of this version's hash check on the community's own host, with the hash
    the paper carries filled in: scanning the notice checks the notice."""
    path = reverse("portal:verify", args=[disclosure.pk])
    return request.build_absolute_uri(f"{path}?{urlencode({'hash': disclosure.content_hash})}")


def notice(request: CommunitySiteRequest, pk: int) -> HttpResponse:
    """``/disclosures/<pk>/notice.pdf?size=A4|A3``: whoever may read the portal page may print it."""
    disclosure = selectors.disclosure_public_get(pk=pk, on=timezone.localdate())
    form = NoticeForm(request.GET.dict())
    if not form.is_valid():
        return refuse(request, form)
    size = form.cleaned_data["size"]
    try:
        pdf = bulletin.notice_pdf(
            disclosure,
            content=selectors.disclosure_public_content(disclosure),
            community_name=request.community.name,
            verify_url=verify_url(request, disclosure),
            size=size,
            reimbursed=reimbursements.by_line(
                disclosure, mode=reimbursements.signing_mode(request.community)
            ),
        )
    except FontMissing as exc:
        return refuse(request, problems=[str(exc)], status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="notice-{disclosure.pk}-v{disclosure.version}-{size}.pdf"'
    )
    return response
