"""What the demo's disclosures say, and the steps a draft takes on the demo's calendar. Shared by the
year of history (``demo.disclosures``) and the work left open today (``demo.waiting``): both go through
the real services, so the ledger, the audit trail and the notifications are the product's own."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from demo.notices import notice_body
from demo.receipts import receipts_attach, reimbursements_sign
from disclosure import services
from disclosure.choices import ContentType, ReviewDecision
from disclosure.models import Disclosure, Obligation
from disclosure.rules import SIGNING_ROLES
from tenants.models import Community, User
from workdays.periods import period_zh
from workdays.services import add_working_days, is_working_day

TZ = ZoneInfo("Asia/Shanghai")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "秀英", "桂兰", "志强", "玉珍", "国华", "淑芬", "德明", "春梅", "海波", "丽娟", "振华"]
HARDSHIP = [
    "老人独居,无固定收入",
    "重病,长期服药",
    "下岗失业,子女上学",
    "残疾,无劳动能力",
    "单亲,抚养两个孩子",
]
QUARTER_STATEMENT = "CW-01"  # 社区财务收支情况(逐笔明细): a quarter's books, line by line
TEMPORARY_RELIEF = "SW-05"  # 临时救助、医疗救助对象及金额: a per-event roster
# Each cadre board lists its own body: the party committee (DW-03), the residents' committee (SW-01).
CADRE_BOARDS = {"DW-03": "party", "SW-01": "residents"}
ROSTER_SIZES = {"城市最低生活保障": (36, 64), "临时救助": (5, 14)}
REGION = "620102"  # the county's administrative division code, the first six digits of an identity number


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def latest_start(*, ends_by: date, working_days: int) -> date:
    """The latest working day from which ``working_days`` working days end no later than ``ends_by``:
    the day a draft goes to the supervision group to be published on ``ends_by``, or the day a question
    came in that must be answered by then."""
    day = ends_by
    while add_working_days(day, working_days).date > ends_by or not is_working_day(day)[0]:
        day -= timedelta(days=1)
    return day


def resident_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def identity_number(rng: random.Random, *, age: int, on: date) -> str:
    """A well-formed resident identity number (GB 11643: region, birth date, sequence, ISO 7064 check
    digit), so the demo's rosters hold what a real one does and the masking has real work to do."""
    born = date(on.year - age, 1, 1) + timedelta(days=rng.randrange(365))
    body = f"{REGION}{born:%Y%m%d}{rng.randrange(1, 1000):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def finance_line(
    day: date,
    description: str,
    category: str,
    amount: Decimal,
    voucher: str,
    *,
    reimbursed: bool = False,
) -> dict[str, Any]:
    """One line of an itemised statement: income, or a reimbursed expense (its receipts and the five
    signatures come afterwards: ``demo.receipts``)."""
    line: dict[str, Any] = {
        "date": day.isoformat(),
        "description": description,
        "direction": "expense" if reimbursed else "income",
        "category": category,
        "amount": str(amount),
        "voucher": voucher,
    }
    if reimbursed:
        line["reimbursement"] = True
    return line


# A month of a community's books: (what, category, lowest, highest amount in yuan); the first two are
# income, the rest reimbursed expenses with receipts and the five signatures; then what a month also has.
MONTH_OF_BOOKS = [
    ("街道拨付社区办公经费", "上级拨款", 8000, 12000),
    ("社区用房出租收入", "租金收入", 1500, 2500),
    ("购买办公用品(纸张、硒鼓)", "办公费", 300, 900),
    ("办公用房水费、电费", "水电费", 600, 1400),
    ("电话、宽带网络费", "通讯费", 200, 400),
    ("保洁员劳务费", "劳务费", 2200, 2600),
    ("网格员交通补贴", "补贴", 600, 1200),
    ("公开栏资料、宣传单印刷", "印刷费", 150, 600),
    ("社区服务大厅桶装水", "办公费", 100, 200),
    ("巷道路灯更换灯泡", "维修费", 200, 1500),
    ("居民议事会会务", "会议费", 80, 200),
    ("志愿服务活动物资", "活动经费", 300, 1200),
    ("走访慰问困难党员", "慰问费", 500, 1500),
    ("老年活动室电费", "水电费", 150, 400),
]
MORE_OF_A_MONTH = [
    ("社区卫生死角清理运输费", "环境卫生", 200, 800),
    ("消防器材更换", "安全生产", 300, 1100),
    ("下水道疏通", "维修费", 150, 600),
    ("党员活动日学习资料", "党建经费", 100, 400),
    ("居民文艺汇演服装租赁", "活动经费", 400, 1500),
    ("电脑维修", "维修费", 150, 700),
    ("防汛物资(沙袋、雨衣)", "安全生产", 300, 900),
]
INCOME_LINES = 2


def quarter_statement(ob: Obligation, rng: random.Random) -> dict[str, Any]:
    """A quarter of the community's books, line by line (004 ⑴: itemised, not totals): twenty-one lines a
    month, each expense a reimbursement (its receipts and five signatures come with ``demo.receipts``)."""
    lines = []
    month = ob.period_start
    while month <= ob.period_end:
        for number, (what, category, low, high) in enumerate(MONTH_OF_BOOKS + MORE_OF_A_MONTH):
            day = month + timedelta(days=min(1 + number * 27 // 21, 27))
            income = number < INCOME_LINES
            voucher = f"{'收' if income else '付'}-{month:%Y%m}-{number + 1:02d}"
            amount = Decimal(rng.randrange(low, high))
            lines.append(finance_line(day, what, category, amount, voucher, reimbursed=not income))
        month = (month + timedelta(days=32)).replace(day=1)
    return {
        "body": (
            f"<p>{period_zh(ob.period)}社区财务收支逐笔公开如下,共 {len(lines)} 笔。原始单据复印件张贴于"
            "居务公开栏,居民可到社区服务大厅查阅凭证。</p>"
        ),
        "data": finance_data(
            period=period_zh(ob.period), opening=Decimal(rng.randrange(20000, 80000)), lines=lines
        ),
    }


def finance_data(*, period: str, opening: Decimal, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """The statement's data with a closing balance that reconciles (``validate_finance`` checks it)."""
    closing = opening
    for line in lines:
        amount = Decimal(line["amount"])
        closing += amount if line["direction"] == "income" else -amount
    return {
        "period": period,
        "opening_balance": str(opening),
        "closing_balance": str(closing),
        "lines": lines,
    }


def relief_data(rng: random.Random, *, programme: str, on: date) -> dict[str, Any]:
    households = []
    # a street's 城市低保 roster runs to dozens of households; a month's temporary relief to a handful
    low, high = ROSTER_SIZES.get(programme, (4, 12))
    for _ in range(rng.randrange(low, high)):
        age = rng.randrange(35, 88)
        households.append(
            {
                "name": resident_name(rng),
                "id_number": identity_number(rng, age=age, on=on),
                "age": age,
                "household_size": rng.randrange(1, 5),
                "hardship": rng.choice(HARDSHIP),
                "amount": str(rng.randrange(450, 900)),
            }
        )
    return {"programme": programme, "households": households}


def content_for(
    ob: Obligation, rng: random.Random, community: Community, *, itemised: bool = False
) -> dict[str, Any]:
    """The body and structured data of a disclosure fulfilling ``ob``, as its content type requires; a
    quarter's books in full when ``itemised`` (the last quarter's), otherwise a short statement."""
    ct = ob.content_type
    if ct == ContentType.FINANCE and itemised:
        return quarter_statement(ob, rng)
    if ct == ContentType.FINANCE:
        opening = Decimal(rng.randrange(20000, 80000))
        lines = [
            finance_line(
                ob.period_start,
                "街道拨付社区办公经费",
                "上级拨款",
                Decimal(rng.randrange(15000, 30000)),
                f"收{ob.period_start:%Y%m}-01",
            )
        ]
        for i, (what, cat) in enumerate(
            [
                ("购买办公用品", "办公费"),
                ("社区文化广场路灯维修", "维修费"),
                ("重阳节慰问高龄老人", "慰问费"),
                ("网格员交通补贴", "补贴"),
            ],
            start=1,
        ):
            lines.append(
                finance_line(
                    ob.period_start + timedelta(days=10 * i),
                    what,
                    cat,
                    Decimal(rng.randrange(300, 4000)),
                    f"付{ob.period_start:%Y%m}-{i:02d}",
                    reimbursed=True,
                )
            )
        return {
            "body": "<p>本期财务收支逐笔公开如下,原始单据复印件张贴于居务公开栏。</p>",
            "data": finance_data(period=period_zh(ob.period), opening=opening, lines=lines),
        }
    if ct == ContentType.RELIEF:
        programme = "临时救助" if ob.code == TEMPORARY_RELIEF else "城市最低生活保障"
        return {
            "body": "<p>以下为本期救助对象及金额,如有异议请于公示期内向民主监督小组反映。</p>",
            "data": relief_data(rng, programme=programme, on=ob.period_start),
        }
    if ct == ContentType.PLAN:
        start = ob.period_start
        return {
            "body": "<p>年度重点工作及为民办实事项目,按时间节点公开进度。</p>",
            "data": {
                "milestones": [
                    {
                        "name": "老旧小区下水管网改造开工",
                        "planned_date": (start + timedelta(days=60)).isoformat(),
                        "actual_date": (start + timedelta(days=64)).isoformat(),
                        "progress": 100,
                    },
                    {
                        "name": "巷道硬化完成",
                        "planned_date": (start + timedelta(days=180)).isoformat(),
                        "actual_date": "",
                        "progress": rng.choice([40, 60, 80]),
                    },
                    {
                        "name": "文化广场建成",
                        "planned_date": (start + timedelta(days=300)).isoformat(),
                        "actual_date": "",
                        "progress": rng.choice([10, 20, 30]),
                    },
                ]
            },
        }
    if ct == ContentType.CADRE:
        from communities.models import Officer

        return {
            "body": "",
            "data": {
                "officers": [
                    {
                        "name": o.name,
                        "post": o.post,
                        "duties": o.duties,
                        "area": o.area_covered,
                        "phone": o.phone,
                    }
                    for o in Officer.objects.filter(committee__kind=CADRE_BOARDS.get(ob.code, "residents"))
                ]
            },
        }
    if ct == ContentType.SERVICE_GUIDE:
        return {
            "body": "",
            "data": {
                "steps": [
                    "携带材料到社区服务大厅提出申请",
                    "社区入户调查核实",
                    "社区公示 7 天",
                    "报街道审核、县民政局审批",
                ],
                "documents": ["户口簿、身份证", "家庭收入证明", "申请书"],
                "fee": "免费",
                "time_limit": "30 个工作日",
            },
        }
    return {"body": notice_body(ob, rng, community), "data": {}}


def draft_for(
    ob: Obligation, users: dict[str, User], *, community: Community, title: str, content: dict[str, Any]
) -> Disclosure:
    """Step 1: the handler's draft fulfilling ``ob``, with the obligation's terms, and a statement's
    receipts uploaded."""
    d = services.disclosure_create(
        community=community,
        actor=users["handler"],
        title=title,
        category=ob.category,
        content_type=ob.content_type,
        audience=ob.audience,
        obligation=ob,
        **content,
    )
    return receipts_attach(d, actor=users["handler"])


def submit(
    d: Disclosure, users: dict[str, User], *, community: Community, submitted: date, publish_day: date
) -> Disclosure:
    """Step 2: the handler sends it to the supervision group on ``submitted``, to be published on
    ``publish_day``."""
    return services.disclosure_submit(
        community=community,
        disclosure=d,
        actor=users["handler"],
        planned_publish_date=publish_day,
        today=submitted,
    )


def review(
    d: Disclosure,
    users: dict[str, User],
    *,
    community: Community,
    decision: str = ReviewDecision.APPROVE,
    comments: str = "",
) -> Disclosure:
    return services.disclosure_review(
        community=community, disclosure=d, actor=users["supervisor"], decision=decision, comments=comments
    )


def sign(d: Disclosure, users: dict[str, User], *, community: Community, roles: tuple[str, ...]) -> None:
    for role in roles:
        services.disclosure_sign(community=community, disclosure=d, actor=users[role], role=role)


def five_steps(
    d: Disclosure,
    users: dict[str, User],
    *,
    community: Community,
    submitted: date,
    publish_day: date,
    channels: list[str],
    public_from: date | None = None,
) -> Disclosure:
    """Submitted on ``submitted``, approved, signed by the three (and each reimbursement by the five) and
    published on ``publish_day``."""
    reimbursements_sign(d, users, community=community)
    d = submit(d, users, community=community, submitted=submitted, publish_day=publish_day)
    d = review(d, users, community=community)
    sign(d, users, community=community, roles=SIGNING_ROLES)
    return services.disclosure_publish(
        community=community,
        disclosure=d,
        actor=users["handler"],
        channels=channels,
        public_from=public_from,
        now=at(publish_day),
    )
