"""Atom feeds of a community's published items, so residents (and the district's readers) can follow
a community without coming to the site: ``/feed/`` for everything, ``/feed/<category>/`` for one of
the five categories.

A feed carries exactly what the portal shows a resident today (``selectors.disclosures_public_find``)
and only its public text: the covering text without markup, and for structured content a one-line
summary from ``content.public_view`` — never a roster's names or numbers, never a file.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from communities import selectors as community_selectors
from disclosure import selectors
from disclosure.choices import Category
from disclosure.models import Disclosure

ITEMS_IN_FEED = 50


class CommunityFeed(Feed):  # type: ignore[type-arg]
    """The community's newest published items, newest first (one entry per version: a correction is
    news of its own)."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, category: str = "") -> str:
        if category and category not in Category.values:
            raise Http404
        return category

    def _name(self) -> str:
        profile = community_selectors.profile_get()
        return profile.name if profile and profile.name else "社区"

    def title(self, category: str) -> str:
        what = Category(category).label if category else "党务居务公开"
        return f"{self._name()} · {what}"

    def subtitle(self, category: str) -> str:
        return f"{self._name()}在网上公开的内容,按公布时间从新到旧排列。"

    def link(self, category: str) -> str:
        url = reverse("portal:list")
        return f"{url}?category={category}" if category else url

    def feed_url(self, category: str) -> str:
        return reverse("portal:feed_category", args=[category]) if category else reverse("portal:feed")

    def items(self, category: str) -> list[Disclosure]:
        found = selectors.disclosures_public_find(on=timezone.localdate(), category=category)
        return list(found.order_by("-published_at", "-pk")[:ITEMS_IN_FEED])

    def item_title(self, item: Disclosure) -> str:
        return item.title

    def item_description(self, item: Disclosure) -> str:
        return selectors.public_summary(item)

    def item_link(self, item: Disclosure) -> str:
        return reverse("portal:detail", args=[item.pk])

    def item_guid(self, item: Disclosure) -> str:
        return f"tag:gongkai,{item.pk}:{item.content_hash}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Disclosure) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Disclosure) -> datetime | None:
        return item.published_at

    def item_categories(self, item: Disclosure) -> list[str]:
        return [str(Category(item.category).label)]
