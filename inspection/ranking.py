"""Ranks: every place the street office ranks communities (the evaluation and what is published from
it, the dashboard's on-time ranking) ranks them here, so a tie reads the same everywhere."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypeVar

from inspection.rules import SCORE_PRECISION

T = TypeVar("T")


def competition_ranked(
    items: Iterable[T],
    *,
    score: Callable[[T], Decimal | None],
    then: Callable[[T], Any] | None = None,
) -> list[tuple[int | None, T]]:
    """Best score first, each item with its rank: standard competition ranking, so equal scores share a
    rank and the next rank skips the places they took (95.0, 95.0, 90.0 → 1, 1, 3).

    Scores are compared at the precision they are shown (``SCORE_PRECISION``): two communities whose
    scores read the same on a page, a PDF or the residents' portal never get different ranks. ``then``
    only orders the items inside a shared rank; it never splits one. Items without a score (nothing to
    rank yet) come last, with no rank."""
    shown = [(None if (s := score(item)) is None else s.quantize(SCORE_PRECISION), item) for item in items]
    scored = [(value, item) for value, item in shown if value is not None]
    scored.sort(key=lambda pair: (-pair[0], then(pair[1]) if then else 0))
    ranked: list[tuple[int | None, T]] = []
    rank, previous = 0, None
    for position, (value, item) in enumerate(scored, start=1):
        if value != previous:
            rank, previous = position, value
        ranked.append((rank, item))
    ranked.extend((None, item) for value, item in shown if value is None)
    return ranked
