"""A year of realistic disclosures for each demo community: most on time, some late, a few waived,
corrected or still overdue, so the workspace and the street-office dashboard have something true
to show; and what happened in the last days, so the portal shows what it must protect: a relief
roster on display (its identity numbers and names masked), a resident's signed question answered in
public, and a party-internal item before its public day. Deterministic (seeded per community) and
idempotent (skipped when the community has any)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from disclosure import services
from disclosure.choices import Audience, Category, ContentType
from disclosure.feedback import services as feedback_services
from disclosure.feedback.choices import Kind
from disclosure.models import Disclosure, Obligation
from disclosure.rules import SIGNING_ROLES
from tenants.models import Community, User
from workdays.dates import zh_date
from workdays.services import add_working_days

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
TEMPORARY_RELIEF = "SW-05"  # 临时救助、医疗救助对象及金额: a per-event roster
PARTY_EVENT = "DW-05"  # 党内推荐和选举、入党积极分子培养、发展党员: per event, party members first
REGION = "620102"  # the county's administrative division code, the first six digits of an identity number


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def identity_number(rng: random.Random, *, age: int, on: date) -> str:
    """A well-formed resident identity number (GB 11643: region, birth date, sequence, ISO 7064 check
    digit), so the demo's rosters hold what a real one does and the masking has real work to do."""
    born = date(on.year - age, 1, 1) + timedelta(days=rng.randrange(365))
    body = f"{REGION}{born:%Y%m%d}{rng.randrange(1, 1000):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def _content(ob: Obligation, rng: random.Random, community: Community) -> dict:
    ct = ob.content_type
    if ct == ContentType.FINANCE:
        opening = Decimal(rng.randrange(20000, 80000))
        lines: list[dict[str, object]] = []
        income = Decimal(rng.randrange(15000, 30000))
        lines.append(
            {
                "date": ob.period_start.isoformat(),
                "description": "街道拨付社区办公经费",
                "direction": "income",
                "category": "上级拨款",
                "amount": str(income),
                "voucher": f"收{ob.period_start:%Y%m}-01",
            }
        )
        expense_total = Decimal(0)
        for i, (what, cat) in enumerate(
            [
                ("购买办公用品", "办公费"),
                ("社区文化广场路灯维修", "维修费"),
                ("重阳节慰问高龄老人", "慰问费"),
                ("网格员交通补贴", "补贴"),
            ],
            start=1,
        ):
            amount = Decimal(rng.randrange(300, 4000))
            expense_total += amount
            lines.append(
                {
                    "date": (ob.period_start + timedelta(days=10 * i)).isoformat(),
                    "description": what,
                    "direction": "expense",
                    "category": cat,
                    "amount": str(amount),
                    "voucher": f"付{ob.period_start:%Y%m}-{i:02d}",
                    "reimbursement": True,
                    "signatures": {
                        "party_branch": "书记",
                        "residents_committee": "主任",
                        "supervision_committee": "监委会主任",
                        "street_leader": "包社区领导",
                        "handler": "报账员",
                    },
                }
            )
        return {
            "body": "<p>本期财务收支逐笔公开如下,原始单据复印件张贴于居务公开栏。</p>",
            "data": {
                "period": ob.period_zh,
                "opening_balance": str(opening),
                "closing_balance": str(opening + income - expense_total),
                "lines": lines,
            },
        }
    if ct == ContentType.RELIEF:
        households = []
        for _ in range(rng.randrange(3, 7)):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            age = rng.randrange(35, 88)
            households.append(
                {
                    "name": name,
                    "id_number": identity_number(rng, age=age, on=ob.period_start),
                    "age": age,
                    "household_size": rng.randrange(1, 5),
                    "hardship": rng.choice(HARDSHIP),
                    "amount": str(rng.randrange(450, 900)),
                }
            )
        return {
            "body": "<p>以下为本期救助对象及金额,如有异议请于公示期内向民主监督小组反映。</p>",
            "data": {
                "programme": "临时救助" if ob.code == TEMPORARY_RELIEF else "城市最低生活保障",
                "households": households,
            },
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
                    for o in Officer.objects.all()
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
    return {
        "body": f"<p>{community.name}{ob.period_zh}公开事项:{ob.title}。具体情况如下:本期共办理相关事项"
        f" {rng.randrange(2, 15)} 件,均已按程序办结。欢迎居民监督。</p>",
        "data": {},
    }


def _five_steps(
    d: Disclosure,
    users: dict[str, User],
    *,
    community: Community,
    submitted: date,
    publish_day: date,
    channels: list[str],
    public_from: date | None = None,
) -> Disclosure:
    """Submitted on ``submitted``, approved, signed by the three and published on ``publish_day``."""
    d = services.disclosure_submit(
        community=community,
        disclosure=d,
        actor=users["handler"],
        planned_publish_date=publish_day,
        today=submitted,
    )
    d = services.disclosure_review(disclosure=d, actor=users["supervisor"], decision="approve")
    for role in SIGNING_ROLES:
        services.disclosure_sign(community=community, disclosure=d, actor=users[role], role=role)
    return services.disclosure_publish(
        community=community,
        disclosure=d,
        actor=users["handler"],
        channels=channels,
        public_from=public_from,
        now=_at(publish_day),
    )


def _publish(
    ob: Obligation, users: dict[str, User], *, on: date, rng: random.Random, community: Community
) -> Disclosure:
    content = _content(ob, rng, community)
    d = services.disclosure_create(
        community=community,
        actor=users["handler"],
        title=f"{ob.title}({ob.period_zh})",
        category=ob.category,
        content_type=ob.content_type,
        audience=ob.audience,
        obligation=ob,
        **content,
    )
    submitted = on - timedelta(days=9)
    publish_day = max(on, add_working_days(submitted, 5).date)
    return _five_steps(
        d,
        users,
        community=community,
        submitted=submitted,
        publish_day=publish_day,
        channels=["board", "web", "e_screen"],
        public_from=publish_day + timedelta(days=3) if ob.audience == Audience.PARTY_FIRST else None,
    )


def demo_since(today: date) -> date:
    """The first day of the month a year before ``today``: the demo shows the last twelve closed months
    whatever day it is seeded on (counted from 1 January, a demo seeded in early January was empty)."""
    return date(today.year - 1, today.month, 1)


def seed_disclosures(community: Community, *, today: date, since: date | None = None) -> None:
    """Obligations of every period closed between ``since`` (default: ``demo_since(today)``) and
    ``today``, most of them fulfilled, then what happened in the last days."""
    if Disclosure.objects.exists():
        return
    rng = random.Random(community.schema_name)
    users = {
        r: User.objects.get(username=f"{community.schema_name}_{r}")
        for r in ("handler", "secretary", "director", "supervisor")
    }
    services.obligations_generate(community=community, on=today, since=since or demo_since(today))
    for ob in Obligation.objects.order_by("due_date", "code"):
        if ob.due_date >= today:
            continue
        roll = rng.random()
        recent = (today - ob.due_date).days < 45
        if recent and roll < 0.25:
            continue  # left open: overdue
        if roll < 0.05:
            services.obligation_waive(
                community=community, obligation=ob, actor=users["secretary"], reason="本期无此类事项发生"
            )
        elif roll < 0.15:
            _publish(
                ob, users, on=ob.due_date + timedelta(days=rng.randrange(3, 12)), rng=rng, community=community
            )
        else:
            _publish(
                ob, users, on=ob.due_date - timedelta(days=rng.randrange(0, 5)), rng=rng, community=community
            )
    # one correction: the latest published finance statement had a wrong voucher number
    finance = (
        Disclosure.objects.filter(content_type=ContentType.FINANCE, status="published")
        .order_by("-published_at")
        .first()
    )
    if finance and finance.published_at:
        draft = services.disclosure_start_correction(
            community=community,
            disclosure=finance,
            actor=users["handler"],
            reason="第2笔支出的凭证号录入有误,予以更正",
        )
        day = max(timezone_date(finance.published_at) + timedelta(days=2), today - timedelta(days=20))
        data = dict(draft.data)
        data["lines"] = [dict(line) for line in data["lines"]]
        data["lines"][1]["voucher"] = data["lines"][1]["voucher"] + "A"
        draft = services.disclosure_update(
            disclosure=draft,
            actor=users["handler"],
            title=draft.title,
            category=draft.category,
            content_type=draft.content_type,
            audience=draft.audience,
            body=draft.body,
            data=data,
        )
        publish_day = add_working_days(day, 5).date
        _five_steps(
            draft,
            users,
            community=community,
            submitted=day,
            publish_day=publish_day,
            channels=["board", "web"],
            public_from=publish_day if draft.audience == Audience.PARTY_FIRST else None,
        )
    _seed_lately(community, users, today=today, rng=rng)
    services.obligations_refresh(community=community, on=today)
    services.ledger_anchor_record(community=community, day=today)


def _event_published_by(day: date) -> tuple[date, date]:
    """``(event day, publication day)`` of a per-event item published on its due day, no later than
    ``day``: the event is recorded and the draft submitted the same day, and the supervision group's
    five working days (holidays included) end on the due day."""
    event_day = day - timedelta(days=7)
    while add_working_days(event_day, 5).date > day:
        event_day -= timedelta(days=1)
    return event_day, add_working_days(event_day, 5).date


def _seed_lately(community: Community, users: dict[str, User], *, today: date, rng: random.Random) -> None:
    """What happened in the last days: a temporary-relief roster still on display, a resident on it
    asking about the payment (signed, a mobile number in the text too) and answered in public, and a
    party-internal item that reaches residents only in a few days (先党内后党外)."""
    event_day, publish_day = _event_published_by(today - timedelta(days=1))
    ob = services.event_record(
        community=community,
        actor=users["handler"],
        code=TEMPORARY_RELIEF,
        event_date=event_day,
        description="突发重病、意外致困家庭申请临时救助",
    )
    content = _content(ob, rng, community)
    roster = _five_steps(
        services.disclosure_create(
            community=community,
            actor=users["handler"],
            title=f"{publish_day.month}月临时救助对象公示",
            category=ob.category,
            content_type=ob.content_type,
            audience=ob.audience,
            obligation=ob,
            **content,
        ),
        users,
        community=community,
        submitted=event_day,
        publish_day=publish_day,
        channels=["board", "web", "e_screen"],
    )
    asker = content["data"]["households"][0]["name"]
    mobile = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
    question = feedback_services.feedback_submit(
        community=community,
        kind=Kind.QUESTION,
        text=f"我家在这次临时救助名单上,请问补助款什么时候能发到卡上?联系电话 {mobile}。",
        disclosure=roster,
        name=asker,
        mobile=mobile,
        today=today,
    )
    feedback_services.feedback_answer(
        community=community,
        feedback=question,
        actor=users["handler"],
        answer="补助款已报街道审核,预计本月底前发放到户,发放前社区会电话通知您。",
        public=True,
    )

    event_day, publish_day = _event_published_by(today - timedelta(days=1))
    ob = services.event_record(
        community=community,
        actor=users["secretary"],
        code=PARTY_EVENT,
        event_date=event_day,
        description="支部大会讨论接收预备党员",
    )
    candidate = rng.choice(SURNAMES) + rng.choice(GIVEN)
    _five_steps(
        services.disclosure_create(
            community=community,
            actor=users["handler"],
            title=f"关于接收{candidate}同志为中共预备党员的公示",
            category=Category.PARTY,
            content_type=ContentType.NOTICE,
            audience=Audience.PARTY_FIRST,
            obligation=ob,
            body=(
                f"<p>经{community.name}党支部委员会审查、支部大会讨论表决,同意接收{candidate}同志为中共"
                f"预备党员,预备期一年。现在党内公示,{zh_date(today + timedelta(days=5), year=False)}"
                "起向居民公开。</p>"
            ),
            data={},
        ),
        users,
        community=community,
        submitted=event_day,
        publish_day=publish_day,
        channels=["meeting", "board"],
        public_from=today + timedelta(days=5),
    )


def timezone_date(moment: datetime) -> date:
    return moment.astimezone(TZ).date()
