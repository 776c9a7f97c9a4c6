"""The periods the street office looks at: months, quarters and years."""

from __future__ import annotations

from datetime import date, timedelta

from inspection.choices import PeriodKind


def _month_end(day: date) -> date:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def periods_of_year(year: int) -> list[tuple[str, str, date, date]]:
    """(kind, label, start, end) for the 12 months, 4 quarters and the year."""
    result: list[tuple[str, str, date, date]] = []
    for month in range(1, 13):
        start = date(year, month, 1)
        result.append((PeriodKind.MONTH, f"{year}-{month:02d}", start, _month_end(start)))
    for quarter in range(4):
        start = date(year, quarter * 3 + 1, 1)
        result.append(
            (PeriodKind.QUARTER, f"{year}Q{quarter + 1}", start, _month_end(date(year, quarter * 3 + 3, 1)))
        )
    result.append((PeriodKind.YEAR, str(year), date(year, 1, 1), date(year, 12, 31)))
    return result
