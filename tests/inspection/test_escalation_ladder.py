"""The escalation ladder (000 第十九条 责令整改 → 诫勉谈话 → 纪律处分): each step's rule — who may take it,
what it changes, when it is due — and that the district API names the step reached."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from inspection import selectors, services
from inspection.choices import EscalationStep, RectificationStatus
from inspection.models import Rectification
from inspection.vetoes import VETO_KINDS
from tenants.audit import audit_entries
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import StreetOfficeMembership, User
from tests.factories import PDF, PNG

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def _leader_in_charge(world) -> User:  # type: ignore[no-untyped-def]
    leader = world.user("yinzhou_leader")
    StreetOfficeMembership.objects.get(user=leader, role="leader").communities_in_charge.add(world.yincheng)
    return leader


def _order(world, working_days: int = 5) -> Rectification:  # type: ignore[no-untyped-def]
    return services.rectification_issue(
        community=world.yincheng,
        source="manual",
        issues="财务只公布总数",
        actor=world.user("yinzhou_inspector"),
        working_days=working_days,
        today=TODAY,
    )


def _escalated(world) -> Rectification:  # type: ignore[no-untyped-def]
    order = _order(world, working_days=1)
    services.rectifications_escalate(on=date(2026, 11, 25))
    order.refresh_from_db()
    return order


def _talk(world, order: Rectification, who: str = "yinzhou_leader", **changes):  # type: ignore[no-untyped-def]
    fields = {
        "person_name": "王书记",
        "role": "社区党组织书记",
        "held_on": date(2026, 11, 26),
        "place": "街道党工委会议室",
        "spoken_by": "李主任",
        "attendees": "张检查员",
        "notes": "逾期未公开财务明细,限期改正。",
        "minutes": SimpleUploadedFile("记录.pdf", PDF),
        "today": date(2026, 11, 27),
    }
    return services.admonishment_record(rectification=order, actor=world.user(who), **{**fields, **changes})


def _step(order: Rectification) -> str:
    found = selectors.rectifications_with_step(Rectification.objects.filter(pk=order.pk)).get()
    return str(found.escalation_step)  # type: ignore[attr-defined]  # annotated by the selector


def test_the_answer_carries_photos_pdfs_and_the_republished_items(world):
    order = _order(world)
    with pytest.raises(InvalidInput, match="不是本社区已公布的内容"):
        services.rectification_answer(
            rectification=order, actor=world.user("yincheng_handler"), answer="已改", links=[999999]
        )
    with pytest.raises(InvalidInput, match="佐证材料只能是"):
        services.rectification_answer(
            rectification=order,
            actor=world.user("yincheng_handler"),
            answer="已改",
            files=[SimpleUploadedFile("a.txt", b"hello")],
        )
    published = selectors.complaint_items(community=world.yincheng, on=timezone.localdate()).first()
    links = [published.disclosure_id] if published else []
    order = services.rectification_answer(
        rectification=order,
        actor=world.user("yincheng_handler"),
        answer="已逐笔公开",
        files=[SimpleUploadedFile("公示栏.png", PNG), SimpleUploadedFile("明细.pdf", PDF)],
        links=links,
    )
    assert order.status == RectificationStatus.ANSWERED
    assert [f.original_name for f in order.files.all()] == ["公示栏.png", "明细.pdf"]
    assert [f.mime_type for f in order.files.all()] == ["image/png", "application/pdf"]
    assert [link["id"] for link in order.evidence_links] == links
    assert "附件 2 个" in order.events.last().note  # type: ignore[union-attr]


def test_an_order_reopened_twice_goes_to_the_leader_in_charge(world):
    leader = _leader_in_charge(world)
    order = _order(world)
    inspector = world.user("yinzhou_inspector")
    for n in (1, 2):
        services.rectification_answer(
            rectification=order, actor=world.user("yincheng_handler"), answer="已改"
        )
        order = services.rectification_verify(
            rectification=order, actor=inspector, accept=False, note="仍缺明细"
        )
        assert order.reopen_count == n
    assert order.status == RectificationStatus.ESCALATED
    assert order.escalated_to == leader and order.escalated_at is not None
    assert "退回 2 次" in order.events.last().note  # type: ignore[union-attr]
    assert _step(order) == EscalationStep.ESCALATED
    # the leader is told; the leader's worklist has it
    assert list(selectors.rectifications_escalated_to(leader)) == [order]


def test_the_daily_task_sends_an_overdue_order_to_the_leader_in_charge(
    world, django_capture_on_commit_callbacks
):
    leader = _leader_in_charge(world)
    leader.email = "leader@example.org"
    leader.save()
    order = _order(world, working_days=1)
    assert services.rectifications_escalate(on=date(2026, 11, 24)) == []  # on its deadline: not yet
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert [o.pk for o in services.rectifications_escalate(on=date(2026, 11, 25))] == [order.pk]
    order.refresh_from_db()
    assert order.escalated_to == leader
    assert [m.to for m in mail.outbox] == [["leader@example.org"]]
    assert services.rectifications_escalate(on=date(2026, 11, 26)) == []  # once


def test_only_the_leader_or_admin_records_a_talk_after_an_escalation(world):
    order = _order(world)
    with pytest.raises(Conflict, match="上报街道领导之后"):
        _talk(world, order)
    order = _escalated(world)
    with pytest.raises(NotAllowed, match="街道领导或管理员"):
        _talk(world, order, who="yinzhou_inspector")
    with pytest.raises(NotAllowed):
        _talk(world, order, who="dongguan_leader")
    with pytest.raises(InvalidInput, match="不能晚于今天"):
        _talk(world, order, held_on=date(2026, 11, 28))
    with pytest.raises(InvalidInput, match="扫描件"):
        _talk(world, order, minutes=None)
    with pytest.raises(InvalidInput, match="谈话地点"):
        _talk(world, order, place=" ")
    talk = _talk(world, order, who="yinzhou_admin")
    assert (talk.place, talk.spoken_by, talk.attendees) == ("街道党工委会议室", "李主任", "张检查员")
    assert talk.minutes.name and talk.recorded_by == world.user("yinzhou_admin")
    assert _step(order) == EscalationStep.ADMONISHED
    assert audit_entries(order).last().to_state == EscalationStep.ADMONISHED  # type: ignore[union-attr]


def test_a_criticism_follows_a_talk_and_reaches_the_portals_only_if_the_street_office_chooses(world):
    order = _escalated(world)
    with pytest.raises(Conflict, match="诫勉谈话之后"):
        services.criticism_publish(rectification=order, actor=world.user("yinzhou_leader"), text="通报")
    _talk(world, order)
    with pytest.raises(NotAllowed, match="街道领导"):
        services.criticism_publish(rectification=order, actor=world.user("yinzhou_admin"), text="通报")
    with pytest.raises(InvalidInput):
        services.criticism_publish(rectification=order, actor=world.user("yinzhou_leader"), text=" ")
    order = services.criticism_publish(
        rectification=order, actor=world.user("yinzhou_leader"), text="银城社区逾期未整改,予以通报批评。"
    )
    assert order.criticized_by == world.user("yinzhou_leader") and not order.criticism_public
    assert _step(order) == EscalationStep.CRITICIZED
    # every community's staff of the street office sees it; the public site does not (not chosen)
    assert order in selectors.criticisms_for_staff(street_office_id=world.yinzhou.pk)
    assert order not in selectors.criticisms_for_staff(street_office_id=world.dongguan.pk)
    assert order not in selectors.criticisms_published()
    with pytest.raises(Conflict, match="已经通报"):
        services.criticism_publish(rectification=order, actor=world.user("yinzhou_leader"), text="再通报")


def test_a_chosen_public_criticism_is_on_the_public_pages_and_counts_as_a_veto(world, client_for):
    world.yinzhou.criticisms_public = True
    world.yinzhou.save()
    order = _escalated(world)
    _talk(world, order)
    order = services.criticism_publish(rectification=order, actor=world.user("yinzhou_leader"), text="通报")
    assert order.criticism_public and order in selectors.criticisms_published()
    home = client_for(None).get("/").content.decode()
    assert "银城" in home and "通报" in home and "目前没有通报批评" not in home
    year = timezone.localdate().year
    assert VETO_KINDS["criticism"].find(world.yincheng, year) != []


def test_a_referral_follows_a_criticism_and_is_recorded_once(world):
    order = _escalated(world)
    _talk(world, order)
    refer: dict[str, Any] = {
        "referred_to": "街道纪工委",
        "referred_on": date(2026, 11, 27),
        "today": date(2026, 11, 27),
    }
    with pytest.raises(Conflict, match="通报批评之后"):
        services.referral_record(rectification=order, actor=world.user("yinzhou_leader"), **refer)
    services.criticism_publish(rectification=order, actor=world.user("yinzhou_leader"), text="通报")
    with pytest.raises(NotAllowed, match="街道领导"):
        services.referral_record(rectification=order, actor=world.user("yinzhou_inspector"), **refer)
    with pytest.raises(InvalidInput, match="移送给"):
        services.referral_record(
            rectification=order, actor=world.user("yinzhou_leader"), **{**refer, "referred_to": ""}
        )
    order = services.referral_record(
        rectification=order, actor=world.user("yinzhou_leader"), note="建议给予党内警告", **refer
    )
    assert (order.referred_to, order.referred_on) == ("街道纪工委", date(2026, 11, 27))
    assert _step(order) == EscalationStep.REFERRED
    with pytest.raises(Conflict):
        services.referral_record(rectification=order, actor=world.user("yinzhou_leader"), **refer)
    assert [e.to_state for e in audit_entries(order)][-3:] == ["admonished", "criticized", "referred"]


def test_the_district_api_names_each_new_step(world):
    from api import services as api_services
    from tests.api.support import api

    _, key = api_services.apiclient_create(name="示范县纪委", district=world.yinzhou.district)

    def row() -> dict[str, Any]:
        answer = api(key).get("/api/v1/rectifications/?community=yincheng")
        assert answer.status_code == 200, answer.content
        return dict(answer.json()["results"][0])

    order = _escalated(world)
    assert row()["escalation_step"] == "escalated"
    _talk(world, order)
    services.criticism_publish(rectification=order, actor=world.user("yinzhou_leader"), text="通报")
    assert row()["escalation_step"] == "criticized" and row()["criticized_at"]
    services.referral_record(
        rectification=order,
        actor=world.user("yinzhou_leader"),
        referred_to="街道纪工委",
        referred_on=date(2026, 11, 27),
        today=date(2026, 11, 27),
    )
    got = row()
    assert (got["escalation_step"], got["referred_to"], got["referred_on"]) == (
        "referred",
        "街道纪工委",
        "2026-11-27",
    )
    listed = api(key).get("/api/v1/rectifications/?escalation_step=referred").json()["results"]
    assert [r["id"] for r in listed] == [order.pk]
