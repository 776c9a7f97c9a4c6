"""Writes of the public index and of the street office's synonyms.

The index is written by the community's engine in the transaction that publishes, corrects or archives
(``disclosure.services.indexing``), with a ``Document``: what the portal shows of one version, already
cut to its public view. Nothing here reads a community's schema.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.utils.translation import gettext

from finder.models import Entry, SynonymGroup
from finder.permissions import SYNONYM_EDITORS, SYNONYM_REFUSED
from finder.segment import index_words, joined
from finder.selectors import CONFIG, synonym_groups
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import Community, StreetOffice, User
from tenants.selectors import street_office_roles_of

logger = logging.getLogger(__name__)

SYNONYM_MAX_CHARS = 20
SYNONYM_MAX_WORDS = 10


@dataclass(frozen=True)
class Document:
    """One version as the public may read it; ``text`` is what may be searched (never a roster's
    households)."""

    disclosure_id: int
    category: str
    content_type: str
    audience: str
    status: str
    is_current: bool
    title: str
    text: str
    published_at: datetime
    content_hash: str
    period: str = ""
    period_start: date | None = None
    period_end: date | None = None
    version: int = 1
    supersedes_id: int | None = None
    correction_reason: str = ""
    channels: list[str] = field(default_factory=list)
    public_from: date | None = None
    display_until: date | None = None


def _fields(document: Document) -> dict[str, Any]:
    values = asdict(document)
    values.pop("disclosure_id")
    return values


def _vector() -> Any:
    return SearchVector("title_words", config=CONFIG, weight="A") + SearchVector(
        "text_words", config=CONFIG, weight="B"
    )


def entry_put(*, community: Community, document: Document) -> Entry:
    """Write (or rewrite) the entry of one version, its words segmented and its vector computed, in the
    caller's transaction."""
    values = _fields(document)
    values["title_words"] = joined(index_words(document.title))
    values["text_words"] = joined(index_words(document.text))
    entry, _ = Entry.objects.update_or_create(
        community=community, disclosure_id=document.disclosure_id, defaults=values
    )
    Entry.objects.filter(pk=entry.pk).update(words=_vector())
    return entry


def entry_remove(*, community: Community, disclosure_id: int) -> int:
    """Take a version out of the index (it is no longer public); the number of rows removed."""
    removed, _ = Entry.objects.filter(community=community, disclosure_id=disclosure_id).delete()
    return removed


@dataclass(frozen=True)
class Reconciled:
    added: int
    updated: int
    removed: int
    unchanged: int


def _differs(entry: Entry, values: dict[str, Any]) -> bool:
    return any(getattr(entry, name) != value for name, value in values.items())


@transaction.atomic
def entries_reconcile(
    *, community: Community, documents: list[Document], rewrite: bool = False
) -> Reconciled:
    """Make the community's entries exactly ``documents`` (every public version its schema holds):
    add what is missing, rewrite what drifted (or everything, with ``rewrite``), remove what is no
    longer public. Logs and returns the counts."""
    existing = {e.disclosure_id: e for e in Entry.objects.filter(community=community)}
    added = updated = unchanged = 0
    for document in documents:
        entry = existing.pop(document.disclosure_id, None)
        if entry is None:
            added += 1
        elif rewrite or _differs(entry, _fields(document)):
            updated += 1
        else:
            unchanged += 1
            continue
        entry_put(community=community, document=document)
    removed = 0
    if existing:
        removed, _ = Entry.objects.filter(pk__in=[e.pk for e in existing.values()]).delete()
    result = Reconciled(added=added, updated=updated, removed=removed, unchanged=unchanged)
    logger.info(
        "public index of %s reconciled: %s added, %s updated, %s removed, %s unchanged",
        community.schema_name,
        added,
        updated,
        removed,
        unchanged,
    )
    return result


# --- the street office's synonyms ----------------------------------------------------------------


def _may_edit(actor: User, street_office: StreetOffice) -> None:
    roles = street_office_roles_of(user=actor, street_office_id=street_office.pk)
    if not (actor.is_superuser or SYNONYM_EDITORS & roles):
        raise NotAllowed(SYNONYM_REFUSED)


def synonym_words_clean(typed: str) -> list[str]:
    """Words typed one per line or separated by spaces, commas or 、; each kept once, as typed."""
    words: list[str] = []
    for raw in typed.replace(",", " ").replace(",", " ").replace("、", " ").replace("=", " ").split():
        word = raw.strip()
        if word and word not in words:
            words.append(word)
    return words


@transaction.atomic
def synonym_group_add(*, street_office: StreetOffice, words: list[str], actor: User) -> SynonymGroup:
    """Words that mean the same thing to residents of this street office, added to the built-in list."""
    _may_edit(actor, street_office)
    if len(words) < 2:
        raise InvalidInput(gettext("请至少填写两个意思相同的词,例如:低保 最低生活保障。"))
    if len(words) > SYNONYM_MAX_WORDS:
        raise InvalidInput(
            gettext("一组最多 %(SYNONYM_MAX_WORDS)s 个词;更多的词请分成几组。")
            % {"SYNONYM_MAX_WORDS": SYNONYM_MAX_WORDS}
        )
    too_long = [w for w in words if len(w) > SYNONYM_MAX_CHARS]
    if too_long:
        raise InvalidInput(
            gettext("每个词不能超过 %(SYNONYM_MAX_CHARS)s 个字:%(join)s。")
            % {"SYNONYM_MAX_CHARS": SYNONYM_MAX_CHARS, "join": "、".join(too_long)}
        )
    wanted = {w.lower() for w in words}
    known = synonym_groups(street_office_ids=[street_office.pk])
    if any(wanted <= {w.lower() for w in group} for group in known):
        raise Conflict(gettext("这组词已经在词库里了,不需要再添加。"))
    return SynonymGroup.objects.create(street_office=street_office, words=words, created_by=actor)


@transaction.atomic
def synonym_group_remove(*, group: SynonymGroup, actor: User) -> None:
    _may_edit(actor, group.street_office)
    group.delete()
