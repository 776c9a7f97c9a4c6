"""Residents' feedback: deadlines, codes, answers, supervision, reminders. Each rule has a test that
fails if the rule breaks."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django_tenants.utils import tenant_context

from communities.models import Notification
from communities.sms import MemorySmsBackend
from disclosure.choices import DisclosureStatus
from disclosure.feedback import selectors, services
from disclosure.feedback.choices import DueBasis, EscalationReason, Finding, Kind, Rating, Status
from disclosure.feedback.models import Feedback, FeedbackReminder
from disclosure.models import Disclosure, Obligation
from tenants import residents
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tests.factories import FeedbackFactory, draft, published
from workdays import services as workdays

pytestmark = pytest.mark.django_db


def titles_for(world, login):
    return list(Notification.objects.filter(recipient=world.user(login)).values_list("title", flat=True))


# --- deadlines ---------------------------------------------------------------------------------------


def test_an_answer_is_due_in_10_working_days(world, in_yincheng):
    f = FeedbackFactory.create(on=date(2026, 6, 1))  # a Monday
    assert (f.due_date, f.due_provisional, f.due_basis) == (date(2026, 6, 15), False, DueBasis.WORKING_DAYS)


def test_the_10_working_days_skip_the_national_day_holiday_and_count_the_adjusted_saturday(
    world, in_yincheng
):
    # Sep 29, 30; Oct 1–7 off; Oct 8, 9, 10 (Saturday worked, 调休), 12, 13, 14, 15, 16
    f = FeedbackFactory.create(on=date(2026, 9, 28))
    assert f.due_date == date(2026, 10, 16)
    assert workdays.add_working_days(date(2026, 9, 28), 10).skipped[:7] == tuple(
        date(2026, 10, d) for d in range(1, 8)
    )


def test_a_signed_complaint_gets_its_result_within_15_calendar_days_when_that_ends_first(world, in_yincheng):
    signed = FeedbackFactory.create(
        kind=Kind.COMPLAINT, on=date(2026, 9, 28), name="王建国", mobile="13812345678"
    )
    assert (signed.due_date, signed.due_basis) == (date(2026, 10, 13), DueBasis.SIGNED_COMPLAINT)
    anonymous = FeedbackFactory.create(kind=Kind.COMPLAINT, on=date(2026, 9, 28))
    assert anonymous.due_date == date(2026, 10, 16)
    signed_question = FeedbackFactory.create(
        kind=Kind.QUESTION, on=date(2026, 9, 28), name="王建国", mobile="13812345678"
    )
    assert signed_question.due_date == date(2026, 10, 16)


def test_in_an_ordinary_fortnight_the_10_working_days_end_first_even_for_a_signed_complaint(
    world, in_yincheng
):
    f = FeedbackFactory.create(kind=Kind.COMPLAINT, on=date(2026, 6, 1), name="王建国", mobile="13812345678")
    assert (f.due_date, f.due_basis) == (date(2026, 6, 15), DueBasis.WORKING_DAYS)


def test_a_deadline_in_a_year_without_calendar_data_is_provisional_and_firms_up_when_confirmed(
    world, in_yincheng
):
    f = FeedbackFactory.create(on=date(2027, 3, 1))
    assert f.due_provisional is True
    workdays.calendar_year_confirm(year=2027, actor=None, note="国务院办公厅通知")
    services.feedback_daily_check(community=in_yincheng, on=date(2027, 3, 2))
    f.refresh_from_db()
    assert f.due_provisional is False


def test_working_days_between_counts_the_clock(world, in_yincheng):
    span = workdays.working_days_between(date(2026, 9, 30), date(2026, 10, 12))
    assert span.days == (date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10), date(2026, 10, 12))
    f = FeedbackFactory.create(on=date(2026, 9, 28))  # due Oct 16
    clock = selectors.clocks_for([f], on=date(2026, 10, 9))[f.pk]
    assert (clock.state, clock.working_days_left) == ("open", 6)  # Oct 10 (Sat, 调休), 12–16
    assert selectors.clocks_for([f], on=date(2026, 10, 14))[f.pk].state == "due_soon"
    assert selectors.clocks_for([f], on=date(2026, 10, 16))[f.pk].label == "今天到期"
    assert selectors.clocks_for([f], on=date(2026, 10, 17))[f.pk].label == "已逾期"


# --- codes, identity, text ---------------------------------------------------------------------------


def test_each_submission_gets_its_own_readable_code(world, in_yincheng):
    codes = {FeedbackFactory.create().code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 10 and not set(code) & set("01ILO") and code.isupper()
    assert selectors.feedback_by_code(code=codes.pop()) is not None
    assert residents.normalise_code("k7m3p-q9xr2 ") == "K7M3PQ9XR2"


def test_the_database_refuses_a_duplicate_code(world, in_yincheng):
    f = FeedbackFactory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(
            code=f.code,
            kind=Kind.QUESTION,
            text="x",
            received_on=f.received_on,
            due_date=f.due_date,
            due_basis=f.due_basis,
        )


def test_anonymous_or_signed_with_both_name_and_a_mainland_mobile(world, in_yincheng):
    assert not FeedbackFactory.create().signed
    assert FeedbackFactory.create(name="王建国", mobile="138 1234 5678").mobile == "13812345678"
    for name, mobile in (
        ("王建国", ""),
        ("", "13812345678"),
        ("王建国", "12345678901"),
        ("王建国", "+8613812345678"),
    ):
        with pytest.raises(InvalidInput):
            FeedbackFactory.create(name=name, mobile=mobile)
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.filter(pk=FeedbackFactory.create().pk).update(name="半署名")


def test_text_is_kept_as_typed_and_limited_to_2000_characters(world, in_yincheng):
    typed = '如果 x<y 且 y>z,补助是否少发?<b>路灯</b> 坏了 & 没人修 <script>alert("x")</script>'
    assert FeedbackFactory.create(text=typed).text == typed
    assert FeedbackFactory.create(text="第一行\r\n第二行\x07\x00").text == "第一行\n第二行"
    with pytest.raises(InvalidInput, match="最多 2000 个字,现在有 2001 个字"):
        FeedbackFactory.create(text="字" * 2001)
    assert len(FeedbackFactory.create(text="字" * 2000).text) == 2000
    with pytest.raises(InvalidInput):
        FeedbackFactory.create(text=" \r\n\x07 ")


def test_feedback_on_a_draft_is_refused(world, in_yincheng):
    with pytest.raises(InvalidInput):
        FeedbackFactory.create(disclosure=draft(world))


# --- notifications, answers, ratings --------------------------------------------------------------------


def test_staff_who_answer_are_notified_of_a_new_question_and_the_supervision_group_is_not(world, in_yincheng):
    FeedbackFactory.create()
    for login in ("yincheng_handler", "yincheng_secretary", "yincheng_director"):
        assert any("新的居民询问" in t for t in titles_for(world, login))
    assert titles_for(world, "yincheng_supervisor") == []
    assert titles_for(world, "yinnan_handler") == []


def test_an_objection_and_a_complaint_go_to_the_supervision_group_at_once(world, in_yincheng):
    for kind in (Kind.OBJECTION, Kind.COMPLAINT):
        f = FeedbackFactory.create(kind=kind)
        assert f.escalated_at is not None and f.escalation_reason == EscalationReason.KIND
    assert len([t for t in titles_for(world, "yincheng_supervisor") if t.startswith("请监督小组调查")]) == 2
    assert FeedbackFactory.create(kind=Kind.SUGGESTION).escalated_at is None


def answered(world, community, **kwargs):
    f = FeedbackFactory.create(**kwargs)
    services.feedback_answer(
        community=community, feedback=f, actor=world.user("yincheng_handler"), answer="已处理。", public=False
    )
    return f


def test_a_dissatisfied_resident_hands_the_matter_to_the_supervision_group(world, in_yincheng):
    """好差评: 不满意 reaches the supervision group, in its queue to investigate; 满意 and 基本满意 do not."""
    for rating in (Rating.SATISFIED, Rating.FAIRLY_SATISFIED):
        f = services.feedback_rate(
            community=in_yincheng, feedback=answered(world, in_yincheng), rating=rating
        )
        assert f.escalated_at is None
    assert titles_for(world, "yincheng_supervisor") == []
    f = services.feedback_rate(
        community=in_yincheng, feedback=answered(world, in_yincheng), rating=Rating.DISSATISFIED
    )
    assert f.escalated_at is not None and f.escalation_reason == EscalationReason.DISSATISFIED
    assert [
        t for t in titles_for(world, "yincheng_supervisor") if t.startswith("居民对答复不满意,请监督小组调查")
    ]
    assert titles_for(world, "yinnan_supervisor") == []
    # the matter is in the supervision group's queue until it records a finding
    waiting = Feedback.objects.filter(escalated_at__isnull=False, finding="")
    assert f in waiting


def test_dissatisfaction_with_a_matter_already_investigated_is_told_to_the_supervision_group(
    world, in_yincheng
):
    f = answered(world, in_yincheng, kind=Kind.OBJECTION)  # at the supervision group from the start
    before = len(titles_for(world, "yincheng_supervisor"))
    f = services.feedback_rate(community=in_yincheng, feedback=f, rating=Rating.DISSATISFIED)
    assert f.escalation_reason == EscalationReason.KIND  # handed over once, for the first reason
    after = titles_for(world, "yincheng_supervisor")
    assert len(after) == before + 1 and any(t.startswith("居民对答复不满意:") for t in after)


def test_only_community_staff_answer_once(world, in_yincheng):
    f = FeedbackFactory.create()
    for login in ("yincheng_supervisor", "yincheng_representative", "yincheng_finance", "yinnan_handler"):
        with pytest.raises(NotAllowed):
            services.feedback_answer(
                community=in_yincheng, feedback=f, actor=world.user(login), answer="答复", public=True
            )
    f = services.feedback_answer(
        community=in_yincheng, feedback=f, actor=world.user("yincheng_deputy"), answer="已核实。", public=True
    )
    assert f.status == Status.ANSWERED and f.answered_by_name
    with pytest.raises(Conflict):
        services.feedback_answer(
            community=in_yincheng,
            feedback=f,
            actor=world.user("yincheng_handler"),
            answer="再答",
            public=False,
        )


def test_the_resident_rates_an_answer_once(world, in_yincheng):
    f = FeedbackFactory.create()
    with pytest.raises(Conflict):
        services.feedback_rate(community=in_yincheng, feedback=f, rating=Rating.SATISFIED)
    services.feedback_answer(
        community=in_yincheng,
        feedback=f,
        actor=world.user("yincheng_handler"),
        answer="已核实。",
        public=False,
    )
    with pytest.raises(InvalidInput):
        services.feedback_rate(community=in_yincheng, feedback=f, rating=5)
    assert (
        services.feedback_rate(community=in_yincheng, feedback=f, rating=Rating.FAIRLY_SATISFIED).rating == 2
    )
    with pytest.raises(Conflict):
        services.feedback_rate(community=in_yincheng, feedback=f, rating=Rating.DISSATISFIED)


def test_a_signed_resident_is_texted_once_when_answered_and_an_anonymous_one_never(
    world, in_yincheng, django_capture_on_commit_callbacks
):
    MemorySmsBackend.outbox.clear()
    signed = FeedbackFactory.create(name="王建国", mobile="13812345678")
    anonymous = FeedbackFactory.create()
    with django_capture_on_commit_callbacks() as queued:
        services.feedback_answer(
            community=in_yincheng,
            feedback=signed,
            actor=world.user("yincheng_handler"),
            answer="好",
            public=False,
        )
    assert len(queued) == 1 + 1  # the resident's SMS task, and the summary refresh
    assert services.resident_sms_send(community=in_yincheng, feedback=signed) is True
    assert services.resident_sms_send(community=in_yincheng, feedback=signed) is False
    services.feedback_answer(
        community=in_yincheng,
        feedback=anonymous,
        actor=world.user("yincheng_handler"),
        answer="好",
        public=False,
    )
    assert services.resident_sms_send(community=in_yincheng, feedback=anonymous) is False
    assert len(MemorySmsBackend.outbox) == 1
    mobile, text = MemorySmsBackend.outbox[0]
    assert mobile == "13812345678"
    assert signed.code in text and "yincheng." in text and "银城社区" in text


def test_public_answers_show_on_every_version_and_private_ones_nowhere(world, in_yincheng):
    d = published(world)
    public = FeedbackFactory.create(disclosure=d)
    private = FeedbackFactory.create(disclosure=d)
    services.feedback_answer(
        community=in_yincheng,
        feedback=public,
        actor=world.user("yincheng_handler"),
        answer="公开答复",
        public=True,
    )
    services.feedback_answer(
        community=in_yincheng,
        feedback=private,
        actor=world.user("yincheng_handler"),
        answer="私下",
        public=False,
    )
    assert list(selectors.public_answers_for(disclosure=d)) == [public]


def test_mobile_masking():
    assert residents.mask_mobile("13812341234") == "138****1234"
    assert residents.mask_mobile("") == ""


# --- the daily check: reminders and escalation ---------------------------------------------------------


def test_reminders_go_2_working_days_before_and_on_the_due_date_each_once(world, in_yincheng):
    f = FeedbackFactory.create(on=date(2026, 6, 1))  # due Mon June 15
    assert services.feedback_daily_check(community=in_yincheng, on=date(2026, 6, 10))["reminded"] == 0
    assert (
        services.feedback_daily_check(community=in_yincheng, on=date(2026, 6, 11))["reminded"] == 1
    )  # Thu: Fri 12, Mon 15
    assert services.feedback_daily_check(community=in_yincheng, on=date(2026, 6, 11))["reminded"] == 0
    assert services.feedback_daily_check(community=in_yincheng, on=date(2026, 6, 12))["reminded"] == 0
    assert services.feedback_daily_check(community=in_yincheng, on=date(2026, 6, 15))["reminded"] == 1
    assert services.feedback_daily_check(community=in_yincheng, on=date(2026, 6, 15))["reminded"] == 0
    assert FeedbackReminder.objects.filter(feedback=f).count() == 2
    titles = titles_for(world, "yincheng_handler")
    assert (
        sum(t.startswith("即将到期") for t in titles) == 1
        and sum(t.startswith("今天到期") for t in titles) == 1
    )


def test_an_answered_matter_gets_no_reminder(world, in_yincheng):
    f = FeedbackFactory.create(on=date(2026, 6, 1))
    services.feedback_answer(
        community=in_yincheng, feedback=f, actor=world.user("yincheng_handler"), answer="好", public=False
    )
    assert services.feedback_daily_check(community=in_yincheng, on=date(2026, 6, 15)) == {
        "recomputed": 0,
        "reminded": 0,
        "escalated": 0,
    }


def test_a_question_past_its_deadline_goes_to_the_supervision_group_once(world, in_yincheng):
    f = FeedbackFactory.create(on=date(2026, 6, 1))
    assert services.feedback_daily_check(community=in_yincheng, on=date(2026, 6, 15))["escalated"] == 0
    assert services.feedback_daily_check(community=in_yincheng, on=date(2026, 6, 16))["escalated"] == 1
    assert services.feedback_daily_check(community=in_yincheng, on=date(2026, 6, 17))["escalated"] == 0
    f.refresh_from_db()
    assert f.escalation_reason == EscalationReason.OVERDUE
    assert [t for t in titles_for(world, "yincheng_supervisor") if t.startswith("逾期未答复")]
    assert list(selectors.feedback_inbox(escalated_only=True)) == [f]


# --- supervision ----------------------------------------------------------------------------------------


def test_the_supervision_group_finds_an_omission_and_orders_re_publication_through_the_engine(
    world, in_yincheng
):
    d = published(world)
    f = FeedbackFactory.create(
        kind=Kind.OBJECTION, disclosure=d, on=date(2026, 6, 9), text="少公开了一笔 800 元的维修费。"
    )
    with pytest.raises(NotAllowed):
        services.feedback_record_finding(
            community=in_yincheng,
            feedback=f,
            actor=world.user("yincheng_handler"),
            finding=Finding.SUBSTANTIATED,
            text="x",
        )
    f = services.feedback_record_finding(
        community=in_yincheng,
        feedback=f,
        actor=world.user("yincheng_supervisor"),
        finding=Finding.SUBSTANTIATED,
        text="经查,6月维修费 800 元漏报。",
        order_republication=True,
        working_days=5,
        today=date(2026, 6, 10),
    )
    correction = f.republication
    assert correction is not None and correction.obligation_id is not None
    assert correction.supersedes_id == d.pk and correction.status == DisclosureStatus.DRAFT
    assert "800 元漏报" in correction.correction_reason
    order = Obligation.objects.get(pk=correction.obligation_id)
    assert order.source == Obligation.Source.ORDER and order.due_date == date(2026, 6, 17)
    with pytest.raises(Conflict):
        services.feedback_record_finding(
            community=in_yincheng,
            feedback=f,
            actor=world.user("yincheng_supervisor"),
            finding=Finding.UNFOUNDED,
            text="again",
        )


def test_a_finding_needs_an_escalated_matter_and_re_publication_needs_a_substantiated_one(world, in_yincheng):
    d = published(world)
    question = FeedbackFactory.create(disclosure=d)
    with pytest.raises(Conflict):
        services.feedback_record_finding(
            community=in_yincheng,
            feedback=question,
            actor=world.user("yincheng_supervisor"),
            finding=Finding.UNFOUNDED,
            text="x",
        )
    objection = FeedbackFactory.create(kind=Kind.OBJECTION, disclosure=d)
    with pytest.raises(InvalidInput):
        services.feedback_record_finding(
            community=in_yincheng,
            feedback=objection,
            actor=world.user("yincheng_supervisor"),
            finding=Finding.UNFOUNDED,
            text="x",
            order_republication=True,
        )
    general = FeedbackFactory.create(kind=Kind.COMPLAINT)
    with pytest.raises(InvalidInput):
        services.feedback_record_finding(
            community=in_yincheng,
            feedback=general,
            actor=world.user("yincheng_supervisor"),
            finding=Finding.SUBSTANTIATED,
            text="x",
            order_republication=True,
        )
    f = services.feedback_record_finding(
        community=in_yincheng,
        feedback=objection,
        actor=world.user("yincheng_supervisor"),
        finding=Finding.UNFOUNDED,
        text="内容属实,无遗漏。",
    )
    assert f.finding == Finding.UNFOUNDED and f.republication is None
    assert not Disclosure.objects.filter(supersedes=d).exists()


# --- isolation ------------------------------------------------------------------------------------------


def test_a_code_from_one_community_finds_nothing_in_another(world):
    with tenant_context(world.yincheng):
        code = FeedbackFactory.create().code
    with tenant_context(world.yinnan):
        assert selectors.feedback_by_code(code=code) is None
        assert not Feedback.objects.exists()
