"""Structured content (004 ⑴ ⑵ ⑸): what each content type must hold, and how it is shown to the public.

``validate`` turns the submitted structure into clean data or raises InvalidInput with a Chinese
message; ``public_view`` is the one function every public output (portal, screens, PDF, API) uses,
so masking lives in one place.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import nh3

from disclosure.choices import ContentType
from disclosure.identity import identity_compact, identity_problem
from disclosure.rules import CONSULTATION_MIN_DAYS
from tenants.errors import InvalidInput

# A finance line's stable name in the statement's data: its receipts and signatures refer to it, so a
# line keeps it through every save of the grid (a hidden input of its row) and a new line gets one.
LINE_ID = re.compile(r"[0-9a-f]{12}")


def line_id_new() -> str:
    return uuid.uuid4().hex[:12]


ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "a",
}


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def json_safe(value: Any) -> Any:
    """Round-trip through canonical JSON, so what is hashed is exactly what the database stores."""
    return json.loads(canonical_json(value))


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(
    *,
    title: str,
    body: str,
    data: dict[str, Any],
    category: str,
    content_type: str,
    audience: str,
    attachments: list[str],
) -> str:
    """The SHA-256 that signatures bind to: every field a resident reads, and the attachments' hashes."""
    return sha256_hex(
        canonical_json(
            {
                "title": title,
                "body": body,
                "data": data,
                "category": category,
                "content_type": content_type,
                "audience": audience,
                "attachments": sorted(attachments),
            }
        )
    )


def sanitize_html(html: str) -> str:
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https"})


def _money(value: Any, where: str) -> Decimal:
    if value is None or not str(value).strip():
        raise InvalidInput(f"请填写{where}的金额。")
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(f"{where}的金额“{value}”不是有效的数字。") from exc
    if not amount.is_finite():
        raise InvalidInput(f"{where}的金额“{value}”不是有效的数字。")
    return amount


def _date(value: Any, where: str) -> str:
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError as exc:
        raise InvalidInput(f"{where}的日期“{value}”无效,请选择一个真实存在的日期。") from exc


def _text(value: Any, where: str, *, required: bool = True, limit: int = 500) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput(f"请填写{where}。")
    if len(text) > limit:
        raise InvalidInput(f"{where}不能超过 {limit} 个字。")
    return text


def finance_line(line: dict[str, Any], where: str) -> dict[str, Any]:
    """One line of a finance statement, clean, or InvalidInput naming ``where`` (第 3 笔, 第 12 行); its
    ``id`` kept when it has one. A reimbursement's receipts and five signatures are not typed into the
    line: they are files and signatures of their own (``disclosure.reimbursements``)."""
    direction = line.get("direction")
    if direction not in ("income", "expense"):
        raise InvalidInput(f"{where}请选择“收入”或“支出”。")
    amount = _money(line.get("amount"), where)
    if amount <= 0:
        raise InvalidInput(f"{where}的金额必须大于零;退款请作为收入登记。")
    clean = {
        "date": _date(line.get("date"), where),
        "description": _text(line.get("description"), f"{where}的摘要", limit=200),
        "direction": direction,
        "category": _text(line.get("category"), f"{where}的收支类别", limit=50),
        "amount": str(amount),
        "voucher": _text(line.get("voucher"), f"{where}的凭证号", limit=50),
        "reimbursement": bool(line.get("reimbursement")),
    }
    line_id = str(line.get("id") or "")
    if LINE_ID.fullmatch(line_id):
        clean["id"] = line_id
    return clean


def finance_totals(lines: list[dict[str, Any]]) -> tuple[Decimal, Decimal]:
    """The income and the expense of clean lines."""
    income = sum((Decimal(ln["amount"]) for ln in lines if ln["direction"] == "income"), Decimal("0.00"))
    expense = sum((Decimal(ln["amount"]) for ln in lines if ln["direction"] == "expense"), Decimal("0.00"))
    return income, expense


def validate_finance(data: dict[str, Any]) -> dict[str, Any]:
    """Itemised lines and totals that reconcile with opening and closing balances (004 ⑴). Every line
    leaves with an ``id`` of its own: the one it came with, or a new one (a new line, or a second line
    claiming an id already taken)."""
    lines = data.get("lines") or []
    if not lines:
        raise InvalidInput("财务公开必须逐笔列出收支明细,不能只公布总数。")
    for key, label in (("opening_balance", "期初余额"), ("closing_balance", "期末余额")):
        if data.get(key) is None or not str(data[key]).strip():
            raise InvalidInput(f"请填写{label};收支须与期初、期末余额对得上。")
    opening = _money(data.get("opening_balance"), "期初余额")
    closing = _money(data.get("closing_balance"), "期末余额")
    clean_lines = [finance_line(line, f"第 {number} 笔") for number, line in enumerate(lines, start=1)]
    taken: set[str] = set()
    for line in clean_lines:
        if line.get("id") in taken or "id" not in line:
            line["id"] = line_id_new()
        taken.add(line["id"])
    income, expense = finance_totals(clean_lines)
    if opening + income - expense != closing:
        raise InvalidInput(
            f"收支不平:期初 {opening} + 收入 {income} − 支出 {expense} = {opening + income - expense},"
            f"与期末余额 {closing} 不符。"
        )
    return {
        "period": _text(data.get("period"), "所属期", limit=40),
        "opening_balance": str(opening),
        "closing_balance": str(closing),
        "income_total": str(income),
        "expense_total": str(expense),
        "lines": clean_lines,
    }


def relief_household(row: dict[str, Any], where: str) -> dict[str, Any]:
    """One household of a relief roster, clean, or InvalidInput naming ``where`` (第 3 户, 第 12 行).
    An identity number, when given, must be a real one (GB 11643: its check digit and birth date)."""
    try:
        age = int(row.get("age"))  # type: ignore[arg-type]
        size = int(row.get("household_size"))  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{where}的年龄和家庭人口须填写数字。") from exc
    if not (0 <= age <= 130) or not (1 <= size <= 30):
        raise InvalidInput(f"{where}的年龄或家庭人口不合理。")
    amount = _money(row.get("amount"), where)
    if amount < 0:
        raise InvalidInput(f"{where}的救助金额不能为负数。")
    id_number = _text(row.get("id_number"), f"{where}的身份证号", required=False, limit=30)
    if id_number:
        problem = identity_problem(id_number)
        if problem:
            raise InvalidInput(f"{where}的{problem}")
        id_number = identity_compact(id_number)
    return {
        "name": _text(row.get("name"), f"{where}的户主姓名", limit=20),
        "id_number": id_number,
        "age": age,
        "household_size": size,
        "hardship": _text(row.get("hardship"), f"{where}的困难情况", limit=200),
        "amount": str(amount),
    }


def validate_relief(data: dict[str, Any]) -> dict[str, Any]:
    """Per household: name, age, household size, hardship, amount (004 ⑴ — not names alone).
    Identity numbers may be kept for staff, and never leave through ``public_view``."""
    households = data.get("households") or []
    if not households:
        raise InvalidInput("救助名单至少要有一户。")
    clean = [relief_household(row, f"第 {number} 户") for number, row in enumerate(households, start=1)]
    return {"programme": _text(data.get("programme"), "救助类别", limit=50), "households": clean}


def validate_plan(data: dict[str, Any]) -> dict[str, Any]:
    milestones = data.get("milestones") or []
    if not milestones:
        raise InvalidInput("工作计划或重点项目须列出时间节点(004 ⑸)。")
    clean = []
    for number, m in enumerate(milestones, start=1):
        where = f"第 {number} 个节点"
        try:
            progress = int(m.get("progress") or 0)
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"{where}的进度须是 0–100 的数字。") from exc
        if not 0 <= progress <= 100:
            raise InvalidInput(f"{where}的进度须是 0–100 的数字。")
        clean.append(
            {
                "name": _text(m.get("name"), f"{where}的名称", limit=100),
                "planned_date": _date(m.get("planned_date"), f"{where}的计划日期"),
                "actual_date": _date(m.get("actual_date"), f"{where}的实际日期")
                if m.get("actual_date")
                else "",
                "progress": progress,
            }
        )
    return {"milestones": clean}


def validate_cadre(data: dict[str, Any]) -> dict[str, Any]:
    officers = data.get("officers") or []
    if not officers:
        raise InvalidInput("干部监督台至少要有一名干部。")
    return {
        "officers": [
            {
                "name": _text(o.get("name"), "姓名", limit=20),
                "post": _text(o.get("post"), "职务", limit=50),
                "duties": _text(o.get("duties"), "分管工作", required=False, limit=200),
                "area": _text(o.get("area"), "所包巷道", required=False, limit=200),
                "phone": _text(o.get("phone"), "联系电话", required=False, limit=30),
            }
            for o in officers
        ]
    }


def validate_service_guide(data: dict[str, Any]) -> dict[str, Any]:
    steps = [s for s in (str(x).strip() for x in data.get("steps") or []) if s]
    if not steps:
        raise InvalidInput("办事指南须写明办理步骤。")
    return {
        "steps": steps,
        "documents": [d for d in (str(x).strip() for x in data.get("documents") or []) if d],
        "fee": _text(data.get("fee"), "收费标准", limit=100),
        "time_limit": _text(data.get("time_limit"), "办理时限", limit=100),
    }


# A briefing (工作简报, 000 第九条(五); 004 ⑷): sections compiled from a quarter's data. Each section has
# a heading, the text the clerk may edit, and the figures (facts and a table) as they were compiled.
BRIEFING_MAX_SECTIONS = 20
BRIEFING_TEXT_CHARS = 5000
BRIEFING_MAX_ROWS = 2000
BRIEFING_MAX_COLUMNS = 12


def _cells(values: Any, where: str, *, limit: int) -> list[str]:
    if not isinstance(values, list | tuple):
        raise InvalidInput(f"{where}的格式不对。")
    return [_text(v, where, required=False, limit=limit) for v in values]


def briefing_section(section: dict[str, Any], where: str) -> dict[str, Any]:
    """One section of a briefing, clean: heading, text, facts ([label, value] pairs) and a table."""
    if not isinstance(section, dict):
        raise InvalidInput(f"{where}的格式不对。")
    facts = section.get("facts") or []
    columns = _cells(section.get("columns") or [], f"{where}的表头", limit=30)
    rows = section.get("rows") or []
    if len(columns) > BRIEFING_MAX_COLUMNS or len(rows) > BRIEFING_MAX_ROWS or len(facts) > 30:
        raise InvalidInput(f"{where}的表格太大。")
    clean_rows = [_cells(row, f"{where}的表格", limit=500) for row in rows]
    if any(len(row) != len(columns) for row in clean_rows):
        raise InvalidInput(f"{where}的表格每行须与表头一样多列。")
    clean_facts = [_cells(fact, f"{where}的数字", limit=100) for fact in facts]
    if any(len(fact) != 2 for fact in clean_facts):
        raise InvalidInput(f"{where}的数字须是“名称、数值”两项。")
    return {
        "key": _text(section.get("key"), f"{where}的编号", required=False, limit=30),
        "heading": _text(section.get("heading"), f"{where}的标题", limit=50),
        "text": _text(section.get("text"), f"{where}的文字", required=False, limit=BRIEFING_TEXT_CHARS),
        "facts": clean_facts,
        "columns": columns,
        "rows": clean_rows,
    }


def validate_briefing(data: dict[str, Any]) -> dict[str, Any]:
    """A quarter's briefing: the quarter it covers and its sections, generated from that quarter's data
    (the 工作简报 page) and then edited; a briefing is not typed from nothing."""
    period = str(data.get("period") or "")
    sections = data.get("sections") or []
    if not re.fullmatch(r"\d{4}Q[1-4]", period) or not sections:
        raise InvalidInput("工作简报须按季度从本季度的数据生成:请在“工作简报”页选择季度后生成。")
    if len(sections) > BRIEFING_MAX_SECTIONS:
        raise InvalidInput(f"工作简报最多 {BRIEFING_MAX_SECTIONS} 个部分。")
    return {
        "period": period,
        "sections": [briefing_section(s, f"第 {n} 部分") for n, s in enumerate(sections, start=1)],
    }


# 征求意见 and its result: what the proposal is is the body; the period and the result's texts are here.
CONSULTATION_TEXT_CHARS = 5000


def _day(value: Any, what: str) -> date:
    if value is None or not str(value).strip():
        raise InvalidInput(f"请填写{what}。")
    return date.fromisoformat(_date(value, what))


def validate_consultation(data: dict[str, Any]) -> dict[str, Any]:
    """征求意见 (新视界方案 四(一)): the opinion period, at least CONSULTATION_MIN_DAYS days, both ends
    counted. (Publication checks it again from the day it is published: ``consultations``.)"""
    opens = _day(data.get("opens_on"), "意见征集的开始日期")
    closes = _day(data.get("closes_on"), "意见征集的截止日期")
    days = (closes - opens).days + 1
    if days < CONSULTATION_MIN_DAYS:
        raise InvalidInput(
            f"意见征集期至少 {CONSULTATION_MIN_DAYS} 天(开始日和截止日都算),现在只有 {max(days, 0)} 天,"
            "请把截止日期往后推。"
        )
    return {"opens_on": opens.isoformat(), "closes_on": closes.isoformat()}


def _reference(value: Any, what: str, *, required: bool) -> int | None:
    text = str(value or "").strip()
    if not text:
        if required:
            raise InvalidInput(f"请选择{what}。")
        return None
    if not text.isdigit():
        raise InvalidInput(f"请从列表中选择{what}。")
    return int(text)


def validate_consultation_result(data: dict[str, Any]) -> dict[str, Any]:
    """征求意见结果: which consultation, the opinions summed up, the decision, and the disclosure that
    carries the decision out (if it is already published). Whether the consultation's period has
    ended is checked when it is published (``consultations``)."""
    return {
        "consultation": _reference(data.get("consultation"), "这是哪一次征求意见的结果", required=True),
        "summary": _text(data.get("summary"), "意见汇总", limit=CONSULTATION_TEXT_CHARS),
        "decision": _text(data.get("decision"), "决定", limit=CONSULTATION_TEXT_CHARS),
        "follow_up": _reference(data.get("follow_up"), "落实决定的公开内容", required=False),
    }


VALIDATORS = {
    ContentType.FINANCE: validate_finance,
    ContentType.RELIEF: validate_relief,
    ContentType.PLAN: validate_plan,
    ContentType.CADRE: validate_cadre,
    ContentType.SERVICE_GUIDE: validate_service_guide,
    ContentType.BRIEFING: validate_briefing,
    ContentType.CONSULTATION: validate_consultation,
    ContentType.CONSULTATION_RESULT: validate_consultation_result,
}


def validate(content_type: str, data: dict[str, Any] | None) -> dict[str, Any]:
    validator = VALIDATORS.get(ContentType(content_type))
    return validator(data or {}) if validator else {}


def mask_name(name: str) -> str:
    """张三 → 张*, 张小明 → 张*明, 欧阳小明 → 欧**明 (PIPL: names in public rosters are masked)."""
    name = name.strip()
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# A resident's identity number (18 characters) and mainland mobile number (spaces or dashes allowed
# between its groups), as a clerk may type them into free text. A digit or letter right before or
# after means they are part of something else: a longer number, a voucher code, a hash.
IDENTITY_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE_NUMBER = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d(?:[ \-]?\d{4}){2}(?![0-9A-Za-z])")


def _mask_mobile(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return f"{digits[:3]}****{digits[-4:]}"


def mask_numbers(text: str) -> str:
    """Free text about a resident, fit for the public: identity numbers removed, mobile numbers as
    139****5678 (PIPL: no more personal data than the purpose needs)."""
    return MOBILE_NUMBER.sub(_mask_mobile, IDENTITY_NUMBER.sub("[身份证号已隐去]", text or ""))


def public_view(content_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """What the public may see of the structured content: relief rosters masked, no identity numbers
    (not even typed into the hardship text), mobile numbers cut to their first three and last four."""
    if content_type == ContentType.RELIEF:
        return {
            "programme": mask_numbers(data.get("programme", "")),
            "households": [
                {
                    "name": mask_name(h["name"]),
                    "age": h["age"],
                    "household_size": h["household_size"],
                    "hardship": mask_numbers(h["hardship"]),
                    "amount": h["amount"],
                }
                for h in data.get("households", [])
            ],
        }
    return data
