"""Fixtures of the portal's tests."""

import pytest
from django_tenants.utils import tenant_context

from disclosure.choices import Category, ContentType
from tenants.models import Community
from tests.factories import published_once

FINANCE_TITLE = "文化广场健身器材采购资金公开(居民端浏览器测试)"
ROSTER_TITLE = "十一月临时救助名单(居民端浏览器测试)"


@pytest.fixture
def disclosures(committed):
    """A finance statement and a relief roster published in 银新社区 (the browser tests' community)."""
    with tenant_context(Community.objects.get(schema_name="yinxin")):
        finance = published_once(
            title=FINANCE_TITLE,
            category=Category.FINANCE,
            content_type=ContentType.FINANCE,
            body="<p>经居民代表会议讨论通过,为文化广场添置健身器材,收支逐笔公开如下。</p>",
            data={
                "period": "2026年11月",
                "opening_balance": "12000.00",
                "closing_balance": "3650.00",
                "lines": [
                    {
                        "date": "2026-11-03",
                        "description": "街道拨付文化广场建设经费",
                        "direction": "income",
                        "category": "上级拨款",
                        "amount": "5000",
                        "voucher": "收-11-01",
                    },
                    {
                        "date": "2026-11-12",
                        "description": "采购健身器材 6 件",
                        "direction": "expense",
                        "category": "设施购置",
                        "amount": "13350",
                        "voucher": "付-11-01",
                    },
                ],
            },
        )
        roster = published_once(
            title=ROSTER_TITLE,
            category=Category.AFFAIRS,
            content_type=ContentType.RELIEF,
            body="<p>以下为本月临时救助对象,如有异议请于公示期内向民主监督小组反映。</p>",
            data={
                "programme": "临时救助",
                "households": [
                    {
                        "name": "赵玉珍",
                        "id_number": "640104195203150029",
                        "age": 74,
                        "household_size": 1,
                        "hardship": "老人独居,突发重病住院",
                        "amount": "1500",
                    },
                    {
                        "name": "欧阳海波",
                        "id_number": "640104198811020010",
                        "age": 38,
                        "household_size": 4,
                        "hardship": "单亲,抚养两个孩子,房屋失火",
                        "amount": "3000",
                    },
                ],
            },
        )
    return finance, roster
