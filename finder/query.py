"""What someone typed, read as a search: a period, and terms each with its synonyms.

Words are ANDed; the synonyms of a word are ORed with it (低保 → 低保 | 最低生活保障 | …). A word or
synonym that jieba cuts into several words must have all of them (最低生活保障 → 最低 & 生活 & 保障).
Dictionary words are found in the typed text before jieba cuts it, so 城市低保 stays one term with its
own synonyms rather than 城市 and 低保.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from finder.periods import period_read
from finder.segment import query_words
from workdays.periods import Period


@dataclass(frozen=True)
class Term:
    """One thing searched for: any one of ``alternatives`` (each a list of words that must all be there)."""

    typed: str
    alternatives: tuple[tuple[str, ...], ...]
    phrases: tuple[str, ...]  # the words as written, to highlight whole (最低生活保障 before 最低)


@dataclass(frozen=True)
class Query:
    typed: str
    period: Period | None = None
    period_said: str = ""
    terms: tuple[Term, ...] = field(default_factory=tuple)

    @property
    def tsquery(self) -> str:
        """The terms as PostgreSQL's ``to_tsquery('simple', …)`` reads them; empty without terms."""
        return " & ".join(
            "(" + " | ".join("(" + " & ".join(_quoted(w) for w in alt) + ")" for alt in t.alternatives) + ")"
            for t in self.terms
        )

    @property
    def highlights(self) -> list[str]:
        """Everything to mark in a title or snippet, longest first."""
        found = {p for t in self.terms for p in t.phrases} | {
            w for t in self.terms for a in t.alternatives for w in a
        }
        return sorted((p for p in found if p), key=lambda p: (-len(p), p))

    @property
    def synonyms_used(self) -> list[tuple[str, list[str]]]:
        """Each typed word that was widened, with what it was widened to (shown under the box)."""
        return [(t.typed, [p for p in t.phrases if p != t.typed]) for t in self.terms if len(t.phrases) > 1]


def _quoted(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _groups_of(word: str, groups: Iterable[tuple[str, ...]]) -> list[str]:
    """The word and every word that shares a group with it, the word first."""
    widened = [word]
    for group in groups:
        if word in group:
            widened += [w for w in group if w not in widened]
    return widened


def _term(word: str, groups: list[tuple[str, ...]]) -> Term | None:
    phrases = _groups_of(word, groups)
    alternatives: list[tuple[str, ...]] = []
    for phrase in phrases:
        words = tuple(query_words(phrase))
        if words and words not in alternatives:
            alternatives.append(words)
    if not alternatives:
        return None
    return Term(typed=word, alternatives=tuple(alternatives), phrases=tuple(phrases))


def query_read(typed: str, *, today: date, groups: Iterable[tuple[str, ...]]) -> Query:
    """Read ``typed`` against ``groups`` of synonyms (the built-in ones and the street office's)."""
    groups = [tuple(w.strip().lower() for w in g if w.strip()) for g in groups]
    understood = period_read(typed.strip(), today=today)
    text = understood.rest.lower()
    known = sorted({w for g in groups for w in g}, key=len, reverse=True)
    pieces: list[tuple[str, bool]] = []  # (text, is a dictionary word)
    if known:
        at = 0
        for match in re.finditer("|".join(re.escape(w) for w in known), text):
            pieces.append((text[at : match.start()], False))
            pieces.append((match.group(0), True))
            at = match.end()
        pieces.append((text[at:], False))
    else:
        pieces = [(text, False)]
    words: list[str] = []
    for piece, whole in pieces:
        for word in [piece] if whole else query_words(piece):
            if word not in words:
                words.append(word)
    terms = tuple(t for t in (_term(w, groups) for w in words) if t is not None)
    return Query(typed=typed, period=understood.period, period_said=understood.said, terms=terms)
