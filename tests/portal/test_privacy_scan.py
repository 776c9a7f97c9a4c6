"""The privacy scan of everything a community's site shows to anyone without logging in.

Every public URL pattern of the community site (taken from the URLconf itself, so a page added later
is scanned too, or makes this test ask how to fill its parameters) is requested anonymously in two
communities, with data that holds what must never come out: relief rosters with full identity numbers
and mobile numbers (in the field the product keeps them in, and typed into free text), a signed
resident's feedback with their mobile, and a party-internal item before its public day. HTML, JSON and
the text of PDFs are searched for any full 18-digit identity number, any mainland mobile number that is
not a cadre's published work number, full names of relief households, and the party-internal item.
The scanner's own patterns are written here, not imported: a bug in the product's masking must not
hide itself.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from django_tenants.utils import tenant_context
from pypdf import PdfReader

from communities.choices import CommitteeKind
from communities.models import Committee, CommunityProfile, Officer
from disclosure import services
from disclosure.choices import Audience, Category, ContentType
from disclosure.feedback import services as feedback_services
from disclosure.feedback.choices import Kind
from disclosure.feedback.models import Feedback
from disclosure.models import Attachment, Disclosure
from disclosure.pdf import cjk_pdf
from tests.disclosure.test_engine import at

pytestmark = pytest.mark.django_db

# --- the scanner ------------------------------------------------------------------------------------

# 18 characters: region (6), birth date 18xx–20xx, sequence (3), check digit; not inside a longer
# run of digits or letters (hashes are shown in groups of eight, so they never match).
IDENTITY = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
# 11 digits from 13–19, with or without spaces or dashes between the groups
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d(?:[ \-]?\d{4}){2}(?![0-9A-Za-z])")
# Where a public page may be reached from; everything else is staff-only or a form that only posts.
STAFF_OR_POST_ONLY = ("workspace/", "accounts/", "i18n/", "admin/")


@dataclass
class Secrets:
    """What the scan must never find, and the numbers that are public on purpose."""

    words: set[str] = field(default_factory=set)  # full names, party-internal title and body
    allowed_mobiles: set[str] = field(default_factory=set)  # cadres' published work numbers


def leaks(text: str, secrets: Secrets) -> list[str]:
    found = [f"identity number {m.group()}" for m in IDENTITY.finditer(text)]
    for match in MOBILE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if digits not in secrets.allowed_mobiles:
            found.append(f"mobile number {match.group()}")
    found += [f"hidden text “{word}”" for word in sorted(secrets.words) if word in text]
    return found


def readable(response) -> str:
    """What a person could read in the response: a PDF's text, or the body as text."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("application/pdf"):
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if content_type.startswith(("text/", "application/json", "application/problem+json")):
        return body.decode("utf-8", errors="replace")
    return ""  # images and other files: the rules for them are checked by the portal's own tests


# --- the scanner catches what it must ------------------------------------------------------------------


def test_the_scanner_catches_planted_numbers_and_words_and_lets_cadre_numbers_and_hashes_pass():
    secrets = Secrets(words={"王建国"}, allowed_mobiles={"13800001111"})
    assert leaks("户主 620102195001011234 年龄 76", secrets) == ["identity number 620102195001011234"]
    assert leaks("身份证 62010219500101123X。", secrets) == ["identity number 62010219500101123X"]
    assert leaks("电话:13912345678", secrets) == ["mobile number 13912345678"]
    assert leaks("电话 139 1234 5678", secrets) == ["mobile number 139 1234 5678"]
    assert leaks("电话 139-1234-5678", secrets) == ["mobile number 139-1234-5678"]
    assert leaks("王建国 老人独居", secrets) == ["hidden text “王建国”"]
    # public on purpose, or not a personal number at all
    assert leaks("社区主任 13800001111", secrets) == []
    assert leaks("电话 139****5678,证件号 [身份证号已隐去]", secrets) == []
    assert leaks("e16f4962 19501011 23456789 13912345 hash: ab13912345678cd", secrets) == []
    assert leaks("金额 13350.00 元,凭证 付-11-01,办公电话 0951-6012345", secrets) == []


def test_the_scanner_reads_the_text_of_a_pdf():
    pdf, family = cjk_pdf(format="A4")
    pdf.add_page()
    pdf.set_font(family, size=12)
    pdf.cell(0, 10, "救助对象 王建国 身份证 620102195001011234 电话 13912345678")

    class Response(dict):
        streaming = False
        content = bytes(pdf.output())

    response = Response({"Content-Type": "application/pdf"})
    assert len(leaks(readable(response), Secrets(words={"王建国"}))) == 3


# --- the data that must not come out ----------------------------------------------------------------


def identity(region: str, born: date, sequence: int) -> str:
    """A well-formed identity number with its ISO 7064 check digit."""
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


CADRE_MOBILE = "13800001111"


def publish(
    world, code: str, *, on: date | None = None, public_from: date | None = None, **fields
) -> Disclosure:
    """Through the five steps by ``code``'s own staff, published on ``on`` (today by default)."""
    on = on or timezone.localdate()
    user = {role: world.user(f"{code}_{role}") for role in ("handler", "supervisor", "secretary", "director")}
    d = services.disclosure_create(
        actor=user["handler"], **{"category": Category.AFFAIRS, "body": "", **fields}
    )
    d = services.disclosure_submit(
        disclosure=d, actor=user["handler"], planned_publish_date=on, today=on - timedelta(days=14)
    )
    d = services.disclosure_review(disclosure=d, actor=user["supervisor"], decision="approve")
    for role in ("secretary", "director", "handler"):
        services.disclosure_sign(disclosure=d, actor=user[role], role=role)
    return services.disclosure_publish(
        disclosure=d, actor=user["handler"], channels=["board", "web"], public_from=public_from, now=at(on)
    )


def plant(world, community) -> Secrets:
    """Everything the scan must not find, planted in ``community``'s schema."""
    today = timezone.localdate()
    code = community.schema_name
    secrets = Secrets(allowed_mobiles={CADRE_MOBILE})
    residents = [
        ("王建国", identity("620102", date(1950, 1, 1), 123), "13912345678"),
        ("欧阳海波", identity("640104", date(1988, 11, 2), 13), "15800002222"),
    ]
    households = [
        {
            "name": name,
            "id_number": id_number,
            "age": 70,
            "household_size": 2,
            # a clerk typed the numbers into the free text, too
            "hardship": f"老人独居,身份证 {id_number},联系电话 {mobile}",
            "amount": "680",
        }
        for name, id_number, mobile in residents
    ]
    secrets.words |= {name for name, _, _ in residents}
    party_title = f"{code}预备党员转正表决结果(党内先行)"
    party_body = f"{code}党内先行事项的正文"
    secrets.words |= {party_title, party_body}
    with tenant_context(community):
        CommunityProfile.objects.filter(id=1).update(phone="0951-6012345", overview="社区概况。")
        committee, _ = Committee.objects.get_or_create(
            kind=CommitteeKind.RESIDENTS, defaults={"name": "居委会"}
        )
        Officer.objects.create(committee=committee, name="郑桂兰", post="居委会主任", phone=CADRE_MOBILE)
        roster = publish(
            world,
            code,
            title=f"{code}十一月临时救助名单",
            content_type=ContentType.RELIEF,
            body=f"<p>如有异议请联系 {residents[0][2]}。</p>",
            data={"programme": "临时救助", "households": households},
        )
        publish(
            world,
            code,
            title=f"{code}六月低保名单(公示期已过)",
            content_type=ContentType.RELIEF,
            data={"programme": "城市最低生活保障", "households": households},
            on=date(2026, 6, 8),
        )
        publish(
            world,
            code,
            title=party_title,
            body=f"<p>{party_body}</p>",
            audience=Audience.PARTY_FIRST,
            public_from=today + timedelta(days=5),
        )
        publish(
            world,
            code,
            title=f"{code}社区干部监督台",
            category=Category.PARTY,
            content_type=ContentType.CADRE,
            body="",
            data={"officers": [{"name": "郑桂兰", "post": "居委会主任", "phone": CADRE_MOBILE}]},
        )
        publish(
            world,
            code,
            title=f"{code}居住证办理指南",
            category=Category.SERVICE,
            content_type=ContentType.SERVICE_GUIDE,
            body="",
            data={
                "steps": ["到社区服务大厅登记"],
                "documents": ["身份证"],
                "fee": "免费",
                "time_limit": "当场",
            },
        )
        asked = feedback_services.feedback_submit(
            kind=Kind.QUESTION,
            text=f"名单里的补助什么时候发?我的电话 {residents[1][2]}",
            disclosure=roster,
            name="欧阳海波",
            mobile=residents[1][2],
            today=today,
        )
        feedback_services.feedback_answer(
            feedback=asked,
            actor=world.user(f"{code}_handler"),
            answer=f"本月 20 日前发放,已电话告知 {residents[1][2]}。",
            public=True,
        )
    return secrets


# --- every public page --------------------------------------------------------------------------------


def public_routes() -> list[str]:
    """Every route of the community site that a visitor without an account may open, as Django's
    route syntax (``disclosures/<int:pk>/``), from the URLconf itself."""
    routes: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry.pattern, RegexPattern) and not isinstance(entry.pattern, RoutePattern):
                pytest.fail(f"the privacy scan cannot read the regex route {prefix}{entry.pattern}: add it")
            route = prefix + str(entry.pattern)
            if route.startswith(STAFF_OR_POST_ONLY):
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                routes.append(route)

    walk(get_resolver("config.urls_tenant").url_patterns, "")
    return routes


def fill(route: str, values: dict[str, list[str]]) -> list[str]:
    """Every concrete path of ``route`` with the parameter values at hand."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    for name in names:
        if name not in values:
            pytest.fail(
                f"the privacy scan does not know what to put for <{name}> in /{route}: add it to VALUES"
            )
    paths = ["/" + route]
    for name in names:
        paths = [
            re.sub(rf"<(?:\w+:)?{name}>", value, path, count=1) for path in paths for value in values[name]
        ]
    return paths


def variants(path: str, pks: list[str], hashes: list[str]) -> list[str]:
    """The addresses a visitor reaches with the query strings the pages themselves link to."""
    extra: list[dict[str, str]] = []
    if path == "/disclosures/":
        extra = [{"category": c} for c in Category.values]
    elif path.endswith("/notice.pdf"):
        extra = [{"size": "A3"}]
    elif path.endswith("/verify/"):
        extra = [{"hash": h} for h in hashes]
    elif path == "/feedback/":
        extra = [{"disclosure": pk} for pk in pks]
    elif path == "/screen/":
        extra = [{"slide": "1"}, {"slide": "2"}]
    return [path] + [f"{path}?{urlencode(params)}" for params in extra]


@pytest.mark.parametrize("code", ["yincheng", "yinnan"])
def test_no_public_page_feed_or_pdf_shows_a_residents_number_or_a_party_internal_item_early(
    world, code, client_for
):
    community = getattr(world, code)
    secrets = plant(world, community)
    with tenant_context(community):
        pks = [str(pk) for pk in Disclosure.objects.values_list("pk", flat=True)]
        hashes = list(Disclosure.objects.values_list("content_hash", flat=True))
        values = {
            "pk": pks,
            "attachment_pk": [str(pk) for pk in Attachment.objects.values_list("pk", flat=True)] or ["1"],
            "category": Category.values,
            "code": [f.code for f in Feedback.objects.all()] + ["ABCDE23456"],
        }
    routes = public_routes()
    for expected in ("", "screen/", "screen/state.json", "touch/", "disclosures/<int:pk>/notice.pdf"):
        assert expected in routes, expected  # the scan reaches the portal, the kiosks and the notice

    client: Client = client_for(code)
    scanned, problems = 0, []
    for route in routes:
        for path in fill(route, values):
            for url in variants(path, pks, hashes):
                response = client.get(url)
                # the health check says 503 when no Celery worker answers, as it should
                assert response.status_code < 500 or url == "/healthz", (
                    f"{url} answered {response.status_code}"
                )
                text = readable(response)
                scanned += bool(text)
                problems += [f"{url}: {leak}" for leak in leaks(text, secrets)]
    assert not problems, "\n".join(problems)
    assert scanned > 40  # the pages were really read

    # and the data was there to be found: the roster is on the portal, masked
    roster = client.get("/disclosures/", {"q": f"{code}十一月临时救助名单"}).content.decode()
    assert f"{code}十一月临时救助名单" in roster
    # a search by a number its pages mask does not confirm that the roster holds it
    for number in ("13912345678", "15800002222", identity("620102", date(1950, 1, 1), 123), "王建国"):
        assert "十一月临时救助名单" not in client.get("/disclosures/", {"q": number}).content.decode(), number


def test_numbers_typed_into_free_text_are_masked_for_the_public():
    from disclosure.content import mask_numbers

    assert (
        mask_numbers("身份证 620102195001011234,电话 139 1234 5678")
        == "身份证 [身份证号已隐去],电话 139****5678"
    )
    assert mask_numbers("凭证 付-11-01,金额 13350.00,办公电话 0951-6012345") == (
        "凭证 付-11-01,金额 13350.00,办公电话 0951-6012345"
    )
