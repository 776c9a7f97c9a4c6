"""工作简报 (000 第九条(五); 004 ⑷): each quarter a briefing per community and one for the street office,
compiled from the quarter's own data, edited as a draft, then published.

The quarter is built with real services on a frozen clock (time-machine), as it would have happened:
per-event items published on their deadline or some working days after it, one never published,
residents' questions answered at known times or left open, an order issued and closed, a spot check,
a survey counted. Each figure of the briefing is compared with what was built, so a figure computed
wrongly fails here."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django_tenants.utils import tenant_context
from pypdf import PdfReader

from communities.models import Notification
from disclosure import services as engine
from disclosure.choices import ContentType, DisclosureStatus
from disclosure.feedback import services as feedback_services
from disclosure.feedback.choices import Kind
from disclosure.models import Briefing, Disclosure
from inspection import services as inspection
from inspection.briefing import community_quarter, quarter_last_completed, street_office_quarter
from inspection.briefing_notices import street_briefing_announce
from inspection.briefing_text import community_written
from inspection.choices import BriefingStatus, RectificationStatus
from inspection.models import SpotCheck, StreetOfficeBriefing
from tenants.errors import NotAllowed
from tests.conftest import host, login
from tests.factories import SIGNERS, EventObligationFactory, FeedbackFactory, at, here, published
from workdays.dates import zh_date
from workdays.periods import Period, Span
from workdays.services import add_working_days

pytestmark = pytest.mark.django_db

Q3 = Period(date(2026, 7, 1), Span.QUARTER)
COMPILED_ON = date(2026, 10, 12)  # a Monday after the National Day holiday
# twelve events, one a week from the quarter's first Thursday
EVENT_DAYS = [date(2026, 7, 2) + timedelta(weeks=n) for n in range(12)]
RESIDENT_NAME, RESIDENT_MOBILE = "张三丰", "13912345678"


@contextmanager
def on(day: date, hour: int = 10) -> Iterator[None]:
    """The clock stopped at ``hour`` o'clock of ``day`` in the communities' time zone."""
    with time_machine.travel(at(day, hour), tick=False):
        yield


def working_days_after(day: date, n: int) -> date:
    return add_working_days(day, n).date


def publish_for(world: Any, obligation: Any, day: date, title: str) -> Disclosure:
    return published(
        world,
        on=day,
        today=day - timedelta(days=14),
        planned=day,
        obligation=obligation,
        title=title,
        category=obligation.category,
    )


def build_quarter(world: Any) -> dict[str, Any]:
    """银城社区's third quarter of 2026, and what it should read as on COMPILED_ON."""
    inspector, leader = world.user("yinzhou_inspector"), world.user("yinzhou_leader")
    built: dict[str, Any] = {"on_time": [], "late": {}}
    with tenant_context(world.yincheng):
        # twelve events in the quarter, each due five working days later
        events = []
        for number, day in enumerate(
            EVENT_DAYS,
            start=1,
        ):
            with on(day):
                events.append(EventObligationFactory.create(event_date=day, description=f"第{number}件事"))
        # nine published on their deadline day (on time), two late by 1 and 3 working days, one never
        for number, obligation in enumerate(events[:9], start=1):
            publish_for(world, obligation, obligation.due_date, f"第三季度事项{number}")
            built["on_time"].append(f"第三季度事项{number}")
        for number, (obligation, late) in enumerate(zip(events[9:11], (1, 3), strict=True), start=10):
            publish_for(
                world, obligation, working_days_after(obligation.due_date, late), f"第三季度事项{number}"
            )
            built["late"][f"第三季度事项{number}"] = late
        built["unpublished"] = events[11]
        # an item of no obligation inside the quarter, one before it and one after
        published(
            world, on=date(2026, 8, 31), today=date(2026, 8, 10), planned=date(2026, 8, 31), title="临时通知"
        )
        published(
            world, on=date(2026, 6, 29), today=date(2026, 6, 1), planned=date(2026, 6, 29), title="上季度通知"
        )
        published(
            world,
            on=date(2026, 10, 9),
            today=date(2026, 9, 20),
            planned=date(2026, 10, 9),
            title="下季度通知",
        )
        # residents: answered after 2 and 4 working days, a signed complaint after 15, two left open
        handler = world.user("yincheng_handler")
        answers = [
            (Kind.QUESTION, date(2026, 7, 6), date(2026, 7, 8), "", ""),
            (Kind.SUGGESTION, date(2026, 7, 13), date(2026, 7, 17), "", ""),
            (Kind.COMPLAINT, date(2026, 8, 3), date(2026, 8, 24), RESIDENT_NAME, RESIDENT_MOBILE),
        ]
        for kind, received, answered, name, mobile in answers:
            with on(received):
                feedback = FeedbackFactory.create(on=received, kind=kind, name=name, mobile=mobile)
            with on(answered, 15):
                feedback_services.feedback_answer(
                    feedback=feedback, actor=handler, community=here(), answer="已答复", public=False
                )
        with on(date(2026, 8, 31)):
            built["overdue_question"] = FeedbackFactory.create(on=date(2026, 8, 31), kind=Kind.QUESTION)
        with on(date(2026, 9, 29)):
            built["open_question"] = FeedbackFactory.create(on=date(2026, 9, 29), kind=Kind.QUESTION)
        with on(date(2026, 6, 29)):
            FeedbackFactory.create(on=date(2026, 6, 29))  # the quarter before
    # the street office: an order issued and closed in the quarter, another after it
    with on(date(2026, 8, 12)):
        order = inspection.rectification_issue(
            community=world.yincheng, source="manual", issues="公开栏未按月更新", actor=inspector
        )
    with on(date(2026, 8, 18)):
        inspection.rectification_answer(
            rectification=order, actor=world.user("yincheng_secretary"), answer="已更新"
        )
    with on(date(2026, 8, 20)):
        built["order"] = inspection.rectification_verify(rectification=order, actor=inspector, accept=True)
    with on(date(2026, 10, 9)):
        inspection.rectification_issue(
            community=world.yincheng, source="manual", issues="下季度的", actor=inspector
        )
    # a spot check visited in September
    with on(date(2026, 9, 8)):
        inspection.spot_check_draw(
            street_office=world.yinzhou, period="2026Q3", sample_size=3, actor=inspector, inspector=inspector
        )
    check = SpotCheck.objects.get(community=world.yincheng, draw__period="2026Q3")
    with on(date(2026, 9, 10)):
        built["spot_check"] = inspection.spot_check_record(
            spot_check=check,
            actor=inspector,
            visited_at=at(date(2026, 9, 10), 9),
            checklist={name: True for name in inspection.CHECKLIST},
            findings="公开栏整洁,内容是当期的",
        )
    # a survey: ten votes, closed in September
    with on(date(2026, 9, 14)):
        survey = inspection.survey_open(
            community=world.yincheng,
            period="2026年第三季度",
            title="第三季度群众评议",
            codes=10,
            actor=inspector,
        )
        for code, answer in zip(
            survey.codes.values_list("code", flat=True),
            ["satisfied"] * 8 + ["basic", "unsatisfied"],
            strict=True,
        ):
            inspection.vote_cast(community=world.yincheng, code=code, answer=answer)
    with on(date(2026, 9, 25)):
        built["survey"] = inspection.survey_close(survey=survey, actor=leader)
    return built


def section(sections: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return next(s for s in sections if s["key"] == key)


def facts(s: dict[str, Any]) -> dict[str, str]:
    return dict(s["facts"])


def test_every_figure_of_the_community_briefing_equals_the_quarters_data(world):
    built = build_quarter(world)
    q = community_quarter(community=world.yincheng, period=Q3, on=COMPILED_ON)

    # what was published and when: eleven answered obligations, the item of no obligation; nothing from
    # the quarters before and after
    titles = [p.title for p in q.publications]
    assert sorted(titles) == sorted([*built["on_time"], *built["late"], "临时通知"])
    lateness = {p.title: p.working_days_late for p in q.publications}
    assert all(lateness[t] == 0 for t in built["on_time"])
    assert {t: lateness[t] for t in built["late"]} == built["late"]
    assert lateness["临时通知"] is None
    unpublished = built["unpublished"]
    assert [u.title for u in q.unpublished] == [f"{unpublished.title}(2026年9月17日)"]
    # on time rate: 9 of the 12 due in the quarter
    c = q.compliance
    assert (c.due, c.on_time, c.late, c.overdue) == (12, 9, 2, 1)
    assert c.on_time_rate == Decimal("75.0")
    # residents: five received in the quarter, three answered (2, 4, 15 working days), one of them late
    f = q.feedback
    assert (f.received, f.answered, f.answered_on_time, f.open) == (5, 3, 2, 2)
    assert f.by_kind == {"询问": 3, "意见建议": 1, "投诉": 1}
    assert f.average_working_days == Decimal("7.0")
    expected_overdue = sum(
        1 for x in (built["overdue_question"], built["open_question"]) if x.due_date < COMPILED_ON
    )
    assert f.overdue == expected_overdue >= 1
    # the street office: the quarter's order (closed), its spot check and its survey
    assert [o.pk for o in q.orders] == [built["order"].pk]
    assert q.orders[0].status == RectificationStatus.CLOSED
    assert [s.pk for s in q.spot_checks] == [built["spot_check"].pk]
    assert [s.pk for s in q.surveys] == [built["survey"].pk]

    written = community_written(q)
    assert written.title == "银城社区2026年第三季度工作简报"
    assert "按时公开率 75.0%" in written.summary and "数据截至2026年10月12日" in written.summary
    pub = section(written.sections, "publications")
    assert facts(pub)["本季度公布"] == "12 项" and facts(pub)["按时公开率"] == "75.0%"
    rows = {r[0]: r for r in pub["rows"]}
    late_title = next(iter(built["late"]))
    assert rows[late_title][3] == "逾期 1 个工作日"
    assert rows[built["on_time"][0]][3] == "按时"
    assert rows[f"{built['unpublished'].title}(2026年9月17日)"][2:] == [
        "未公开",
        f"逾期未公开 {q.unpublished[0].working_days_late} 个工作日",
    ]
    assert rows["临时通知"][2] == "2026年8月31日"
    fb = facts(section(written.sections, "feedback"))
    assert (fb["收到"], fb["已答复"], fb["按期答复"], fb["平均答复用时"]) == (
        "5 件",
        "3 件",
        "2 件",
        "7.0 个工作日",
    )
    orders = section(written.sections, "orders")
    assert orders["rows"] == [
        [
            "2026年8月12日",
            "街道责令",
            "公开栏未按月更新",
            zh_date(built["order"].due_date),
            "已销号(2026年8月20日)",
        ]
    ]
    check = section(written.sections, "spot_checks")["rows"][0]
    assert check[0] == "2026年9月10日" and check[4] == str(built["spot_check"].score)
    survey = section(written.sections, "surveys")["rows"][0]
    assert survey[1:7] == ["2026年9月25日", "10", "8", "1", "1", f"{built['survey'].satisfaction_rate}%"]


def generate(world: Any, **kwargs: Any) -> Disclosure:
    with on(COMPILED_ON):
        return inspection.community_briefing_generate(
            community=world.yincheng, period=Q3, actor=world.user("yincheng_handler"), **kwargs
        )


def edit_text(world: Any, d: Disclosure, text: str) -> Disclosure:
    with tenant_context(world.yincheng):
        data = {
            **d.data,
            "sections": [
                {**s, "text": text if s["key"] == "next" else s["text"]} for s in d.data["sections"]
            ],
        }
        return engine.disclosure_update(
            disclosure=d,
            actor=d.created_by,  # type: ignore[arg-type]
            title=d.title,
            category=d.category,
            content_type=d.content_type,
            audience=d.audience,
            body=d.body,
            data=data,
        )


def next_text(world: Any, d: Disclosure) -> str:
    with tenant_context(world.yincheng):
        return section(Disclosure.objects.get(pk=d.pk).data["sections"], "next")["text"]


def test_an_edited_draft_is_regenerated_only_when_the_clerk_confirms(world, client_for):
    d = generate(world)
    assert d.status == DisclosureStatus.DRAFT and d.content_type == ContentType.BRIEFING
    again = generate(world)  # nothing edited: regenerated in place, one briefing per quarter
    assert again.pk == d.pk
    edit_text(world, d, "下季度重点:更新公开栏。")
    with pytest.raises(engine.BriefingEdited):
        generate(world)
    assert next_text(world, d) == "下季度重点:更新公开栏。"

    client = client_for("yincheng")
    login(client, "yincheng_handler")
    with on(COMPILED_ON):
        asked = client.post("/workspace/inspection/briefings/", {"period": "2026Q3"})
        assert asked.status_code == 409
        assert "确认覆盖并重新生成" in asked.content.decode()
        assert next_text(world, d) == "下季度重点:更新公开栏。"
        confirmed = client.post("/workspace/inspection/briefings/", {"period": "2026Q3", "overwrite": "1"})
    assert confirmed.status_code == 302 and confirmed["Location"] == f"/workspace/disclosures/{d.pk}/"
    assert next_text(world, d) == ""
    with tenant_context(world.yincheng):
        assert Briefing.objects.get(period="2026Q3").disclosure_id == d.pk

    # another drafter may not regenerate the handler's draft
    with on(COMPILED_ON), pytest.raises(NotAllowed):
        inspection.community_briefing_generate(
            community=world.yincheng, period=Q3, actor=world.user("yincheng_director")
        )


def test_the_page_offers_the_last_completed_quarter_and_only_drafters_open_it(world, client_for):
    assert quarter_last_completed(date(2026, 10, 12)) == Q3
    assert quarter_last_completed(date(2026, 9, 30)).label == "2026Q2"
    drafter, supervisor = client_for("yincheng"), client_for("yincheng")
    login(drafter, "yincheng_handler")
    login(supervisor, "yincheng_supervisor")
    with on(COMPILED_ON):
        page = drafter.get("/workspace/inspection/briefings/").content.decode()
        refused = supervisor.get("/workspace/inspection/briefings/")
    assert '<option value="2026Q3" selected>2026年第三季度</option>' in page
    assert "2026Q3</option>" not in page  # the Chinese name is what people read
    assert refused.status_code == 403


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\n", "")


def test_the_briefing_goes_through_the_five_steps_shows_on_the_portal_and_prints(world, client_for):
    build_quarter(world)
    d = generate(world)
    with tenant_context(world.yincheng):
        d = engine.disclosure_submit(
            community=here(),
            disclosure=d,
            actor=world.user("yincheng_handler"),
            planned_publish_date=date(2026, 10, 20),
            today=COMPILED_ON,
        )
        with pytest.raises(
            Exception, match="审核"
        ):  # while it is with the supervision group, never regenerated
            generate(world)
        d = engine.disclosure_review(
            community=here(), disclosure=d, actor=world.user("yincheng_supervisor"), decision="approve"
        )
        for role in SIGNERS:
            engine.disclosure_sign(
                community=here(), disclosure=d, actor=world.user(f"yincheng_{role}"), role=role
            )
        d = engine.disclosure_publish(
            community=here(),
            disclosure=d,
            actor=world.user("yincheng_handler"),
            channels=["board", "web", "briefing"],
            now=at(date(2026, 10, 20)),
        )
    assert d.status == DisclosureStatus.PUBLISHED

    resident = Client(HTTP_HOST=host("yincheng"))
    with on(date(2026, 10, 21)):
        listed = resident.get("/disclosures/").content.decode()
        page = resident.get(f"/disclosures/{d.pk}/").content.decode()
        notice = resident.get(f"/disclosures/{d.pk}/notice.pdf")
    assert d.title in listed
    for expected in (
        "银城社区2026年第三季度工作简报",
        "公开情况",
        "居民询问与答复",
        "按时公开率",
        "75.0%",
        "已销号(2026年8月20日)",
    ):
        assert expected in page, expected
    text = pdf_text(notice.content)
    for expected in (
        "银城社区2026年第三季度工作简报",
        "2026年第三季度",
        "按时公开率",
        "2026年9月10日",
        "逾期 3 个工作日",
    ):
        assert expected in text, expected
    for personal in (RESIDENT_NAME, RESIDENT_MOBILE, RESIDENT_MOBILE[-4:]):
        assert personal not in page and personal not in text
    with on(date(2026, 10, 21)), pytest.raises(Exception, match="已于2026年10月20日公布"):
        generate(world)


def test_the_street_office_briefing_sums_its_communities_and_is_approved_by_the_leader(
    world, client_for, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    build_quarter(world)
    for community in (world.yincheng, world.yinnan):
        inspection.compliance_refresh(community=community, on=COMPILED_ON, years=[2026])
    with django_assert_max_num_queries(5):  # the same five queries for 3 communities or 300
        q = street_office_quarter(street_office=world.yinzhou, period=Q3, on=COMPILED_ON)
    assert q.total("due") == 12 and q.total("on_time") == 9 and q.on_time_rate == Decimal("75.0")
    assert q.total("feedback_received") == 5
    assert [o.issues for o in q.orders] == ["公开栏未按月更新"]
    assert len(q.surveys) == 1 and len(q.spot_checks) == 1

    inspector, leader = world.user("yinzhou_inspector"), world.user("yinzhou_leader")
    with on(COMPILED_ON):
        b = inspection.street_briefing_generate(street_office=world.yinzhou, period=Q3, actor=inspector)
    row = next(r for r in section(b.data["sections"], "communities")["rows"] if r[0] == "银城社区")
    assert row[1:6] == ["12", "9", "2", "1", "75.0%"]
    texts = {"work": "本季度街道组织暗访一次。"}
    b = inspection.street_briefing_edit(
        briefing=b, actor=inspector, title=b.title, summary=b.summary, texts=texts
    )
    with on(COMPILED_ON), pytest.raises(inspection.StreetBriefingEdited):
        inspection.street_briefing_generate(street_office=world.yinzhou, period=Q3, actor=inspector)
    assert (
        section(StreetOfficeBriefing.objects.get(pk=b.pk).data["sections"], "work")["text"] == texts["work"]
    )

    b = inspection.street_briefing_submit(briefing=b, actor=inspector)
    with pytest.raises(NotAllowed):
        inspection.street_briefing_review(briefing=b, actor=inspector, approve=True)
    with django_capture_on_commit_callbacks() as announced:
        b = inspection.street_briefing_review(briefing=b, actor=leader, approve=True)
    assert b.status == BriefingStatus.PUBLISHED and b.approved_by == leader
    assert len(announced) == 1  # one task per community, queued once the approval commits
    with tenant_context(world.yinnan):  # what each community's task does, in its schema
        street_briefing_announce.run(b.pk)
        told = Notification.objects.get(recipient__username="yinnan_secretary")
    assert told.url == f"/workspace/inspection/briefings/street-office/{b.pk}/" and b.title in told.title

    anyone = Client(HTTP_HOST=host())
    page = anyone.get(f"/briefings/{b.pk}/").content.decode()
    assert "银州镇办事处2026年第三季度社区工作简报" in page and "本季度街道组织暗访一次。" in page
    text = pdf_text(anyone.get(f"/briefings/{b.pk}/briefing.pdf").content)
    assert "2026年第三季度" in text and "75.0%" in text and RESIDENT_MOBILE not in text
    staff = client_for("yinnan")
    login(staff, "yinnan_secretary")
    listed = staff.get("/workspace/inspection/briefings/").content.decode()
    assert f"/workspace/inspection/briefings/street-office/{b.pk}/" in listed
    seen = staff.get(f"/workspace/inspection/briefings/street-office/{b.pk}/")
    assert seen.status_code == 200 and "银城社区" in seen.content.decode()
    # another street office's staff never see its drafts' page, nor its community the community-side copy
    theirs = client_for(None)
    login(theirs, "dongguan_inspector")
    assert theirs.get(f"/inspection/briefings/{b.pk}/").status_code == 404
    other = client_for("dongfeng")
    login(other, "dongfeng_secretary")
    assert other.get(f"/workspace/inspection/briefings/street-office/{b.pk}/").status_code == 404
