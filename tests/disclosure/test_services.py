"""The disclosure engine's rules (obligations, the five steps, the ledger, the daily run, attachments,
ordered re-publication, the community's own catalogue), each with a test that fails if the rule is
broken."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure import services
from disclosure.choices import (
    Audience,
    Cadence,
    Category,
    ContentType,
    DisclosureStatus,
    ObligationStatus,
)
from disclosure.models import AuditRecord, LedgerEntry, Obligation
from disclosure.models.ledger import GENESIS
from disclosure.selectors import ledger_verify
from standards.models import LedgerAnchor
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tests.factories import PNG, EventObligationFactory, approved, at, draft, guards_off, published, signed

pytestmark = pytest.mark.django_db


# --- obligations and deadlines ----------------------------------------------------------------------


def test_monthly_affairs_are_due_on_the_10th_of_the_next_month(world, in_yincheng):
    services.obligations_generate(community=in_yincheng, on=date(2026, 12, 1), since=date(2026, 10, 1))
    october = Obligation.objects.get(code="SW-03", period="2026-10")
    assert october.due_date == date(2026, 11, 10)


def test_a_deadline_on_an_adjusted_working_saturday_stays_there(world, in_yincheng):
    """2026-10-10 is a Saturday worked in exchange for the National Day holiday (调休)."""
    services.obligations_generate(community=in_yincheng, on=date(2026, 10, 2), since=date(2026, 7, 1))
    assert Obligation.objects.get(code="SW-03", period="2026-09").due_date == date(2026, 10, 10)


def test_quarterly_finances_are_due_on_the_10th_day_of_the_next_quarter(world, in_yincheng):
    services.obligations_generate(community=in_yincheng, on=date(2026, 10, 2), since=date(2026, 7, 1))
    assert Obligation.objects.get(code="CW-01", period="2026Q3").due_date == date(2026, 10, 10)


def test_a_deadline_on_a_holiday_moves_to_the_next_working_day(world, in_yincheng):
    services.obligations_generate(community=in_yincheng, on=date(2026, 5, 2), since=date(2026, 4, 1))
    # 2026-05-10 is a Sunday
    assert Obligation.objects.get(code="SW-03", period="2026-04").due_date == date(2026, 5, 11)
    services.obligations_generate(community=in_yincheng, on=date(2026, 1, 2), since=date(2025, 12, 1))
    # 2026-01-10 is a Saturday; the 11th a Sunday
    assert Obligation.objects.get(code="SW-03", period="2025-12").due_date == date(2026, 1, 12)


def test_generating_twice_creates_nothing_more(world, in_yincheng):
    first = services.obligations_generate(community=in_yincheng, on=date(2026, 11, 1), since=date(2026, 1, 1))
    assert first > 0
    assert (
        services.obligations_generate(community=in_yincheng, on=date(2026, 11, 1), since=date(2026, 1, 1))
        == 0
    )


def test_a_per_event_item_is_due_n_working_days_after_the_event(world, in_yincheng):
    obligation = services.event_record(
        community=in_yincheng,
        actor=world.user("yincheng_handler"),
        code="SW-10",
        event_date=date(2026, 9, 30),
        description="小区停水抢修",
    )
    # 5 working days after 2026-09-30: Oct 1–7 are the National Day holiday, Oct 8, 9, 10 (调休), 12, 13
    assert obligation.due_date == date(2026, 10, 13)


def test_local_catalogue_items_produce_obligations(world, in_yincheng):
    from disclosure.models import LocalCatalogueItem

    LocalCatalogueItem.objects.create(
        code="YC-01",
        category=Category.AFFAIRS,
        title="银城老旧小区改造进度",
        cadence=Cadence.MONTHLY,
        content_type=ContentType.PLAN,
        valid_from=date(2026, 1, 1),
    )
    services.obligations_generate(community=in_yincheng, on=date(2026, 3, 1), since=date(2026, 1, 1))
    assert Obligation.objects.filter(source="local", code="YC-01").count() == 2
    with tenant_context(world.yinnan):
        services.obligations_generate(community=in_yincheng, on=date(2026, 3, 1), since=date(2026, 1, 1))
        assert not Obligation.objects.filter(code="YC-01").exists()


def test_obligation_states_over_time(world, in_yincheng):
    services.obligations_generate(community=in_yincheng, on=date(2026, 11, 1), since=date(2026, 10, 1))
    ob = Obligation.objects.get(code="SW-03", period="2026-10")  # due 2026-11-10
    services.obligations_refresh(community=in_yincheng, on=date(2026, 11, 2))
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.UPCOMING
    services.obligations_refresh(community=in_yincheng, on=date(2026, 11, 5))
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.DUE_SOON
    services.obligations_refresh(community=in_yincheng, on=date(2026, 11, 11))
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.OVERDUE


def test_publishing_fulfils_the_obligation_on_time_or_late(world, in_yincheng):
    services.obligations_generate(community=in_yincheng, on=date(2026, 6, 1), since=date(2026, 5, 1))
    ob = Obligation.objects.get(code="SW-03", period="2026-05")  # due 2026-06-10
    d = published(world, obligation=ob, on=date(2026, 6, 8))
    ob.refresh_from_db()
    assert (ob.status, ob.fulfilled_by_id) == (ObligationStatus.ON_TIME, d.pk)
    late_ob = Obligation.objects.get(code="SW-07", period="2026-05")
    published(world, obligation=late_ob, on=date(2026, 6, 12), title="5月初审证明事项")
    late_ob.refresh_from_db()
    assert late_ob.status == ObligationStatus.LATE


def test_waiving_needs_a_reason_and_an_approver_role(world, in_yincheng):
    services.obligations_generate(community=in_yincheng, on=date(2026, 6, 1), since=date(2026, 5, 1))
    ob = Obligation.objects.get(code="SW-07", period="2026-05")
    with pytest.raises(NotAllowed):
        services.obligation_waive(
            community=in_yincheng,
            obligation=ob,
            actor=world.user("yincheng_handler"),
            reason="本月无此类事项",
        )
    with pytest.raises(InvalidInput):
        services.obligation_waive(
            community=in_yincheng, obligation=ob, actor=world.user("yincheng_secretary"), reason=" "
        )
    ob = services.obligation_waive(
        community=in_yincheng, obligation=ob, actor=world.user("yincheng_secretary"), reason="本月无此类事项"
    )
    assert ob.status == ObligationStatus.WAIVED and ob.waived_by == world.user("yincheng_secretary")


# --- the five steps -----------------------------------------------------------------------------------


def test_review_copy_must_reach_the_group_five_working_days_before_publication(world, in_yincheng):
    d = draft(world)
    with pytest.raises(InvalidInput, match="至少 5 个工作日"):
        services.disclosure_submit(
            community=in_yincheng,
            disclosure=d,
            actor=world.user("yincheng_handler"),
            planned_publish_date=date(2026, 6, 5),
            today=date(2026, 6, 1),
        )
    d = services.disclosure_submit(
        community=in_yincheng,
        disclosure=d,
        actor=world.user("yincheng_handler"),
        planned_publish_date=date(2026, 6, 8),
        today=date(2026, 6, 1),
    )
    assert d.status == DisclosureStatus.SUBMITTED


def test_review_period_counts_working_days_across_the_national_day_holiday(world, in_yincheng):
    d = draft(world)
    # from 2026-09-29: Sep 30, Oct 8, 9, 10 (调休), 12 → earliest Oct 12
    with pytest.raises(InvalidInput, match="10月12日"):
        services.disclosure_submit(
            community=in_yincheng,
            disclosure=d,
            actor=world.user("yincheng_handler"),
            planned_publish_date=date(2026, 10, 9),
            today=date(2026, 9, 29),
        )


def test_a_per_event_item_may_shorten_the_review_with_a_recorded_reason(world, in_yincheng):
    ob = EventObligationFactory.create(
        code="SW-05", event_date=date(2026, 6, 1), description="火灾受灾户临时救助"
    )
    d = draft(
        world,
        obligation=ob,
        title="临时救助公示",
        content_type=ContentType.RELIEF,
        body="",
        data={
            "programme": "临时救助",
            "households": [
                {
                    "name": "张小明",
                    "id_number": "110101199001011237",
                    "age": 36,
                    "household_size": 3,
                    "hardship": "火灾致房屋受损",
                    "amount": "2000",
                }
            ],
        },
    )
    with pytest.raises(InvalidInput, match="理由"):
        services.disclosure_submit(
            community=in_yincheng,
            disclosure=d,
            actor=world.user("yincheng_handler"),
            planned_publish_date=date(2026, 6, 2),
            today=date(2026, 6, 1),
        )
    d = services.disclosure_submit(
        community=in_yincheng,
        disclosure=d,
        actor=world.user("yincheng_handler"),
        planned_publish_date=date(2026, 6, 2),
        today=date(2026, 6, 1),
        short_notice_reason="受灾群众急需救助",
    )
    assert d.short_notice_reason == "受灾群众急需救助"
    assert AuditRecord.objects.filter(
        object_id=d.pk, to_state="submitted", reason="受灾群众急需救助"
    ).exists()


def test_a_returned_draft_goes_back_with_its_comments_kept(world, in_yincheng):
    d = draft(world)
    d = services.disclosure_submit(
        community=in_yincheng,
        disclosure=d,
        actor=world.user("yincheng_handler"),
        planned_publish_date=date(2026, 6, 8),
        today=date(2026, 6, 1),
    )
    with pytest.raises(InvalidInput):
        services.disclosure_review(
            community=in_yincheng, disclosure=d, actor=world.user("yincheng_supervisor"), decision="return"
        )
    d = services.disclosure_review(
        community=in_yincheng,
        disclosure=d,
        actor=world.user("yincheng_supervisor"),
        decision="return",
        comments="低保户数与上月台帐不符,请核对",
    )
    assert d.status == DisclosureStatus.RETURNED
    assert d.opinions.get().comments == "低保户数与上月台帐不符,请核对"
    d = services.disclosure_update(
        disclosure=d,
        actor=world.user("yincheng_handler"),
        title=d.title,
        category=d.category,
        content_type=d.content_type,
        audience=d.audience,
        body="<p>本月办理低保复审 4 户。</p>",
    )
    d = services.disclosure_submit(
        community=in_yincheng,
        disclosure=d,
        actor=world.user("yincheng_handler"),
        planned_publish_date=date(2026, 6, 8),
        today=date(2026, 6, 1),
    )
    assert d.status == DisclosureStatus.SUBMITTED and d.opinions.count() == 1


def test_only_assigned_supervision_members_review(world, in_yincheng):
    d = draft(world)
    d = services.disclosure_submit(
        community=in_yincheng,
        disclosure=d,
        actor=world.user("yincheng_handler"),
        planned_publish_date=date(2026, 6, 8),
        today=date(2026, 6, 1),
    )
    for login in ("yincheng_handler", "yincheng_secretary", "yinnan_supervisor"):
        with pytest.raises(NotAllowed):
            services.disclosure_review(
                community=in_yincheng, disclosure=d, actor=world.user(login), decision="approve"
            )


def test_only_the_owner_edits_a_draft(world, in_yincheng):
    d = draft(world)
    with pytest.raises(NotAllowed):
        services.disclosure_update(
            disclosure=d,
            actor=world.user("yincheng_deputy"),
            title="改",
            category=d.category,
            content_type=d.content_type,
            audience=d.audience,
        )


def test_signatures_bind_to_the_exact_content(world, in_yincheng):
    d = approved(world)
    sig = services.disclosure_sign(
        community=in_yincheng, disclosure=d, actor=world.user("yincheng_secretary"), role="secretary"
    )
    assert sig.content_hash == d.content_hash and len(d.content_hash) == 64
    with pytest.raises(NotAllowed):
        services.disclosure_sign(
            community=in_yincheng, disclosure=d, actor=world.user("yincheng_handler"), role="secretary"
        )


def test_an_edit_after_signing_voids_the_earlier_signatures(world, in_yincheng):
    d = approved(world)
    services.disclosure_sign(
        community=in_yincheng, disclosure=d, actor=world.user("yincheng_secretary"), role="secretary"
    )
    services.disclosure_sign(
        community=in_yincheng, disclosure=d, actor=world.user("yincheng_director"), role="director"
    )
    d = services.disclosure_withdraw(
        disclosure=d, actor=world.user("yincheng_handler"), reason="补充一笔支出"
    )
    d = services.disclosure_update(
        disclosure=d,
        actor=world.user("yincheng_handler"),
        title=d.title + "(改)",
        category=d.category,
        content_type=d.content_type,
        audience=d.audience,
        body=d.body,
    )
    assert services.valid_signatures(d) == {}
    assert d.signatures.count() == 2  # kept for the record, but void
    d = services.disclosure_submit(
        community=in_yincheng,
        disclosure=d,
        actor=world.user("yincheng_handler"),
        planned_publish_date=date(2026, 6, 15),
        today=date(2026, 6, 8),
    )
    d = services.disclosure_review(
        community=in_yincheng, disclosure=d, actor=world.user("yincheng_supervisor"), decision="approve"
    )
    services.disclosure_sign(
        community=in_yincheng, disclosure=d, actor=world.user("yincheng_handler"), role="handler"
    )
    with pytest.raises(Conflict, match="党组织书记、居委会主任"):
        services.disclosure_publish(
            community=in_yincheng,
            disclosure=d,
            actor=world.user("yincheng_handler"),
            channels=["board"],
            now=at(date(2026, 6, 15)),
        )


def test_publishing_needs_all_three_signatures(world, in_yincheng):
    d = approved(world)
    services.disclosure_sign(
        community=in_yincheng, disclosure=d, actor=world.user("yincheng_secretary"), role="secretary"
    )
    services.disclosure_sign(
        community=in_yincheng, disclosure=d, actor=world.user("yincheng_director"), role="director"
    )
    with pytest.raises(Conflict, match="经办人"):
        services.disclosure_publish(
            community=in_yincheng,
            disclosure=d,
            actor=world.user("yincheng_handler"),
            channels=["board"],
            now=at(date(2026, 6, 8)),
        )


def test_publishing_before_the_planned_date_is_refused(world, in_yincheng):
    d = signed(world)
    with pytest.raises(Conflict, match="审核期"):
        services.disclosure_publish(
            community=in_yincheng,
            disclosure=d,
            actor=world.user("yincheng_handler"),
            channels=["board"],
            now=at(date(2026, 6, 5)),
        )


def test_publication_sets_the_display_window_and_channels(world, in_yincheng):
    d = published(world)
    assert d.status == DisclosureStatus.PUBLISHED
    assert d.channels == ["board", "web"]
    assert d.display_until == date(2026, 6, 8) + timedelta(days=10)
    with pytest.raises(InvalidInput):
        services.disclosure_publish(
            community=in_yincheng,
            disclosure=signed(world, title="另一条"),
            actor=world.user("yincheng_handler"),
            channels=[],
            now=at(date(2026, 6, 8)),
        )


def test_party_first_items_need_a_later_public_date(world, in_yincheng):
    d = signed(world, category=Category.PARTY, audience=Audience.PARTY_FIRST, title="发展党员公示")
    with pytest.raises(InvalidInput):
        services.disclosure_publish(
            community=in_yincheng,
            disclosure=d,
            actor=world.user("yincheng_handler"),
            channels=["meeting"],
            now=at(date(2026, 6, 8)),
        )
    d = services.disclosure_publish(
        community=in_yincheng,
        disclosure=d,
        actor=world.user("yincheng_handler"),
        channels=["meeting"],
        public_from=date(2026, 6, 15),
        now=at(date(2026, 6, 8)),
    )
    assert d.public_from == date(2026, 6, 15) and d.display_until == date(2026, 6, 25)


def test_a_correction_is_a_new_version_and_the_old_one_is_superseded(world, in_yincheng):
    old = published(world)
    with pytest.raises(InvalidInput):
        services.disclosure_start_correction(
            community=in_yincheng, disclosure=old, actor=world.user("yincheng_handler"), reason=""
        )
    new = services.disclosure_start_correction(
        community=in_yincheng,
        disclosure=old,
        actor=world.user("yincheng_handler"),
        reason="第2笔金额录入错误",
    )
    assert (new.version, new.supersedes_id, new.status) == (2, old.pk, DisclosureStatus.DRAFT)
    new = services.disclosure_submit(
        community=in_yincheng,
        disclosure=new,
        actor=world.user("yincheng_handler"),
        planned_publish_date=date(2026, 6, 17),
        today=date(2026, 6, 10),
    )
    new = services.disclosure_review(
        community=in_yincheng, disclosure=new, actor=world.user("yincheng_supervisor"), decision="approve"
    )
    for role in ("secretary", "director", "handler"):
        services.disclosure_sign(
            community=in_yincheng, disclosure=new, actor=world.user(f"yincheng_{role}"), role=role
        )
    services.disclosure_publish(
        community=in_yincheng,
        disclosure=new,
        actor=world.user("yincheng_handler"),
        channels=["board"],
        now=at(date(2026, 6, 17)),
    )
    old.refresh_from_db()
    assert old.status == DisclosureStatus.SUPERSEDED
    assert old.title == "2026年5月社区事务公开"  # still readable


def test_archiving_waits_for_the_end_of_the_display_window(world, in_yincheng):
    d = published(world)
    with pytest.raises(Conflict):
        services.disclosure_archive(
            community=in_yincheng, disclosure=d, actor=world.user("yincheng_handler"), today=date(2026, 6, 10)
        )
    d = services.disclosure_archive(
        community=in_yincheng, disclosure=d, actor=world.user("yincheng_handler"), today=date(2026, 6, 18)
    )
    assert d.status == DisclosureStatus.ARCHIVED


def test_roles_that_may_not_publish_are_refused(world, in_yincheng):
    d = signed(world)
    for login in ("yincheng_supervisor", "yincheng_finance", "yincheng_representative", "yinnan_handler"):
        with pytest.raises(NotAllowed):
            services.disclosure_publish(
                community=in_yincheng,
                disclosure=d,
                actor=world.user(login),
                channels=["board"],
                now=at(date(2026, 6, 8)),
            )


# --- the ledger ---------------------------------------------------------------------------------------


def test_every_step_appends_to_one_hash_chain(world, in_yincheng):
    published(world)
    actions = list(LedgerEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["submit", "opinion", "sign", "sign", "sign", "publish"]
    report = ledger_verify()
    assert report.ok and report.entries == 6


@pytest.mark.owner
def test_a_ledger_row_altered_in_raw_sql_is_found_by_verify_ledger(world, in_yincheng):
    published(world)
    # a database owner can switch the guard off; the chain still gives them away
    with guards_off("disclosure_ledgerentry"), connection.cursor() as c:
        c.execute("""UPDATE disclosure_ledgerentry SET payload = jsonb_set(payload, '{channels}', '["web"]')
                     WHERE seq = 6""")
    report = ledger_verify()
    assert not report.ok and report.broken_seq == 6


@pytest.mark.owner
def test_a_rewritten_chain_disagrees_with_the_heads_recorded_in_public(world, in_yincheng):
    published(world)
    with guards_off("disclosure_ledgerentry"), connection.cursor() as c:
        c.execute("DELETE FROM disclosure_ledgerentry")
    # the service cannot start the history again: the heads it recorded are still in public
    with pytest.raises(IntegrityError), transaction.atomic():
        services.ledger_append(action="publish", actor=None, disclosure=None, payload={"title": "伪造"})
    # so the forger writes a self-consistent but different history straight into the table
    forged = LedgerEntry(
        seq=1, action="publish", recorded_at=timezone.now(), payload={"title": "伪造"}, prev_hash=GENESIS
    )
    forged.hash = forged.compute_hash()
    forged.save(force_insert=True)
    assert ledger_verify().ok  # the chain alone looks fine …
    report = ledger_verify(community_id=world.yincheng.pk)
    assert not report.ok and report.broken_seq == 1  # … the heads recorded in public do not
    assert "第 1 条记录与街道在写入时登记的链头不符" in report.problem


@pytest.mark.owner
def test_a_chain_that_disagrees_with_a_daily_anchor_is_reported(world, in_yincheng):
    published(world)
    services.ledger_anchor_record(community=in_yincheng, day=date(2026, 6, 8))
    assert ledger_verify(community_id=world.yincheng.pk).ok
    with guards_off("standards_ledgeranchor"):
        LedgerAnchor.objects.filter(community=in_yincheng).update(head_hash="f" * 64)
    report = ledger_verify(community_id=world.yincheng.pk)
    assert not report.ok and report.broken_seq == 6
    assert "2026年6月8日 在街道登记的链头不符" in report.problem


# --- the daily job, reminders, and the calendar -------------------------------------------------------


def test_the_daily_run_twice_gives_the_same_result(world, in_yincheng):
    from django.core import mail

    from communities.models import Notification

    in_yincheng.created_at = at(date(2026, 10, 1))  # the run covers periods since the community began
    first = services.daily_run(community=in_yincheng, on=date(2026, 12, 8))
    notifications = Notification.objects.count()
    assert first["created"] > 0 and first["reminded"] > 0 and notifications > 0
    second = services.daily_run(community=in_yincheng, on=date(2026, 12, 8))
    assert second == {"created": 0, "changed": 0, "reminded": 0}
    assert Notification.objects.count() == notifications
    assert len(mail.outbox) == 0  # e-mail goes out from the worker after commit, not inside the run


def test_reminders_go_to_the_handler_and_the_secretary_before_the_deadline_and_when_overdue(
    world, in_yincheng
):
    from communities.models import Notification

    services.obligations_generate(community=in_yincheng, on=date(2026, 11, 1), since=date(2026, 10, 1))
    services.obligations_refresh(
        community=in_yincheng, on=date(2026, 11, 5)
    )  # October affairs due 11-10: due soon
    services.reminders_send(community=in_yincheng, on=date(2026, 11, 5))
    recipients = set(
        Notification.objects.filter(title__startswith="即将到期").values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {"yincheng_handler", "yincheng_secretary"}
    services.obligations_refresh(community=in_yincheng, on=date(2026, 11, 11))
    services.reminders_send(community=in_yincheng, on=date(2026, 11, 11))
    assert Notification.objects.filter(title__startswith="已逾期").exists()


def test_a_calendar_change_recomputes_open_deadlines(world, in_yincheng):
    from workdays import services as workdays

    ob = services.event_record(
        community=in_yincheng,
        actor=world.user("yincheng_handler"),
        code="SW-10",
        event_date=date(2027, 3, 1),
        description="供暖管道爆裂抢修",
    )
    assert ob.due_date == date(2027, 3, 8) and ob.due_provisional  # 2027: Monday–Friday fallback
    workdays.calendar_override_set(
        day=date(2027, 3, 3), is_working_day=False, reason="示例:临时调休", actor=world.user("yinzhou_admin")
    )
    assert services.obligations_recompute_due(community=in_yincheng, years={2027}) == 1
    ob.refresh_from_db()
    assert ob.due_date == date(2027, 3, 9)


# --- attachments, ordered re-publication, the community's own catalogue items ---------------------------


def test_an_attachment_is_typed_by_its_content_and_stored_under_the_community(
    world, in_yincheng, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    d = draft(world)
    before = d.content_hash
    a = services.attachment_add(
        disclosure=d,
        actor=world.user("yincheng_handler"),
        upload=SimpleUploadedFile("收据.pdf", PNG, content_type="application/pdf"),
    )
    assert a.mime_type == "image/png" and a.original_name == "收据.pdf"
    assert "/yincheng/" in a.file.path
    d.refresh_from_db()
    assert d.content_hash != before


@pytest.mark.parametrize(
    "name,payload",
    [
        ("notice.pdf", b"<html><script>alert(1)</script></html>"),
        ("image.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("empty.pdf", b""),
    ],
)
def test_an_attachment_that_is_not_what_it_claims_is_refused(world, in_yincheng, name, payload):
    d = draft(world)
    with pytest.raises(InvalidInput):
        services.attachment_add(
            disclosure=d, actor=world.user("yincheng_handler"), upload=SimpleUploadedFile(name, payload)
        )
    assert not d.attachments.exists()


def test_an_oversized_attachment_is_refused(world, in_yincheng, monkeypatch):
    monkeypatch.setattr("disclosure.services.attachments.MAX_ATTACHMENT_BYTES", 64)
    with pytest.raises(InvalidInput, match="不能超过"):
        services.attachment_add(
            disclosure=draft(world),
            actor=world.user("yincheng_handler"),
            upload=SimpleUploadedFile("big.png", PNG),
        )


def test_attachments_cannot_be_added_once_the_draft_is_submitted(world, in_yincheng):
    d = draft(world)
    d = services.disclosure_submit(
        community=in_yincheng,
        disclosure=d,
        actor=world.user("yincheng_handler"),
        planned_publish_date=date(2026, 6, 8),
        today=date(2026, 6, 1),
    )
    with pytest.raises(Conflict):
        services.attachment_add(
            disclosure=d, actor=world.user("yincheng_handler"), upload=SimpleUploadedFile("x.png", PNG)
        )


def test_the_supervision_group_orders_republication_with_its_own_deadline(world, in_yincheng):
    old = published(world)
    with pytest.raises(NotAllowed):
        services.disclosure_order_republication(
            community=in_yincheng,
            disclosure=old,
            actor=world.user("yincheng_handler"),
            finding="漏报一笔支出",
        )
    with pytest.raises(InvalidInput):
        services.disclosure_order_republication(
            community=in_yincheng, disclosure=old, actor=world.user("yincheng_supervisor"), finding=" "
        )
    correction = services.disclosure_order_republication(
        community=in_yincheng,
        disclosure=old,
        actor=world.user("yincheng_supervisor"),
        finding="漏报一笔 600 元支出",
        today=date(2026, 6, 10),
    )
    ob = correction.obligation
    assert ob is not None
    assert ob.source == Obligation.Source.ORDER and ob.due_date == date(2026, 6, 17)
    assert correction.supersedes_id == old.pk and "漏报一笔 600 元支出" in correction.correction_reason
    # the handler owns the correction and takes it through the same steps
    correction = services.disclosure_update(
        disclosure=correction,
        actor=world.user("yincheng_handler"),
        title=correction.title,
        category=correction.category,
        content_type=correction.content_type,
        audience=correction.audience,
        body="<p>补充:6月5日购买防汛物资 600 元。</p>",
    )
    correction = services.disclosure_submit(
        community=in_yincheng,
        disclosure=correction,
        actor=world.user("yincheng_handler"),
        planned_publish_date=date(2026, 6, 11),
        today=date(2026, 6, 10),
        short_notice_reason="监督小组责令限期重新公布",
    )
    correction = services.disclosure_review(
        community=in_yincheng,
        disclosure=correction,
        actor=world.user("yincheng_supervisor"),
        decision="approve",
    )
    for role in ("secretary", "director", "handler"):
        services.disclosure_sign(
            community=in_yincheng, disclosure=correction, actor=world.user(f"yincheng_{role}"), role=role
        )
    services.disclosure_publish(
        community=in_yincheng,
        disclosure=correction,
        actor=world.user("yincheng_handler"),
        channels=["board"],
        now=at(date(2026, 6, 11)),
    )
    old.refresh_from_db()
    ob.refresh_from_db()
    assert old.status == DisclosureStatus.SUPERSEDED and ob.status == "on_time"


def test_local_items_are_added_by_the_heads_with_unique_codes(world, in_yincheng):
    fields: dict[str, Any] = {
        "code": "yc-01",
        "title": "银城老旧小区改造进度",
        "category": Category.AFFAIRS,
        "cadence": Cadence.MONTHLY,
        "content_type": ContentType.PLAN,
    }
    with pytest.raises(NotAllowed):
        services.local_item_add(community=in_yincheng, actor=world.user("yincheng_handler"), **fields)
    item = services.local_item_add(community=in_yincheng, actor=world.user("yincheng_director"), **fields)
    assert item.code == "YC-01"
    with pytest.raises(Conflict):
        services.local_item_add(community=in_yincheng, actor=world.user("yincheng_director"), **fields)
    with pytest.raises(Conflict):
        services.local_item_add(
            community=in_yincheng, actor=world.user("yincheng_director"), **{**fields, "code": "SW-03"}
        )
