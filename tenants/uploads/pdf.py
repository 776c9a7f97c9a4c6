"""A PDF is opened and read, never grepped: every object of every revision is parsed (names decoded,
so ``/J#61vaScript`` is ``/JavaScript``), object streams are unpacked, and anything a PDF reader would
run, send or open is named in plain Chinese.

What is walked: every ``N G obj`` in the file — so the objects of earlier revisions that an incremental
update replaced, and objects no cross-reference table lists, are read too, since some readers repair a
file by scanning for them — every object packed inside each object stream (decompressed), and every
trailer. A file the library cannot open, or whose object streams cannot be unpacked, is refused:
what cannot be read cannot be vouched for.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from io import BytesIO

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
    read_object,
)

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a repaired cross-reference table is not news

WHITE = rb"[\x00\t\n\f\r ]"
PDF_WHITESPACE = frozenset(b"\x00\t\n\f\r ")
OBJECT_HEADER = re.compile(rb"(?<![0-9])[0-9]{1,10}" + WHITE + rb"+[0-9]{1,5}" + WHITE + rb"+obj(?![A-Za-z])")
TRAILER = re.compile(rb"trailer" + WHITE + rb"*(?=<<)")
# A file of a few megabytes has a few hundred thousand values; far more means a file built to
# exhaust the check.
MAX_VALUES = 3_000_000

# What each finding is called, in words a community's handler knows; the PDF's own name in brackets
# so that whoever re-exports the file can search for it.
FINDINGS = {
    "javascript": "脚本(JavaScript)",
    "launch": "启动电脑上其他程序的动作(Launch)",
    "submitform": "把填写的内容发送到网上的动作(SubmitForm)",
    "importdata": "从其他文件导入数据的动作(ImportData)",
    "gotor": "打开其他文件的链接(GoToR)",
    "gotoe": "打开内嵌文档的链接(GoToE)",
    "richmedia": "Flash 等多媒体程序(RichMedia)",
    "xfa": "可以运行脚本的动态表单(XFA)",
    "embedded": "夹带的其他文件(嵌入附件)",
}
ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/SubmitForm": "submitform",
    "/ImportData": "importdata",
    "/GoToR": "gotor",
    "/GoToE": "gotoe",
    "/RichMediaExecute": "richmedia",
}
KEYS = {
    "/JS": "javascript",
    "/JavaScript": "javascript",
    "/XFA": "xfa",
    "/EmbeddedFiles": "embedded",
    "/EF": "embedded",
    "/RichMediaContent": "richmedia",
    "/RichMediaSettings": "richmedia",
}
SUBTYPES = {"/FileAttachment": "embedded", "/RichMedia": "richmedia"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
# What pypdf raises on a malformed file: a file it cannot read is refused, never a 500.
PARSE_ERRORS = (
    PyPdfError,
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    RecursionError,
    OSError,
    AssertionError,
)


class Unreadable(Exception):
    """The file cannot be opened as a PDF, or part of it cannot be unpacked."""


class Encrypted(Exception):
    """The file is encrypted: its strings and streams cannot be read without the password."""


class Found:
    """What a walk found: each kind once, and whether a document or page event runs it by itself."""

    def __init__(self) -> None:
        self.kinds: dict[str, bool] = {}

    def add(self, kind: str, *, automatic: bool = False) -> None:
        self.kinds[kind] = self.kinds.get(kind, False) or automatic

    def described(self) -> str:
        parts = []
        for kind in FINDINGS:  # a fixed order, so the same file always gets the same message
            if kind in self.kinds:
                words = FINDINGS[kind]
                if self.kinds[kind]:
                    words = ("打开时自动运行的" if kind == "javascript" else "打开时自动执行的") + words
                parts.append(words)
        return "、".join(parts)

    def __bool__(self) -> bool:
        return bool(self.kinds)


def pdf_active_content(data: bytes) -> Found:
    """Every kind of active content in the PDF ``data``; raises ``Encrypted`` or ``Unreadable``."""
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise Encrypted
        reader.root_object  # noqa: B018  # a file without a catalogue is not a document
        len(reader.pages)
    except Encrypted:
        raise
    except PARSE_ERRORS as exc:
        raise Unreadable(str(exc)) from exc
    found = Found()
    budget = [MAX_VALUES]
    for obj in _every_object(reader, data):
        _inspect(obj, reader, found, budget)
    return found


def _every_object(reader: PdfReader, data: bytes) -> Iterator[PdfObject]:
    """Each object as the library's own cross-reference tables resolve it, then each object found by
    scanning the bytes (earlier revisions, unlisted objects), then each trailer; object streams are
    unpacked wherever they are found."""
    listed = [IndirectObject(n, g, reader) for g, numbers in reader.xref.items() for n in numbers]
    listed += [IndirectObject(n, 0, reader) for n in reader.xref_objStm]
    for reference in listed:
        resolved = _resolved(reference)
        if isinstance(resolved, PdfObject):
            yield resolved
            if isinstance(resolved, StreamObject) and resolved.get("/Type") == "/ObjStm":
                yield from _packed_objects(resolved, reader)
    stream = BytesIO(data)
    for match in TRAILER.finditer(data):
        parsed = _read_at(stream, match.end(), reader)
        if parsed is not None:
            yield parsed
    for match in OBJECT_HEADER.finditer(data):
        parsed = _read_at(stream, match.end(), reader)
        if parsed is None:
            continue  # digits followed by "obj" inside binary stream data, not an object
        yield parsed
        if isinstance(parsed, StreamObject) and parsed.get("/Type") == "/ObjStm":
            yield from _packed_objects(parsed, reader)


def _read_at(stream: BytesIO, offset: int, reader: PdfReader) -> PdfObject | None:
    buffer = stream.getbuffer()
    while offset < len(buffer) and buffer[offset] in PDF_WHITESPACE:
        offset += 1
    del buffer
    stream.seek(offset)
    try:
        return read_object(stream, reader)
    except PARSE_ERRORS:
        return None


def _packed_objects(obj_stm: StreamObject, reader: PdfReader) -> Iterator[PdfObject]:
    """The objects inside an object stream, decompressed; one that cannot be unpacked refuses the
    file (a reader that can unpack it would run what is inside)."""
    try:
        content = obj_stm.get_data()
        count, first = obj_stm["/N"], obj_stm["/First"]
        if not isinstance(count, NumberObject) or not isinstance(first, NumberObject):
            raise ValueError("/N or /First is not a number")
        header = content[:first].split()
        offsets = [int(header[2 * i + 1]) for i in range(int(count))]
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, OSError) as exc:
        raise Unreadable(f"object stream: {exc}") from exc
    stream = BytesIO(content)
    for offset in offsets:
        parsed = _read_at(stream, int(first) + offset, reader)
        if parsed is None:
            raise Unreadable("an object inside an object stream cannot be read")
        yield parsed


def _inspect(root: PdfObject, reader: PdfReader, found: Found, budget: list[int]) -> None:
    """Walk one object's direct values (indirect ones are objects of their own, walked anyway)."""
    pending: list[PdfObject] = [root]
    while pending:
        value = pending.pop()
        budget[0] -= 1
        if budget[0] < 0:
            raise Unreadable("too many values")
        if isinstance(value, DictionaryObject):
            _inspect_dictionary(value, reader, found)
            pending.extend(value.values())
        elif isinstance(value, ArrayObject):
            pending.extend(value)


def _inspect_dictionary(d: DictionaryObject, reader: PdfReader, found: Found) -> None:
    for key, by_key in KEYS.items():
        if key in d:
            found.add(by_key)
    if (action := ACTIONS.get(str(d.get("/S", "")))) is not None:
        found.add(action)
    if (subtype := SUBTYPES.get(str(d.get("/Subtype", "")))) is not None:
        found.add(subtype)
    if d.get("/Type") == "/EmbeddedFile":
        found.add("embedded")
    uri = d.get("/URI")
    if isinstance(uri, (TextStringObject, ByteStringObject, str, bytes)):
        text: str = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri)
        if re.sub(r"[\x00-\x20]", "", text).lower().startswith(SCRIPT_SCHEMES):
            found.add("javascript")
    # What the document or a page, field or annotation runs by itself: its open action and its
    # additional actions (on open, close, focus, print …), followed through each action's /Next.
    if "/OpenAction" in d:
        _automatic(d["/OpenAction"], reader, found, depth=0)
    additional = _resolved(d.get("/AA"))
    if isinstance(additional, DictionaryObject):
        for action in additional.values():
            _automatic(action, reader, found, depth=0)


def _automatic(action: object, reader: PdfReader, found: Found, *, depth: int) -> None:
    action = _resolved(action)
    if depth > 32:
        return
    if isinstance(action, ArrayObject):
        for each in action:
            _automatic(each, reader, found, depth=depth + 1)
        return
    if not isinstance(action, DictionaryObject):
        return  # an open action may be a destination array: it only turns a page
    if (kind := ACTIONS.get(str(action.get("/S", "")))) is not None:
        found.add(kind, automatic=True)
    if "/JS" in action:
        found.add("javascript", automatic=True)
    if "/Next" in action:
        _automatic(action["/Next"], reader, found, depth=depth + 1)


def _resolved(value: object) -> object:
    if isinstance(value, IndirectObject):
        try:
            return value.get_object()
        except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, OSError):
            return None
    return value
