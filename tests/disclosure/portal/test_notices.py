"""The printed bulletin notice: A4 and A3, Chinese that prints on a machine without Chinese fonts, the
signatures, seal area and dates, and a QR code that leads to the hash check of this very version."""

import io
from datetime import timedelta

import pypdfium2
import pytest
import zxingcpp
from django.utils import timezone
from django_tenants.utils import tenant_context
from fontTools.ttLib import TTFont
from PIL import Image, ImageOps
from pypdf import PdfReader

from disclosure.choices import Audience, Category, ContentType
from disclosure.pdf import FONT_NAME
from tests.browser import SCREENSHOTS
from tests.factories import HOUSEHOLD, published_recently

pytestmark = pytest.mark.django_db

TITLE = "银城社区文化广场修缮资金收支公开"
FINANCE = {
    "period": "2026年第三季度",
    "opening_balance": "5000.00",
    "closing_balance": "2000.00",
    "lines": [
        {
            "date": "2026-08-03",
            "description": "文化广场地面修补",
            "direction": "expense",
            "category": "设施维修",
            "amount": "3000",
            "voucher": "付-08-01",
        }
    ],
}
MM_PER_PT = 25.4 / 72


def fetch(client, pk, **params):
    return client.get(f"/disclosures/{pk}/notice.pdf", params)


def page_size_mm(pdf: bytes) -> tuple[int, int]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width) * MM_PER_PT), round(float(box.height) * MM_PER_PT)


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")


def render(pdf: bytes, *, dpi: int = 150) -> Image.Image:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()


def embedded_cjk_font(pdf: bytes) -> TTFont:
    """The TrueType program of the CJK font as embedded in the file (what a reader without Chinese
    fonts draws with)."""
    reader = PdfReader(io.BytesIO(pdf))
    for font in reader.pages[0]["/Resources"]["/Font"].values():  # type: ignore[index]  # pypdf: PdfObject
        font = font.get_object()
        for descendant in font.get("/DescendantFonts", []):
            descriptor = descendant.get_object()["/FontDescriptor"].get_object()
            if "/FontFile2" in descriptor and FONT_NAME in str(descriptor["/FontName"]):
                return TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
    raise AssertionError(f"the project's own font ({FONT_NAME}) is not embedded")


@pytest.fixture
def finance(world):
    with tenant_context(world.yincheng):
        return published_recently(
            world,
            title=TITLE,
            category=Category.FINANCE,
            content_type=ContentType.FINANCE,
            body="<p>经居民代表会议讨论通过,<strong>修缮文化广场</strong>,收支逐笔公开如下。</p>",
            data=FINANCE,
        )


def test_the_notice_prints_title_content_signatures_seal_and_dates_in_chinese(finance, client_for):
    response = fetch(client_for("yincheng"), finance.pk)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    today = timezone.localdate()
    until = finance.display_until
    for expected in (
        "银城社区",
        TITLE,
        "修缮文化广场",
        "文化广场地面修补",
        "党组织书记",
        "居委会主任",
        "经办人",
        "盖章处",
        f"公布日期:{today.year}年{today.month}月{today.day}日",
        f"公示至:{until.year}年{until.month}月{until.day}日",
        finance.content_hash[:8],
    ):
        assert expected in text, expected


def test_the_chinese_font_travels_inside_the_pdf_and_draws_the_title(finance, client_for):
    pdf = fetch(client_for("yincheng"), finance.pk).content
    font = embedded_cjk_font(pdf)
    cmap, glyf = font.getBestCmap(), font["glyf"]
    for char in set(TITLE):
        assert cmap.get(ord(char), ".notdef") != ".notdef", f"{char} is not in the embedded font"
        # 0 contours is an empty glyph; -1 a composite one, drawn from other glyphs
        assert glyf[cmap[ord(char)]].numberOfContours != 0, f"{char} has no outline (tofu)"

    # Drawn, not blank: the title line has ink, and more than a row of identical boxes would.
    image = render(pdf)
    width = image.width
    title_band = ImageOps.invert(image.crop((0, int(image.height * 0.06), width, int(image.height * 0.14))))
    ink = sum(1 for value in title_band.get_flattened_data() if value > 128)  # type: ignore[operator, misc]  # Pillow types pixels as tuples or numbers
    assert ink > 2000, f"title region nearly blank ({ink} dark pixels)"


def test_the_qr_code_opens_the_hash_check_of_this_version(finance, client_for):
    pdf = fetch(client_for("yincheng"), finance.pk).content
    image = render(pdf, dpi=200)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    image.save(SCREENSHOTS / "notice-A4.png")  # for a person to look at
    found = zxingcpp.read_barcodes(image)
    assert [r.text for r in found] == [
        f"http://yincheng.localhost/disclosures/{finance.pk}/verify/?hash={finance.content_hash}"
    ]
    # and that address answers with the match verdict
    verify = client_for("yincheng").get(f"/disclosures/{finance.pk}/verify/", {"hash": finance.content_hash})
    assert 'data-verdict="match"' in verify.content.decode()


def test_a4_and_a3_are_really_those_sizes_and_the_qr_still_reads_on_a3(finance, client_for):
    client = client_for("yincheng")
    assert page_size_mm(fetch(client, finance.pk).content) == (210, 297)
    assert page_size_mm(fetch(client, finance.pk, size="A4").content) == (210, 297)
    a3 = fetch(client, finance.pk, size="a3").content
    assert page_size_mm(a3) == (297, 420)
    assert len(zxingcpp.read_barcodes(render(a3, dpi=120))) == 1


def test_a_bad_paper_size_is_refused_with_a_message(finance, client_for):
    response = fetch(client_for("yincheng"), finance.pk, size="B5")
    assert response.status_code == 400
    assert "纸张大小只能是 A4 或 A3" in response.content.decode()


def test_a_relief_roster_notice_is_masked_like_the_portal(world, client_for):
    with tenant_context(world.yincheng):
        roster = published_recently(
            world,
            title="十月低保名单公示",
            content_type=ContentType.RELIEF,
            data={"programme": "城市最低生活保障", "households": [HOUSEHOLD]},
        )
    text = text_of(fetch(client_for("yincheng"), roster.pk).content)
    assert "王*国" in text and "老人独居" in text
    assert "王建国" not in text and HOUSEHOLD["id_number"] not in text


def test_the_notice_follows_the_portal_s_visibility(world, client_for):
    with tenant_context(world.yincheng):
        today = timezone.localdate()
        party_first = published_recently(
            world,
            title="党内先行公开的事项",
            audience=Audience.PARTY_FIRST,
            public_from=today + timedelta(days=3),
        )
    assert fetch(client_for("yincheng"), party_first.pk).status_code == 404
    assert fetch(client_for("yinnan"), party_first.pk).status_code == 404


def test_the_portal_and_the_staff_page_link_to_both_sizes(finance, client_for):
    from tests.conftest import login

    html = client_for("yincheng").get(f"/disclosures/{finance.pk}/").content.decode()
    assert f"/disclosures/{finance.pk}/notice.pdf?size=A4" in html
    assert f"/disclosures/{finance.pk}/notice.pdf?size=A3" in html
    staff = client_for("yincheng")
    login(staff, "yincheng_handler")
    html = staff.get(f"/workspace/disclosures/{finance.pk}/").content.decode()
    assert f"/disclosures/{finance.pk}/notice.pdf?size=A3" in html
