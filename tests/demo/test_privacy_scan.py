"""The privacy scan of the demo data (``manage.py demo_seed``), as a visitor and a district body meet it.

The demo is seeded once for the package (tests/demo/conftest.py), in a transaction rolled back at its end.

What must not come out is taken from the demo's own database, not from a list written here: every
identity number and full name of its relief rosters, the title and text of each party-internal item
before its public day, and any mobile number other than the cadres' published ones (the officers'
phones, which the cadre board shows on purpose). Every anonymous page, kiosk, JSON feed and PDF of each
community, every anonymous page of the street office's site, and every resource, page, row and
export of the district API with the demo's own key are scanned (tests/privacy.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.utils.html import strip_tags
from django_tenants.utils import tenant_context

from communities.models import CommunityProfile, Officer
from demo import seed as demo
from disclosure.choices import Audience, Category, ContentType, DisclosureStatus
from disclosure.content import mask_name
from disclosure.feedback.models import Feedback, Opinion
from disclosure.models import Attachment, Disclosure, Obligation, Receipt, SmsSubscriber
from tenants.models import Community, User
from tests.privacy import IDENTITY, Scan, Secrets, district_client, scan_api, scan_site
from workdays.periods import Span, add_months, period_of

# The package's transaction drops the test world's schemas and seeds the demo (as `make demo` does with
# `demo_seed`): the owner's work, and one transaction for every test here, so the module runs as the owner.
pytestmark = pytest.mark.owner

CODES = [c.code for c in demo.COMMUNITIES]


PUBLISHED = [DisclosureStatus.PUBLISHED, DisclosureStatus.ARCHIVED, DisclosureStatus.SUPERSEDED]


@dataclass
class DemoCommunity:
    """What the scan needs of one demo community, read from its schema."""

    code: str
    secrets: Secrets
    values: dict[str, list[str]]  # path parameters of its pages
    hashes: dict[str, list[str]]  # what is typed into each disclosure's verification form
    hidden: list[int]  # party-internal items before their public day
    others: list[int]  # the disclosures not in values["pk"]: only OTHER_PAGES are scanned
    roster: Disclosure  # a relief roster on display today
    feedback: Feedback  # a resident's signed question, answered in public


@dataclass
class Demo:
    today: date
    communities: dict[str, DemoCommunity]

    @property
    def secrets(self) -> Secrets:
        everything = Secrets()
        for community in self.communities.values():
            everything = everything | community.secrets
        return everything


def _read(community: Community, *, today: date, public_people: set[str]) -> DemoCommunity:
    with tenant_context(community):
        published = Disclosure.objects.filter(status__in=PUBLISHED)
        secrets = Secrets(
            allowed_mobiles={
                re.sub(r"\D", "", phone)
                for phone in [
                    *Officer.objects.values_list("phone", flat=True),
                    *CommunityProfile.objects.values_list("phone", flat=True),
                ]
            }
        )
        for d in Disclosure.objects.filter(content_type=ContentType.RELIEF):
            for household in d.data["households"]:
                secrets.words.add(household["id_number"])
                if household["name"] not in public_people:  # a cadre's namesake is public anyway
                    secrets.words.add(household["name"])
        # a signed opinion's author (征求意见) is never named in public, shown or not
        signed = Opinion.objects.exclude(name="").values_list("name", flat=True)
        secrets.words |= {name for name in signed if name not in public_people}
        hidden = list(published.filter(audience=Audience.PARTY_FIRST, public_from__gt=today))
        for d in hidden:
            secrets.words |= {d.title, strip_tags(d.body).strip()}
        rows = {d.pk: d for d in Disclosure.objects.all()}
        hashes: dict[str, list[str]] = {}
        for d in rows.values():
            versions = [
                v for v in rows.values() if d.pk in (v.pk, v.supersedes_id) or v.pk == d.supersedes_id
            ]
            hashes[str(d.pk)] = [v.content_hash for v in versions + hidden]
        roster = published.filter(
            content_type=ContentType.RELIEF, public_from__lte=today, display_until__gte=today
        ).first()
        feedback = Feedback.objects.exclude(mobile="").filter(answer_public=True).first()
        assert roster is not None and feedback is not None, community.schema_name
        full = _every_kind(rows.values(), roster, feedback, hidden)
        return DemoCommunity(
            code=community.schema_name,
            secrets=secrets,
            values={
                "pk": [str(pk) for pk in full],
                "attachment_pk": [str(pk) for pk in Attachment.objects.values_list("pk", flat=True)] or ["1"],
                # a few receipt scans (images and PDFs the demo made: nothing to find, but each must answer)
                "receipt_pk": [str(pk) for pk in Receipt.objects.values_list("pk", flat=True)[:3]] or ["1"],
                "file_pk": ["1"],  # an order's evidence: staff only
                "talk_pk": ["1"],  # a talk's signed minutes: staff only
                "category": Category.values,
                "code": [f.code for f in Feedback.objects.all()]
                + [o.code for o in Opinion.objects.all()]
                + ["ABCDE23456"],
                # the demo's SMS subscribers' unsubscribe links, and one that matches nobody
                "token": [*SmsSubscriber.objects.values_list("token", flat=True)[:2], "not-a-token"],
            },
            hashes=hashes,
            hidden=[d.pk for d in hidden],
            others=[pk for pk in rows if pk not in full],
            roster=roster,
            feedback=feedback,
        )


def _every_kind(
    rows: Iterable[Disclosure], roster: Disclosure, feedback: Feedback, hidden: list[Disclosure]
) -> list[int]:
    """The disclosures whose every page (PDF notices, kiosk, verification, files) is scanned: one of
    each kind of content, audience, state and correction, the roster, the one asked about and the
    party-internal ones. Rendering a notice PDF takes about a second, and the demo has two hundred
    disclosures; the others' pages are scanned too (``OTHER_PAGES``), without their PDFs."""
    chosen: dict[tuple[object, ...], int] = {}
    for d in sorted(rows, key=lambda d: d.pk):
        kind = (d.content_type, d.audience, d.status, d.supersedes_id is not None, d.attachments.exists())
        chosen.setdefault(kind, d.pk)
    extra = [roster.pk, *(d.pk for d in hidden)]
    if feedback.disclosure_id:
        extra.append(feedback.disclosure_id)
    return sorted(set(chosen.values()) | set(extra))


# The pages of a disclosure that show its text, scanned for every disclosure of the demo.
OTHER_PAGES = ("/disclosures/{pk}/", "/touch/disclosures/{pk}/", "/disclosures/{pk}/verify/")


@pytest.fixture(scope="module")
def demo_data(demo_seeded: date, django_db_blocker) -> Iterator[Demo]:  # type: ignore[no-untyped-def]
    """What the scan needs of the demo (tests/demo/conftest.py seeds it)."""
    with django_db_blocker.unblock():
        # the demo's staff and cadres: their names are on the site on purpose
        public_people = set(User.objects.values_list("real_name", flat=True))
        communities = {}
        # the four communities with a year of work (东关's 东风社区 is there for the district: no residents'
        # data of its own to keep secret)
        for community in Community.objects.filter(schema_name__in=CODES).order_by("schema_name"):
            communities[community.schema_name] = _read(
                community, today=demo_seeded, public_people=public_people
            )
        connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
        yield Demo(today=demo_seeded, communities=communities)


def test_the_demo_shows_the_last_twelve_months_whatever_day_it_is_seeded(demo_data):
    """Seeded on 2 January the demo used to hold no closed month at all (it counted from 1 January):
    every community has the obligations of each of the twelve months before this one, most of them
    published."""
    this_month = period_of(Span.MONTH, demo_data.today)
    months = [period_of(Span.MONTH, add_months(this_month.start, -back)).label for back in range(1, 13)]
    for code in demo_data.communities:
        with tenant_context(Community.objects.get(schema_name=code)):
            monthly = Obligation.objects.filter(period__in=months)
            assert set(monthly.values_list("period", flat=True)) == set(months), code
            published = monthly.filter(disclosures__status__in=PUBLISHED).distinct().count()
            assert published > monthly.count() / 2, code


def test_the_demo_holds_what_the_scan_looks_for(demo_data):
    """Else the scan would pass on nothing: a roster on display with real identity numbers, a signed
    question, and a party-internal item not yet public, in every community."""
    assert sorted(demo_data.communities) == sorted(CODES)
    for code, community in demo_data.communities.items():
        households = community.roster.data["households"]
        assert households and all(IDENTITY.fullmatch(h["id_number"]) for h in households), code
        assert community.feedback.mobile and community.feedback.signed, code
        assert community.hidden, code
        mobiles = community.secrets.allowed_mobiles
        assert len(mobiles) >= 6 and community.feedback.mobile not in mobiles, code
    assert len(demo_data.secrets.words) > 100
    assert any(len(c.values["token"]) > 1 for c in demo_data.communities.values())  # SMS subscribers


@pytest.mark.parametrize("code", CODES)
def test_no_page_feed_or_pdf_of_a_demo_community_shows_a_residents_number_or_a_party_item_early(
    demo_data, code, client_for
):
    community = demo_data.communities[code]
    scan = Scan(demo_data.secrets)
    client: Client = client_for(code)
    scan_site(client, scan, values=community.values, hashes=community.hashes)
    assert scan.read > 8 * len(community.values["pk"])  # every page of these was really read
    read = scan.read
    for pk in community.others:
        for page in OTHER_PAGES:
            url = page.format(pk=pk)
            response = client.get(url)
            assert response.status_code in (200, 404), f"{url} answered {response.status_code}"
            scan.look(url, response)
    assert not scan.problems, "\n".join(scan.problems)
    assert len(community.others) > 20 and scan.read - read > 2 * len(community.others)

    # and the scan met the data: the roster on display, masked; the answer; the party item refused
    page = client.get(f"/disclosures/{community.roster.pk}/").content.decode()
    assert all(mask_name(h["name"]) in page for h in community.roster.data["households"])
    status = client.get(f"/feedback/{community.feedback.code}/").content.decode()
    assert community.feedback.answer in status
    for pk in community.hidden:
        assert client.get(f"/disclosures/{pk}/").status_code == 404


def test_no_report_export_or_page_of_the_demo_street_office_shows_a_residents_number_or_a_party_item(
    demo_data, client_for
):
    client = district_client(demo.district_key())
    scan = Scan(demo_data.secrets)
    rows = scan_api(client, scan, values={"community": CODES, "code": CODES})
    assert not scan.problems, "\n".join(scan.problems)
    assert all(rows.values()), rows  # every resource had demo rows to scan
    assert rows["disclosure"] >= 4 * 50, rows
    for code, community in demo_data.communities.items():
        for pk in community.hidden:
            assert client.get(f"/api/v1/disclosures/{pk}/", {"community": code}).status_code == 404

    site = Scan(demo_data.secrets)
    scan_site(
        client_for(None),
        site,
        conf="config.urls_public",
        values={"code": CODES, "pk": ["1"], "receipt_pk": ["1"], "file_pk": ["1"], "talk_pk": ["1"]},
        hashes={},
    )
    assert not site.problems, "\n".join(site.problems)
    assert site.read >= 5
