"""Word and Excel files (docx, xlsx) are zip archives of XML. Before anything unpacks one, its
directory is read: too many parts, too much declared data, a part that claims to grow more than a
zip bomb's ratio, encrypted parts, macros (``vbaProject.bin``, a macro-enabled content type),
ActiveX controls and OLE packages, links to other files or templates (an external relationship other
than a plain hyperlink; Excel's external-workbook links), and XML that declares a DTD or entities
(no Office part has one; it is how an XML bomb or an external entity starts) are refused.

Python's ``zipfile`` never returns more bytes than a part declares (a part that lies fails its CRC),
so the declared sizes checked here bound what any later reader can be made to unpack.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

MB = 1024 * 1024
MAX_PARTS = 5_000
MAX_UNPACKED = 300 * MB  # a 20 MB workbook of plain numbers unpacks to about 200 MB
MAX_PART = 200 * MB
MAX_RATIO = 200  # ordinary sheet XML compresses 10–50 times; a zip bomb thousands of times
RATIO_FROM = 4 * MB  # small parts of repeated XML may compress very well and are harmless
MACRO_CONTENT = re.compile(
    rb"macroEnabled|vbaProject|vnd\.ms-office\.activeX|vnd\.ms-excel\.(?:intl)?macrosheet", re.I
)
DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


class Refused(Exception):
    """``reason`` is one of REASONS' keys."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


REASONS = {
    "broken": "无法作为 Office 文件打开(文件可能已损坏或不完整)",
    "bomb": "解压后体积异常巨大(可能是“压缩炸弹”)",
    "encrypted": "设置了密码或加密,无法检查其中的内容",
    "macros": "带有宏(VBA 代码)或 ActiveX 控件",
    "ole": "嵌入了其他程序的对象(OLE 对象)",
    "external": "带有指向其他文件或网络模板的外部链接",
    "dtd": "含有 XML 实体声明(DTD),这不是正常 Office 软件生成的内容",
}


def ooxml_check(data: bytes, *, main_part: str) -> None:
    """Refuse the archive (``Refused``) unless it is a plain Office document whose main part is
    ``main_part`` (``word/document.xml``, ``xl/workbook.xml``)."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise Refused("broken") from exc
    names = {p.filename for p in parts}
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED:
        raise Refused("bomb")
    for part in parts:
        if part.file_size > MAX_PART or (
            part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1)
        ):
            raise Refused("bomb")
        if part.flag_bits & 0x1:
            raise Refused("encrypted")
    lowered = [n.lower() for n in names]
    if any(n.endswith("vbaproject.bin") or "/activex/" in n for n in lowered):
        raise Refused("macros")
    if any("/embeddings/" in n and n.endswith(".bin") for n in lowered):
        raise Refused("ole")
    if any("/externallinks/" in n for n in lowered):
        raise Refused("external")
    if "[Content_Types].xml" not in names or main_part not in names:
        raise Refused("broken")
    try:
        if MACRO_CONTENT.search(archive.read("[Content_Types].xml")):
            raise Refused("macros")
        for part in parts:
            if not part.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            with archive.open(part) as stream:
                if DTD.search(stream.read(4096)):
                    raise Refused("dtd")
            if part.filename.endswith(".rels"):
                _relationships_check(archive.read(part))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError) as exc:
        raise Refused("broken") from exc


def _relationships_check(xml: bytes) -> None:
    try:
        root = ElementTree.fromstring(xml)
    except (DefusedXmlException, ElementTree.ParseError) as exc:
        raise Refused("dtd" if isinstance(exc, DefusedXmlException) else "broken") from exc
    for rel in root:
        if rel.get("TargetMode") == "External" and rel.get("Type") != HYPERLINK:
            raise Refused("external")
