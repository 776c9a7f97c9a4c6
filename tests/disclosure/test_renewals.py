"""Fixed content kept current (000 第八条 固定内容长期公开; 第十九条 不更新): a fixed item's display year
ending is impossible to miss — a renewal opens before the end, reminders go 10 and 3 working days
before, a lapsed one is overdue and counted for the street office, and the portal and the e-screen
keep showing it until it is renewed by a new version or a recorded confirmation.

The services take the day they run on (``on=``/``today=``), so the clock is frozen by passing it: the
item below is published on 2025年9月8日 and its display year ends on 2026年9月8日 (a Tuesday, with no
holiday in the weeks before it)."""

import re
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from communities.models import Notification
from disclosure import display, permissions, selectors, services, topics
from disclosure.choices import DisclosureStatus, LedgerAction, ObligationStatus
from disclosure.compliance import compliance_figures
from disclosure.models import AuditRecord, Disclosure, DisplayExtension, LedgerEntry, Obligation, Reminder
from disclosure.permissions import Action
from disclosure.rules import DUE_SOON_WORKING_DAYS, FIXED_RENEWAL_NOTICE_WORKING_DAYS
from inspection import services as inspection_services
from inspection.models import ComplianceSummary
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import User
from tests.conftest import login
from tests.factories import SIGNERS, at, corrected, fixed_published, renewal_opened
from workdays.dates import zh_date

pytestmark = pytest.mark.django_db

PUBLISHED = date(2025, 9, 8)
ENDS = date(2026, 9, 8)
# FIXED_RENEWAL_LEAD_WORKING_DAYS (20) working days before 9月8日 is 8月11日; 10 before, 8月25日; 3, 9月3日.
OPENS = date(2026, 8, 11)
NOTICE = date(2026, 8, 25)
DUE_SOON = date(2026, 9, 3)


def run_day(community, day):  # type: ignore[no-untyped-def]
    """The daily job's obligation steps on ``day`` (generation, states, reminders)."""
    services.obligations_generate(community=community, on=day, since=day)
    services.obligations_refresh(community=community, on=day)
    services.reminders_send(community=community, on=day)


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


# --- the renewal opens before the display ends -----------------------------------------------------------


def test_a_fixed_items_renewal_opens_before_its_display_ends_and_once(world, in_yincheng):
    current = fixed_published(world, on=PUBLISHED)
    assert current.display_until == ENDS
    services.obligations_generate(community=in_yincheng, on=OPENS - timedelta(days=1), since=OPENS)
    assert not Obligation.objects.filter(renews=current).exists()
    created = services.obligations_generate(community=in_yincheng, on=OPENS, since=OPENS)
    renewal = Obligation.objects.get(renews=current)
    assert created == 1
    assert (renewal.code, renewal.due_date, renewal.period_start) == ("FW-03", ENDS, ENDS + timedelta(days=1))
    assert renewal.period_zh == "长期·2026年9月8日到期"
    assert renewal.status == ObligationStatus.UPCOMING and renewal.is_renewal
    later = OPENS + timedelta(days=3)
    assert services.obligations_generate(community=in_yincheng, on=later, since=OPENS) == 0


def test_renewal_reminders_go_10_and_3_working_days_before_the_end_and_when_it_lapses_once_each(
    world, in_yincheng
):
    assert (FIXED_RENEWAL_NOTICE_WORKING_DAYS, DUE_SOON_WORKING_DAYS) == (10, 3)  # the days named above
    current = fixed_published(world, on=PUBLISHED)
    sent: dict[date, list[str]] = {}
    for day in days(OPENS, ENDS + timedelta(days=5)):
        before = set(Notification.objects.values_list("pk", flat=True))
        run_day(in_yincheng, day)
        new = Notification.objects.exclude(pk__in=before).filter(title__contains=current.title)
        titles = set(new.values_list("title", flat=True))
        if titles:
            sent[day] = sorted(titles)
    renewal = Obligation.objects.get(renews=current)
    assert sent == {
        NOTICE: [f"固定公开内容将到期:{renewal.title}公示至 9月8日(周二),请复核后续期"],
        DUE_SOON: [f"即将到期:{renewal.title}公示至 9月8日(周二),须在此前复核续期"],
        ENDS + timedelta(days=1): [f"已逾期:{renewal.title}已于 9月8日(周二) 公示期满,待更新"],
    }
    assert sorted(Reminder.objects.filter(obligation=renewal).values_list("kind", flat=True)) == sorted(
        [Reminder.Kind.RENEWAL_NOTICE, Reminder.Kind.DUE_SOON, Reminder.Kind.OVERDUE]
    )
    reminded = Notification.objects.filter(topic=topics.obligation(renewal.pk))
    assert reminded.count() == 6  # three reminders, to two people
    assert set(reminded.values_list("recipient__username", flat=True)) == {
        "yincheng_handler",
        "yincheng_secretary",
    }
    assert set(reminded.values_list("url", flat=True)) == {f"/workspace/obligations/{renewal.pk}/renew/"}


def test_a_lapsed_renewal_is_overdue_and_the_street_office_counts_it(world, in_yincheng):
    current = fixed_published(world, on=PUBLISHED)
    run_day(in_yincheng, OPENS)
    run_day(in_yincheng, ENDS)
    renewal = Obligation.objects.get(renews=current)
    renewal.refresh_from_db()
    assert renewal.status == ObligationStatus.DUE_SOON
    run_day(in_yincheng, ENDS + timedelta(days=1))
    renewal.refresh_from_db()
    assert renewal.status == ObligationStatus.OVERDUE
    september = compliance_figures(start=date(2026, 9, 1), end=date(2026, 9, 30), on=date(2026, 9, 20))
    assert (september.fixed_lapsed, september.overdue) == (1, 1)
    inspection_services.compliance_refresh(community=in_yincheng, on=date(2026, 9, 20), years=[2026])
    year = ComplianceSummary.objects.get(community=in_yincheng, period_kind="year", period="2026")
    assert (year.fixed_lapsed, year.overdue) == (1, 1)


def test_the_street_office_dashboard_names_the_community_with_a_lapsed_fixed_item(world, client_for):
    today = timezone.localdate()
    with tenant_context(world.yincheng):
        renewal = renewal_opened(world, published_on=today - timedelta(days=400), on=today)
        services.obligations_refresh(community=world.yincheng, on=today)
        renewal.refresh_from_db()
        assert renewal.status == ObligationStatus.OVERDUE
    inspection_services.compliance_refresh(community=world.yincheng, on=today)
    client = client_for(None)
    login(client, "yinzhou_inspector")
    # the renewal fell due when the display ended, 35 days ago: that year's figures carry it
    html = client.get("/inspection/", {"year": (today - timedelta(days=35)).year}).content.decode()
    assert "其中固定公开内容到期未更新(公示期满未复核续期):<strong>1</strong> 项" in html
    assert '银城社区</a> <span class="tag tag--overdue">1 项待更新</span>' in html


# --- renewed by a confirmation that nothing changed ------------------------------------------------------


def test_confirming_no_change_extends_the_display_in_its_own_row_the_audit_and_the_ledger(world, in_yincheng):
    current = fixed_published(world, on=PUBLISHED)
    run_day(in_yincheng, OPENS)
    renewal = Obligation.objects.get(renews=current)
    director = User.objects.get(username="yincheng_director")
    extension = services.fixed_item_confirm_unchanged(
        obligation=renewal,
        actor=director,
        community=in_yincheng,
        note="已逐项核对,电话均无变化",
        seen_hash=current.content_hash,
        today=date(2026, 9, 1),
    )
    assert (extension.previous_until, extension.display_until) == (ENDS, ENDS + timedelta(days=365))
    current.refresh_from_db()
    assert current.display_until == ENDS  # the publication itself stays as sealed
    assert display.display_end(current) == ENDS + timedelta(days=365)
    renewal.refresh_from_db()
    assert (renewal.status, renewal.fulfilled_by_id) == (ObligationStatus.ON_TIME, current.pk)
    audit = AuditRecord.objects.filter(object_type="obligation", object_id=renewal.pk).last()
    assert audit is not None and audit.actor == director and "已逐项核对,电话均无变化" in audit.reason
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert entry is not None and entry.action == LedgerAction.RENEW and entry.disclosure_id == current.pk
    assert entry.payload["display_until"] == "2027-09-08"
    assert entry.payload["note"] == "已逐项核对,电话均无变化"
    assert selectors.ledger_verify().ok
    with pytest.raises(Conflict, match=r"公示期到 .*9月8日"):  # archived only after the extended end
        services.disclosure_archive(
            disclosure=current, actor=director, community=in_yincheng, today=date(2026, 12, 1)
        )
    # the next year's renewal follows the new end, and only then
    run_day(in_yincheng, date(2026, 9, 20))
    assert Obligation.objects.filter(renews=current).count() == 1
    run_day(in_yincheng, date(2027, 8, 20))
    assert Obligation.objects.filter(renews=current, due_date=date(2027, 9, 8)).exists()


def test_a_confirmation_after_the_lapse_runs_a_full_period_from_that_day_and_is_late(world, in_yincheng):
    current = fixed_published(world, on=PUBLISHED)
    run_day(in_yincheng, OPENS)
    run_day(in_yincheng, date(2026, 9, 20))
    renewal = Obligation.objects.get(renews=current)
    extension = services.fixed_item_confirm_unchanged(
        obligation=renewal,
        actor=User.objects.get(username="yincheng_handler"),
        community=in_yincheng,
        note="核对无变化",
        today=date(2026, 9, 21),
    )
    assert extension.display_until == date(2026, 9, 21) + timedelta(days=365)
    renewal.refresh_from_db()
    assert renewal.status == ObligationStatus.LATE


def test_a_confirmation_needs_a_note_a_publishing_role_the_content_shown_and_happens_once(world, in_yincheng):
    current = fixed_published(world, on=PUBLISHED)
    run_day(in_yincheng, OPENS)
    renewal = Obligation.objects.get(renews=current)

    def confirm(username: str, note: str = "核对无变化", seen: str = "") -> DisplayExtension:
        return services.fixed_item_confirm_unchanged(
            obligation=renewal,
            actor=User.objects.get(username=username),
            community=in_yincheng,
            note=note,
            seen_hash=seen,
            today=date(2026, 9, 1),
        )

    with pytest.raises(InvalidInput, match="请写明核对了哪些内容"):
        confirm("yincheng_director", note="  ")
    for role in ("supervisor", "deputy"):
        with pytest.raises(NotAllowed, match=re.escape(permissions.refusal(Action.RENEW))):
            confirm(f"yincheng_{role}")
    with pytest.raises(Conflict, match="内容又被修改过"):
        confirm("yincheng_director", seen="0" * 64)
    assert not DisplayExtension.objects.exists()
    confirm("yincheng_director")
    with pytest.raises(Conflict, match="已经办结"):
        confirm("yincheng_secretary")
    assert DisplayExtension.objects.count() == 1


def test_postgresql_refuses_to_rewrite_a_confirmation(world, in_yincheng):
    current = fixed_published(world, on=PUBLISHED)
    run_day(in_yincheng, OPENS)
    services.fixed_item_confirm_unchanged(
        obligation=Obligation.objects.get(renews=current),
        actor=User.objects.get(username="yincheng_director"),
        community=in_yincheng,
        note="核对无变化",
        today=date(2026, 9, 1),
    )
    for statement in (
        "UPDATE disclosure_displayextension SET display_until = display_until + 3650",
        "DELETE FROM disclosure_displayextension",
    ):
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)


# --- renewed by a new version ----------------------------------------------------------------------------


def test_revising_starts_the_next_version_whose_publication_renews_the_item(world, in_yincheng):
    current = fixed_published(world, on=PUBLISHED)
    run_day(in_yincheng, OPENS)
    renewal = Obligation.objects.get(renews=current)
    handler = User.objects.get(username="yincheng_handler")
    with pytest.raises(NotAllowed):
        services.fixed_item_revise(
            obligation=renewal, actor=User.objects.get(username="yincheng_supervisor"), community=in_yincheng
        )
    draft = services.fixed_item_revise(obligation=renewal, actor=handler, community=in_yincheng)
    assert (draft.supersedes_id, draft.obligation_id, draft.status) == (
        current.pk,
        renewal.pk,
        DisclosureStatus.DRAFT,
    )
    assert services.fixed_item_revise(obligation=renewal, actor=handler, community=in_yincheng) == draft
    on = date(2026, 9, 4)
    draft = services.disclosure_submit(
        community=in_yincheng,
        disclosure=draft,
        actor=handler,
        planned_publish_date=on,
        today=date(2026, 8, 28),
    )
    draft = services.disclosure_review(
        community=in_yincheng,
        disclosure=draft,
        actor=User.objects.get(username="yincheng_supervisor"),
        decision="approve",
    )
    for role in SIGNERS:
        services.disclosure_sign(
            community=in_yincheng,
            disclosure=draft,
            actor=User.objects.get(username=f"yincheng_{role}"),
            role=role,
        )
    new = services.disclosure_publish(
        community=in_yincheng, disclosure=draft, actor=handler, channels=["board"], now=at(on)
    )
    renewal.refresh_from_db()
    assert (renewal.status, renewal.fulfilled_by_id) == (ObligationStatus.ON_TIME, new.pk)
    assert Disclosure.objects.get(pk=current.pk).status == DisclosureStatus.SUPERSEDED
    assert display.fixed_item_current(source=renewal.source, code="FW-03") == new


def test_a_correction_started_from_the_disclosures_page_renews_it_too(world, in_yincheng):
    current = fixed_published(world, on=PUBLISHED)
    run_day(in_yincheng, OPENS)
    renewal = Obligation.objects.get(renews=current)
    new = corrected(world, current, reason="电话号码变更", body="<p>维修 12345。</p>", on=date(2026, 9, 10))
    renewal.refresh_from_db()
    assert (renewal.status, renewal.fulfilled_by_id) == (ObligationStatus.LATE, new.pk)


# --- never blank: the portal and the e-screen --------------------------------------------------------


def test_a_lapsed_fixed_item_stays_on_the_screen_and_the_portal_until_its_renewal_is_settled(
    world, client_for
):
    """Published 400 days ago: its display year ended 35 days ago and nobody renewed it."""
    today = timezone.localdate()
    with tenant_context(world.yincheng):
        renewal = renewal_opened(world, published_on=today - timedelta(days=400), on=today)
        services.obligations_refresh(community=world.yincheng, on=today)
        current = renewal.renews
        assert current is not None
    site = client_for("yincheng")
    screen = site.get("/screen/").content.decode()
    assert current.title in screen and "长期公开" in screen
    detail = site.get(f"/disclosures/{current.pk}/").content.decode()
    assert "起长期公开" in detail and "公示中" in detail and "公示期已满" not in detail
    assert current.title in site.get("/disclosures/").content.decode()
    assert "火警 119" in site.get("/touch/services/").content.decode()  # the convenience directory
    # waived (the item no longer applies): it leaves the screen, stays findable on the portal
    with tenant_context(world.yincheng):
        services.obligation_waive(
            obligation=renewal,
            actor=User.objects.get(username="yincheng_secretary"),
            community=world.yincheng,
            reason="该事项已并入办事指南",
        )
    assert current.title not in site.get("/screen/").content.decode()
    assert "公示期已满" in site.get(f"/disclosures/{current.pk}/").content.decode()


def test_a_confirmed_item_shows_its_new_end_on_the_screen_and_the_portal(world, client_for):
    today = timezone.localdate()
    with tenant_context(world.yincheng):
        renewal = renewal_opened(world, published_on=today - timedelta(days=360), on=today)
        current = renewal.renews
        assert current is not None
        before = client_for("yincheng").get("/screen/state.json").json()["fingerprint"]
        extension = services.fixed_item_confirm_unchanged(
            obligation=renewal,
            actor=User.objects.get(username="yincheng_director"),
            community=world.yincheng,
            note="核对无变化",
        )
    site = client_for("yincheng")
    assert site.get("/screen/state.json").json()["fingerprint"] != before
    end = extension.display_until
    # the screen writes the year when the end falls in another year than today's
    assert f"公示至 {zh_date(end, year=end.year != today.year)}" in site.get("/screen/").content.decode()
    assert f"{end.year}年{end.month}月{end.day}日" in site.get(f"/disclosures/{current.pk}/").content.decode()
