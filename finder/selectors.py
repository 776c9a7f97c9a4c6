"""Reads of the public index: what a resident finds, ranked, with snippets and facet counts.

What a resident may see changes with the calendar, not only on publication: a 先党内后党外 item becomes
public on its ``public_from`` day, and a relief roster's households leave the day after its display
period. Both rules are written once, here (``visible_on``, ``withdrawn_expression``), and read by the
community's own selector (``disclosure.selectors.disclosures_public``) and by the index alike, so the
copy in the public schema applies them exactly as the community's schema does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Case, Count, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.safestring import SafeString

from finder.highlight import snippet
from finder.models import Entry, SynonymGroup
from finder.query import Query, query_read
from finder.vocabulary import DEFAULT_GROUPS
from standards.choices import Audience, Category, ContentType
from workdays.periods import Period

CONFIG = "simple"
# How much a newer item counts: relevance (ts_rank, ~0.03–0.6) plus up to this much, halving over
# ``RECENCY_DAYS``: between two equally relevant items the newer comes first.
RECENCY_WEIGHT = 0.1
RECENCY_DAYS = 60


def visible_on(on: date) -> Q:
    """先党内后党外 (000 第七条): an item for the public is public once published; a party-first item
    only from its ``public_from`` day."""
    return Q(audience=Audience.PUBLIC) | Q(public_from__lte=on)


def withdrawn_expression(on: date) -> Case:
    """A relief roster past its display period stays listed, without its households (PIPL: personal
    data only as long as the purpose needs it)."""
    return Case(
        When(content_type=ContentType.RELIEF, display_until__lt=on, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def entries_public(*, on: date) -> QuerySet[Entry]:
    """Every indexed version a resident may reach on ``on`` (superseded ones included: the API lists
    them), each with ``withdrawn``."""
    return (
        Entry.objects.filter(visible_on(on))
        .annotate(withdrawn=withdrawn_expression(on))
        .select_related("community")
        .order_by("-published_at", "-pk")
    )


def synonym_groups(*, street_office_ids: Iterable[int] | None = None) -> list[tuple[str, ...]]:
    """The built-in groups and those the street offices added (all street offices' when None)."""
    added = SynonymGroup.objects.all()
    if street_office_ids is not None:
        added = added.filter(street_office_id__in=list(street_office_ids))
    return [*DEFAULT_GROUPS, *(tuple(g) for g in added.values_list("words", flat=True))]


def _within(period: Period) -> Q:
    """An item of the period (its own period inside it) or published during it."""
    zone = timezone.get_current_timezone()
    after = datetime.combine(period.start, time.min, zone)
    before = datetime.combine(period.end + timedelta(days=1), time.min, zone)
    own = Q(period_start__gte=period.start, period_end__lte=period.end)
    return own | Q(published_at__gte=after, published_at__lt=before)


@dataclass(frozen=True)
class Hit:
    """One result as a page shows it: its title as published (plain: it is a link, and how residents
    know it), and a snippet of its text around the first word found, the matches marked."""

    entry: Entry
    url: str
    snippet: SafeString


@dataclass(frozen=True)
class Found:
    query: Query
    page: Page[Any]
    hits: list[Hit]
    categories: list[tuple[str, str, int]]  # (value, label, count) for the query without its category
    years: list[tuple[int, int]]  # (year, count) for the query without its year and month


def find(
    *,
    scope: QuerySet[Entry],
    typed: str,
    on: date,
    groups: list[tuple[str, ...]],
    link: Callable[[Entry], str],
    category: str = "",
    year: int | None = None,
    month: int | None = None,
    page: str | int | None = 1,
    per_page: int = 20,
) -> Found:
    """Search ``scope`` (current public versions, cut to a community or a street office's communities
    by the caller) for what was ``typed``: words with their synonyms, a period, ranked by relevance and
    recency; the page asked for, each hit with a snippet marked; facet counts by category
    and by year of publication."""
    query = query_read(typed, today=on, groups=groups)
    qs = scope.filter(is_current=True)
    if query.period is not None:
        qs = qs.filter(_within(query.period))
    ordered: QuerySet[Entry]
    if query.tsquery:
        ts = SearchQuery(query.tsquery, search_type="raw", config=CONFIG)
        qs = qs.filter(words=ts).annotate(
            score=SearchRank(F("words"), ts)
            + RawSQL(
                "%s / (1 + GREATEST(0, %s::date - finder_entry.published_at::date) / %s::float)",
                (RECENCY_WEIGHT, on, RECENCY_DAYS),
                output_field=FloatField(),
            )
        )
        ordered = qs.order_by("-score", "-published_at", "-pk")
    else:
        ordered = qs.order_by("-published_at", "-pk")
    dated = ordered
    if year:
        dated = dated.filter(published_at__year=year)
        if month:
            dated = dated.filter(published_at__month=month)
    result = dated.filter(category=category) if category else dated
    counts = dict(dated.order_by().values_list("category").annotate(n=Count("pk")))
    undated = ordered.filter(category=category) if category else ordered
    per_year = (
        undated.order_by()
        .annotate(year=ExtractYear("published_at"))
        .values_list("year")
        .annotate(n=Count("pk"))
    )
    pager = Paginator(result, per_page).get_page(page)
    words = query.highlights
    hits = [Hit(entry=e, url=link(e), snippet=snippet(e.text, words)) for e in pager.object_list]
    return Found(
        query=query,
        page=pager,
        hits=hits,
        categories=[(value, str(label), counts.get(value, 0)) for value, label in Category.choices],
        years=sorted(((int(y), n) for y, n in per_year), reverse=True),
    )


def years_published(scope: QuerySet[Entry]) -> list[int]:
    """The years something in ``scope`` was published, newest first (the year filter's choices)."""
    return [
        moment.year
        for moment in scope.filter(is_current=True).datetimes("published_at", "year", order="DESC")
    ]
