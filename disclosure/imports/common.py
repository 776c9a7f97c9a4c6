"""Reading a table a clerk brings: an Excel file or cells pasted from Excel/WPS, its header row found
by lenient names, and each cell read the way clerks write it.

Nothing in a file is run: the workbook is opened by ``tenants.uploads.spreadsheet_check`` (xlsx only,
refused with macros, external links, OLE objects or zip bombs; read-only, values only), so a formula
cell gives the value Excel saved with it. Every problem names its row as the file numbers it, its
column as the file heads it, and what to do; a problem that only asks for a look (a duplicate, a date
outside the period) is a flag and does not stop the import.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from tenants.errors import InvalidInput
from tenants.uploads import MB, spreadsheet_check

MAX_BYTES = 5 * MB  # a quarter of 150 lines is some 20 KB; an export with styles a few hundred
MAX_ROWS = 1000  # data rows in one import; a street's largest roster is a few hundred households
MAX_COLUMNS = 40
PASTE_MAX_CHARS = 500_000
HEADER_SEARCH_ROWS = 12  # exports put a title, the unit and the account above the header row
# Excel's day numbers for 1990-01-01 … 2099-12-31: a number in a date column outside them is no date
SERIALS = range(32874, 73051)
EMPTY_MARKS = {"", "-", "--", "—", "——", "/", "无"}


@dataclass(frozen=True)
class Problem:
    """One thing to fix (or, when ``flag``, to look at) in the file: row as numbered in the file,
    ``0`` for the file as a whole; column as headed in it, "" for the row as a whole."""

    row: int
    column: str
    message: str
    flag: bool = False


@dataclass(frozen=True)
class Column:
    """A column an importer reads: the key of the value, its name in the template, the other names
    clerks and accounting software give it."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> set[str]:
        return {header_key(n) for n in (self.label, *self.aliases)}


class CellError(ValueError):
    """A cell that cannot be read as what its column holds; the message says what to write instead."""


@dataclass
class Table:
    """The rows of one sheet (or of a paste) as read: each with the row number the clerk sees."""

    source: str
    rows: list[tuple[int, list[Any]]]
    lettered: bool = True  # columns named A, B, C (a sheet) or counted (a paste)
    # the formula cells of the sheet, read only if an empty cell needs explaining
    formula_reader: Callable[[], dict[tuple[int, int], str]] | None = None
    _formulas: dict[tuple[int, int], str] | None = field(default=None, repr=False)

    def formula_at(self, row: int, index: int) -> str:
        """The formula of a cell that came out empty because Excel never saved its result, or ""."""
        if self.formula_reader is None:
            return ""
        if self._formulas is None:
            self._formulas = self.formula_reader()
        return self._formulas.get((row, index), "")

    def column_name(self, index: int, header: str) -> str:
        where = f"{get_column_letter(index + 1)} 列" if self.lettered else f"第 {index + 1} 列"
        return f"{where}“{header}”" if header else where


@dataclass
class Header:
    """Where the header row is, which column holds which key, and the columns nobody reads."""

    row: int
    columns: dict[str, int]
    titles: dict[int, str]
    unused: list[str]


def header_key(text: Any) -> str:
    """A header as compared: full-width forms folded (（元）→(元)), spaces, marks and units dropped."""
    key = unicodedata.normalize("NFKC", str(text or "")).lower()
    key = re.sub(r"\s+|[*::]", "", key)
    return re.sub(r"\((?:元|人民币元|人|岁|口)\)$|(?<=.)\((?:元)\)|元$", "", key) or key


def cell_text(value: Any) -> str:
    """What a cell says, as text: whole numbers without ``.0`` (凭证号 1001 typed as a number)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return "" if text in EMPTY_MARKS else text


def read_upload(upload: UploadedFile) -> list[Table]:
    """Each worksheet of an uploaded workbook, or InvalidInput with a Chinese message."""
    checked = spreadsheet_check(upload, what="上传的表格", max_bytes=MAX_BYTES)
    tables: list[Table] = []
    try:
        for sheet in checked.workbook.worksheets:
            rows = []
            for number, values in enumerate(
                sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True),  # type: ignore[call-arg]
                start=1,
            ):
                if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                    raise InvalidInput(f"表格“{sheet.title}”超过 {MAX_ROWS} 行,请分成几个文件导入。")
                if any(cell_text(v) for v in values):
                    rows.append((number, list(values)))
            tables.append(
                Table(
                    source=f"工作表“{sheet.title}”",
                    rows=rows,
                    formula_reader=partial(formulas_without_values, upload, len(tables)),
                )
            )
    finally:
        checked.workbook.close()
    return tables


def formulas_without_values(upload: UploadedFile, table_index: int) -> dict[tuple[int, int], str]:
    """The formula cells of one sheet whose value was never saved (a file written by a program and not
    opened in Excel since): their text, read but never evaluated, so the clerk is told what to do."""
    upload.seek(0)
    book = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=False, keep_links=False)
    try:
        sheet = book.worksheets[table_index]
        return {
            (cell.row, cell.column - 1): str(cell.value)
            for row in sheet.iter_rows(max_row=MAX_ROWS + HEADER_SEARCH_ROWS, max_col=MAX_COLUMNS)
            for cell in row
            if isinstance(cell.value, str) and cell.value.startswith("=")
        }
    finally:
        book.close()
        upload.seek(0)


def read_paste(text: str) -> Table:
    """Cells copied from Excel or WPS: tab between cells, a line per row, a cell with a line break
    inside quotes (as Excel writes them)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if "\t" not in text and "," in text and "\n" in text:
        raise InvalidInput(
            "粘贴的内容不是从表格复制的单元格(没有制表符)。请在 Excel 或 WPS 中选中单元格后复制再粘贴。"
        )
    rows = []
    for number, values in enumerate(csv.reader(io.StringIO(text), delimiter="\t"), start=1):
        if number > MAX_ROWS + 1:
            raise InvalidInput(f"粘贴的内容超过 {MAX_ROWS} 行,请分几次粘贴。")
        if any(cell_text(v) for v in values):
            rows.append((number, values[:MAX_COLUMNS]))
    return Table(source="粘贴的内容", rows=rows, lettered=False)


def header_find(table: Table, columns: Sequence[Column]) -> Header | None:
    """The row among the first few that names the most known columns (two at least)."""
    best: Header | None = None
    for position, (_number, values) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        titles: dict[int, str] = {}
        unused = []
        for index, value in enumerate(values):
            title = cell_text(value)
            if not title:
                continue
            titles[index] = title
            key = header_key(title)
            column = next((c for c in columns if key in c.names and c.key not in found), None)
            if column is None:
                unused.append(title)
            else:
                found[column.key] = index
        if len(found) >= 2 and (best is None or len(found) > len(best.columns)):
            best = Header(row=position, columns=found, titles=titles, unused=unused)
    return best


def header_by_position(table: Table, columns: Sequence[Column]) -> Header:
    """A paste without its header row: the columns in the template's order."""
    return Header(
        row=-1,
        columns={c.key: i for i, c in enumerate(columns)},
        titles={i: c.label for i, c in enumerate(columns)},
        unused=[],
    )


def missing_columns(header: Header, required: Iterable[tuple[str, ...]], columns: Sequence[Column]) -> str:
    """The required columns absent from the header, each as "名称(也可写作 …)"; "" when none is."""
    labels = {c.key: c for c in columns}
    absent = []
    for alternatives in required:
        if not any(key in header.columns for key in alternatives):
            named = " 或 ".join(f"“{labels[key].label}”" for key in alternatives)
            also = "、".join(a for key in alternatives for a in labels[key].aliases[:3])
            absent.append(f"{named}(也可写作 {also})" if also else named)
    return ";".join(absent)


YUAN_JIAO_FEN = re.compile(r"(?:(\d+)元)?(?:(\d)角)?(?:(\d)分)?")


def amount_read(value: Any) -> Decimal | None:
    """An amount as clerks write it: 1,234.50 / 1234.5元 / ¥1,234.50 / １２３４．５ / 12元5角3分 /
    (120.00) for a negative; to the fen. None for an empty cell."""
    if isinstance(value, bool):
        raise CellError("不是金额:请填写数字,如 1,234.50")
    if isinstance(value, int | float | Decimal):
        try:
            return Decimal(repr(value) if isinstance(value, float) else value).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
        except InvalidOperation as exc:
            raise CellError("不是有效的金额") from exc
    text = cell_text(value)
    if not text:
        return None
    shown = text
    text = re.sub(r"[\s,¥$]|rmb|人民币|整$", "", text.replace("−", "-"), flags=re.IGNORECASE)
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()")
    if re.fullmatch(r"-?\d+(?:\.\d+)?元", text):
        text = text[:-1]
    elif (coins := YUAN_JIAO_FEN.fullmatch(text)) and (coins[2] or coins[3]):
        text = f"{coins[1] or 0}.{coins[2] or 0}{coins[3] or 0}"
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise CellError(f"“{shown}”不是金额:请只填数字,如 1,234.50 或 1234.5元")
    amount = amount.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return -amount if negative else amount


DATE_FULL = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
DATE_NO_YEAR = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
DATE_HINT = "请写成 2026/7/3、2026-07-03 或 2026年7月3日"


def date_read(value: Any, *, year: int) -> date | None:
    """A date as clerks type it: a real date cell, an Excel day number, 2026/7/3, 2026-07-03,
    2026.7.3, 2026年7月3日, 20260703, or 7月3日 and 7/3 in ``year`` (the statement's). None when empty."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if int(value) in SERIALS:
            return from_excel(value).date()
        raise CellError(f"“{cell_text(value)}”不是日期:{DATE_HINT}")
    text = cell_text(value)
    if not text:
        return None
    parts: tuple[int, int, int] | None = None
    if match := DATE_FULL.fullmatch(text) or DATE_COMPACT.fullmatch(text):
        parts = (int(match[1]), int(match[2]), int(match[3]))
    elif match := DATE_NO_YEAR.fullmatch(text):
        parts = (year, int(match[1]), int(match[2]))
    elif text.isdigit() and int(text) in SERIALS:
        return from_excel(int(text)).date()
    if parts is None:
        raise CellError(f"“{text}”不是日期:{DATE_HINT}")
    try:
        return date(*parts)
    except ValueError as exc:
        raise CellError(f"“{text}”不是真实的日期:请核对月和日") from exc


def whole_number_read(value: Any) -> int | None:
    """A count or an age: 3, 3.0, ３, 3人, 3口, 45岁. None when empty."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            return int(value)
        raise CellError(f"“{value}”不是整数")
    text = cell_text(value)
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,3})(?:\.0+)?\s*(?:人|口|岁|周岁)?", text)
    if match is None:
        raise CellError(f"“{text}”不是整数:请只填数字")
    return int(match[1])


def yes_read(value: Any) -> bool:
    """A yes/no cell: 是, √, ✓, Y, 1, 报账 are yes; empty, 否, ×, N, 0 are no."""
    text = cell_text(value).lower()
    if text in {"", "否", "不是", "×", "x", "n", "no", "0", "false", "非"}:
        return False
    if text in {"是", "√", "✓", "✔", "y", "yes", "1", "true", "报账", "对"}:
        return True
    raise CellError(f"“{cell_text(value)}”看不出是否报账:请填“是”或留空")


@dataclass
class Parsed:
    """One row of the file as it will be saved (``values``), with what is wrong or worth a look."""

    number: int
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(not p.flag for p in self.problems)


@dataclass
class Outcome:
    """What an import read: the rows, the problems with the file as a whole, notes on what was
    understood (the sheet, the columns left unread, the total rows skipped), values found beside the
    rows (balances)."""

    source: str = ""
    rows: list[Parsed] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    found: dict[str, str] = field(default_factory=dict)

    @property
    def every_problem(self) -> list[Problem]:
        return self.problems + [p for row in self.rows for p in row.problems]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.every_problem if not p.flag]

    @property
    def flags(self) -> list[Problem]:
        return [p for p in self.every_problem if p.flag]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


class RowReader:
    """The cells of one row by key, read with a cell reader; a cell that cannot be read (or a required
    one left empty) becomes a problem naming the row and the column."""

    def __init__(self, table: Table, header: Header, number: int, cells: list[Any]) -> None:
        self.table, self.header, self.number, self.cells = table, header, number, cells
        self.problems: list[Problem] = []

    def raw(self, key: str) -> Any:
        index = self.header.columns.get(key)
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def column(self, key: str) -> str:
        index = self.header.columns.get(key, -1)
        return self.table.column_name(index, self.header.titles.get(index, "")) if index >= 0 else ""

    def problem(self, key: str, message: str, *, flag: bool = False) -> None:
        self.problems.append(Problem(self.number, self.column(key), message, flag))

    def read(self, key: str, reader: Callable[[Any], Any], *, required: str = "") -> Any:
        """The cell read by ``reader``; None (and a problem saying ``required`` when given) if empty."""
        try:
            value = reader(self.raw(key))
        except CellError as error:
            self.problem(key, str(error))
            return None
        if value in (None, ""):
            index = self.header.columns.get(key, -1)
            formula = self.table.formula_at(self.number, index) if index >= 0 else ""
            if formula:
                self.problem(
                    key,
                    f"是公式 {formula},但文件里没有保存它的计算结果:"
                    "请在 Excel 或 WPS 中打开文件、保存一次后再上传,或把公式换成数值",
                )
            elif required:
                self.problem(key, f"是空的:{required}")
        return value

    def parsed(
        self, values: dict[str, Any], clean: Callable[[dict[str, Any], str], dict[str, Any]]
    ) -> Parsed:
        """The row as read; when its cells are sound, as ``clean`` (the content's own rule for one
        line or household) makes it, or with the rule's refusal as the row's problem."""
        parsed = Parsed(self.number, values, self.problems)
        if parsed.ok:
            try:
                parsed.values = clean(values, f"第 {self.number} 行")
            except InvalidInput as refused:
                parsed.problems.append(Problem(self.number, "", refused.message))
        return parsed


def table_choose(
    tables: list[Table], columns: Sequence[Column], required: Sequence[tuple[str, ...]]
) -> tuple[Table, Header, list[str]]:
    """The first table with a header row naming the required columns (a paste without one is read in
    the template's order), and notes on what was understood; InvalidInput when there is none."""
    if not any(t.rows for t in tables):
        raise InvalidInput("表格里没有内容。")
    found = [(t, h) for t in tables if (h := header_find(t, columns)) is not None]
    if not found:
        pasted = [t for t in tables if not t.lettered]
        if pasted and len(pasted[0].rows[0][1]) >= len(required):
            header = header_by_position(pasted[0], columns)
            return pasted[0], header, ["粘贴的内容没有表头,已按模板的列顺序读取。"]
        names = "、".join(f"“{c.label}”" for c in columns[:6])
        raise InvalidInput(
            f"没有找到表头:表格前几行里应有 {names} 等列名。请下载模板对照,或连同表头一起复制。"
        )
    complete = [(t, h) for t, h in found if not missing_columns(h, required, columns)]
    if not complete:
        table, header = found[0]
        raise InvalidInput(f"{table.source}缺少这些列:{missing_columns(header, required, columns)}。")
    table, header = complete[0]
    notes = [f"读取的是{table.source}。"] if table.lettered else []
    if header.unused:
        notes.append(f"这些列没有读取:{'、'.join(header.unused)}。")
    return table, header, notes


def rows_read(
    tables: list[Table], columns: Sequence[Column], required: Sequence[tuple[str, ...]]
) -> tuple[Outcome, list[RowReader]]:
    """An outcome begun (its source and notes, or the reason the file cannot be read at all) and a
    reader for each row below the header."""
    try:
        table, header, notes = table_choose(tables, columns, required)
    except InvalidInput as refused:
        return Outcome(problems=[Problem(0, "", refused.message)]), []
    readers = [RowReader(table, header, number, cells) for number, cells in table.rows[header.row + 1 :]]
    return Outcome(source=table.source, notes=notes), readers
