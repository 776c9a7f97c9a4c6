"""The work waiting today in a demo community, so that every role finds something to do the moment they
log in: the handler's quarterly statement drafted but not yet sent for review, a draft the supervision
group returned with its comments, one waiting for the group's review, approved items at each count of
signatures (none, the secretary's, two of three), one signed by all three whose publication day has
come, two residents' questions not yet answered (one due tomorrow), and an obligation left undone past
its deadline.

Every item goes through the services on the days it would have: a per-event item is recorded, drafted
and sent for review on the same day, so that its review period and its deadline end on the day it is
to be published (today, or one to four working days from now). "Today" is whatever day the demo is
seeded on."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from demo.drafts import (
    QUARTER_STATEMENT,
    TEMPORARY_RELIEF,
    draft_for,
    finance_data,
    finance_line,
    latest_start,
    quarter_statement,
    relief_data,
    resident_name,
    review,
    sign,
    submit,
)
from demo.receipts import reimbursements_sign
from disclosure import services
from disclosure.choices import DisclosureStatus, ReviewDecision
from disclosure.feedback import services as feedback_services
from disclosure.feedback.choices import Kind
from disclosure.feedback.rules import ANSWER_WORKING_DAYS
from disclosure.models import Disclosure, Obligation
from disclosure.rules import REVIEW_WORKING_DAYS, SIGNING_ROLES
from tenants.models import Community, User
from workdays.dates import zh_date
from workdays.periods import period_zh
from workdays.services import add_working_days

# the street leader's signature still to come on the last few reimbursements of the statement being drafted
LEFT_TO_LEADER = 3
LEFT_UNDONE = "SW-07"  # 初审和证明事项办理情况: the latest one past its deadline is not done at all
DONATIONS = "CW-03"  # 社会赞助和捐赠款物: per event, an itemised statement


def left_open(*, today: date) -> set[int]:
    """The obligations the year of history must leave alone: the quarterly statement the handler is
    drafting now, and the latest past-due item nobody has started (the workspace's overdue list is
    never empty, whatever the history's dice said)."""
    statement = Obligation.objects.filter(code=QUARTER_STATEMENT).order_by("-period_start").first()
    undone = Obligation.objects.filter(code=LEFT_UNDONE, due_date__lt=today).order_by("-due_date").first()
    return {ob.pk for ob in (statement, undone) if ob is not None}


def seed_waiting(community: Community, users: dict[str, User], *, today: date, rng: random.Random) -> None:
    statement = Obligation.objects.filter(code=QUARTER_STATEMENT).order_by("-period_start").first()
    if statement is not None:
        drafted = draft_for(
            statement,
            users,
            community=community,
            title=f"{statement.title}({period_zh(statement.period)})",
            content=quarter_statement(statement, rng),
        )
        # the five have signed what the handler has entered so far, but for the street leader's last few
        reimbursements_sign(drafted, users, community=community, leave_to_leader=LEFT_TO_LEADER)
    for item in _in_flight(today, rng):
        _take_to_stage(item, users, community=community, today=today)
    _questions(community, today=today, rng=rng)


def donations_statement(day: date, rng: random.Random) -> tuple[dict[str, Any], str]:
    """Donations received and handed out, with the mistake the supervision group finds: the third
    expense carries the second one's voucher number. Returns the content and the group's comments."""
    received = [("辖区超市捐赠慰问金", 5000), ("爱心人士捐款", 2000), ("县慈善总会拨付救助款", 6000)]
    given = [
        ("购买米、面、油慰问困难家庭", "慰问费"),
        ("购买棉被慰问独居老人", "慰问费"),
        ("慰问残疾人家庭", "慰问费"),
        ("慰问困难党员", "慰问费"),
        ("救助物资搬运费", "劳务费"),
    ]
    lines = [
        finance_line(day, what, "社会捐赠", Decimal(amount), f"收-{day:%Y%m}-J{n:02d}")
        for n, (what, amount) in enumerate(received, start=1)
    ]
    vouchers = [f"付-{day:%Y%m}-J{n:02d}" for n in range(1, len(given) + 1)]
    vouchers[2] = vouchers[1]
    for n, ((what, category), voucher) in enumerate(zip(given, vouchers, strict=True)):
        amount = Decimal(rng.randrange(800, 2400))
        paid = day + timedelta(days=n // 2)
        lines.append(finance_line(paid, what, category, amount, voucher, reimbursed=True))
    content = {
        "body": "<p>本次社会捐赠款物的接收和发放情况逐笔公开如下,受助名单经入户核实、居民代表评议确定。</p>",
        "data": finance_data(period=f"{day.year}年{day.month}月", opening=Decimal(0), lines=lines),
    }
    comments = (
        f"第3笔支出的凭证号与第2笔重复(都是 {vouchers[1]}),请核对原始凭证后更正;"
        "“慰问残疾人家庭”请附领取人签字的发放清单复印件。"
    )
    return content, comments


@dataclass(frozen=True)
class InFlight:
    """A per-event item and the step it has reached."""

    stage: str
    code: str  # the catalogue item
    event: str  # what happened, as recorded
    title: str
    content: dict[str, Any]
    comments: str = ""  # the supervision group's, when it returned the draft


# Working days from today to each stage's publication day: the further along, the sooner; the one signed
# by all three could have been published on or before today.
PUBLISHED_IN = {"returned": 1, "submitted": 4, "approved": 3, "secretary": 2, "signed_twice": 1, "ready": 0}
SIGNED = {"secretary": SIGNING_ROLES[:1], "signed_twice": SIGNING_ROLES[:2], "ready": SIGNING_ROLES}


def submitted_on(stage: str, today: date) -> date:
    """The day the item went to the supervision group: its review period ends on the stage's
    publication day, which is also its deadline (recorded that day, due REVIEW_WORKING_DAYS later)."""
    days = PUBLISHED_IN[stage]
    publication = add_working_days(today, days).date if days else today  # 0 days: not rolled past a holiday
    return latest_start(ends_by=publication, working_days=REVIEW_WORKING_DAYS)


def _in_flight(today: date, rng: random.Random) -> list[InFlight]:
    month = f"{today.month}月"
    given_from = submitted_on("returned", today) - timedelta(days=7)
    donations, comments = donations_statement(given_from, rng)
    signup = today + timedelta(days=10)
    households = rng.randrange(120, 260)
    agreed = households * rng.randrange(55, 80) // 100
    return [
        InFlight(
            "returned",
            DONATIONS,
            "辖区企业和爱心人士捐赠慰问款物",
            f"{given_from.month}月社会捐赠款物接收和发放情况",
            donations,
            comments,
        ),
        InFlight(
            "submitted",
            "ZW-01",
            "县医疗保障局下发城乡居民医保集中参保缴费通知",
            "关于城乡居民基本医疗保险集中参保缴费的通知",
            {
                "body": (
                    "<p>根据县医疗保障局通知,城乡居民基本医疗保险集中参保缴费工作已经开始。"
                    f"未参加职工医保的辖区居民请于{zh_date(today + timedelta(days=45))}前完成缴费,"
                    "缴费标准按县医疗保障局公布的标准执行。</p><p>缴费方式:手机银行或医保公众号自助缴费,也可携带身份证到社区服务大厅代办。"
                    "特困人员、低保对象、重度残疾人的个人缴费部分由政府资助,社区将逐户核对名单。</p>"
                ),
            },
        ),
        InFlight(
            "approved",
            "SW-10",
            "居民集中反映老旧小区加装电梯问题",
            "关于老旧小区加装电梯意愿征集情况的说明",
            {
                "body": (
                    "<p>近期居民反映较多的老旧小区加装电梯问题,社区组织网格员入户征集意愿,共走访住户"
                    f" {households} 户,同意加装的 {agreed} 户。</p><p>下一步,社区将按单元召开居民协商会,"
                    "同意户数达到规定比例的单元报街道申请纳入改造计划,费用分摊方案经协商一致后公示。</p>"
                ),
            },
        ),
        InFlight(
            "secretary",
            "DW-06",
            "支部委员会传达街道党工委工作部署",
            "关于贯彻落实街道党工委近期工作部署情况的通报",
            {
                "body": (
                    "<p>支部委员会召开专题会议,传达学习街道党工委近期工作部署,明确了党员联系网格、困难群众走访"
                    "和安全隐患排查三项任务,分工到人,每周报告进度。</p>"
                ),
            },
        ),
        InFlight(
            "signed_twice",
            "ZW-03",
            "社区专职网格员岗位空缺,经街道同意公开招聘",
            "社区专职网格员公开招聘公告",
            {
                "body": (
                    "<p>经街道同意,本社区公开招聘专职网格员 2 名。</p><p>条件:本县户籍,年龄 18 至 45 周岁,"
                    "高中以上学历,熟悉社区情况,能熟练使用电脑。</p><p>报名时间:"
                    f"{zh_date(signup)}至{zh_date(signup + timedelta(days=10))},携带身份证、户口簿、学历证明"
                    "到社区服务大厅报名。</p><p>程序:报名、资格审查、笔试、面试、公示、聘用,每一步的结果都在"
                    "公开栏公布。</p>"
                ),
            },
        ),
        InFlight(
            "ready",
            TEMPORARY_RELIEF,
            "因病因灾致困家庭申请临时救助(第二批)",
            f"{month}临时救助对象公示(第二批)",
            {
                "body": "<p>以下为本月第二批临时救助对象及金额,如有异议请于公示期内向民主监督小组反映。</p>",
                "data": relief_data(rng, programme="临时救助", on=today),
            },
        ),
    ]


def _take_to_stage(
    item: InFlight, users: dict[str, User], *, community: Community, today: date
) -> Disclosure:
    """Recorded, drafted and sent for review on its day, then taken as far as its stage."""
    submitted = submitted_on(item.stage, today)
    ob = services.event_record(
        community=community,
        actor=users["handler"],
        code=item.code,
        event_date=submitted,
        description=item.event,
    )
    d = draft_for(ob, users, community=community, title=item.title, content=item.content)
    publish_day = add_working_days(submitted, REVIEW_WORKING_DAYS).date
    d = submit(d, users, community=community, submitted=submitted, publish_day=publish_day)
    if item.stage == "submitted":
        return d
    if item.stage == "returned":
        return review(d, users, community=community, decision=ReviewDecision.RETURN, comments=item.comments)
    d = review(d, users, community=community)
    sign(d, users, community=community, roles=SIGNED.get(item.stage, ()))
    return d


def _questions(community: Community, *, today: date, rng: random.Random) -> None:
    """Two questions not answered yet: one from yesterday, one whose ten working days end tomorrow
    (signed, about the quarterly statement on the board before the one being drafted)."""
    feedback_services.feedback_submit(
        community=community,
        kind=Kind.QUESTION,
        text="请问今年冬季困难群众取暖补贴什么时候发放?需要本人到社区登记吗?",
        today=today - timedelta(days=1),
    )
    statement = (
        Disclosure.objects.filter(obligation__code=QUARTER_STATEMENT, status=DisclosureStatus.PUBLISHED)
        .order_by("-published_at")
        .first()
    )
    line = statement.data["lines"][2]["description"] if statement else "路灯维修"
    feedback_services.feedback_submit(
        community=community,
        kind=Kind.QUESTION,
        text=f"财务公开里“{line}”这一笔,具体是哪些地方、花了多少?能不能把明细贴出来?",
        disclosure=statement,
        name=resident_name(rng),
        mobile=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        today=latest_start(ends_by=add_working_days(today, 1).date, working_days=ANSWER_WORKING_DAYS),
    )
