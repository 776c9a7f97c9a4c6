"""The audit trail of the street-office layer and of residents' feedback (issue 17 item 7): every state
change writes an append-only row (who, when, before → after, why), PostgreSQL refuses to rewrite any
audit table by the one guard they share (``tenants.dbguards``), and each object's page shows its trail.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.utils import IntegrityError, InternalError, ProgrammingError
from django_tenants.utils import schema_context

from disclosure.feedback import services as feedback_services
from disclosure.feedback.choices import Finding, Kind, Rating
from disclosure.models import AuditRecord
from disclosure.selectors import audit_of
from inspection import services
from tenants.audit import audit_entries
from tenants.dbguards import APPEND_ONLY_FUNCTION
from tenants.models import AuditEntry
from tests.conftest import login
from tests.dbroles import roles_differ
from tests.factories import PDF, FeedbackFactory
from tests.inspection.test_assessments import full_marks, opened

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def trail(obj) -> list[tuple[str, str, str]]:
    return [(e.actor_name, e.from_state, e.to_state) for e in audit_entries(obj)]


def scored_assessment(world):
    template, assessment = opened(world)
    services.assessment_self_assess(
        assessment=assessment,
        actor=world.user("yincheng_secretary"),
        scores=full_marks(template),
        report=SimpleUploadedFile("r.pdf", PDF),
    )
    return services.assessment_score(
        assessment=assessment, actor=world.user("yinzhou_inspector"), scores=full_marks(template)
    )


def names(world, *logins):
    return [world.user(login).get_full_name() for login in logins]


def test_each_step_of_an_assessment_writes_an_audit_row(world):
    assessment = services.assessment_approve(
        assessment=scored_assessment(world), actor=world.user("yinzhou_leader")
    )
    leader, secretary, inspector = names(world, "yinzhou_leader", "yincheng_secretary", "yinzhou_inspector")
    assert trail(assessment) == [
        (leader, "", "self_assessing"),
        (secretary, "self_assessing", "submitted"),
        (inspector, "submitted", "scored"),
        (leader, "scored", "approved"),
    ]


def test_a_spot_check_drawn_redrawn_and_recorded_writes_its_rows_and_its_failure_opens_an_audited_order(
    world,
):
    leader, inspector = world.user("yinzhou_leader"), world.user("yinzhou_inspector")
    first = services.spot_check_draw(
        street_office=world.yinzhou, period="2026-11", sample_size=1, actor=inspector, seed="a"
    )
    set_aside = first.checks.get()
    redraw = services.spot_check_redraw(
        draw=first, reason="抽中的社区正在换届", sample_size=1, actor=leader, inspector=inspector, seed="b"
    )
    assert trail(set_aside) == [
        (inspector.get_full_name(), "", "planned"),
        (leader.get_full_name(), "planned", "redrawn"),
    ]
    assert audit_entries(set_aside).last().reason == "抽中的社区正在换届"  # type: ignore[union-attr]
    check = services.spot_check_record(
        spot_check=redraw.checks.get(),
        actor=inspector,
        visited_at=datetime(2026, 11, 20, 9, tzinfo=TZ),
        checklist={"board_current": False, "display_window_kept": True, "opinion_box": True},
    )
    assert trail(check)[-1] == (inspector.get_full_name(), "planned", "completed")
    order = check.rectifications.get()
    assert trail(order) == [(inspector.get_full_name(), "", "open")]


def test_a_survey_opened_and_closed_below_90_percent_writes_its_rows_and_the_orders(world):
    inspector = world.user("yinzhou_inspector")
    survey = services.survey_open(community=world.yincheng, period="2026", title="", codes=2, actor=inspector)
    codes = list(survey.codes.values_list("code", flat=True))
    services.vote_cast(community=world.yincheng, code=codes[0], answer="satisfied")
    services.vote_cast(community=world.yincheng, code=codes[1], answer="unsatisfied")
    survey = services.survey_close(survey=survey, actor=inspector, today=date(2026, 11, 23))
    assert trail(survey) == [
        (inspector.get_full_name(), "", "open"),
        (inspector.get_full_name(), "open", "closed"),
    ]
    assert "满意率 50.00%" in audit_entries(survey).last().reason  # type: ignore[union-attr]
    assert trail(survey.rectification) == [(inspector.get_full_name(), "", "open")]


def test_every_step_of_an_order_is_audited_through_its_one_recording_place(world):
    inspector, handler = world.user("yinzhou_inspector"), world.user("yincheng_handler")
    order = services.rectification_issue(
        community=world.yincheng,
        source="manual",
        issues="财务只公布总数",
        actor=inspector,
        today=date(2026, 11, 2),
    )
    services.rectification_answer(rectification=order, actor=handler, answer="已逐笔公开")
    services.rectification_verify(rectification=order, actor=inspector, accept=False, note="缺少单据")
    services.rectifications_escalate(on=date(2026, 12, 31))
    expected = [(e.from_state, e.to_state, e.note) for e in order.events.all()]
    assert [(e.from_state, e.to_state, e.reason) for e in audit_entries(order)] == expected
    assert [state for _, _, state in trail(order)] == ["open", "answered", "open", "escalated"]
    assert trail(order)[-1][0] == "系统"


def test_an_evaluation_computed_recomputed_and_approved_writes_its_rows(world):
    leader = world.user("yinzhou_leader")
    services.evaluation_compute(street_office=world.yinzhou, year=2026, actor=leader)
    (evaluation, *_) = services.evaluation_compute(street_office=world.yinzhou, year=2026, actor=leader)
    services.evaluation_approve(street_office=world.yinzhou, year=2026, actor=leader)
    name = leader.get_full_name()
    assert trail(evaluation) == [
        (name, "", "computed"),
        (name, "computed", "computed"),
        (name, "computed", "approved"),
    ]
    assert audit_entries(evaluation).first().reason.startswith("综合得分")  # type: ignore[union-attr]


def test_a_residents_matter_writes_its_rows_in_the_communitys_own_trail(world, in_yincheng):
    matter = FeedbackFactory.create(kind=Kind.OBJECTION)  # an objection goes to the supervision group at once
    feedback_services.feedback_answer(
        community=in_yincheng,
        feedback=matter,
        actor=world.user("yincheng_handler"),
        answer="已核实。",
        public=True,
    )
    feedback_services.feedback_rate(community=in_yincheng, feedback=matter, rating=Rating.DISSATISFIED)
    feedback_services.feedback_record_finding(
        community=in_yincheng,
        feedback=matter,
        actor=world.user("yincheng_supervisor"),
        finding=Finding.UNFOUNDED,
        text="经查不属实。",
    )
    rows = [(r.actor_name, r.from_state, r.to_state) for r in audit_of(matter)]
    handler, supervisor = names(world, "yincheng_handler", "yincheng_supervisor")
    assert rows == [
        ("居民", "", "received"),
        ("系统", "received", "escalated"),
        (handler, "received", "answered"),
        ("居民", "answered", "rated"),
        (supervisor, "escalated", "found"),
    ]
    assert not AuditEntry.objects.exists()  # nothing of a community's residents in the public schema


# --- the database's guard -------------------------------------------------------------------------------


def _public_row(world) -> tuple[str, int]:
    order = services.rectification_issue(
        community=world.yincheng, source="manual", issues="测试", actor=world.user("yinzhou_inspector")
    )
    return "public.tenants_auditentry", audit_entries(order).get().pk


def _community_row(world) -> tuple[str, int]:
    with schema_context("yincheng"):
        matter = FeedbackFactory.create()
        return "yincheng.disclosure_auditrecord", audit_of(matter).get().pk


STATEMENTS = {
    "update": "UPDATE {table} SET reason = 'rewritten' WHERE id = %s",
    "delete": "DELETE FROM {table} WHERE id = %s",
    "truncate": "TRUNCATE {table}",
}


def _refused(statement: str, pk: int) -> None:
    """Refused by the guard; a TRUNCATE by the runtime role is refused before it, for want of privilege."""
    refusal = "append-only|cannot be truncated" + (
        "|permission denied" if statement.startswith("TRUNCATE") else ""
    )
    refused = pytest.raises((IntegrityError, InternalError, ProgrammingError), match=refusal)
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [pk] if "%s" in statement else [])


@pytest.mark.parametrize("make_row", [_public_row, _community_row], ids=["street office", "feedback"])
@pytest.mark.parametrize("statement", STATEMENTS.values(), ids=STATEMENTS.keys())
def test_postgresql_refuses_to_rewrite_an_audit_table_as_the_runtime_role(world, make_row, statement):
    table, pk = make_row(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (user,) = cursor.fetchone()
    if roles_differ():
        assert user == settings.DATABASE_RUNTIME["USER"]
    _refused(statement.format(table=table), pk)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT reason FROM {table} WHERE id = %s", [pk])
        assert cursor.fetchone()[0] != "rewritten"


@pytest.mark.owner
@pytest.mark.parametrize("statement", STATEMENTS.values(), ids=STATEMENTS.keys())
def test_postgresql_refuses_it_to_the_owner_too(world, statement):
    table, pk = _public_row(world)
    _refused(statement.format(table=table), pk)


def test_every_audit_table_is_guarded_by_the_one_shared_function(world):
    """The public trail and each community's carry the same triggers on the same function's text."""
    guarded = {}
    with connection.cursor() as cursor:
        for schema, table in (("public", "tenants_auditentry"), ("yincheng", "disclosure_auditrecord")):
            cursor.execute(
                """SELECT t.tgname, p.proname, p.prosrc FROM pg_trigger t
                   JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                   JOIN pg_proc p ON p.oid = t.tgfoid
                   WHERE n.nspname = %s AND c.relname = %s AND NOT t.tgisinternal ORDER BY t.tgname""",
                [schema, table],
            )
            guarded[table] = cursor.fetchall()
    public, community = guarded["tenants_auditentry"], guarded["disclosure_auditrecord"]
    assert [(name, fn) for name, fn, _ in public] == [
        ("tenants_auditentry_append_only", "gongkai_append_only"),
        ("tenants_auditentry_no_truncate", "gongkai_no_truncate"),
    ]
    assert [fn for _, fn, _ in community] == [fn for _, fn, _ in public]
    assert [src for _, _, src in community] == [src for _, _, src in public]
    assert public[0][2].strip() in APPEND_ONLY_FUNCTION


def test_the_python_side_cannot_rewrite_a_row_either(world):
    order = services.rectification_issue(
        community=world.yincheng, source="manual", issues="测试", actor=world.user("yinzhou_inspector")
    )
    entry = audit_entries(order).get()
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(reason="改")
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        entry.delete()
    with schema_context("yincheng"):
        record = AuditRecord.objects.create(object_type="feedback", object_id=1, to_state="received")
        with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
            AuditRecord.objects.filter(pk=record.pk).delete()


# --- each object's page shows its trail -------------------------------------------------------------------


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    text = response.content.decode()
    assert "操作记录" in text
    return text


def test_each_objects_page_shows_its_history(world, client_for):
    assessment = scored_assessment(world)
    inspector = world.user("yinzhou_inspector")
    draw = services.spot_check_draw(
        street_office=world.yinzhou, period="2026-11", sample_size=1, actor=inspector
    )
    survey = services.survey_open(community=world.yincheng, period="2026", title="", codes=1, actor=inspector)
    services.survey_close(survey=survey, actor=inspector)
    order = services.rectification_issue(
        community=world.yincheng, source="manual", issues="财务只公布总数", actor=inspector
    )
    services.rectification_answer(
        rectification=order, actor=world.user("yincheng_handler"), answer="已逐笔公开"
    )
    services.evaluation_compute(street_office=world.yinzhou, year=2026, actor=world.user("yinzhou_leader"))
    client = client_for(None)
    login(client, "yinzhou_inspector")
    name = inspector.get_full_name()
    text = _page(client, f"/inspection/assessments/{assessment.pk}/")
    assert "已提交自查,待街道考核 → 街道已评分,待领导审定" in text and name in text
    text = _page(client, f"/inspection/spot-checks/{draw.checks.get().pk}/")
    assert "新建 → 待暗访" in text
    assert "测评中 → 已结束" in _page(client, f"/inspection/surveys/{survey.pk}/")
    text = _page(client, f"/inspection/rectifications/{order.pk}/")
    assert "整改中 → 社区已反馈,待核查(已逐笔公开)" in text
    text = _page(client, "/inspection/evaluations/?year=2026")
    assert "银城社区" in text and "新建 → 已计算,待审定" in text


def test_a_residents_matter_shows_its_history_to_staff(world, in_yincheng, client_for):
    matter = FeedbackFactory.create()
    feedback_services.feedback_answer(
        community=in_yincheng,
        feedback=matter,
        actor=world.user("yincheng_handler"),
        answer="已答复。",
        public=False,
    )
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    text = _page(client, f"/workspace/feedback/{matter.pk}/")
    assert "居民:新建 → 待答复" in text and "待答复 → 已答复(不公开答复)" in text


def test_a_complaint_to_the_street_office_writes_a_row_at_each_step_shown_on_its_page(world, client_for):
    """The complaint engineer's one place of change (``inspection.services.complaints._transition``)
    calls the same ``tenants.audit.audit_record``."""
    complaint = services.complaint_submit(community=world.yincheng, text="低保名单没有公开")
    inspector = world.user("yinzhou_inspector")
    services.complaint_note_add(complaint=complaint, actor=inspector, text="到社区公开栏核对。")
    services.complaint_conclude(
        complaint=complaint, actor=inspector, finding="not_upheld", answer="经核实已公开。"
    )
    name = inspector.get_full_name()
    assert trail(complaint) == [
        ("居民", "", "received"),
        (name, "received", "investigating"),
        (name, "investigating", "concluded"),
    ]
    client = client_for(None)
    login(client, "yinzhou_inspector")
    text = _page(client, f"/inspection/complaints/{complaint.pk}/")
    assert "居民:新建 → 待调查" in text and "调查中 → 已答复(经核实已公开。)" in text
