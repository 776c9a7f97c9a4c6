"""责任追究 (issue 17 item 1; 000 第十三、十九条 不公开、不及时、不真实、不更新 → 责令整改): each failure the
street office's rules name opens exactly one order with its evidence, however often the evaluator runs;
a failure put right later is noted on its order and opens nothing new; a rule turned off opens nothing;
the first run counts only the current year's failures."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django_tenants.utils import tenant_context

from disclosure.feedback import services as feedback_services
from disclosure.feedback.choices import Finding, Kind
from disclosure.services import obligation_waive
from inspection import services
from inspection.choices import RectificationSource
from inspection.models import AccountabilityRules, Assessment, AssessmentScore, Rectification
from inspection.services.accountability_rules import KINDS
from inspection.services.failures import Failure, failure_open
from tenants.errors import InvalidInput, NotAllowed
from tests.factories import (
    TZ,
    EventObligationFactory,
    FeedbackFactory,
    SurveyFactory,
    next_version_published,
    published,
    published_recently,
    renewal_opened,
    spot_check_create,
)
from workdays import services as workdays

pytestmark = pytest.mark.django_db


def evaluate(world, on: date) -> list[Rectification]:
    services.accountability_evaluate(street_office=world.yinzhou, on=on)
    return list(Rectification.objects.filter(community=world.yincheng).order_by("pk"))


def the_one(world, source: str) -> Rectification:
    orders = list(Rectification.objects.filter(community=world.yincheng, source=source))
    assert len(orders) == 1, orders
    return orders[0]


def rules_set(world, kind: str, **entry) -> AccountabilityRules:
    version = services.rules_for(street_office_id=world.yinzhou.pk, today=date(2026, 1, 5))
    version.entries[kind] = {**version.entries[kind], **entry}
    version.save()
    return version


def test_an_obligation_overdue_more_than_n_working_days_opens_one_order_and_its_publication_is_noted(world):
    with tenant_context(world.yincheng):
        ob = EventObligationFactory.create(event_date=date(2026, 6, 1))
    limit = workdays.add_working_days(ob.due_date, 5).date  # the default threshold: 5 working days
    assert evaluate(world, limit) == []
    evaluate(world, limit + timedelta(days=1))
    order = the_one(world, RectificationSource.OBLIGATION_OVERDUE)
    assert order.failure_key == f"obligation_overdue:{world.yincheng.pk}:{ob.pk}"
    assert ob.title in order.issues and order.issued_by is None
    assert order.evidence[0]["label"].startswith(f"公开任务:{ob.title}")
    assert order.evidence[0]["url"] == "/workspace/obligations/"
    assert order.evidence[0]["street_url"] == "/inspection/communities/yincheng/"
    assert order.responsible_roles == ["secretary", "director"] and order.rules is not None
    assert order.due_date == workdays.add_working_days(limit + timedelta(days=1), 10).date

    evaluate(world, limit + timedelta(days=2))
    assert the_one(world, RectificationSource.OBLIGATION_OVERDUE) == order

    with tenant_context(world.yincheng):
        day = limit + timedelta(days=3)
        published(world, on=day, today=day - timedelta(days=14), planned=day, obligation=ob, title=ob.title)
    evaluate(world, day + timedelta(days=1))
    order.refresh_from_db()
    assert order.cured_at is not None and order.status == "open"
    assert order.events.all().reverse()[0].note.startswith("该事项已公开")
    assert the_one(world, RectificationSource.OBLIGATION_OVERDUE) == order
    cured_at = order.cured_at
    evaluate(world, day + timedelta(days=2))
    order.refresh_from_db()
    assert order.cured_at == cured_at and order.events.count() == 2


def test_a_fixed_item_lapsed_opens_one_order_and_its_waiver_is_noted(world):
    with tenant_context(world.yincheng):
        renewal = renewal_opened(world, published_on=date(2025, 6, 2), on=date(2026, 5, 11))
    assert renewal.due_date.year == 2026
    assert evaluate(world, renewal.due_date) == []
    evaluate(world, renewal.due_date + timedelta(days=1))
    order = the_one(world, RectificationSource.FIXED_LAPSED)
    assert "没有复核更新" in order.issues
    assert order.evidence[0]["url"] == f"/workspace/disclosures/{renewal.renews_id}/"
    assert (
        order.evidence[0]["street_url"]
        == f"/inspection/communities/yincheng/disclosures/{renewal.renews_id}/"
    )
    assert order.evidence[1]["url"] == f"/workspace/obligations/{renewal.pk}/renew/"
    evaluate(world, renewal.due_date + timedelta(days=2))
    assert the_one(world, RectificationSource.FIXED_LAPSED) == order

    with tenant_context(world.yincheng):
        obligation_waive(
            obligation=renewal,
            actor=world.user("yincheng_director"),
            community=world.yincheng,
            reason="该制度已废止",
        )
    evaluate(world, renewal.due_date + timedelta(days=3))
    order.refresh_from_db()
    assert order.cured_at is not None
    assert the_one(world, RectificationSource.FIXED_LAPSED) == order


def test_a_question_unanswered_past_its_deadline_opens_one_order_and_the_answer_is_noted(world):
    with tenant_context(world.yincheng):
        fb = FeedbackFactory.create(on=date(2026, 6, 1))
    assert fb.due_date == date(2026, 6, 15)
    assert evaluate(world, date(2026, 6, 15)) == []
    evaluate(world, date(2026, 6, 16))
    order = the_one(world, RectificationSource.FEEDBACK_OVERDUE)
    assert order.evidence == [
        {
            "label": "居民询问:关于社区工作,2026年6月15日 到期",
            "url": f"/workspace/feedback/{fb.pk}/",
            "street_url": "",
        }
    ]
    assert fb.text not in order.issues  # what the resident wrote stays with the community
    evaluate(world, date(2026, 6, 17))
    assert the_one(world, RectificationSource.FEEDBACK_OVERDUE) == order

    with tenant_context(world.yincheng):
        feedback_services.feedback_answer(
            feedback=fb,
            actor=world.user("yincheng_handler"),
            community=world.yincheng,
            answer="已答复。",
            public=False,
        )
    evaluate(world, date(2026, 6, 18))
    order.refresh_from_db()
    assert order.cured_at is not None and "已答复" in order.events.all().reverse()[0].note
    assert the_one(world, RectificationSource.FEEDBACK_OVERDUE) == order


def test_the_threshold_of_working_days_after_a_questions_deadline_is_the_street_offices(world):
    rules_set(world, "feedback_overdue", threshold=3)
    with tenant_context(world.yincheng):
        FeedbackFactory.create(on=date(2026, 6, 1))  # due 15 June
    assert evaluate(world, date(2026, 6, 18)) == []  # 16, 17, 18 June: three working days late
    assert len(evaluate(world, date(2026, 6, 19))) == 1


def test_a_supervision_finding_of_untrue_content_opens_one_order_and_the_correction_is_noted(world):
    with tenant_context(world.yincheng):
        d = published(world)
        fb = FeedbackFactory.create(
            kind=Kind.OBJECTION, disclosure=d, on=date(2026, 6, 9), text="少公开了维修费。"
        )
        fb = feedback_services.feedback_record_finding(
            community=world.yincheng,
            feedback=fb,
            actor=world.user("yincheng_supervisor"),
            finding=Finding.SUBSTANTIATED,
            text="经查,6月维修费 800 元漏报。",
            order_republication=True,
            working_days=5,
            today=date(2026, 6, 10),
        )
    evaluate(world, date(2026, 6, 11))
    order = the_one(world, RectificationSource.UNTRUE_CONTENT)
    assert "800 元漏报" in order.issues
    assert [e["url"] for e in order.evidence] == [
        f"/workspace/disclosures/{d.pk}/",
        f"/workspace/feedback/{fb.pk}/",
        f"/workspace/disclosures/{fb.republication_id}/",
    ]
    evaluate(world, date(2026, 6, 12))
    assert the_one(world, RectificationSource.UNTRUE_CONTENT) == order

    correction = fb.republication
    assert correction is not None
    with tenant_context(world.yincheng):
        next_version_published(world, correction, body="<p>补上 800 元维修费。</p>", on=date(2026, 6, 16))
    evaluate(world, date(2026, 6, 17))
    order.refresh_from_db()
    assert order.cured_at is not None
    assert the_one(world, RectificationSource.UNTRUE_CONTENT) == order


def scored(world, community, *, total: str, zero: str = "") -> Assessment:
    template = services.template_seed_default()
    assessment = Assessment.objects.create(
        community=community,
        period="2026年度",
        template=template,
        status="approved",
        inspector=world.user("yinzhou_inspector"),
        inspector_total=Decimal(total),
        critical_failed=bool(zero),
    )
    for item in template.items.all():
        AssessmentScore.objects.create(
            assessment=assessment, item=item, inspector_score=0 if item.code == zero else item.max_score
        )
    return assessment


def test_an_assessment_below_the_pass_mark_or_with_a_critical_item_at_zero_opens_one_order(world):
    template = services.template_seed_default()
    full = sum(i.max_score for i in template.items.all())
    critical = template.items.filter(critical=True).first()
    assert critical is not None
    low = scored(world, world.yincheng, total=str(full * Decimal("0.5")))
    scored(world, world.yinnan, total=str(full), zero=critical.code)
    scored(world, world.dongfeng, total=str(full * Decimal("0.5")))  # another street office's: not ours
    evaluate(world, date(2026, 12, 1))
    order = the_one(world, RectificationSource.ASSESSMENT)
    assert "低于 60 分" in order.issues
    assert order.evidence[0]["street_url"] == f"/inspection/assessments/{low.pk}/"
    assert order.evidence[0]["url"] == f"/workspace/inspection/assessments/{low.pk}/"
    other = Rectification.objects.get(community=world.yinnan, source=RectificationSource.ASSESSMENT)
    assert critical.title in other.issues and any("0 分" in e["label"] for e in other.evidence)
    assert not Rectification.objects.filter(community=world.dongfeng).exists()
    evaluate(world, date(2026, 12, 2))
    assert Rectification.objects.filter(source=RectificationSource.ASSESSMENT).count() == 2


def test_a_failed_spot_check_item_opens_one_order_whether_recorded_or_found_by_the_evaluator(world):
    check = spot_check_create(world.yincheng, completed=True, findings="公示栏空了一格")
    evaluate(world, date(2026, 11, 13))
    order = the_one(world, RectificationSource.SPOT_CHECK)
    assert order.failure_key == f"spot_check:{world.yincheng.pk}:{check.pk}"
    assert order.evidence[0]["street_url"] == f"/inspection/spot-checks/{check.pk}/"
    assert "公示期未满的内容已撤下" in order.evidence[0]["label"]
    evaluate(world, date(2026, 11, 14))
    assert the_one(world, RectificationSource.SPOT_CHECK) == order


def test_a_spot_check_recorded_with_a_failed_item_opens_its_order_at_once_and_the_evaluator_adds_none(world):
    check = spot_check_create(world.yinnan, completed=False)
    from guardian.shortcuts import assign_perm

    inspector = world.user("yinzhou_inspector")
    assign_perm("inspection.record_spotcheck", inspector, check)
    services.spot_check_record(
        spot_check=check,
        actor=inspector,
        visited_at=datetime(2026, 11, 12, 9, 30, tzinfo=TZ),
        checklist={"board_current": True, "display_window_kept": True, "opinion_box": False},
    )
    order = Rectification.objects.get(community=world.yinnan)
    assert order.failure_key == f"spot_check:{world.yinnan.pk}:{check.pk}" and order.issued_by == inspector
    services.accountability_evaluate(street_office=world.yinzhou, on=date(2026, 11, 13))
    assert Rectification.objects.filter(community=world.yinnan).count() == 1


def test_a_survey_below_90_per_cent_opens_one_order(world):
    survey = SurveyFactory.create(community=world.yincheng)
    evaluate(world, date(2026, 12, 1))
    order = the_one(world, RectificationSource.SURVEY)
    assert order.survey == survey and "88.33%" in order.issues
    assert order.evidence[0]["street_url"] == f"/inspection/surveys/{survey.pk}/"
    evaluate(world, date(2026, 12, 2))
    assert the_one(world, RectificationSource.SURVEY) == order


def test_a_rule_turned_off_opens_nothing_and_notes_nothing(world):
    rules_set(world, "feedback_overdue", on=False)
    with tenant_context(world.yincheng):
        FeedbackFactory.create(on=date(2026, 6, 1))
    assert evaluate(world, date(2026, 6, 30)) == []


def test_the_first_run_counts_only_this_years_failures(world):
    with tenant_context(world.yincheng):
        FeedbackFactory.create(on=date(2025, 11, 3))  # unanswered since 2025
        FeedbackFactory.create(on=date(2026, 3, 2))
    orders = evaluate(world, date(2026, 6, 1))
    assert len(orders) == 1 and "2026年3月2日" in orders[0].issues
    assert services.rules_for(street_office_id=world.yinzhou.pk).counts_from == date(2026, 1, 1)


def test_the_same_failure_never_opens_two_orders_even_when_two_runs_race(world):
    version, rule = services.rule_for(
        street_office_id=world.yinzhou.pk, kind="obligation_overdue", today=date(2026, 6, 1)
    )
    failure = Failure(key="obligation_overdue:race:1", issues="逾期未公开。")
    first = failure_open(
        community=world.yincheng,
        kind="obligation_overdue",
        failure=failure,
        rule=rule,
        version=version,
        on=date(2026, 6, 1),
    )
    assert first is not None
    # the other run read "no order yet" a moment before this one wrote it: the database refuses the second
    with pytest.raises(IntegrityError), transaction.atomic():
        services.rectification_issue(
            community=world.yincheng,
            source="obligation_overdue",
            issues="x",
            actor=None,
            failure_key=failure.key,
        )
    again = failure_open(
        community=world.yincheng,
        kind="obligation_overdue",
        failure=failure,
        rule=rule,
        version=version,
        on=date(2026, 6, 1),
    )
    assert again is None and Rectification.objects.filter(failure_key=failure.key).count() == 1


def test_an_upheld_complaints_order_follows_its_rule(world):
    from inspection.choices import ComplaintFinding

    with tenant_context(world.yincheng):
        item = published_recently(world)
    complaint = services.complaint_submit(
        community=world.yincheng, disclosure_id=item.pk, text="名单少了两户。"
    )
    rules_set(world, "complaint", on=False)

    def upheld_with_an_order():
        return services.complaint_conclude(
            complaint=complaint,
            actor=world.user("yinzhou_inspector"),
            finding=ComplaintFinding.UPHELD,
            answer="属实。",
            open_order=True,
            issues="补充公布。",
        )

    with pytest.raises(InvalidInput):
        upheld_with_an_order()
    rules_set(world, "complaint", on=True, roles=["director"])
    complaint = upheld_with_an_order()
    order = complaint.rectification
    assert order is not None
    assert order.failure_key == f"complaint:{world.yincheng.pk}:{complaint.pk}"
    assert order.responsible_roles == ["director"]


def test_rules_are_versioned_and_revised_only_by_the_admin_or_leader(world):
    entries = {
        k: {
            "on": True,
            "threshold": 3
            if k in ("obligation_overdue", "feedback_overdue")
            else (70 if k == "assessment" else None),
            "days": 5,
            "roles": ["secretary"],
        }
        for k in KINDS
    }
    with pytest.raises(NotAllowed):
        services.rules_revise(
            street_office=world.yinzhou, actor=world.user("yinzhou_inspector"), entries=entries
        )
    first = services.rules_revise(
        street_office=world.yinzhou, actor=world.user("yinzhou_admin"), entries=entries
    )
    assert first.version == 1  # not yet used: edited in place
    with tenant_context(world.yincheng):
        FeedbackFactory.create(on=date(2026, 6, 1))
    evaluate(world, date(2026, 6, 30))
    entries["feedback_overdue"]["days"] = 8
    second = services.rules_revise(
        street_office=world.yinzhou, actor=world.user("yinzhou_admin"), entries=entries
    )
    assert second.version == 2 and second.counts_from == first.counts_from
    order = the_one(world, RectificationSource.FEEDBACK_OVERDUE)
    assert order.rules == first
    entries["assessment"]["threshold"] = 101
    with pytest.raises(InvalidInput):
        services.rules_revise(street_office=world.yinzhou, actor=world.user("yinzhou_admin"), entries=entries)


def test_the_daily_task_evaluates_the_street_office_on_todays_date(world):
    import time_machine

    from inspection.tasks import accountability_evaluate_street_office
    from tests.factories import at

    with tenant_context(world.yincheng):
        FeedbackFactory.create(on=date(2026, 6, 1))
    with time_machine.travel(at(date(2026, 6, 30)), tick=False):
        assert accountability_evaluate_street_office(world.yinzhou.pk) == 1
        assert accountability_evaluate_street_office(world.yinzhou.pk) == 0
    assert the_one(world, RectificationSource.FEEDBACK_OVERDUE).due_date == date(2026, 7, 14)


def rules_post(**changes: str) -> dict[str, str]:
    data = {"rules-TOTAL_FORMS": str(len(KINDS)), "rules-INITIAL_FORMS": str(len(KINDS))}
    for i, kind in enumerate(KINDS):
        data[f"rules-{i}-on"] = "on"
        data[f"rules-{i}-days"] = "10"
        data[f"rules-{i}-roles"] = "secretary"
        if kind in ("obligation_overdue", "feedback_overdue"):
            data[f"rules-{i}-threshold"] = "5"
        if kind == "assessment":
            data[f"rules-{i}-threshold"] = "60"
    data.update(changes)
    return data


def test_the_rules_page_shows_every_rule_and_the_admin_revises_them(world, client_for):
    from tests.conftest import login

    inspector = client_for(None)
    login(inspector, "yinzhou_inspector")
    page = inspector.get("/inspection/accountability/").content.decode()
    assert "公开任务逾期未公开" in page and "监督小组查实公开内容不实" in page
    assert 'name="rules-TOTAL_FORMS"' not in page and "由街道管理员或领导修订" in page

    admin = client_for(None)
    login(admin, "yinzhou_admin")
    page = admin.get("/inspection/accountability/").content.decode()
    assert 'name="rules-TOTAL_FORMS"' in page
    kinds = list(KINDS)
    bad = admin.post(
        "/inspection/accountability/",
        rules_post(**{f"rules-{kinds.index('assessment')}-threshold": "六十", "rules-1-roles": ""}),
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "标准只填整数" in text and "请至少选择一个责任人" in text and "六十" in text
    assert f'href="#id_rules-{kinds.index("assessment")}-threshold"' in text
    done = admin.post(
        "/inspection/accountability/",
        rules_post(
            **{
                f"rules-{kinds.index('survey')}-on": "",
                f"rules-{kinds.index('feedback_overdue')}-threshold": "2",
            }
        ),
    )
    assert done.status_code == 302
    version = services.rules_for(street_office_id=world.yinzhou.pk)
    assert version.entries["survey"]["on"] is False
    assert version.entries["feedback_overdue"]["threshold"] == 2
    assert version.revised_by == world.user("yinzhou_admin")
