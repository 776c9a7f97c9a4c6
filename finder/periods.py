"""Dates and periods in what residents type: 10月, 2026年10月, 三季度, 第三季度, 2026年, 去年, 今年, 上个月 …

Each is taken out of the query and becomes a period (``workdays.periods.Period``), relative to ``today``
(passed in, so a test can freeze it). A month or quarter named without its year is the latest one that
has begun by today: in February 2027, 10月 is October 2026. The rest of the query is searched as words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from workdays.periods import YEARS, Period, Span, add_months, period_of

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_MONTH_NUMBER = r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_QUARTER_NUMBER = r"([1-4一二三四])"

# Order matters: the longest forms first, so 2026年10月 is not read as 2026年 and 10月.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("year_month", re.compile(rf"(\d{{4}})\s*年\s*{_MONTH_NUMBER}\s*月份?")),
    ("year_month_dash", re.compile(r"(?<!\d)(\d{4})[-/.](1[0-2]|0?[1-9])(?![\d])")),
    ("year_quarter", re.compile(rf"(\d{{4}})\s*年?\s*(?:第\s*)?{_QUARTER_NUMBER}\s*季度")),
    ("year_quarter_q", re.compile(r"(\d{4})\s*[Qq]([1-4])")),
    ("year_half", re.compile(r"(\d{4})\s*年?\s*([上下])半年")),
    ("year", re.compile(r"(\d{4})\s*年度?")),
    ("relative", re.compile(r"(去年|前年|今年|本年度?|上个?月|本月|这个月|上个?季度|本季度|这个季度)")),
    ("month", re.compile(rf"(?<![\d年]){_MONTH_NUMBER}\s*月份?")),
    ("quarter", re.compile(rf"(?:第\s*)?{_QUARTER_NUMBER}\s*季度")),
    ("half", re.compile(r"([上下])半年")),
)


@dataclass(frozen=True)
class PeriodQuery:
    """What was understood: the period (or None) and the words left to search for."""

    period: Period | None
    rest: str
    said: str = ""  # the characters that named the period, as typed


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_CN_DIGITS[text[1]] if len(text) > 1 else 0)
    return _CN_DIGITS[text]


def _latest(span: Span, index: int, today: date) -> Period:
    """The latest month/quarter/half numbered ``index`` that has begun by ``today``."""
    months = {Span.MONTH: 1, Span.QUARTER: 3, Span.HALF_YEAR: 6}[span]
    start = date(today.year, (index - 1) * months + 1, 1)
    if start > today:
        start = start.replace(year=today.year - 1)
    return Period(start, span)


def _relative(word: str, today: date) -> Period:
    if word == "去年":
        return Period(date(today.year - 1, 1, 1), Span.YEAR)
    if word == "前年":
        return Period(date(today.year - 2, 1, 1), Span.YEAR)
    if word in ("今年", "本年", "本年度"):
        return Period(date(today.year, 1, 1), Span.YEAR)
    if word in ("上月", "上个月"):
        return Period(add_months(today, -1), Span.MONTH)
    if word in ("本月", "这个月"):
        return period_of(Span.MONTH, today)
    current = period_of(Span.QUARTER, today)
    if word in ("上季度", "上个季度"):
        return Period(add_months(current.start, -3), Span.QUARTER)
    return current


def _period(kind: str, groups: tuple[str, ...], today: date) -> Period | None:
    if kind == "relative":
        return _relative(groups[0], today)
    if kind in ("month", "quarter", "half"):
        span = {"month": Span.MONTH, "quarter": Span.QUARTER, "half": Span.HALF_YEAR}[kind]
        index = {"上": 1, "下": 2}.get(groups[0]) or _number(groups[0])
        return _latest(span, index, today)
    year = int(groups[0])
    if year not in YEARS:
        return None
    if kind in ("year_month", "year_month_dash"):
        return Period(date(year, _number(groups[1]), 1), Span.MONTH)
    if kind in ("year_quarter", "year_quarter_q"):
        return Period(date(year, (_number(groups[1]) - 1) * 3 + 1, 1), Span.QUARTER)
    if kind == "year_half":
        return Period(date(year, 1 if groups[1] == "上" else 7, 1), Span.HALF_YEAR)
    return Period(date(year, 1, 1), Span.YEAR)


def period_read(text: str, *, today: date) -> PeriodQuery:
    """The first period named in ``text`` and the text without it. Only one period is read: a second
    one stays among the words (it still matches titles that spell it)."""
    for kind, pattern in _PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        period = _period(kind, match.groups(), today)
        if period is None:
            continue
        rest = (text[: match.start()] + " " + text[match.end() :]).strip()
        return PeriodQuery(period=period, rest=rest, said=match.group(0))
    return PeriodQuery(period=None, rest=text.strip())
