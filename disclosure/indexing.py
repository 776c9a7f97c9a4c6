"""What the public index holds of one version: the portal's public view of it, as searchable text.

The text is built from what any resident may read and nothing else. A relief roster gives its title
and programme only: its households (names, even masked; identity numbers; hardship) are never
indexed, so a search can never confirm who is on a roster. Everything else gives its body without
markup and the words of its structured content (a finance line's summary and category, a plan's
milestones, a service guide's steps and documents, a cadre board's posts and duties).
"""

from __future__ import annotations

import html
from typing import Any

from django.utils.html import strip_tags

from disclosure.choices import ContentType, DisclosureStatus
from disclosure.content import mask_numbers
from disclosure.models import Disclosure
from finder.services import Document
from workdays.periods import period_zh

# The parts of each kind of structured content worth searching, per item of its list.
STRUCTURED_TEXT: dict[str, tuple[str, tuple[str, ...]]] = {
    ContentType.FINANCE: ("lines", ("description", "category")),
    ContentType.PLAN: ("milestones", ("name",)),
    ContentType.CADRE: ("officers", ("name", "post", "duties", "area")),
}


def _plain(body: str) -> str:
    return " ".join(html.unescape(strip_tags(body.replace("<", " <"))).split())


def _structured(content_type: str, data: dict[str, Any]) -> list[str]:
    if content_type == ContentType.SERVICE_GUIDE:
        return [
            *data.get("steps", []),
            *data.get("documents", []),
            data.get("fee", ""),
            data.get("time_limit", ""),
        ]
    # a period as residents read it (2026年第二季度), whatever label the statement was typed with
    head = (
        [period_zh(str(data["period"]))] if content_type == ContentType.FINANCE and data.get("period") else []
    )
    listed, keys = STRUCTURED_TEXT.get(content_type, ("", ()))
    return head + [str(item.get(k, "")) for item in data.get(listed, []) or [] for k in keys if item.get(k)]


def public_text(disclosure: Disclosure) -> str:
    """The searchable text of a version: never a roster's households, never an identity number."""
    if disclosure.content_type == ContentType.RELIEF:
        return mask_numbers(str((disclosure.data or {}).get("programme", "")))
    parts = [_plain(disclosure.body), *_structured(disclosure.content_type, disclosure.data or {})]
    return "\n".join(p.strip() for p in parts if p and p.strip())


def public_document(disclosure: Disclosure) -> Document:
    """The index entry of a published (or archived, or superseded) version."""
    obligation = disclosure.obligation
    assert disclosure.published_at is not None  # every locked version has it (a database constraint)
    return Document(
        disclosure_id=disclosure.pk,
        category=disclosure.category,
        content_type=disclosure.content_type,
        audience=disclosure.audience,
        status=disclosure.status,
        is_current=disclosure.status != DisclosureStatus.SUPERSEDED,
        title=disclosure.title,
        text=public_text(disclosure),
        published_at=disclosure.published_at,
        content_hash=disclosure.content_hash,
        period=obligation.period if obligation else "",
        period_start=obligation.period_start if obligation else None,
        period_end=obligation.period_end if obligation else None,
        version=disclosure.version,
        supersedes_id=disclosure.supersedes_id,
        correction_reason=disclosure.correction_reason,
        channels=list(disclosure.channels or []),
        public_from=disclosure.public_from,
        display_until=disclosure.display_until,
    )
