"""How long a publication stays on display, and the fixed (长期) items due for renewal.

A published version is sealed (a PostgreSQL trigger refuses to change it), so a fixed item confirmed
unchanged keeps its longer display in a row of its own (``DisplayExtension``). Every page that says
"公示至" — the portal, the e-screen and the touch screen, the printed notice, the staff's tracker — reads
the display end from here, and the e-screen keeps a lapsed fixed item up while its renewal is open.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from disclosure.choices import DisclosureStatus
from disclosure.models import Disclosure, DisplayExtension, Obligation
from disclosure.rules import LOCKED_STATUSES, OPEN_OBLIGATION_STATUSES


def display_end_expression() -> Coalesce:
    """A version's display end as every page reads it: the latest confirmed extension of a fixed item
    (``DisplayExtension``; the publication itself is sealed), or the end set when it was published."""
    latest = (
        DisplayExtension.objects.filter(disclosure=OuterRef("pk"))
        .order_by("-display_until")
        .values("display_until")[:1]
    )
    return Coalesce(Subquery(latest), F("display_until"))


def awaiting_renewal_expression() -> Exists:
    """A fixed item's version whose renewal is open (due soon or lapsed): it stays on display, for the
    seeds want fixed content always up (000 第八条), while its people are reminded to renew it."""
    return Exists(Obligation.objects.filter(renews=OuterRef("pk"), status__in=OPEN_OBLIGATION_STATUSES))


def display_end(disclosure: Disclosure) -> date | None:
    """One version's display end (see ``display_end_expression``): a row of ``disclosures_public``
    carries it already; any other is asked."""
    if hasattr(disclosure, "shown_until"):
        return disclosure.shown_until  # type: ignore[no-any-return]  # annotated by disclosures_public
    extensions = disclosure.extensions.order_by("-display_until")  # type: ignore[attr-defined]  # reverse relation
    extended = extensions.values_list("display_until", flat=True).first()
    return extended or disclosure.display_until


def is_on_display(disclosure: Disclosure, *, on: date) -> bool:
    """A row of ``disclosures_public`` that a bulletin board would carry on ``on``: its window runs, or it
    is a fixed item waiting for its renewal."""
    if disclosure.public_from is None or disclosure.public_from > on:
        return False
    return disclosure.shown_until >= on or disclosure.awaiting_renewal  # type: ignore[attr-defined]


def fixed_item_current(*, source: str, code: str) -> Disclosure | None:
    """The version of a fixed item that residents read now, with its display end: the item's latest
    publication, followed through its corrections (a re-publication the supervision group ordered is
    a version of it too, though its obligation is the order's)."""
    current = (
        Disclosure.objects.filter(
            status__in=LOCKED_STATUSES, obligation__source=source, obligation__code=code
        )
        .order_by("-published_at", "-pk")
        .first()
    )
    while current is not None and current.status == DisclosureStatus.SUPERSEDED:
        current = Disclosure.objects.filter(supersedes=current, status__in=LOCKED_STATUSES).first()
    if current is None:
        return None
    return Disclosure.objects.annotate(shown_until=display_end_expression()).get(pk=current.pk)


def renewals_open() -> QuerySet[Obligation]:
    """Fixed items due for renewal, the most urgent first, each with the version it renews and its
    display end, and the correction already under way if someone started one."""
    under_way = _next_version_of(OuterRef("renews_id"))
    return (
        Obligation.objects.filter(status__in=OPEN_OBLIGATION_STATUSES, renews__isnull=False)
        .select_related("renews")
        .annotate(revision_id=Subquery(under_way.values("pk")[:1]))
        .order_by("due_date", "code")
    )


def revision_under_way(obligation: Obligation) -> Disclosure | None:
    """The next version of what ``obligation`` renews, if someone has started it and it is not out yet."""
    return _next_version_of(obligation.renews_id).first()


def _next_version_of(renews: Any) -> QuerySet[Disclosure]:
    """The next version of ``renews`` (a primary key, or a reference to one) while it is not out yet."""
    return Disclosure.objects.filter(supersedes_id=renews).exclude(status__in=LOCKED_STATUSES)
