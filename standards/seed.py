"""The default standard catalogue, taken from the source documents (000 第五、六条; 新视界方案 二;
桂花方案 三、四(三); 004 ⑴⑸ and 做法). Each row: code, category, title, cadence, content type,
audience, basis."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from standards.choices import BOARD_DISPLAY_DAYS
from standards.choices import Audience as A
from standards.choices import Cadence as C
from standards.choices import Category as K
from standards.choices import ContentType as T
from standards.models import CatalogueItem
from tenants.models import StreetOffice

FIXED_DISPLAY_DAYS = 365  # 固定公开: always on display, renewed at least yearly

DEFAULT_CATALOGUE: list[tuple[str, str, str, str, str, str, str]] = [
    ("DW-01", K.PARTY, "党组织设置体系和党员队伍构成情况", C.FIXED, T.NOTICE, A.PUBLIC, "000 第五条(一)1"),
    (
        "DW-02",
        K.PARTY,
        "党组织工作职责、目标、党建活动计划及完成情况",
        C.ANNUAL,
        T.PLAN,
        A.PUBLIC,
        "000 第五条(一)2",
    ),
    (
        "DW-03",
        K.PARTY,
        "领导班子成员分工、联系方式及履职考核情况",
        C.FIXED,
        T.CADRE,
        A.PUBLIC,
        "000 第五条(一)4",
    ),
    (
        "DW-04",
        K.PARTY,
        "党费收缴、管理和基层党建工作经费使用情况",
        C.QUARTERLY,
        T.FINANCE,
        A.PARTY_FIRST,
        "000 第五条(二)6;新视界方案 二(二)1",
    ),
    (
        "DW-05",
        K.PARTY,
        "党内推荐和选举、入党积极分子培养、发展党员、民主评议情况",
        C.EVENT,
        T.NOTICE,
        A.PARTY_FIRST,
        "000 第五条(二)3",
    ),
    (
        "DW-06",
        K.PARTY,
        "贯彻上级党组织决议决定及重大问题决策落实情况",
        C.EVENT,
        T.NOTICE,
        A.PARTY_FIRST,
        "000 第五条(二)1",
    ),
    (
        "ZW-01",
        K.GOVERNMENT,
        "社区建设、管理涉及的法律法规和政策规定",
        C.EVENT,
        T.NOTICE,
        A.PUBLIC,
        "000 第六条(一)1;第八条",
    ),
    ("ZW-02", K.GOVERNMENT, "居民自治章程、规则和制度", C.FIXED, T.NOTICE, A.PUBLIC, "000 第六条(一)2"),
    (
        "ZW-03",
        K.GOVERNMENT,
        "社区工作者、专干选举招考的政策、条件及程序",
        C.EVENT,
        T.NOTICE,
        A.PUBLIC,
        "000 第六条(一)3",
    ),
    (
        "SW-01",
        K.AFFAIRS,
        "社区基本情况、居委会工作职责分工及联系方式(干部监督台)",
        C.FIXED,
        T.CADRE,
        A.PUBLIC,
        "000 第六条(二)1;004 做法⑴",
    ),
    (
        "SW-02",
        K.AFFAIRS,
        "年度工作计划、为民办实事计划及完成情况",
        C.ANNUAL,
        T.PLAN,
        A.PUBLIC,
        "000 第六条(二)2;004 ⑸",
    ),
    (
        "SW-03",
        K.AFFAIRS,
        "社区事务月度公开(上月事务办理情况)",
        C.MONTHLY,
        T.NOTICE,
        A.PUBLIC,
        "桂花方案 四(三)",
    ),
    (
        "SW-04",
        K.AFFAIRS,
        "最低生活保障及救灾救济款物发放情况",
        C.MONTHLY,
        T.RELIEF,
        A.PUBLIC,
        "000 第六条(二)3;004 ⑴",
    ),
    (
        "SW-05",
        K.AFFAIRS,
        "临时救助、医疗救助对象及金额",
        C.EVENT,
        T.RELIEF,
        A.PUBLIC,
        "新视界方案 二(三)5、7",
    ),
    (
        "SW-06",
        K.AFFAIRS,
        "计划生育、流动人口管理工作情况",
        C.QUARTERLY,
        T.NOTICE,
        A.PUBLIC,
        "000 第六条(二)3",
    ),
    (
        "SW-07",
        K.AFFAIRS,
        "经济适用房、廉租房、就业、征兵等初审和证明事项办理情况",
        C.MONTHLY,
        T.NOTICE,
        A.PUBLIC,
        "000 第六条(二)4",
    ),
    (
        "SW-08",
        K.AFFAIRS,
        "社区公共设施建设、使用、维护情况及工程进度",
        C.QUARTERLY,
        T.PLAN,
        A.PUBLIC,
        "000 第六条(二)5;004 即时公开",
    ),
    (
        "SW-09",
        K.AFFAIRS,
        "居民建议、意见、投诉及处理评议情况",
        C.QUARTERLY,
        T.NOTICE,
        A.PUBLIC,
        "000 第六条(二)6",
    ),
    (
        "SW-10",
        K.AFFAIRS,
        "居民关注的热点、难点问题及处理情况",
        C.EVENT,
        T.NOTICE,
        A.PUBLIC,
        "000 第六条(二)7",
    ),
    (
        "CW-01",
        K.FINANCE,
        "社区财务收支情况(逐笔明细)",
        C.QUARTERLY,
        T.FINANCE,
        A.PUBLIC,
        "000 第六条(三)2、第八条;桂花方案 四(三);004 ⑴",
    ),
    ("CW-02", K.FINANCE, "社区建设项目资金使用情况", C.QUARTERLY, T.FINANCE, A.PUBLIC, "000 第六条(三)1"),
    (
        "CW-03",
        K.FINANCE,
        "社会赞助和捐赠款物接收、发放、使用情况",
        C.EVENT,
        T.FINANCE,
        A.PUBLIC,
        "000 第六条(三)3",
    ),
    ("CW-04", K.FINANCE, "代收费用收缴情况", C.QUARTERLY, T.FINANCE, A.PUBLIC, "000 第六条(三)4"),
    (
        "FW-01",
        K.SERVICE,
        "服务项目、服务方式、服务时间和收费标准",
        C.FIXED,
        T.SERVICE_GUIDE,
        A.PUBLIC,
        "000 第六条(二)5;桂花方案 三(六)",
    ),
    (
        "FW-02",
        K.SERVICE,
        "办事指南(低保、廉租房、医保、计生等办理流程和所需证件)",
        C.FIXED,
        T.SERVICE_GUIDE,
        A.PUBLIC,
        "004 做法⑴",
    ),
    (
        "FW-03",
        K.SERVICE,
        "便民服务指示牌(火警、医院、维修等联系方式)",
        C.FIXED,
        T.NOTICE,
        A.PUBLIC,
        "004 做法⑴",
    ),
]


@transaction.atomic
def catalogue_seed(*, street_office: StreetOffice, valid_from: date) -> int:
    """Give a street office the default catalogue (only the codes it does not have yet)."""
    existing = set(CatalogueItem.objects.filter(street_office=street_office).values_list("code", flat=True))
    created = 0
    for code, category, title, cadence, content_type, audience, basis in DEFAULT_CATALOGUE:
        if code in existing:
            continue
        CatalogueItem.objects.create(
            street_office=street_office,
            code=code,
            category=category,
            title=title,
            cadence=cadence,
            content_type=content_type,
            audience=audience,
            basis=basis,
            valid_from=valid_from,
            min_display_days=FIXED_DISPLAY_DAYS if cadence == C.FIXED else BOARD_DISPLAY_DAYS,
        )
        created += 1
    return created
