"""``?format=csv`` and ``?format=xlsx``: the same rows and values as the JSON, streamed.

A whole city's rows never sit in memory: the queryset is read in chunks, CSV goes out line by line,
and XLSX is written by openpyxl's write-only mode (rows go to a temporary file, not a tree in memory)
and then sent in chunks. Headers are the fields' Chinese labels; CSV starts with a UTF-8 BOM so Excel
reads the Chinese. Text a spreadsheet would run as a formula is neutralised (``safe_cell``).
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from tenants.spreadsheets import safe_cell

CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_ROWS = 500
CHUNK_BYTES = 64 * 1024


class _ErrorsAsJson(BaseRenderer):
    """Selected by ``?format=``; a successful export streams from the view and never reaches
    ``render``, so what does is an error body, kept in the API's one format (problem+json)."""

    charset = None

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return JSONRenderer().render(data)


class CSVRenderer(_ErrorsAsJson):
    media_type = CSV_MEDIA_TYPE
    format = "csv"


class XLSXRenderer(_ErrorsAsJson):
    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"


def _json_text(value: Any) -> str:
    return json.dumps(value, cls=JSONEncoder, ensure_ascii=False)


def csv_cell(value: Any) -> str:
    """The JSON value as text: strings as they are, numbers and booleans as JSON writes them, nested
    values as JSON, null as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return str(safe_cell(value))
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, bool | int | float):
        return _json_text(value)  # a number is never a formula, a negative one included
    return str(safe_cell(_json_text(value)))


def xlsx_cell(value: Any) -> Any:
    """Numbers and booleans stay typed (Excel can sum them); nested values become JSON text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return safe_cell(value)
    return safe_cell(_json_text(value))


class _Line:
    """csv.writer writes into this and gets the line back."""

    def write(self, value: str) -> str:
        return value


def csv_stream(header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    writer = csv.writer(_Line())
    yield ("\ufeff" + writer.writerow(header)).encode("utf-8")
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow([csv_cell(v) for v in row]))
        if len(chunk) >= CHUNK_ROWS:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    if chunk:
        yield "".join(chunk).encode("utf-8")


def xlsx_stream(header: list[str], rows: Iterable[list[Any]], *, title: str) -> Iterator[bytes]:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    sheet.append(header)
    for row in rows:
        sheet.append([xlsx_cell(v) for v in row])
    with tempfile.TemporaryFile() as out:
        book.save(out)
        out.seek(0)
        while chunk := out.read(CHUNK_BYTES):
            yield chunk


def table(columns: Mapping[str, str], records: Iterable[Mapping[str, Any]]) -> Iterator[list[Any]]:
    """Serialized records → rows in column order."""
    for record in records:
        yield [record.get(name) for name in columns]


def filename(name: str, extension: str) -> str:
    return f"{name}-{timezone.localdate():%Y%m%d}.{extension}"
