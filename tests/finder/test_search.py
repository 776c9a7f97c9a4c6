"""Search that understands (#18 item 1), on a realistic year of three communities' published items: everyday
words and abbreviations find the formal titles, month and quarter words find their periods, snippets mark
what matched, facets count, and a roster's households never reach the index."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from finder import selectors
from finder.models import Entry
from tests.factories import HOUSEHOLD
from tests.finder.corpus import HOUSEHOLD_2, TODAY, YEAR, built

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with built(django_db_blocker) as made:
        yield made


def find(typed: str, *, community=None, **filters):  # type: ignore[no-untyped-def]
    scope = selectors.entries_public(on=TODAY)
    if community is not None:
        scope = scope.filter(community=community)
    return selectors.find(
        scope=scope,
        typed=typed,
        on=TODAY,
        groups=selectors.synonym_groups(),
        link=lambda e: f"/disclosures/{e.disclosure_id}/",
        per_page=100,
        **filters,
    )


def titles(found) -> set[str]:  # type: ignore[no-untyped-def]
    return {hit.entry.title for hit in found.hits}


def test_the_everyday_abbreviation_finds_the_formal_titles(corpus):
    found = find("低保")
    assert titles(found) == {d.title for d in corpus.rosters}
    assert len(found.hits) == 9  # three rosters in each of three communities
    assert ("低保", ["最低生活保障", "低保金", "低保户"]) in found.query.synonyms_used
    assert titles(find("医保")) == {d.title for d in corpus.october}
    assert titles(find("计生")) == {d.title for d in corpus.october}
    assert titles(find("廉租房")) == {d.title for d in corpus.housing}
    assert titles(find("最低生活保障")) == {d.title for d in corpus.rosters}


def test_words_are_anded_and_a_word_nobody_wrote_finds_nothing(corpus):
    assert titles(find("路灯 维修")) == {d.title for d in corpus.finance}
    assert find("路灯 垃圾分类").hits == []
    assert find("核酸检测").hits == []


def test_month_words_find_that_months_items(corpus):
    for typed in ("10月", f"{YEAR}年10月", "十月", f"{YEAR}-10"):
        found = find(typed)
        assert found.query.period is not None and found.query.period.zh == f"{YEAR}年10月", typed
        got = titles(found)
        # the October roster and October's affairs (their period), and what went up in October
        assert {d.title for d in corpus.october} <= got, typed
        assert {d.title for d in corpus.rosters if "10月" in d.title} <= got, typed
        assert not {d.title for d in corpus.rosters if "3月" in d.title} & got, typed
        assert not {d.title for d in corpus.housing} & got, typed
    assert titles(find("10月 低保")) == {d.title for d in corpus.rosters if "10月" in d.title}


def test_quarter_words_find_that_quarters_items(corpus):
    for typed in ("三季度", "第三季度", f"{YEAR}年第三季度", f"{YEAR}Q3"):
        found = find(typed)
        assert found.query.period is not None and found.query.period.zh == f"{YEAR}年第三季度", typed
        got = titles(found)
        assert {d.title for d in corpus.finance if "第三季度" in d.title} <= got, typed
        assert {d.title for d in corpus.rosters if "8月" in d.title} <= got, typed  # August is in Q3
        assert {d.title for d in corpus.housing} <= got, typed  # published in September
        assert not {d.title for d in corpus.finance if "第一季度" in d.title} & got, typed
    # the third quarter's statement (its period) and the second's (published on 8 July, in the quarter)
    found = find("三季度 财务")
    assert titles(found) == {d.title for d in corpus.finance if "第三" in d.title or "第二" in d.title}


def test_last_year_and_this_year_are_read_from_today(corpus):
    assert titles(find("去年")) == {d.title for d in corpus.last_year}
    this_year = titles(find("今年"))
    assert {d.title for d in corpus.october} <= this_year and not {
        d.title for d in corpus.last_year
    } & this_year
    # a month without its year is the latest that has begun: on 2 December 2026, 10月 is October 2026
    assert find("10月").query.period.start == date(YEAR, 10, 1)  # type: ignore[union-attr]


def test_snippets_show_why_an_item_matched_with_the_words_marked(corpus):
    found = find("路灯")
    assert len(found.hits) == 9
    for hit in found.hits:
        assert "<mark>路灯</mark>" in hit.snippet
        assert "更换小区<mark>路灯</mark>灯泡" in hit.snippet
    script = find("<script>")
    assert all("<script>" not in hit.snippet for hit in script.hits)


def test_ranking_puts_the_title_match_and_the_newer_first(corpus):
    found = find("最低生活保障")
    months = [next(m for m in ("10月", "8月", "3月") if m in hit.entry.title) for hit in found.hits]
    assert months == ["10月"] * 3 + ["8月"] * 3 + ["3月"] * 3  # equal relevance: newest first
    finance = find("财务")
    assert all(hit.entry.category == "finance" for hit in finance.hits[:9])  # in the title: ranked first


def test_facets_count_the_query_by_category_and_year(corpus):
    found = find("")
    categories = {value: count for value, _, count in found.categories}
    assert categories["affairs"] == 3 * (3 + 1 + 1)
    assert categories["finance"] == 3 * 3
    assert categories["government"] == 3
    assert dict(found.years) == {YEAR: 3 * 8, YEAR - 1: 3}
    narrowed = find("路灯", category="finance")
    assert {value: count for value, _, count in narrowed.categories}["finance"] == 9
    by_year = find("", year=YEAR - 1)
    assert titles(by_year) == {d.title for d in corpus.last_year}
    assert dict(by_year.years) == {YEAR: 24, YEAR - 1: 3}  # the year facet ignores the year chosen


def test_roster_households_never_reach_the_index(corpus):
    entries = Entry.objects.filter(content_type="relief")
    assert entries.count() == 9
    secrets = [HOUSEHOLD["name"], HOUSEHOLD_2["name"], HOUSEHOLD["id_number"], HOUSEHOLD_2["id_number"]]
    secrets += ["王*国", "李*英", "独居", "620102"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, text, title_words, text_words, words::text FROM finder_entry")
        stored = " ".join(" ".join(str(v) for v in row) for row in cursor.fetchall())
    for secret in secrets:
        assert secret not in stored, secret
    for typed in (str(HOUSEHOLD["name"]), str(HOUSEHOLD_2["id_number"]), "李秀英", "独居"):
        assert not [h for h in find(typed).hits if h.entry.content_type == "relief"], typed


def test_one_communitys_search_stays_in_that_community(world, corpus):
    found = find("低保", community=world.yinnan)
    assert len(found.hits) == 3 and {h.entry.community for h in found.hits} == {world.yinnan}
