"""What a draft started from an obligation begins with: the catalogue item's terms and the previous
period's structure.

The title names the community, the period as people write it (2026年10月, 2026年第三季度, 2026年度;
none for a fixed item, the day for an event) and the item. Category, content type and audience are the
catalogue item's as the obligation copied them. From what residents last saw of the same item
(``selectors.publication_previous``) the draft takes what carries over from one period to the next,
and never a figure of the earlier period as if it were this one's:

- finance (财务收支表): the opening balance is the previous closing balance; no line is copied, every
  line of a period is that period's own;
- relief roster (救助名单): the programme and the households (name, identity number, age, household
  size, hardship), without their amounts — each is confirmed for the new period;
- plan (工作计划/重点项目): the milestones with their dates and progress, to be brought up to date;
- cadre board (干部监督台): the community's current cadre board (``communities``), or else the officers
  last published;
- service guide (办事指南): steps, documents, fee and time limit, and the introduction;
- notice (一般公告): the previous text's headings, without its paragraphs.

Nothing is saved here: the editor shows the draft filled in, with a note of what came from which
period, and the drafter's 保存 creates it through ``services.disclosure_create``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from communities.selectors import committees_with_officers
from disclosure import selectors
from disclosure.choices import Cadence, ContentType
from disclosure.models import Disclosure, Obligation
from workdays.periods import period_title_zh

# A note in full-width brackets at the end of a catalogue item's title: (逐笔明细), (干部监督台).
_TITLE_NOTE = re.compile(r"[((][^()()]*[))]$")
_HEADING = re.compile(r"<(h[34])>(.*?)</\1>", re.S)
# What is kept of a relief household: everything but the amount of the earlier period.
HOUSEHOLD_CARRIED = ("name", "id_number", "age", "household_size", "hardship")


@dataclass
class Prefill:
    """The editor's starting point for one obligation."""

    fields: dict[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    previous: Disclosure | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def previous_period(self) -> str:
        obligation = self.previous.obligation if self.previous else None
        return obligation.period_zh if obligation else ""


def draft_title(obligation: Obligation, *, community_name: str) -> str:
    """银城社区2026年第三季度财务收支情况: the community, the period as a title names it, the item."""
    if obligation.source == Obligation.Source.ORDER:
        return obligation.title
    item = _TITLE_NOTE.sub("", obligation.title).strip()
    # 银城社区财务收支情况, not 银城社区社区…; 社区事务 stays whole (the name of a part of 居务)
    if community_name.endswith("社区") and item.startswith("社区") and not item.startswith("社区事务"):
        item = item.removeprefix("社区")
    when = obligation.period_zh if obligation.cadence == Cadence.EVENT else period_title_zh(obligation.period)
    if when.endswith("年度"):  # 2026年度工作计划, not 2026年度年度工作计划
        item = item.removeprefix("年度")
    return f"{community_name}{when}{item}"[:200]


def draft_prefill(*, obligation: Obligation, community_name: str) -> Prefill:
    """The draft of ``obligation`` as the editor first shows it (see the module's docstring)."""
    previous = selectors.publication_previous(obligation=obligation)
    prefill = Prefill(
        fields={
            "title": draft_title(obligation, community_name=community_name),
            "category": obligation.category,
            "content_type": obligation.content_type,
            "audience": obligation.audience,
            "body": "",
        },
        previous=previous,
    )
    CARRY.get(obligation.content_type, _notice)(prefill, obligation, _same_kind(previous, obligation))
    return prefill


def _same_kind(previous: Disclosure | None, obligation: Obligation) -> dict[str, Any] | None:
    """The previous version's structured content, when it has the structure this draft has."""
    if previous is None or previous.content_type != obligation.content_type:
        return None
    return previous.data or {}


def _finance(prefill: Prefill, obligation: Obligation, previous: dict[str, Any] | None) -> None:
    prefill.data["period"] = period_title_zh(obligation.period) or obligation.period_zh
    closing = _amount((previous or {}).get("closing_balance"))
    if closing is not None:
        prefill.data["opening_balance"] = str(closing)
        prefill.notes.append(f"期初余额 {closing:,.2f} 元:上期({prefill.previous_period})公开的期末余额。")
    prefill.notes.append("收支明细没有带入:每一笔都属于本期,请逐笔填写或从表格导入。")


def _relief(prefill: Prefill, obligation: Obligation, previous: dict[str, Any] | None) -> None:
    if not previous:
        return
    households = [{k: h.get(k, "") for k in HOUSEHOLD_CARRIED} for h in previous.get("households", [])]
    prefill.data = {"programme": previous.get("programme", ""), "households": households}
    prefill.notes.append(
        f"带入上期({prefill.previous_period})名单上的 {len(households)} 户:户主、身份证号、年龄、家庭人口和"
        "困难情况。救助金额没有带入,请逐户核对后填写本期金额;本期不再救助的户,清空那一行即可。"
    )


def _plan(prefill: Prefill, obligation: Obligation, previous: dict[str, Any] | None) -> None:
    milestones = (previous or {}).get("milestones") or []
    if not milestones:
        return
    prefill.data = {"milestones": [dict(m) for m in milestones]}
    prefill.notes.append(
        f"带入上期({prefill.previous_period})的 {len(milestones)} 个时间节点及当时的进度,"
        "请更新为本期的进度和实际完成日期。"
    )


def _cadre(prefill: Prefill, obligation: Obligation, previous: dict[str, Any] | None) -> None:
    officers = [
        {"name": o.name, "post": o.post, "duties": o.duties, "area": o.area_covered, "phone": o.phone}
        for committee in committees_with_officers()
        for o in committee.officers.all()
    ]
    if officers:
        prefill.data = {"officers": officers}
        prefill.notes.append(f"干部名单取自“社区概况和干部监督台”的当前名单({len(officers)} 名),请核对。")
    elif previous and previous.get("officers"):
        prefill.data = {"officers": [dict(o) for o in previous["officers"]]}
        prefill.notes.append(
            f"带入上期({prefill.previous_period})公开的 {len(prefill.data['officers'])} 名干部,请核对。"
        )
    _stable_body(prefill)


def _service_guide(prefill: Prefill, obligation: Obligation, previous: dict[str, Any] | None) -> None:
    if not previous:
        return
    prefill.data = {k: previous.get(k, [] if k in ("steps", "documents") else "") for k in _GUIDE}
    prefill.notes.append(
        f"带入上期({prefill.previous_period})的办理步骤、所需材料、收费标准和办理时限,请核对。"
    )
    _stable_body(prefill)


_GUIDE = ("steps", "documents", "fee", "time_limit")


def _stable_body(prefill: Prefill) -> None:
    """Content that stays the same from one period to the next keeps its introduction too."""
    if prefill.previous is not None and prefill.previous.body:
        prefill.fields["body"] = prefill.previous.body
        prefill.notes.append("正文沿用上期的说明。")


def _notice(prefill: Prefill, obligation: Obligation, previous: dict[str, Any] | None) -> None:
    body = prefill.previous.body if prefill.previous is not None else ""
    headings = _HEADING.findall(body or "")
    if not headings:
        return
    prefill.fields["body"] = "".join(f"<{tag}>{text}</{tag}><p></p>" for tag, text in headings)
    prefill.notes.append(
        f"带入上期({prefill.previous_period})正文的 {len(headings)} 个小标题,各段内容请按本期情况填写。"
    )


def _amount(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01")) if value not in (None, "") else None
    except InvalidOperation:
        return None


CARRY: dict[str, Callable[[Prefill, Obligation, dict[str, Any] | None], None]] = {
    ContentType.FINANCE: _finance,
    ContentType.RELIEF: _relief,
    ContentType.PLAN: _plan,
    ContentType.CADRE: _cadre,
    ContentType.SERVICE_GUIDE: _service_guide,
}
