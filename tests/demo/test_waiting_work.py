"""The demo has work waiting at every step (demo/waiting.py): whoever logs in to any demo community,
in any role, finds something to do today, and the street office's order to 银城 waits for its answer.
Seeded as ``make demo`` seeds it (tests/demo/conftest.py); seeding again changes nothing."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import transaction
from django.test import Client
from django_tenants.utils import tenant_context

from communities.models import Notification
from demo import complaints as complaints_demo
from demo import seed as demo
from disclosure import display, reimbursements
from disclosure.choices import ObligationStatus, ReimbursementSigner
from disclosure.feedback.models import Feedback
from disclosure.models import Disclosure, LedgerEntry, Obligation, ReviewOpinion, Signature
from inspection.choices import ComplaintFinding, ComplaintStatus, RectificationSource, RectificationStatus
from inspection.models import Complaint, Rectification
from standards.models import LedgerHead
from tenants.models import Community, StreetOffice, User
from tests.conftest import host, login
from tests.demo.waiting import check_work_waiting

pytestmark = pytest.mark.owner  # the demo's transaction (tests/demo/conftest.py) is the owner's

CODES = [c.code for c in demo.COMMUNITIES]


@pytest.mark.parametrize("code", CODES)
def test_every_step_has_work_waiting_in_each_demo_community(demo_seeded: date, code: str) -> None:
    check_work_waiting(Community.objects.get(schema_name=code), today=demo_seeded)


# What 待我办理 on the workspace's front page offers each role of every demo community, at least.
STEPS_BY_ROLE = {
    "handler": {"draft", "resubmit", "sign", "publish", "answer", "obligation"},
    "supervisor": {"review", "moderate"},
    "secretary": {"sign", "publish", "answer"},
    "director": {"sign", "publish", "answer"},
    "deputy": {"answer"},
}


def _steps(client: Client) -> set[str]:
    page = client.get("/workspace/").content.decode()
    mine = page[page.index('id="mine"') : page.index("</section>")]
    return set(re.findall(r'data-step="(\w+)"', mine))


@pytest.mark.parametrize("code", CODES)
def test_each_role_finds_its_work_waiting_when_it_logs_in(demo_seeded: date, code: str, client_for) -> None:
    for role, expected in STEPS_BY_ROLE.items():
        client = client_for(code)
        response = login(client, f"{code}_{role}", password=demo.DEMO_PASSWORD)
        assert response.status_code == 302, (code, role)
        steps = _steps(client)
        assert expected <= steps, (code, role, sorted(steps))
        if code == "yincheng" and role in ("secretary", "director", "handler"):
            assert "rectify" in steps, (role, sorted(steps))  # the street office's order
    for role in ("finance", "representative"):  # the seven community roles: these two act on nothing
        client = client_for(code)
        assert login(client, f"{code}_{role}", password=demo.DEMO_PASSWORD).status_code == 302, (code, role)
        assert _steps(client) == set(), (code, role)
        assert "现在没有等您办理的事项" in client.get("/workspace/").content.decode(), (code, role)


def test_the_street_office_has_ordered_yincheng_to_publish_its_overdue_items(demo_seeded: date) -> None:
    yincheng = Community.objects.get(schema_name="yincheng")
    order = Rectification.objects.get(community=yincheng, source=RectificationSource.MANUAL)
    assert order.status == RectificationStatus.OPEN and not order.answer and order.answered_at is None
    assert order.due_date >= demo_seeded and order.issued_by is not None
    with tenant_context(yincheng):
        overdue = Obligation.objects.filter(status=ObligationStatus.OVERDUE)
        assert overdue and any(o.title in order.issues for o in overdue)


def test_the_demo_has_an_upheld_complaint_and_a_second_street_office_in_the_district(
    demo_seeded: date,
) -> None:
    complaint = Complaint.objects.get(community__schema_name=complaints_demo.COMPLAINED_ABOUT)
    assert complaint.finding == ComplaintFinding.UPHELD and complaint.status == ComplaintStatus.CONCLUDED
    order = complaint.rectification
    assert order is not None and order.source == RectificationSource.COMPLAINT
    assert complaints_demo.COMPLAINANT[0] not in order.issues
    yinzhou, dongguan = (StreetOffice.objects.get(code=code) for code in ("yinzhou", "dongguan"))
    assert dongguan.district == yinzhou.district is not None
    assert list(dongguan.communities.values_list("schema_name", flat=True)) == ["dongfeng"]
    assert User.objects.filter(username="dongguan_admin", street_office_memberships__street_office=dongguan)
    key = demo.district_key()
    offices = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/street-offices/")
    assert {o["code"] for o in offices.json()["results"]} == {"yinzhou", "dongguan"}


def test_the_accountability_rules_have_opened_orders_for_at_least_four_kinds_of_failure(
    demo_seeded: date, client_for
) -> None:
    """000 第十九条: over the demo's year the street office's rules opened one order per failure, each
    with its evidence and the roles answerable; the street office's page shows the evidence."""
    automatic = Rectification.objects.filter(failure_key__isnull=False)
    kinds = set(automatic.values_list("source", flat=True))
    assert len(kinds) >= 4, kinds
    assert RectificationSource.OBLIGATION_OVERDUE in kinds
    assert len(set(automatic.values_list("failure_key", flat=True))) == automatic.count()
    order = automatic.filter(source=RectificationSource.OBLIGATION_OVERDUE).first()
    assert order is not None and order.evidence and order.responsible_roles
    client = client_for(None)
    assert login(client, "yinzhou_inspector", password=demo.DEMO_PASSWORD).status_code == 302
    page = client.get(f"/inspection/rectifications/{order.pk}/").content.decode()
    assert "依据和责任" in page and order.evidence[0]["label"] in page


def _counts() -> dict[str, int]:
    counts = {
        "users": User.objects.count(),
        "orders": Rectification.objects.count(),
        "complaints": Complaint.objects.count(),
        "street offices": StreetOffice.objects.count(),
        "heads": LedgerHead.objects.count(),
    }
    models = (Disclosure, Signature, ReviewOpinion, Obligation, Feedback, LedgerEntry, Notification)
    for community in Community.objects.order_by("schema_name"):
        with tenant_context(community):
            for model in models:
                counts[f"{community.schema_name}.{model.__name__}"] = model.objects.count()
    return counts


def test_seeding_the_demo_again_changes_nothing(demo_seeded: date) -> None:
    before = _counts()
    assert before["orders"] >= 1 and all(before[f"{code}.Disclosure"] > 50 for code in CODES)
    with transaction.atomic():
        demo.seed()
        assert _counts() == before
        transaction.set_rollback(True)


@pytest.mark.parametrize("code", CODES)
def test_the_last_quarters_books_carry_receipts_and_five_real_signatures(
    demo_seeded: date, code: str
) -> None:
    """Issue 16 item 9: a quarter of 60+ lines, a receipt scan on every reimbursement (PNG and PDF),
    each signed by the five demo accounts, the street leader ``yinzhou_leader`` among them; the quarter
    being drafted leaves the leader a few to sign in their queue; a fixed item is due for renewal."""
    community = Community.objects.get(schema_name=code)
    with tenant_context(community):
        published = (
            Disclosure.objects.filter(obligation__code="CW-01", status="published")
            .order_by("-published_at")
            .first()
        )
        assert published is not None and len(published.data["lines"]) >= 60
        units = reimbursements.units(published, mode=reimbursements.signing_mode(community))
        assert units and all(u.complete and u.receipts for u in units)
        assert {r.mime_type for u in units for r in u.receipts} == {"image/png", "application/pdf"}
        leaders = {u.signatures[ReimbursementSigner.STREET_LEADER].signer.username for u in units}
        assert leaders == {"yinzhou_leader"}
        drafting = Disclosure.objects.get(obligation__code="CW-01", status="draft")
        waiting = [u for u in reimbursements.units(drafting, mode="line") if not u.complete]
        assert len(waiting) == 3 and all(u.missing == [ReimbursementSigner.STREET_LEADER] for u in waiting)
        renewal = display.renewals_open().first()
        assert renewal is not None and (renewal.due_date - demo_seeded).days <= 31
    client = Client(HTTP_HOST=host(None))
    login(client, "yinzhou_leader", password=demo.DEMO_PASSWORD)
    queue = re.search(r"有 (\d+) 处报账等您签字", client.get("/inspection/reimbursements/").content.decode())
    assert queue and int(queue[1]) >= 3 * len(CODES)
