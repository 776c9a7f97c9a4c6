"""报账签字, the street leader's own queue (004 ⑵ 包社区领导 五人同时签字): every reimbursement of the
communities on the leader's 包联社区 list that waits for their signature, with its line, its receipts and
who else signed, and the button that signs it — from the street office's site, without a login on the
community's. Each community is read in its own schema once per request; a leader has a handful of them."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from disclosure import reimbursements
from disclosure import services as disclosure_services
from disclosure.choices import ReimbursementSigner
from disclosure.models import Disclosure, Receipt
from inspection.access import communities_in_reach
from inspection.permissions import REIMBURSEMENT_LEADERS
from tenants.access import StreetOfficeRequest, street_staff_required, submit
from tenants.models import Community
from tenants.selectors import communities_in_charge_of

LEADER = ReimbursementSigner.STREET_LEADER


@dataclass(frozen=True)
class Waiting:
    """One statement of a community, with its units still waiting for the leader's signature."""

    community: Community
    disclosure: Disclosure
    rows: list[tuple[reimbursements.Unit, list[tuple[Receipt, str]]]]  # each unit with its receipts' links
    signed: int  # units the leader signed already


def _communities(request: StreetOfficeRequest) -> list[Community]:
    """The communities the leader is in charge of, in their own street office."""
    return list(communities_in_reach(request).filter(pk__in=communities_in_charge_of(request.user)))


def _community(request: StreetOfficeRequest, code: str) -> Community:
    community = next((c for c in _communities(request) if c.schema_name == code), None)
    if community is None:
        raise Http404
    return community


def _receipt_url(community: Community, statement: Disclosure, receipt: Receipt) -> str:
    return reverse("inspection:reimbursement_receipt", args=[community.schema_name, statement.pk, receipt.pk])


def _waiting(community: Community) -> list[Waiting]:
    mode = reimbursements.signing_mode(community)
    with tenant_context(community):
        found = []
        for statement in reimbursements.statements_to_sign():
            units = reimbursements.units(statement, mode=mode)
            mine = [u for u in units if LEADER not in u.signatures]
            rows = [(u, [(r, _receipt_url(community, statement, r)) for r in u.receipts]) for u in mine]
            if mine:
                found.append(Waiting(community, statement, rows, len(units) - len(mine)))
        return found


@street_staff_required(roles=REIMBURSEMENT_LEADERS)
def queue(request: StreetOfficeRequest) -> HttpResponse:
    """The leader's reimbursements to sign (GET), and one signature (POST: the community, the
    statement, the unit and the hash of what the page showed)."""
    status = 200
    if request.method == "POST":
        community = _community(request, request.POST.get("community", ""))
        with tenant_context(community):
            statement = get_object_or_404(Disclosure, pk=request.POST.get("disclosure") or 0)
            done = submit(
                request,
                lambda: disclosure_services.reimbursement_sign(
                    disclosure=statement,
                    actor=request.user,
                    community=community,
                    key=request.POST.get("key", ""),
                    role=LEADER,
                    seen_hash=request.POST.get("seen_hash", ""),
                ),
                success=_("已签字:%(name)s“%(title)s”。")
                % {"name": community.name, "title": statement.title},
                forbid=True,
            )
        if done.ok:
            return redirect("inspection:reimbursements")
        status = done.status
    communities = _communities(request)
    waiting = [w for c in communities for w in _waiting(c)]
    return render(
        request,
        "inspection/reimbursements.html",
        {
            "communities": communities,
            "waiting": waiting,
            "units_waiting": sum(len(w.rows) for w in waiting),
        },
        status=status,
    )


@street_staff_required(roles=REIMBURSEMENT_LEADERS)
def receipt(request: StreetOfficeRequest, code: str, pk: int, receipt_pk: int) -> FileResponse:
    """A receipt of a statement of a community the leader is in charge of: what they sign on."""
    community = _community(request, code)
    with tenant_context(community):
        statement = get_object_or_404(Disclosure, pk=pk)
        found = get_object_or_404(statement.receipts, pk=receipt_pk)
        return FileResponse(found.file.open("rb"), filename=found.original_name, content_type=found.mime_type)
