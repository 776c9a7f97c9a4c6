"""A year of realistic disclosures for each demo community: most on time, some late, a few waived,
corrected or still overdue, so the workspace and the street-office dashboard have something true
to show; what happened in the last days, so the portal shows what it must protect: a relief
roster on display (its identity numbers and names masked), a resident's signed question answered in
public, and a party-internal item before its public day; consultations (``demo.consultations``); and
the work waiting today at every step
(``demo.waiting``). Deterministic (seeded per community) and idempotent (skipped when the community
has any)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from demo.consultations import seed_consultations
from demo.drafts import (
    QUARTER_STATEMENT,
    TEMPORARY_RELIEF,
    TZ,
    content_for,
    draft_for,
    five_steps,
    latest_start,
    resident_name,
)
from demo.receipts import leader_take_charge
from demo.waiting import left_open, seed_waiting
from disclosure import services
from disclosure.choices import Audience, Category, ContentType, DisclosureStatus
from disclosure.feedback import services as feedback_services
from disclosure.feedback.choices import Kind
from disclosure.models import Disclosure, Obligation
from disclosure.rules import REVIEW_WORKING_DAYS
from tenants.models import Community, User
from workdays.dates import zh_date
from workdays.periods import period_zh
from workdays.services import add_working_days

PARTY_EVENT = "DW-05"  # 党内推荐和选举、入党积极分子培养、发展党员: per event, party members first
ROLES = ("handler", "secretary", "director", "supervisor", "supervision_head")


def _publish(
    ob: Obligation,
    users: dict[str, User],
    *,
    on: date,
    rng: random.Random,
    community: Community,
    itemised: bool = False,
) -> Disclosure:
    content = content_for(ob, rng, community, itemised=itemised)
    title = f"{ob.title}({period_zh(ob.period)})"
    d = draft_for(ob, users, community=community, title=title, content=content)
    submitted = on - timedelta(days=9)
    publish_day = max(on, add_working_days(submitted, REVIEW_WORKING_DAYS).date)
    return five_steps(
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
    ``today``, most of them fulfilled, then what happened in the last days and what waits today."""
    if Disclosure.objects.exists():
        return
    rng = random.Random(community.schema_name)
    users = {r: User.objects.get(username=f"{community.schema_name}_{r}") for r in ROLES}
    services.obligations_generate(community=community, on=today, since=since or demo_since(today))
    waiting = left_open(today=today)
    leader_take_charge(community)
    # the last quarter's books are published in full, with every reimbursement's receipts and signatures
    last_quarter = (
        Obligation.objects.filter(code=QUARTER_STATEMENT, due_date__lt=today)
        .exclude(pk__in=waiting)
        .order_by("-period_start")
        .first()
    )
    for ob in Obligation.objects.order_by("due_date", "code"):
        if ob.due_date >= today or ob.pk in waiting:
            continue
        if last_quarter is not None and ob.pk == last_quarter.pk:
            _publish(ob, users, on=ob.due_date, rng=rng, community=community, itemised=True)
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
    _correct_latest_finance(community, users, today=today)
    _seed_lately(community, users, today=today, rng=rng)
    seed_consultations(community, users, today=today, rng=rng)
    seed_waiting(community, users, today=today, rng=rng)
    # the fixed items published a year ago come up for renewal (000 第八条, 第十九条): what the nightly
    # task would open today, opened now
    services.renewals_generate(community=community, on=today)
    services.obligations_refresh(community=community, on=today)
    services.ledger_anchor_record(community=community, day=today)


def _correct_latest_finance(community: Community, users: dict[str, User], *, today: date) -> None:
    """One correction: the latest published finance statement had a wrong voucher number."""
    finance = (
        Disclosure.objects.filter(content_type=ContentType.FINANCE, status=DisclosureStatus.PUBLISHED)
        .order_by("-published_at")
        .first()
    )
    if finance is None or finance.published_at is None:
        return
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
    publish_day = add_working_days(day, REVIEW_WORKING_DAYS).date
    five_steps(
        draft,
        users,
        community=community,
        submitted=day,
        publish_day=publish_day,
        channels=["board", "web"],
        public_from=publish_day if draft.audience == Audience.PARTY_FIRST else None,
    )


def _event_published_by(day: date) -> tuple[date, date]:
    """``(event day, publication day)`` of a per-event item published on its due day, no later than
    ``day``: the event is recorded and the draft submitted the same day, and the supervision group's
    five working days (holidays included) end on the due day."""
    event_day = latest_start(ends_by=day, working_days=REVIEW_WORKING_DAYS)
    return event_day, add_working_days(event_day, REVIEW_WORKING_DAYS).date


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
    content = content_for(ob, rng, community)
    title = f"{publish_day.month}月临时救助对象公示"
    roster = five_steps(
        draft_for(ob, users, community=community, title=title, content=content),
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
    candidate = resident_name(rng)
    public_from = today + timedelta(days=5)
    five_steps(
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
                f"预备党员,预备期一年。现在党内公示,{zh_date(public_from, year=False)}起向居民公开。</p>"
            ),
            data={},
        ),
        users,
        community=community,
        submitted=event_day,
        publish_day=publish_day,
        channels=["meeting", "board"],
        public_from=public_from,
    )


def timezone_date(moment: datetime) -> date:
    return moment.astimezone(TZ).date()
