"""One check for every uploaded file (disclosure attachments, spot-check photos, self-reports).

A file is judged by its bytes, never by its name or the browser's label: its type comes from its
magic number (``filetype``), it may not be empty or too large, and it may not carry anything a
browser or a PDF reader would run — HTML or SVG script smuggled into an image or a PDF (a polyglot),
or a PDF's own JavaScript, launch actions and embedded files. The scan reads the raw bytes: content
hidden inside a compressed PDF object stream is not seen, which is why files are also served with
their checked type, ``nosniff`` and, outside PDF and images, as downloads.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass

import filetype
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile

from tenants.errors import InvalidInput, Unavailable

logger = logging.getLogger(__name__)

MB = 1024 * 1024
# Markup that makes a browser run script if the file is ever rendered as HTML or SVG.
MARKUP = re.compile(rb"<\s*(script|html|svg|iframe|object|embed|body)\b|javascript:", re.IGNORECASE)
# PDF names that run code or open other files when the document is opened.
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia)(?![A-Za-z0-9])")


@dataclass(frozen=True)
class CheckedUpload:
    mime: str
    extension: str
    size: int
    sha256: str


def upload_check(
    upload: UploadedFile, *, allowed: Mapping[str, str], max_bytes: int, what: str
) -> CheckedUpload:
    """Refuse the upload with a Chinese message, or return its real type and SHA-256.

    ``allowed`` maps MIME types to the names users know them by ("PDF", "JPG 图片" …).
    """
    size = upload.size or 0
    if size == 0:
        raise InvalidInput(f"{what}是空文件,请重新选择。")
    if size > max_bytes:
        raise InvalidInput(
            f"{what}不能超过 {max_bytes / MB:g} MB,这个文件有 {size / MB:.1f} MB。"
            "请压缩或分成几个文件后再上传。"
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    if kind is None or kind.mime not in allowed:
        raise InvalidInput(f"{what}只能是 {'、'.join(dict.fromkeys(allowed.values()))};这个文件的内容不符。")
    digest = hashlib.sha256()
    tail = b""
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        window = tail + chunk  # a marker split across two chunks is still found
        if MARKUP.search(window) or (kind.mime == "application/pdf" and PDF_ACTIVE.search(window)):
            raise InvalidInput(f"{what}里夹带了网页脚本或可执行内容,不能上传。请重新导出或扫描成图片后再传。")
        tail = chunk[-64:]
    upload.seek(0)
    return CheckedUpload(mime=kind.mime, extension=kind.extension, size=size, sha256=digest.hexdigest())


def upload_store(field_file: FieldFile, name: str, upload: UploadedFile) -> None:
    """Write a checked upload into its file field (not saving the row). When the disk is full or
    fails, whatever was half written is removed and the caller's transaction rolls back on
    ``Unavailable``: no row points at a broken file, and no broken file is left behind."""
    storage = field_file.storage
    target = storage.get_available_name(
        field_file.field.generate_filename(field_file.instance, name), max_length=field_file.field.max_length
    )
    try:
        field_file.name = storage.save(target, upload, max_length=field_file.field.max_length)
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
