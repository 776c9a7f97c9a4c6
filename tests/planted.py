"""One of everything a community owns, planted through the real services, with marker strings.

The role matrix opens each page of 银城社区 with these objects; the isolation crawl plants them in
银南社区 and fills every URL pattern with their ids, then looks for their markers in every answer.

Markers are ASCII (``ISO-<code>-<what>``) so they survive HTML escaping and can be searched in bytes;
files carry theirs inside the bytes (the text of a PDF page), so a leaked download is found too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure import services as engine
from disclosure.choices import Category, ContentType, ReimbursementSigner
from disclosure.feedback import opinions
from disclosure.feedback import services as feedback_services
from disclosure.feedback.choices import Kind
from disclosure.models import (
    Attachment,
    Disclosure,
    LocalCatalogueItem,
    Obligation,
    Receipt,
    SmsSubscriber,
)
from disclosure.rules import CONSULTATION_MIN_DAYS
from inspection import services as inspection_services
from inspection.briefing import quarters_offered
from inspection.choices import SpotCheckStatus
from inspection.models import (
    Assessment,
    ComplianceSummary,
    Evaluation,
    Rectification,
    SpotCheck,
    SpotCheckDraw,
    StreetOfficeBriefing,
    Survey,
)
from standards.models import LedgerAnchor
from tenants.models import Community, StreetOfficeMembership, User
from tests.factories import here, pdf_file

TZ = ZoneInfo("Asia/Shanghai")
FAR_IDS = 700_000  # the crawled community's row ids start here, so they never name one of A's rows


def marked_pdf(marker: str) -> bytes:
    """A real one-page PDF whose page text is ``marker``, uncompressed (files are stored as they
    passed the upload check; images are drawn again, which would drop a marker kept in their
    metadata, while a PDF is stored as uploaded)."""
    text = b"BT /F1 12 Tf 72 720 Td (" + marker.encode() + b") Tj ET"
    return pdf_file(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            4: b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        }
    )


@dataclass
class Planted:
    community: Community
    draft: Disclosure
    published: Disclosure
    draft_attachment: Attachment
    published_attachment: Attachment
    # a finance statement's reimbursement: a draft's receipt, and a published one's (signed by the five)
    statement: Disclosure
    draft_receipt: Receipt
    published_receipt: Receipt
    obligation: Obligation
    local_item: LocalCatalogueItem
    feedback_pk: int
    feedback_code: str
    # a published consultation (征求意见) open today, and a signed opinion on it not yet shown
    consultation_pk: int
    opinion_pk: int
    opinion_code: str
    # a resident's complaint to the street office about this community
    complaint_pk: int
    complaint_code: str
    # an SMS subscriber's unsubscribe token (``/sms/stop/<token>/``)
    sms_token: str
    rectification: Rectification
    survey: Survey
    assessment: Assessment
    spot_check: SpotCheck
    evaluation: Evaluation
    compliance: ComplianceSummary
    anchor: LedgerAnchor | None
    # the street office's briefings: one still a draft, one published
    street_briefing_draft: StreetOfficeBriefing
    street_briefing: StreetOfficeBriefing
    # what residents may see on this community's own site
    public_markers: set[str] = field(default_factory=set)
    # what nobody outside this community's staff (and its street office) may see
    secret_markers: set[str] = field(default_factory=set)
    # what a resident holding the feedback's (or the opinion's) query code may see on this community's site
    feedback_markers: set[str] = field(default_factory=set)

    @property
    def code(self) -> str:
        return self.community.schema_name


def marker(code: str, what: str) -> str:
    return f"ISO-{code}-{what}"


def _far_sequences(schema: str) -> None:
    """Move every id sequence of the community's schema past ``FAR_IDS`` (once; sequences are not
    transactional, so this outlives the test's rollback harmlessly)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences WHERE schemaname = %s", [schema]
        )
        for name, last in cursor.fetchall():
            if last < FAR_IDS:
                cursor.execute("SELECT setval(%s, %s)", [f'"{schema}"."{name}"', FAR_IDS])


def reimbursed_statement() -> dict[str, object]:
    """A statement of two lines, the second a reimbursement."""
    day = timezone.localdate().replace(day=1).isoformat()
    lines = [
        {"date": day, "description": "上级拨款", "direction": "income", "category": "拨款"},
        {"date": day, "description": "购买办公用品", "direction": "expense", "category": "办公费"},
    ]
    return {
        "period": "矩阵测试期",
        "opening_balance": "0",
        "closing_balance": "400",
        "lines": [
            {**lines[0], "amount": "500", "voucher": "收-01"},
            {**lines[1], "amount": "100", "voucher": "付-01", "reimbursement": True},
        ],
    }


def _statement(handler: User, title: str, category: str) -> Disclosure:
    return engine.disclosure_create(
        community=here(),
        actor=handler,
        title=title,
        category=category,
        content_type=ContentType.FINANCE,
        data=reimbursed_statement(),
    )


def _receipt(statement: Disclosure, actor: User, mark: str) -> Receipt:
    (receipt,) = engine.receipts_add(
        disclosure=statement,
        actor=actor,
        line_id=statement.data["lines"][1]["id"],
        uploads=[SimpleUploadedFile(f"{mark}.pdf", marked_pdf(mark))],
    )
    return receipt


def _approved_and_signed(disclosure: Disclosure, user: Callable[[str], User], today: date) -> Disclosure:
    """Submitted two weeks ago for today, approved and signed by the three."""
    disclosure = engine.disclosure_submit(
        community=here(),
        disclosure=disclosure,
        actor=user("handler"),
        planned_publish_date=today,
        today=today - timedelta(days=14),
    )
    disclosure = engine.disclosure_review(
        community=here(), disclosure=disclosure, actor=user("supervisor"), decision="approve"
    )
    for role in ("secretary", "director", "handler"):
        engine.disclosure_sign(community=here(), disclosure=disclosure, actor=user(role), role=role)
    return disclosure


def _published_today(disclosure: Disclosure, user: Callable[[str], User], today: date) -> Disclosure:
    return engine.disclosure_publish(
        community=here(),
        disclosure=disclosure,
        actor=user("handler"),
        channels=["board", "web"],
        now=datetime(today.year, today.month, today.day, 9, tzinfo=TZ),
    )


def plant(world, code: str, *, far_ids: bool = False) -> Planted:  # type: ignore[no-untyped-def]
    community = Community.objects.get(schema_name=code)
    office = community.street_office

    def user(role: str) -> User:
        return User.objects.get(username=f"{code}_{role}")

    inspector = User.objects.get(username=f"{office.code}_inspector")
    today = timezone.localdate()
    secret: set[str] = set()
    public: set[str] = set()

    def m(what: str, into: set[str]) -> str:
        into.add(marker(code, what))
        return marker(code, what)

    if far_ids:
        _far_sequences(code)
    with tenant_context(community):
        draft = engine.disclosure_create(
            community=here(),
            actor=user("handler"),
            title=m("draft", secret),
            category=Category.AFFAIRS,
            body=m("draftbody", secret),
        )
        draft_attachment = engine.attachment_add(
            disclosure=draft,
            actor=user("handler"),
            upload=SimpleUploadedFile(f"{m('draftfile', secret)}.pdf", marked_pdf(m("draftbytes", secret))),
        )
        statement = _statement(user("handler"), m("statement", secret), Category.FINANCE)
        draft_receipt = _receipt(statement, user("handler"), m("draftreceipt", secret))
        published = _statement(user("handler"), m("published", public), Category.AFFAIRS)
        published_receipt = _receipt(published, user("handler"), m("publicreceipt", public))
        published_attachment = engine.attachment_add(
            disclosure=published,
            actor=user("handler"),
            upload=SimpleUploadedFile(f"{m('publicfile', public)}.pdf", marked_pdf(m("publicbytes", public))),
        )
        published = _approved_and_signed(published, user, today)
        leader = User.objects.get(username=f"{office.code}_leader")
        StreetOfficeMembership.objects.get(user=leader, role="leader").communities_in_charge.add(community)
        signers = {
            ReimbursementSigner.PARTY_BRANCH: user("secretary"),
            ReimbursementSigner.RESIDENTS_COMMITTEE: user("director"),
            ReimbursementSigner.SUPERVISION: user("supervision_head"),
            ReimbursementSigner.STREET_LEADER: leader,
            ReimbursementSigner.HANDLER: user("handler"),
        }
        for role, signer in signers.items():
            engine.reimbursement_sign(
                disclosure=published,
                actor=signer,
                community=here(),
                key=published.data["lines"][1]["id"],
                role=role,
            )
        published = _published_today(published, user, today)
        obligation = engine.event_record(
            community=here(),
            actor=user("handler"),
            code="SW-10",
            event_date=today,
            description=m("event", secret),
        )
        local_item = engine.local_item_add(
            community=here(),
            actor=user("secretary"),
            code=f"{code[:2].upper()}-99",
            title=m("localitem", public),
            category=Category.AFFAIRS,
            cadence="event",
            content_type="notice",
        )
        consultation = _approved_and_signed(
            engine.disclosure_create(
                community=here(),
                actor=user("handler"),
                title=m("consultation", public),
                category=Category.AFFAIRS,
                content_type=ContentType.CONSULTATION,
                data={
                    "opens_on": today.isoformat(),
                    "closes_on": (today + timedelta(days=CONSULTATION_MIN_DAYS)).isoformat(),
                },
            ),
            user,
            today,
        )
        consultation = _published_today(consultation, user, today)
        # an opinion the supervision group has not shown: its text is for the staff and whoever holds its
        # query code (like a feedback's), its author's name for the staff only
        opinion_text = marker(code, "opinion")
        opinion = opinions.opinion_submit(
            community=here(),
            consultation=consultation,
            text=opinion_text,
            name=m("opinionist", secret),
            mobile="13900002222",
            today=today,
        )
        feedback_text = marker(code, "feedback")
        feedback = feedback_services.feedback_submit(
            community=here(), kind=Kind.OBJECTION, text=feedback_text, today=today
        )
        anchor = engine.ledger_anchor_record(community=here(), day=today)
        # a resident subscribed to texts: their unsubscribe link is a page of its own
        sms_subscriber, _ = SmsSubscriber.objects.get_or_create(
            mobile="13900002222", defaults={"token": f"{code}-stop-token", "categories": ["finance"]}
        )
    rectification = inspection_services.rectification_issue(
        community=community, source="manual", issues=m("rectification", secret), actor=inspector
    )
    complaint = inspection_services.complaint_submit(
        community=community,
        text="居民投诉:公开栏没有更新",
        name=m("complainant", secret),
        mobile="13900001111",
    )
    survey = inspection_services.survey_open(
        community=community, period=f"{today.year}年度", title=m("survey", secret), codes=3, actor=inspector
    )
    assessment = inspection_services.assessment_open(
        community=community,
        period=f"{today.year}年度",
        template=inspection_services.template_for(street_office=office),
        inspector=inspector,
        actor=inspector,
    )
    draw = SpotCheckDraw.objects.create(
        street_office=office,
        period=m("draw", secret),
        seed="isolation",
        sample_size=1,
        population=[code],
        drawn=[code],
        drawn_by=inspector,
    )
    spot_check = SpotCheck.objects.create(
        draw=draw,
        community=community,
        inspector=inspector,
        status=SpotCheckStatus.COMPLETED,
        visited_at=timezone.now(),
        board_current=True,
        display_window_kept=True,
        opinion_box=False,
        findings=m("findings", secret),
        score=Decimal("66.7"),
    )
    evaluation = Evaluation.objects.create(
        community=community, period=str(today.year), composite=Decimal("80.0"), rank=1
    )
    compliance = ComplianceSummary.objects.create(
        community=community,
        period_kind="year",
        period=str(today.year),
        start=today.replace(month=1, day=1),
        end=today.replace(month=12, day=31),
        due=1,
        on_time=1,
        on_time_rate=Decimal("100.0"),
        computed_on=today,
    )
    latest, earlier = quarters_offered(today)[:2]
    briefing_draft = StreetOfficeBriefing.objects.filter(
        street_office=office, period=latest.label
    ).first() or inspection_services.street_briefing_generate(
        street_office=office, period=latest, actor=inspector
    )
    briefing = StreetOfficeBriefing.objects.filter(street_office=office, period=earlier.label).first()
    if briefing is None:
        briefing = inspection_services.street_briefing_generate(
            street_office=office, period=earlier, actor=inspector
        )
        inspection_services.street_briefing_submit(briefing=briefing, actor=inspector)
        briefing = inspection_services.street_briefing_review(
            briefing=briefing, actor=User.objects.get(username=f"{office.code}_leader"), approve=True
        )
    return Planted(
        community=community,
        draft=draft,
        published=published,
        draft_attachment=draft_attachment,
        published_attachment=published_attachment,
        statement=statement,
        draft_receipt=draft_receipt,
        published_receipt=published_receipt,
        obligation=obligation,
        local_item=local_item,
        feedback_pk=feedback.pk,
        feedback_code=feedback.code,
        consultation_pk=consultation.pk,
        opinion_pk=opinion.pk,
        opinion_code=opinion.code,
        complaint_pk=complaint.pk,
        complaint_code=complaint.code,
        sms_token=sms_subscriber.token,
        rectification=rectification,
        survey=survey,
        assessment=assessment,
        spot_check=spot_check,
        evaluation=evaluation,
        compliance=compliance,
        anchor=anchor,
        street_briefing_draft=briefing_draft,
        street_briefing=briefing,
        public_markers=public,
        secret_markers=secret,
        feedback_markers={feedback_text, opinion_text},
    )
