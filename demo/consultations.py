"""征求意见 in each demo community (新视界方案 四(一) 事前公示): one consultation finished a month ago, with
its residents' opinions, the supervision group's decisions on which are shown, its result and the
work plan that carries the decision out; and one open today, a dozen opinions in, some shown, some
hidden, some still waiting for the supervision group."""

from __future__ import annotations

import random
from datetime import date, timedelta

from demo.drafts import five_steps, latest_start, resident_name
from disclosure import services
from disclosure.choices import Category, ContentType
from disclosure.feedback import opinions
from disclosure.models import Disclosure
from disclosure.rules import CONSULTATION_MIN_DAYS, REVIEW_WORKING_DAYS
from tenants.models import Community, User

LIFT_OPINIONS = (
    "赞成加装电梯。我家住六楼,老伴腿脚不好,一个月都下不了几次楼。",
    "同意加装,但费用分摊要按楼层算,一楼、二楼住户用不上,应当少出或不出。",
    "担心电梯井挡住二楼的采光,希望施工前把设计图贴出来让大家看看。",
    "支持。希望申请政府补贴的流程公开,补了多少钱、怎么分,都要在公开栏贴出来。",
    "电梯以后的维护保养费谁来出?建议一并写进方案。",
    "施工期间楼道要封多久?家里有卧床老人,请提前通知。",
)
PARKING_OPINIONS = (
    "收费标准比周边小区高,希望参照幸福里小区的价格。",
    "赞成按月收费,但是要给本小区居民优惠,外来车辆多收一些。",
    "收来的停车费怎么用?建议每季度在公开栏公布收支明细。",
    "晚上十点以后经常有外来车辆占道,收费以后请安排人值守。",
    "我家是残疾人家庭,每天要开车送孩子做康复,能不能减免?联系电话 {mobile}。",
    "希望先把地面划线、装好道闸再收费,不然收了钱还是乱停。",
    "老旧小区车位本来就少,能不能把东边那块空地也改成停车位?",
    "同意调整,但第一年可以少收一点,让大家慢慢适应。",
    "电动车充电桩的收费也一起公示吧,现在一晚上多少钱没人说得清。",
    "收费太高了,我们退休职工负担不起,反对这个方案。",
    "建议按车位位置分档,靠近楼门口的贵一些,远的便宜一些。",
    "请把征求意见的结果和最后定的标准贴在每个单元门口。",
)


def seed_consultations(
    community: Community, users: dict[str, User], *, today: date, rng: random.Random
) -> None:
    """The finished consultation with its result and follow-up, then the open one."""
    _finished(community, users, today=today, rng=rng)
    _open(community, users, today=today, rng=rng)


def _consultation(
    community: Community, users: dict[str, User], *, title: str, body: str, opens: date, closes: date
) -> Disclosure:
    d = services.disclosure_create(
        community=community,
        actor=users["handler"],
        title=title,
        category=Category.AFFAIRS,
        content_type=ContentType.CONSULTATION,
        body=body,
        data={"opens_on": opens.isoformat(), "closes_on": closes.isoformat()},
    )
    return _through_five_steps(d, users, community=community, on=opens)


def _through_five_steps(
    d: Disclosure, users: dict[str, User], *, community: Community, on: date
) -> Disclosure:
    submitted = latest_start(ends_by=on, working_days=REVIEW_WORKING_DAYS)
    return five_steps(
        d, users, community=community, submitted=submitted, publish_day=on, channels=["board", "web"]
    )


def _opinions(
    community: Community,
    users: dict[str, User],
    consultation: Disclosure,
    texts: tuple[str, ...],
    *,
    days: list[date],
    rng: random.Random,
    shown: int,
    hidden: int,
) -> None:
    """One opinion per text, on the given days; every third signed. The supervision group shows the
    first ``shown`` and hides the next ``hidden``; the rest wait for it."""
    for number, text in enumerate(texts):
        signed = number % 3 == 1
        mobile = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        opinion = opinions.opinion_submit(
            community=community,
            consultation=consultation,
            text=text.format(mobile=mobile),
            name=resident_name(rng) if signed else "",
            mobile=mobile if signed else "",
            today=days[number % len(days)],
        )
        if number < shown + hidden:
            opinions.opinion_moderate(
                opinion=opinion,
                actor=users["supervisor"],
                community=community,
                shown=number < shown,
            )


def _milestone(name: str, day: date, progress: int) -> dict[str, object]:
    return {"name": name, "planned_date": day.isoformat(), "progress": progress}


def _finished(community: Community, users: dict[str, User], *, today: date, rng: random.Random) -> None:
    opens = today - timedelta(days=45)
    closes = opens + timedelta(days=CONSULTATION_MIN_DAYS + 4)
    lift = _consultation(
        community,
        users,
        title="关于3号楼加装电梯的意见征集",
        body=(
            "<p>3号楼部分住户申请加装电梯。为做到事前公开,现将初步方案向全体居民征求意见:电梯加装在"
            "楼北侧,费用扣除政府补贴后由住户按楼层分摊。请在截止日期前提出意见。</p>"
        ),
        opens=opens,
        closes=closes,
    )
    days = [opens + timedelta(days=n) for n in range(0, CONSULTATION_MIN_DAYS, 2)]
    _opinions(community, users, lift, LIFT_OPINIONS, days=days, rng=rng, shown=5, hidden=1)
    plan_day = closes + timedelta(days=10)
    plan = _through_five_steps(
        services.disclosure_create(
            community=community,
            actor=users["handler"],
            title="3号楼加装电梯工作计划",
            category=Category.AFFAIRS,
            content_type=ContentType.PLAN,
            body="<p>根据征求意见的结果,3号楼加装电梯按以下节点推进。</p>",
            data={
                "milestones": [
                    _milestone("设计图公示", plan_day + timedelta(days=7), 100),
                    _milestone("申请政府补贴", plan_day + timedelta(days=30), 40),
                    _milestone("施工", plan_day + timedelta(days=90), 0),
                ]
            },
        ),
        users,
        community=community,
        on=plan_day,
    )
    _through_five_steps(
        services.disclosure_create(
            community=community,
            actor=users["handler"],
            title="关于3号楼加装电梯的征求意见结果",
            category=Category.AFFAIRS,
            content_type=ContentType.CONSULTATION_RESULT,
            body="",
            data={
                "consultation": lift.pk,
                "summary": (
                    f"意见征集期内共收到居民意见 {len(LIFT_OPINIONS)} 条,其中赞成加装的 4 条,对费用分摊、"
                    "采光和施工期间出行提出意见的 4 条(有的意见同时提到几个方面)。\n"
                    "采纳的意见:费用按楼层分摊,一楼住户不分摊;设计图先公示;补贴申请和使用情况公开。\n"
                    "没有采纳的意见:电梯改到楼南侧(南侧是消防通道,不能占用)。"
                ),
                "decision": (
                    "经居民代表会议讨论,同意3号楼北侧加装电梯,费用扣除政府补贴后由二楼以上住户按楼层分摊;"
                    "维护保养费由使用电梯的住户共同承担。具体进度见《3号楼加装电梯工作计划》。"
                ),
                "follow_up": plan.pk,
            },
        ),
        users,
        community=community,
        on=plan_day + timedelta(days=2),
    )


def _open(community: Community, users: dict[str, User], *, today: date, rng: random.Random) -> None:
    opens = today - timedelta(days=4)
    parking = _consultation(
        community,
        users,
        title="关于调整小区停车收费标准的意见征集",
        body=(
            "<p>小区停车位紧张,外来车辆占道严重。社区拟调整停车收费标准:本小区居民每月 60 元,外来车辆每小时"
            " 2 元,所收费用用于道闸维护和划线,收支按季度公开。现向全体居民征求意见。</p>"
        ),
        opens=opens,
        closes=opens + timedelta(days=CONSULTATION_MIN_DAYS + 4),
    )
    days = [opens + timedelta(days=n) for n in range(5)]
    _opinions(community, users, parking, PARKING_OPINIONS, days=days, rng=rng, shown=6, hidden=2)
