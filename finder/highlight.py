"""Snippets with the matched words marked, built in Python from the text as residents read it.

PostgreSQL's ``ts_headline`` works on the segmented text and would show words with spaces between
them; here the snippet is cut from the original text around the first word found, escaped, and every
match wrapped in ``<mark>``.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 90  # about two lines on a phone at the portal's type size
BEFORE_CHARS = 20  # how much of the text before the first match the snippet keeps
ELLIPSIS = "…"


def _pattern(words: list[str]) -> re.Pattern[str] | None:
    words = [w for w in words if w]
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)


def marked(text: str, words: list[str]) -> SafeString:
    """``text`` escaped, with every occurrence of ``words`` (longest first) in ``<mark>``."""
    pattern = _pattern(words)
    if pattern is None:
        return mark_safe(escape(text))  # escaped just now
    out: list[str] = []
    at = 0
    for match in pattern.finditer(text):
        out.append(escape(text[at : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        at = match.end()
    out.append(escape(text[at:]))
    return mark_safe("".join(out).replace("</mark><mark>", ""))  # every piece escaped


def snippet(text: str, words: list[str], *, length: int = SNIPPET_CHARS) -> SafeString:
    """About ``length`` characters of ``text`` around the first of ``words`` found in it (or its start
    when none is), with the matches marked and an ellipsis where the text was cut."""
    text = re.sub(r"\s+", " ", text).strip()
    pattern = _pattern(words)
    first = pattern.search(text) if pattern is not None else None
    start = max(0, first.start() - BEFORE_CHARS) if first else 0
    end = min(len(text), start + length)
    start = max(0, min(start, end - length))
    piece = text[start:end]
    shown = marked(piece, words)
    return mark_safe(  # ``marked`` escaped it
        (ELLIPSIS if start > 0 else "") + shown + (ELLIPSIS if end < len(text) else "")
    )
