"""Every page, printed notice and report shows dates and periods the way a Chinese reader writes them:
2026年12月8日, 12月8日(周二), 2026年12月8日 14:05, 2026年第三季度, 2026年10月 — never 2026-10, 2026Q3,
2026-12-08, 2026/12/8 or an event's reference 20261123-1.

The pages are not listed by hand: every pattern of the two URL confs (tests/urlcrawl.py reads them from
the resolvers) is filled with the ids of real objects planted in 银城社区 with dates and periods
(obligations of closed months and quarters, overdue and fulfilled late, a published financial
disclosure, feedback answered and escalated, a re-publication order, the street office's draws,
surveys, assessments and compliance rows) and requested as residents, community staff and street-office
staff. Each answer's visible text (tags, attribute values such as a date input's ``value`` and
``<code>`` are left out) and each PDF's text must carry no machine form. A pattern that answers none of
them with a page or a PDF must be named in ``SKIPPED`` (or match ``SKIPPED_RULES``) with its reason.

The staff pages whose templates print ``|date:"Y-m-d"`` today (the disclosure's page, the workspace,
the ledger) fail here until they are converted: that is the point.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context
from pypdf import PdfReader

from disclosure import services as engine
from disclosure.choices import Category, ContentType, ObligationStatus
from disclosure.feedback import services as feedback_services
from disclosure.feedback.choices import Finding, Kind
from disclosure.feedback.models import Feedback
from disclosure.models import Disclosure, Obligation
from inspection import services as inspection_services
from tenants.choices import CommunityRole, StreetOfficeRole
from tests.conftest import host
from tests.factories import PASSWORD, here, published, renewal_opened, submitted
from tests.planted import Planted, plant
from tests.urlcrawl import CONFS, NOT_CRAWLED, Filled, Fillers, Pattern, patterns
from workdays import services as calendar
from workdays.models import CalendarOverride, CalendarYear
from workdays.periods import add_months

pytestmark = pytest.mark.django_db


A = "yincheng"

# What a person must never read: a month or quarter label, an ISO or slashed date, a half-year label,
# an event's reference number, a zero-padded Chinese month or day. Digits around are excluded by
# look-arounds, not \b: in Python a Chinese character is a word character, so "所属期2026Q3" has no \b.
MACHINE = re.compile(
    r"(?<!\d)20\d\d-\d\d(?!\d)"
    r"|(?<!\d)20\d\dQ[1-4](?!\d)"
    r"|(?<!\d)20\d\dH[12](?!\d)"
    r"|(?<!\d)20\d\d/\d\d?/\d\d?(?!\d)"
    r"|(?<!\d)20\d{6}-\d+"
    r"|(?<![\d])0[1-9]月|月0[1-9]日"
)

# Patterns the crawl does not read, each with its reason: by name, then by rule over name or route.
SKIPPED: dict[str, str] = {
    "healthz": "answers ok/503 for the load balancer, no page",
    "portal:feed": "an Atom feed: its dates are RFC 3339, as the Atom standard requires",
    "portal:feed_category": "an Atom feed: its dates are RFC 3339, as the Atom standard requires",
    "disclosure:group_webhook_remove": "a POST that redirects to the group pushes page, no page of its own",
    "portal:attachment": "an uploaded file, shown as it was uploaded",
    "inspection:complaint_conclude": "a POST that redirects to the complaint's page, no page of its own",
    "disclosure:attachment": "an uploaded file, shown as it was uploaded",
    "disclosure:receipt": "a reimbursement's receipt scan, shown as it was uploaded",
    "portal:receipt": "a reimbursement's receipt scan, shown as it was uploaded",
    "inspection:reimbursement_receipt": "a reimbursement's receipt scan, shown as it was uploaded",
    "inspection:rectification_file": "a community's evidence for an order, shown as it was uploaded",
    "inspection:rectification_minutes": "a talk's signed minutes, shown as they were scanned",
    "inspection_community:answer_file": "a community's evidence for an order, shown as it was uploaded",
    "disclosure:import_template": "a blank xlsx to fill in: its example date is how clerks type one",
    "portal:screen_state": "JSON polled by the e-screen's script (a machine format)",
    "display": "a switch that sends the reader back to the page it was pressed on",
    "disclosure:act": "POST only: a step of the five steps",
    "disclosure:waive": "POST only: waiving an obligation",
    "disclosure:renew_revise": "POST only: starting the next version of a fixed item",
    "disclosure:event": "POST only: recording an event",
    "disclosure:attachment_delete": "POST only",
    "feedback_staff:answer": "POST only",
    "feedback_staff:finding": "POST only",
    "consult_staff:moderate": "POST only: showing or hiding an opinion redirects to the opinions page",
    "logout": "POST only",
    "notifications:open": "POST only: opening a notification marks it read and goes to its link",
    "notifications:read_all": "POST only: marks every notification read",
    "admin:logout": "POST only",
    "admin:jsi18n": "the admin's JavaScript catalogue",
    "admin:autocomplete": "JSON for the admin's select boxes",
    "admin:view_on_site": "a redirect to the object's own site",
    "disclosure:workspace": "the same /workspace/ as `workspace`, read under that name",
}
SKIPPED_RULES: list[tuple[str, str]] = [
    (r"^\^?api/", "the district API: JSON, CSV and XLSX, machine formats whose dates are real dates"),
    (r"^admin:.*_delete$", "a delete confirmation: the deletion itself is a POST"),
    (r"^admin:.*_add$", "an empty form for a new row: no stored date on it"),
    (
        r"^admin:(auth|axes|otp_totp)_",
        "Django's and the login libraries' own records: no street-office role opens them",
    ),
    (r"^admin/", "the admin's unnamed redirects (to an object's change page, or to its login)"),
]


def skipped(pattern: Pattern) -> str | None:
    """Why the crawl does not read this pattern, or None when it must."""
    if pattern.name in SKIPPED:
        return SKIPPED[pattern.name]
    for rule, reason in SKIPPED_RULES:
        if re.search(rule, pattern.name or "") or re.search(rule, pattern.route):
            return reason
    return None


class _Visible(HTMLParser):
    """The text a person reads: no tags, no attribute values, nothing inside script, style or code."""

    HIDDEN = frozenset({"script", "style", "code", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def machine_forms(text: str) -> list[str]:
    """Each machine form found, with a little of the text around it."""
    return [text[max(0, m.start() - 20) : m.end() + 20].replace("\n", " ") for m in MACHINE.finditer(text)]


def test_the_check_finds_what_it_must_and_spares_attributes_and_code():
    html = (
        '<p>所属期2026Q3 · 截止 2026-12-08</p><input type="date" value="2026-10-01">'
        '<time datetime="2026-12-08">2026年12月8日</time><code>20261123-1</code>'
    )
    found = machine_forms(visible_text(html))
    assert len(found) == 2 and "2026Q3" in found[0] and "2026-12-08" in found[1]
    for text in ("2026年10月", "2026年第三季度", "12月8日(周二)", "2026年12月8日 14:05", "2026年上半年"):
        assert machine_forms(text) == []
    for text in ("2026-10", "2026H1", "2026/12/8", "20261123-1", "2026年01月", "1月08日"):
        assert machine_forms(text) != [], text


# --- the data ------------------------------------------------------------------------------------------


@dataclass
class Built:
    planted: Planted
    fulfilled_late: Obligation
    finance: Disclosure
    correction: Disclosure
    objection: Feedback
    in_review: Disclosure
    override: CalendarOverride
    confirmed: CalendarYear
    renewal: Obligation

    def fillers(self) -> Fillers:
        """The crawl's ids, with the objects that carry the most dates added to the planted ones."""
        fillers = Fillers(self.planted)
        # first: a pattern with two parameters is filled with at most 40 pairs (tests/urlcrawl.py)
        mine = [self.in_review.pk, self.finance.pk, self.correction.pk]
        fillers.by_word["disclosures"] = [*mine, *fillers.by_word["disclosures"]]
        fillers.by_word["touch_detail"] = [*fillers.by_word["touch_detail"], self.finance.pk]
        fillers.by_word["feedback"] = [*fillers.by_word["feedback"], self.objection.pk]
        fillers.feedback_code = self.objection.code
        fillers.by_word["calendaroverride"] = [self.override.pk]
        fillers.by_word["calendaryear"] = [self.confirmed.pk]
        fillers.by_word["obligations"] = [self.renewal.pk, *fillers.by_word["obligations"]]
        return fillers

    def paths(self) -> list[Filled]:
        """Every pattern of each URL conf, filled; a path both confs share is read on both sites (the
        street office's front page and a community's are both ``/``)."""
        fillers = self.fillers()
        paths: list[Filled] = []
        for conf in CONFS:
            seen: set[str] = set()
            for pattern in patterns(conf):
                for filled in fillers.fill(pattern):
                    if filled.path not in seen:
                        seen.add(filled.path)
                        paths.append(filled)
        return paths


def build(world) -> Built:  # type: ignore[no-untyped-def]
    """One of everything (tests/planted.py), plus what carries dates and periods."""
    planted = plant(world, A)
    community = planted.community
    today = timezone.localdate()
    handler = world.user(f"{A}_handler")
    supervisor = world.user(f"{A}_supervisor")
    with tenant_context(community):
        # obligations of every month and quarter closed in the last seven months: some overdue by today
        engine.obligations_generate(community=here(), on=today, since=add_months(today, -7))
        quarterly = Obligation.objects.filter(period__contains="Q").order_by("due_date").first()
        assert quarterly is not None
        publish_on = quarterly.due_date + timedelta(days=3)
        finance = published(
            world,
            on=publish_on,
            today=publish_on - timedelta(days=14),
            planned=publish_on,
            title=f"财务收支公开({quarterly.period_zh})",
            category=Category.FINANCE,
            content_type=ContentType.FINANCE,
            body="<p>本季度收支如下。</p>",
            data={
                "period": quarterly.period,  # typed as its label: the pages still read it in Chinese
                "opening_balance": "1000",
                "closing_balance": "800",
                "lines": [
                    {
                        "date": quarterly.period_start.isoformat(),
                        "description": "办公用品",
                        "category": "办公费",
                        "direction": "expense",
                        "amount": "200",
                        "voucher": "付-01",
                    }
                ],
            },
            obligation=quarterly,
        )
        quarterly.refresh_from_db()
        # waiting for the supervision group: its check-before-you-act page shows the planned day
        in_review = submitted(
            world, title="十一月事务公开", today=today - timedelta(days=14), planned=today + timedelta(days=7)
        )
        assert quarterly.status == ObligationStatus.LATE  # published three days after its deadline
        engine.obligations_refresh(community=here(), on=today)
        engine.reminders_send(community=here(), on=today)
        # a resident's objection to it, answered, investigated and found true: a re-publication order
        objection = feedback_services.feedback_submit(
            community=here(),
            kind=Kind.OBJECTION,
            text="支出明细不全。",
            disclosure=finance,
            name="张三",
            mobile="13800000000",
            today=today - timedelta(days=3),
        )
        feedback_services.feedback_answer(
            feedback=objection, actor=handler, community=here(), answer="已转监督小组。", public=True
        )
        feedback_services.feedback_record_finding(
            feedback=objection,
            actor=supervisor,
            community=here(),
            finding=Finding.SUBSTANTIATED,
            text="确有遗漏。",
            order_republication=True,
        )
        feedback_services.feedback_daily_check(community=here(), on=today)
        objection.refresh_from_db()
        assert objection.republication is not None
        correction = objection.republication
        # a fixed item whose display year has ended with nobody renewing it: overdue, still on display
        renewal = renewal_opened(world, published_on=today - timedelta(days=400), on=today)
        engine.obligations_refresh(community=here(), on=today)
    inspection_services.compliance_refresh(community=community, on=today)
    # the calendar's own records: a year the holiday package does not know yet, entered by hand
    override = calendar.calendar_override_set(
        day=date(2031, 1, 23), is_working_day=False, reason="2031年春节", actor=None
    )
    confirmed = calendar.calendar_year_confirm(year=2031, actor=None, note="国务院办公厅通知")
    return Built(planted, quarterly, finance, correction, objection, in_review, override, confirmed, renewal)


# --- the crawl -----------------------------------------------------------------------------------------


def _client(username: str | None, code: str | None) -> Client:
    client = Client(HTTP_HOST=host(code))
    if username is not None:
        response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, f"{username} could not log in"
    return client


def _readers(conf: str, office_code: str) -> Iterator[tuple[str, Client]]:
    if conf == "config.urls_tenant":
        yield "resident", _client(None, A)
        for role in (CommunityRole.HANDLER, CommunityRole.SUPERVISOR, CommunityRole.SECRETARY):
            yield role.value, _client(f"{A}_{role.value}", A)
    else:
        yield "visitor", _client(None, None)
        for office_role in StreetOfficeRole:
            yield office_role.value, _client(f"{office_code}_{office_role.value}", None)


def _text_of(response) -> str | None:  # type: ignore[no-untyped-def]
    kind = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith("text/html"):
        return visible_text(content.decode())
    if kind.startswith("application/pdf"):
        return pdf_text(content)
    return None


# Query strings that turn a page into another output (an export): each is read as well.
VARIANTS = {
    "inspection:evaluations": ["?export=pdf"],
    "portal:notice": ["?size=A3"],
    "portal:list": ["?q=财务"],
}


def test_no_page_pdf_or_notice_shows_a_machine_date_or_period(world):  # type: ignore[no-untyped-def]
    built = build(world)
    office_code = built.planted.community.street_office.code
    paths = built.paths()
    problems: dict[str, str] = {}  # one line per page and machine form: the report stays readable
    read: set[str | None] = set()
    for conf in CONFS:
        readers = list(_readers(conf, office_code))
        for filled in (f for f in paths if f.pattern.conf == conf and not skipped(f.pattern)):
            for query in ["", *VARIANTS.get(filled.pattern.name or "", [])]:
                for who, client in readers:
                    response = client.get(filled.path + query)
                    where = f"{filled.path}{query} ({filled.pattern.name}) as {who} → {response.status_code}"
                    if response.status_code >= 500:
                        problems.setdefault(f"{filled.path}{query} 5xx", f"{where}: server error")
                        continue
                    text = _text_of(response) if response.status_code == 200 else None
                    if text is None:
                        continue
                    read.add(filled.pattern.name or filled.pattern.route)
                    for found in MACHINE.finditer(text):
                        context = text[max(0, found.start() - 24) : found.end() + 12].split()
                        shape = re.sub(r"[0-9]", "9", found.group())
                        key = f"{filled.pattern.name} {shape}"
                        problems.setdefault(key, f"{where}: «{' '.join(context)}»")
    never = {
        p.name or p.route
        for conf in CONFS
        for p in patterns(conf)
        if p.name not in NOT_CRAWLED and not skipped(p)
    } - read
    unread = [
        f"never read as a page or PDF (give a reason in SKIPPED): {name}" for name in sorted(map(str, never))
    ]
    report = sorted(problems.values()) + unread
    assert report == [], "\n".join(report)
