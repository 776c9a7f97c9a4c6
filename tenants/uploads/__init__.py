"""One check for every uploaded file (disclosure attachments, spot-check photos, self-reports) and one
for the spreadsheets an importer reads.

A file is judged by its bytes, never by its name or the browser's label: its type comes from its magic
number (``filetype``), it may not be empty or too large, and then it is opened by a real reader of its
format and judged by what it contains:

- a PDF is parsed (``pdf.py``): every object of every revision, object streams unpacked, names decoded;
  script, launch, form-submission, import, remote go-to, multimedia, XFA and embedded files are refused
  with their names in plain words; an encrypted or unreadable PDF is refused;
- an image is decoded and drawn again (``images.py``), and the new file is what is stored: metadata and
  anything after the image's end are gone, GPS kept only where the caller says the place is evidence;
  a decompression bomb is refused;
- a Word or Excel file (``ooxml.py``) is refused with macros, OLE packages, external links, a DTD, or an
  archive that would unpack to far more than it claims;
- markup (HTML, SVG, ``javascript:``) anywhere a browser could sniff it is refused as a polyglot.

What is stored, and what its SHA-256 is taken of, is ``CheckedUpload.content``: the cleaned file.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from io import BytesIO

import filetype
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from tenants.errors import InvalidInput, Unavailable
from tenants.uploads import images, ooxml, pdf

logger = logging.getLogger(__name__)

MB = 1024 * 1024
# Markup that makes a browser run script if the file is ever rendered as HTML or SVG.
MARKUP = re.compile(rb"<\s*(script|html|svg|iframe|object|embed|body)\b|javascript:", re.IGNORECASE)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAIN_PARTS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}
MAX_SPREADSHEET_BYTES = 20 * MB
REEXPORT = "请用原软件“另存为”或“打印为 PDF”重新生成一份后再上传。"


@dataclass(frozen=True)
class CheckedUpload:
    mime: str
    extension: str
    size: int  # of ``content``, what is stored
    sha256: str  # of ``content``
    content: bytes = field(repr=False)  # the file to store: cleaned (images) or as uploaded


@dataclass(frozen=True)
class CheckedSpreadsheet:
    """A spreadsheet that passed the check, opened for reading: values only (never formulas), read-only,
    no links kept. The importer iterates ``workbook.worksheets`` and closes it when done."""

    workbook: Workbook
    size: int
    sha256: str


def upload_check(
    upload: UploadedFile,
    *,
    allowed: Mapping[str, str],
    max_bytes: int,
    what: str,
    keep_location: bool = False,
) -> CheckedUpload:
    """Refuse the upload with a Chinese message, or return its real type and the file to store.

    ``allowed`` maps MIME types to the names users know them by ("PDF", "JPG 图片" …).
    ``keep_location``: an image's GPS position is evidence (spot-check photos) and is kept; everywhere
    else it is removed with the rest of the metadata.
    """
    data = _read_checked_size(upload, max_bytes=max_bytes, what=what)
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime not in allowed:
        raise InvalidInput(f"{what}只能是 {'、'.join(dict.fromkeys(allowed.values()))};这个文件的内容不符。")
    mime = kind.mime
    if mime in images.FORMATS:
        content = _image_cleaned(data, mime=mime, what=what, keep_location=keep_location)
    else:
        if MARKUP.search(data):
            raise InvalidInput(f"{what}里夹带了网页脚本,不能上传。{REEXPORT}")
        if mime == "application/pdf":
            _pdf_check(data, what=what)
        elif mime in MAIN_PARTS:
            _office_check(data, main_part=MAIN_PARTS[mime], what=what)
        content = data
    return CheckedUpload(
        mime=mime,
        extension=kind.extension,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )


def spreadsheet_check(
    upload: UploadedFile, *, what: str = "表格", max_bytes: int = MAX_SPREADSHEET_BYTES
) -> CheckedSpreadsheet:
    """Refuse a spreadsheet for import with a Chinese message, or return it opened: xlsx only (the
    archive checked before anything is unpacked: no macros, external links, OLE objects, DTDs or zip
    bombs), read-only and values-only."""
    data = _read_checked_size(upload, max_bytes=max_bytes, what=what)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InvalidInput(
            f"{what}是旧版 Excel(xls)或加密的文件,无法读取。请在 Excel 中去掉密码并“另存为”xlsx 后再上传。"
        )
    if not data.startswith(b"PK\x03\x04"):
        raise InvalidInput(f"{what}只能是 Excel(xlsx)文件;这个文件的内容不符。")
    _office_check(data, main_part=MAIN_PARTS[XLSX], what=what)
    try:
        workbook = load_workbook(
            BytesIO(data), read_only=True, data_only=True, keep_links=False, keep_vba=False
        )
    except Exception as exc:  # openpyxl raises anything from KeyError to TypeError on a bad file
        logger.info("spreadsheet refused: %r", exc)
        raise InvalidInput(f"{what}无法作为 Excel 表格打开(文件可能已损坏)。{REEXPORT}") from exc
    return CheckedSpreadsheet(workbook=workbook, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def _read_checked_size(upload: UploadedFile, *, max_bytes: int, what: str) -> bytes:
    size = upload.size or 0
    if size == 0:
        raise InvalidInput(f"{what}是空文件,请重新选择。")
    if size > max_bytes:
        raise InvalidInput(
            f"{what}不能超过 {max_bytes / MB:g} MB,这个文件有 {size / MB:.1f} MB。"
            "请压缩或分成几个文件后再上传。"
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if not data:
        raise InvalidInput(f"{what}是空文件,请重新选择。")
    if len(data) > max_bytes:
        raise InvalidInput(f"{what}不能超过 {max_bytes / MB:g} MB。请压缩或分成几个文件后再上传。")
    return data


def _pdf_check(data: bytes, *, what: str) -> None:
    try:
        found = pdf.pdf_active_content(data)
    except pdf.Encrypted:
        raise InvalidInput(
            f"{what}设置了密码或加密,无法检查其中的内容,不能上传。请去掉密码后重新导出 PDF 再上传。"
        ) from None
    except pdf.Unreadable as exc:
        logger.info("PDF refused as unreadable: %s", exc)
        raise InvalidInput(
            f"{what}无法作为 PDF 打开(文件可能已损坏、不完整,或不是真正的 PDF),不能上传。{REEXPORT}"
        ) from None
    if found:
        raise InvalidInput(
            f"{what}不能上传:这个 PDF 里带有{found.described()}。这些内容可能在居民打开文件时运行或外发信息。"
            f"{REEXPORT}"
        )


def _image_cleaned(data: bytes, *, mime: str, what: str, keep_location: bool) -> bytes:
    if MARKUP.search(data, 0, images.image_end(data, mime)):
        raise InvalidInput(
            f"{what}里夹带了网页脚本(既是图片又是网页的伪装文件),不能上传。请重新拍摄或截图后再传。"
        )
    try:
        return images.image_reencode(data, mime=mime, keep_location=keep_location)
    except images.Bomb:
        raise InvalidInput(
            f"{what}的像素数异常巨大(超过 {(images.Image.MAX_IMAGE_PIXELS or 0) // 1_000_000} 百万像素),"
            "可能是恶意构造的文件,不能上传。请缩小尺寸后再传。"
        ) from None
    except images.Broken as exc:
        logger.info("image refused as broken: %s", exc)
        raise InvalidInput(f"{what}已损坏或不完整,无法作为图片打开。请重新拍摄或导出后再传。") from None


def _office_check(data: bytes, *, main_part: str, what: str) -> None:
    try:
        ooxml.ooxml_check(data, main_part=main_part)
    except ooxml.Refused as refused:
        advice = (
            "请在 Excel 或 Word 中去掉宏、外部链接和密码,“另存为”xlsx 或 docx 后再上传。"
            if refused.reason != "broken"
            else "请用原软件重新保存后再上传。"
        )
        raise InvalidInput(f"{what}不能上传:这个文件{ooxml.REASONS[refused.reason]}。{advice}") from None


def upload_store(field_file: FieldFile, name: str, checked: CheckedUpload) -> None:
    """Write a checked upload's content (the cleaned file, never the bytes as uploaded) into its file
    field (not saving the row). When the disk is full or fails, whatever was half written is removed
    and the caller's transaction rolls back on ``Unavailable``: no row points at a broken file, and no
    broken file is left behind."""
    if not isinstance(checked, CheckedUpload):
        raise TypeError("upload_store stores what upload_check returned, never a raw upload")
    storage = field_file.storage
    target = storage.get_available_name(
        field_file.field.generate_filename(field_file.instance, name), max_length=field_file.field.max_length
    )
    try:
        field_file.name = storage.save(
            target, ContentFile(checked.content), max_length=field_file.field.max_length
        )
    except OSError as exc:
        logger.error("upload of %s could not be stored: %s", target, exc)
        if storage.exists(target):
            storage.delete(target)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise Unavailable(
                "服务器存储空间已满,文件没有保存,已填写的内容也未改动。请联系管理员后再上传。"
            ) from exc
        raise Unavailable("服务器暂时无法保存文件,文件没有保存。请稍后再试。") from exc
    setattr(field_file.instance, field_file.field.attname, field_file.name)
    field_file._committed = True  # type: ignore[attr-defined]


__all__ = ["CheckedSpreadsheet", "CheckedUpload", "spreadsheet_check", "upload_check", "upload_store"]
