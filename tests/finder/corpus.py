"""A realistic year of published items in three communities of two street offices, each through the five
steps: 最低生活保障 rosters of three months (names and identity numbers in them), quarterly finance
statements with 路灯 among their lines, October's monthly affairs (医疗保险, 计划生育), a 公共租赁住房
notice, and one notice of the year before."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django_tenants.utils import tenant_context

from disclosure import services
from disclosure.choices import Category, ContentType
from disclosure.models import Disclosure, Obligation
from tenants.models import Community
from tests.factories import BY_LOGIN, HOUSEHOLD, here, published

YEAR = 2026
TODAY = date(YEAR, 12, 2)  # what "today" is for the words 10月, 三季度, 去年 in these tests
ROSTER_MONTHS = (3, 8, 10)
FINANCE_QUARTERS = (1, 2, 3)
# a second household on every roster: a name and a number that must never reach the index
HOUSEHOLD_2 = {
    "name": "李秀英",
    "id_number": "11010519491231002X",
    "age": 77,
    "household_size": 1,
    "hardship": "独居,患慢性病",
    "amount": "720",
}


@dataclass
class Corpus:
    rosters: list[Disclosure] = field(default_factory=list)
    finance: list[Disclosure] = field(default_factory=list)
    october: list[Disclosure] = field(default_factory=list)
    housing: list[Disclosure] = field(default_factory=list)
    last_year: list[Disclosure] = field(default_factory=list)
    by_community: dict[str, list[Disclosure]] = field(default_factory=dict)

    @property
    def everything(self) -> list[Disclosure]:
        return [d for items in self.by_community.values() for d in items]


def _first_day_after(day: date) -> date:
    """The 8th of the month after ``day``: when a period's item goes up."""
    following = (day.replace(day=1) + timedelta(days=32)).replace(day=8)
    return following


def _out(world: Any, on: date, **fields: Any) -> Disclosure:
    code = here().schema_name
    return published(world, community=code, on=on, today=on - timedelta(days=21), planned=on, **fields)


def _finance(quarter: int) -> dict[str, Any]:
    month = quarter * 3 - 2
    lines = [
        {
            "date": f"{YEAR}-{month:02d}-{10 + n:02d}",
            "description": text,
            "direction": "expense",
            "category": "公共设施",
            "amount": "300.00",
            "voucher": f"{YEAR}Q{quarter}-{n}",
        }
        for n, text in enumerate(("更换小区路灯灯泡", "楼道照明线路维修", "社区活动室水电费"), start=1)
    ]
    return {
        "period": f"{YEAR}年第{'一二三四'[quarter - 1]}季度",
        "opening_balance": "5000.00",
        "closing_balance": "4100.00",
        "lines": lines,
    }


@contextmanager
def built(django_db_blocker: Any) -> Iterator[Corpus]:
    """The corpus once for a whole module (it takes a minute to publish through the five steps), in a
    transaction rolled back after the module; each test's own transaction nests inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build(BY_LOGIN)
        transaction.set_rollback(True)
        connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection


def build(world: Any, codes: tuple[str, ...] = ("yincheng", "yinnan", "dongfeng")) -> Corpus:
    corpus = Corpus()
    for code in codes:
        community = Community.objects.get(schema_name=code)
        made: list[Disclosure] = []
        with tenant_context(community):
            services.obligations_generate(community=here(), on=TODAY, since=date(YEAR, 1, 1))

            def obligation(item: str, period: str) -> Obligation:
                return Obligation.objects.get(code=item, period=period)

            for month in ROSTER_MONTHS:
                ob = obligation("SW-04", f"{YEAR}-{month:02d}")
                roster = _out(
                    world,
                    _first_day_after(ob.period_start),
                    obligation=ob,
                    title=f"{community.name}{YEAR}年{month}月城市最低生活保障对象名单公示",
                    category=Category.AFFAIRS,
                    content_type=ContentType.RELIEF,
                    body="",
                    data={"programme": "城市最低生活保障", "households": [HOUSEHOLD, HOUSEHOLD_2]},
                )
                corpus.rosters.append(roster)
                made.append(roster)
            for quarter in FINANCE_QUARTERS:
                ob = obligation("CW-01", f"{YEAR}Q{quarter}")
                statement = _out(
                    world,
                    ob.period_end + timedelta(days=8),
                    obligation=ob,
                    title=f"{YEAR}年第{'一二三四'[quarter - 1]}季度社区财务收支情况",
                    category=Category.FINANCE,
                    content_type=ContentType.FINANCE,
                    body="<p>本季度收支明细如下,欢迎居民监督。</p>",
                    data=_finance(quarter),
                )
                corpus.finance.append(statement)
                made.append(statement)
            ob = obligation("SW-03", f"{YEAR}-10")
            october = _out(
                world,
                date(YEAR, 11, 6),
                obligation=ob,
                title=f"{YEAR}年10月社区事务月度公开",
                category=Category.AFFAIRS,
                body="<p>本月完成城乡居民医疗保险参保缴费登记 126 人;发放计划生育奖励扶助金 12 户。</p>",
            )
            corpus.october.append(october)
            made.append(october)
            housing = _out(
                world,
                date(YEAR, 9, 15),
                title="公共租赁住房申请须知",
                category=Category.GOVERNMENT,
                body="<p>符合条件的住房困难家庭可到社区服务大厅申请公共租赁住房。</p>",
            )
            corpus.housing.append(housing)
            made.append(housing)
            old = _out(
                world,
                date(YEAR - 1, 6, 8),
                title=f"{YEAR - 1}年汛期安全提示",
                category=Category.AFFAIRS,
                body="<p>请居民注意防汛,远离低洼地带。</p>",
            )
            corpus.last_year.append(old)
            made.append(old)
        corpus.by_community[code] = made
    return corpus
