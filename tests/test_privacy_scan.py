"""The privacy scan of everything the product shows without a login, and of the district API.

Every public URL pattern of the community site and of the street office's base domain, and every
resource of the district API (all taken from the URLconfs and the router themselves, so a page or a
resource added later is scanned too, or makes this test ask how to fill its parameters; see
tests/privacy.py) is requested in two communities, with data that holds what must never come out:
relief rosters with full identity numbers and mobile numbers (in the field the product keeps them
in, and typed into free text), a signed resident's feedback with their mobile, and a party-internal
item before its public day. HTML, JSON, CSV, the cells of XLSX exports and the text of PDFs are
searched for any full 18-digit identity number, any mainland mobile number that is not a cadre's
published work number, full names of relief households, and the party-internal item. The demo data
gets the same scan in tests/demo/test_privacy_scan.py.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from api import services as api_services
from communities.choices import CommitteeKind
from communities.models import Committee, CommunityProfile, Officer
from disclosure.choices import Audience, Category, ContentType
from disclosure.feedback import opinions
from disclosure.feedback import services as feedback_services
from disclosure.feedback.choices import Kind
from disclosure.feedback.models import Feedback, Opinion
from disclosure.imports.common import read_upload
from disclosure.imports.roster import roster_read
from disclosure.models import Attachment, Disclosure, Receipt, SmsSubscriber
from disclosure.pdf import cjk_pdf
from disclosure.rules import CONSULTATION_MIN_DAYS
from tenants.models import Community
from tests.factories import here, published_recently, reports_build
from tests.privacy import (
    Scan,
    Secrets,
    district_client,
    leaks,
    public_routes,
    readable,
    scan_api,
    scan_site,
)
from tests.spreadsheets import xlsx

pytestmark = pytest.mark.django_db

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


def imported_roster(code: str) -> list[dict[str, object]]:
    """Households as the roster import reads them from a clerk's workbook: full names, identity
    numbers (one column of them, one typed into the hardship text) and a mobile number."""
    born = date(1948, 5, 17)
    rows = [
        ("姓名", "公民身份号码", "年龄", "保障人数", "致困原因", "月保障金(元)"),
        (f"{code}司马光明", identity("620102", born, 31), "", "1", "独居老人", "720"),
        (
            f"{code}诸葛秀英",
            identity("620103", born, 42),
            "",
            "3",
            f"重病,联系 13698765432,身份证 {identity('620103', born, 42)}",
            "1,050.00",
        ),
    ]
    outcome = roster_read(
        read_upload(SimpleUploadedFile("低保名单.xlsx", xlsx(rows))), on=timezone.localdate()
    )
    assert outcome.ok, outcome.every_problem
    return [row.values for row in outcome.rows]


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
    imported = imported_roster(code)
    secrets.words |= {str(h["name"]) for h in imported}
    party_title = f"{code}预备党员转正表决结果(党内先行)"
    party_body = f"{code}党内先行事项的正文"
    secrets.words |= {party_title, party_body}
    with tenant_context(community):
        CommunityProfile.objects.filter(id=1).update(phone="0951-6012345", overview="社区概况。")
        committee, _ = Committee.objects.get_or_create(
            kind=CommitteeKind.RESIDENTS, defaults={"name": "居委会"}
        )
        Officer.objects.create(committee=committee, name="郑桂兰", post="居委会主任", phone=CADRE_MOBILE)
        roster = published_recently(
            world,
            community=code,
            title=f"{code}十一月临时救助名单",
            content_type=ContentType.RELIEF,
            body=f"<p>如有异议请联系 {residents[0][2]}。</p>",
            data={"programme": "临时救助", "households": households},
        )
        published_recently(
            world,
            community=code,
            title=f"{code}六月低保名单(公示期已过)",
            content_type=ContentType.RELIEF,
            body="",
            data={"programme": "城市最低生活保障", "households": households},
            on=date(2026, 6, 8),
        )
        published_recently(
            world,
            community=code,
            title=f"{code}十二月低保名单(从表格导入)",
            content_type=ContentType.RELIEF,
            body="",
            data={"programme": "城市最低生活保障", "households": imported},
        )
        published_recently(
            world,
            community=code,
            title=party_title,
            body=f"<p>{party_body}</p>",
            audience=Audience.PARTY_FIRST,
            public_from=today + timedelta(days=5),
        )
        published_recently(
            world,
            community=code,
            title=f"{code}社区干部监督台",
            category=Category.PARTY,
            content_type=ContentType.CADRE,
            body="",
            data={"officers": [{"name": "郑桂兰", "post": "居委会主任", "phone": CADRE_MOBILE}]},
        )
        published_recently(
            world,
            community=code,
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
        # a resident subscribed to texts with their own number
        SmsSubscriber.objects.create(mobile=residents[0][2], token=f"{code}-sms-stop", categories=[])
        asked = feedback_services.feedback_submit(
            community=here(),
            kind=Kind.QUESTION,
            text=f"名单里的补助什么时候发?我的电话 {residents[1][2]}",
            disclosure=roster,
            name="欧阳海波",
            mobile=residents[1][2],
            today=today,
        )
        feedback_services.feedback_answer(
            community=here(),
            feedback=asked,
            actor=world.user(f"{code}_handler"),
            answer=f"本月 20 日前发放,已电话告知 {residents[1][2]}。",
            public=True,
        )
        # 征求意见: a signed opinion with the resident's numbers typed in, shown by the supervision group
        # on the consultation's page (and on its author's page, by its query code)
        consulting = published_recently(
            world,
            community=code,
            title=f"{code}加装电梯征求意见",
            content_type=ContentType.CONSULTATION,
            body="<p>拟加装电梯。</p>",
            data={
                "opens_on": today.isoformat(),
                "closes_on": (today + timedelta(days=CONSULTATION_MIN_DAYS)).isoformat(),
            },
        )
        said = opinions.opinion_submit(
            community=here(),
            consultation=consulting,
            text=f"赞成。我住3单元,电话 {residents[0][2]},身份证 {residents[0][1]}",
            name=residents[0][0],
            mobile=residents[0][2],
            today=today,
        )
        opinions.opinion_moderate(
            opinion=said, actor=world.user(f"{code}_supervisor"), community=here(), shown=True
        )
    return secrets


# --- every public page --------------------------------------------------------------------------------


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
            "receipt_pk": [str(pk) for pk in Receipt.objects.values_list("pk", flat=True)] or ["1"],
            "file_pk": ["1"],  # an order's evidence: staff only
            "talk_pk": ["1"],  # a talk's signed minutes: staff only
            "category": Category.values,
            "code": [f.code for f in Feedback.objects.all()]
            + [o.code for o in Opinion.objects.all()]
            + ["ABCDE23456"],
            # an SMS subscriber's unsubscribe link, and one that matches nobody
            "token": [s.token for s in SmsSubscriber.objects.all()] + ["not-a-token"],
        }
    routes = public_routes()
    for expected in (
        "",
        "screen/",
        "screen/state.json",
        "touch/",
        "disclosures/<int:pk>/notice.pdf",
        "sms/stop/<str:token>/",
    ):
        assert expected in routes, expected  # the scan reaches the portal, the kiosks and the notice

    scan = Scan(secrets)
    scan_site(client_for(code), scan, values=values, hashes={pk: hashes for pk in pks})
    assert not scan.problems, "\n".join(scan.problems)
    assert scan.read > 40  # the pages were really read

    client: Client = client_for(code)
    # and the data was there to be found: the rosters are on the portal, masked
    roster = client.get("/disclosures/", {"q": f"{code}十一月临时救助名单"}).content.decode()
    assert f"{code}十一月临时救助名单" in roster
    with tenant_context(community):
        imported = Disclosure.objects.get(title=f"{code}十二月低保名单(从表格导入)")
    assert all(h["id_number"] for h in imported.data["households"])  # the numbers are kept, for staff
    page = client.get(f"/disclosures/{imported.pk}/").content.decode()
    assert f"{code[0]}*" in page and "重病" in page
    # a search by a number its pages mask does not confirm that the roster holds it
    for number in ("13912345678", "15800002222", identity("620102", date(1950, 1, 1), 123), "王建国"):
        assert "十一月临时救助名单" not in client.get("/disclosures/", {"q": number}).content.decode(), number


# --- the street office's site and the district API ----------------------------------------------------


def test_no_report_export_or_page_of_the_street_office_site_shows_a_residents_number_or_a_party_item(
    world, client_for
):
    """Every resource of the district API (every page, every row's detail, JSON, CSV and XLSX) and
    every anonymous page of the base domain (the API's docs and schema, the calculator) with the
    secrets of two communities planted, and a report of each kind."""
    secrets = plant(world, world.yincheng) | plant(world, world.yinnan)
    reports_build(world)
    codes = ["yincheng", "yinnan"]
    hidden: dict[str, list[int]] = {}
    for code in codes:
        with tenant_context(getattr(world, code)):
            hidden[code] = list(
                Disclosure.objects.filter(public_from__gt=timezone.localdate()).values_list("pk", flat=True)
            )
    assert all(hidden.values())  # the party-internal items are there, not yet public

    _, key = api_services.apiclient_create(name="区纪委", street_offices=[world.yinzhou])
    client = district_client(key)
    scan = Scan(secrets)
    rows = scan_api(client, scan, values={"community": codes, "code": codes})
    for code, pks in hidden.items():  # and by its id, the party-internal item is not found
        for pk in pks:
            url = f"/api/v1/disclosures/{pk}/?community={code}"
            assert client.get(url).status_code == 404, url
    assert not scan.problems, "\n".join(scan.problems)
    # every resource listed rows (a resource added without data here makes this fail: plant some)
    assert all(rows.values()), rows
    assert rows["disclosure"] >= 10, rows
    assert scan.read > 3 * sum(rows.values())  # each row's detail in three formats, and the lists

    # the rosters are in the API, masked: the scan read them
    roster = client.get("/api/v1/disclosures/", {"community": "yincheng", "content_type": "relief"}).json()
    households = [h for row in roster["results"] for h in row["data"].get("households", [])]
    assert {"王*国", "欧**波"} <= {h["name"] for h in households}

    site = Scan(secrets)
    communities = list(Community.objects.values_list("schema_name", flat=True))
    routes = scan_site(
        client_for(None),
        site,
        conf="config.urls_public",
        values={"code": communities, "pk": ["1"], "receipt_pk": ["1"], "file_pk": ["1"], "talk_pk": ["1"]},
        hashes={},
    )
    for expected in ("", "api/v1/docs/", "api/v1/schema/", "api/v1/calendar/working-days", "calendar/"):
        assert expected in routes, expected
    assert not site.problems, "\n".join(site.problems)
    assert site.read >= 5


def test_numbers_typed_into_free_text_are_masked_for_the_public():
    from disclosure.content import mask_numbers

    assert (
        mask_numbers("身份证 620102195001011234,电话 139 1234 5678")
        == "身份证 [身份证号已隐去],电话 139****5678"
    )
    assert mask_numbers("凭证 付-11-01,金额 13350.00,办公电话 0951-6012345") == (
        "凭证 付-11-01,金额 13350.00,办公电话 0951-6012345"
    )
