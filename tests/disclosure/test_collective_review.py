"""000 第七条(二) 集体审核: a draft is approved when enough of the supervision group agree (a majority by
default, or the number the street office sets), and nobody reviews — or signs as one of the heads —
what they wrote, whatever roles they hold. Each rule through the service, and through what the pages
and 待我办理 offer (``disclosure.progress.allowed_steps``)."""

from __future__ import annotations

import importlib
import re
from datetime import date

import pytest
from django.apps import apps
from django.utils import timezone

from disclosure import services
from disclosure.choices import DisclosureStatus, ReviewDecision
from disclosure.models import Disclosure, LedgerEntry
from disclosure.progress import allowed_steps, tracker
from tenants import services as tenant_services
from tenants.choices import CommunityRole
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import User
from tests.conftest import login
from tests.factories import SIGNERS, UserFactory, draft, here, published, submitted

pytestmark = pytest.mark.django_db

S = DisclosureStatus


def member(world, username: str, *roles: str) -> User:
    """A person of 银城 holding ``roles`` (several at once, as small communities have)."""
    user = UserFactory.create(username=username)
    for role in roles:
        tenant_services.membership_grant(user=user, community=world.yincheng, role=role)
    return user


def supervisors(world, count: int) -> list[User]:
    """银城's supervision group grown to ``count`` members (the world has one)."""
    extra = [member(world, f"yincheng_supervisor{n}", CommunityRole.SUPERVISOR) for n in range(2, count + 1)]
    return [world.user("yincheng_supervisor"), *extra]


def review(
    d: Disclosure, who: User, decision: str = ReviewDecision.APPROVE, comments: str = ""
) -> Disclosure:
    return services.disclosure_review(
        community=here(), disclosure=d, actor=who, decision=decision, comments=comments
    )


def submit(d: Disclosure, who: User) -> Disclosure:
    return services.disclosure_submit(
        community=here(),
        disclosure=d,
        actor=who,
        planned_publish_date=date(2026, 6, 8),
        today=date(2026, 6, 1),
    )


def set_quorum(world, approvals: int | None) -> None:
    tenant_services.street_office_review_quorum_set(
        street_office=world.yinzhou, approvals=approvals, actor=world.user("yinzhou_admin")
    )
    world.yincheng.street_office.refresh_from_db()


def offered(d: Disclosure, user: User):  # type: ignore[no-untyped-def]
    d = Disclosure.objects.get(pk=d.pk)
    roles = set(user.memberships.filter(community=here()).values_list("role", flat=True))
    return allowed_steps(d, user=user, roles=roles, today=timezone.localdate())


# --- how many must agree --------------------------------------------------------------------------------


def test_by_default_a_majority_of_the_group_must_agree_and_the_tracker_counts_them(world, in_yincheng):
    first, second, third = supervisors(world, 3)
    d = submitted(world)
    assert d.reviews_needed == 2  # ⌊3/2⌋ + 1

    d = review(d, second)
    assert d.status == S.SUBMITTED
    review_stage = tracker(d, today=timezone.localdate())[1]
    assert "已有 1/2 名审核人同意" in review_stage.lines
    assert second.get_full_name() not in review_stage.lines[-1]  # 等待审核: the two who have not

    d = review(d, third)
    assert d.status == S.APPROVED
    assert "已有 2/2 名审核人同意" in tracker(d, today=timezone.localdate())[1].lines
    assert not offered(d, first).review  # approved: nothing left for the third member


def test_a_majority_of_two_is_both_and_of_four_is_three(world, in_yincheng):
    supervisors(world, 2)
    assert submitted(world).reviews_needed == 2
    for n in (3, 4):
        member(world, f"yincheng_supervisor{n}", CommunityRole.SUPERVISOR)
    assert submitted(world, title="第二份").reviews_needed == 3


def test_the_street_office_fixes_the_number_and_a_draft_keeps_the_number_it_was_sent_with(world, in_yincheng):
    first, second, third = supervisors(world, 3)
    set_quorum(world, 1)
    d = submitted(world)
    assert d.reviews_needed == 1
    set_quorum(world, 3)
    assert review(d, first).status == S.APPROVED  # sent when one sufficed

    d = submitted(world, title="第二份")
    assert d.reviews_needed == 3
    d = review(review(d, first), second)
    assert d.status == S.SUBMITTED
    assert review(d, third).status == S.APPROVED


def test_a_number_larger_than_the_group_means_every_member(world, in_yincheng):
    supervisors(world, 2)
    set_quorum(world, 5)
    assert submitted(world).reviews_needed == 2


def test_only_the_street_offices_admin_sets_the_number_within_bounds(world):
    with pytest.raises(NotAllowed, match="只有本街道的管理员"):
        tenant_services.street_office_review_quorum_set(
            street_office=world.yinzhou, approvals=2, actor=world.user("yinzhou_leader")
        )
    with pytest.raises(NotAllowed):  # another street office's admin
        tenant_services.street_office_review_quorum_set(
            street_office=world.yinzhou, approvals=2, actor=world.user("dongguan_admin")
        )
    with pytest.raises(InvalidInput, match="1 到 15"):
        tenant_services.street_office_review_quorum_set(
            street_office=world.yinzhou, approvals=0, actor=world.user("yinzhou_admin")
        )


def test_each_reviewer_agrees_once_a_round(world, in_yincheng):
    first, second = supervisors(world, 2)
    d = review(submitted(world), first)
    assert not offered(d, first).review and offered(d, second).review
    with pytest.raises(NotAllowed, match="已经同意过"):
        review(d, first)
    assert Disclosure.objects.get(pk=d.pk).status == S.SUBMITTED


def test_one_return_sends_it_back_and_a_resubmission_starts_counting_again(world, in_yincheng):
    first, second, _ = supervisors(world, 3)
    handler = world.user("yincheng_handler")
    d = review(submitted(world), first)
    d = review(d, second, ReviewDecision.RETURN, "第三笔支出的凭证号与第二笔相同")
    assert d.status == S.RETURNED

    d = submit(d, handler)  # sent again unchanged: a new round, the earlier approval does not carry over
    assert d.review_round == 2 and services.round_approvals(d) == []
    assert offered(d, first).review
    d = review(review(d, first), second)
    assert d.status == S.APPROVED
    entry = LedgerEntry.objects.filter(action="opinion").order_by("-seq").first()
    assert entry is not None and entry.payload["approvals"] == 2 and entry.payload["review_round"] == 2


# --- nobody reviews what they wrote -------------------------------------------------------------------


def test_a_drafter_who_is_also_in_the_supervision_group_never_reviews_their_draft(
    world, in_yincheng, client_for
):
    both = member(world, "yincheng_both", CommunityRole.HANDLER, CommunityRole.SUPERVISOR)
    d = submit(draft(world, drafter="both", title="本人起草的公告"), both)
    # not assigned, and the majority is of the group (2 members) but only one may review: that one
    assert not both.has_perm("disclosure.review_disclosure", d)
    assert d.reviews_needed == 1
    assert not offered(d, both).review
    assert offered(d, world.user("yincheng_supervisor")).review
    with pytest.raises(NotAllowed, match="不能审核自己起草的内容"):
        review(d, both)

    client = client_for("yincheng")
    login(client, "yincheng_both")
    page = client.get(f"/workspace/disclosures/{d.pk}/").content.decode()
    assert "核对内容并审核" not in page
    assert "去审核" not in client.get("/workspace/").content.decode()
    refused = client.post(f"/workspace/disclosures/{d.pk}/review/", {"decision": "approve"})
    assert refused.status_code == 403 and "不能审核自己起草的内容" in refused.content.decode()
    assert Disclosure.objects.get(pk=d.pk).status == S.SUBMITTED


def test_the_grant_of_an_earlier_round_does_not_let_a_later_author_review(world, in_yincheng):
    """A member of the group who was assigned in round one and then wrote part of the draft (here: an
    ordered re-publication, which every handler may change) may not review it in round two."""
    both = member(world, "yincheng_both", CommunityRole.HANDLER, CommunityRole.SUPERVISOR)
    d = submit(draft(world, title="别人起草的"), world.user("yincheng_handler"))
    assert both.has_perm("disclosure.review_disclosure", d)
    d.authors = [*d.authors, both.pk]  # as an edit by ``both`` would record
    d.save(update_fields=["authors"])
    with pytest.raises(NotAllowed, match="不能审核自己起草的内容"):
        review(d, both)


def test_a_group_made_only_of_the_drafter_cannot_review_and_says_so(world, in_yincheng):
    world.user("yincheng_supervisor").memberships.filter(role=CommunityRole.SUPERVISOR).delete()
    both = member(world, "yincheng_both", CommunityRole.HANDLER, CommunityRole.SUPERVISOR)
    d = draft(world, drafter="both")
    with pytest.raises(Conflict, match="没有人可以审核"):
        submit(d, both)
    assert Disclosure.objects.get(pk=d.pk).status == S.DRAFT


def test_whoever_edits_a_draft_or_its_files_becomes_one_of_its_authors(world, in_yincheng):
    """An ordered re-publication starts as a copy: the supervision member who ordered it wrote none of
    it and reviews it; the handler who changes it is its author."""
    old = published(world)
    order = services.disclosure_order_republication(
        community=in_yincheng, disclosure=old, actor=world.user("yincheng_supervisor"), finding="漏报一户"
    )
    assert order.authors == []
    handler = world.user("yincheng_handler")
    order = services.disclosure_update(
        disclosure=order,
        actor=handler,
        title=order.title,
        category=order.category,
        content_type=order.content_type,
        audience=order.audience,
        body="<p>补上漏报的一户。</p>",
    )
    assert order.authors == [handler.pk]
    order = submit(order, handler)
    assert review(order, world.user("yincheng_supervisor")).status == S.APPROVED


# --- nobody signs as a head what they wrote -----------------------------------------------------------------


def test_a_drafter_who_is_also_secretary_signs_only_as_handler(world, in_yincheng, client_for):
    both = member(world, "yincheng_both", CommunityRole.HANDLER, CommunityRole.SECRETARY)
    d = submit(draft(world, drafter="both", title="兼任书记起草的公告"), both)
    d = review(d, world.user("yincheng_supervisor"))
    assert offered(d, both).sign_roles == ("handler",)
    with pytest.raises(NotAllowed, match="不能以党组织书记的身份签字确认自己起草的内容"):
        services.disclosure_sign(community=in_yincheng, disclosure=d, actor=both, role="secretary")

    client = client_for("yincheng")
    login(client, "yincheng_both")
    page = client.get(f"/workspace/disclosures/{d.pk}/confirm/sign/").content.decode()
    assert 'value="handler"' in page and 'value="secretary"' not in page
    assert "以党组织书记身份签字" not in client.get("/workspace/").content.decode()
    refused = client.post(f"/workspace/disclosures/{d.pk}/sign/", {"role": "secretary"})
    assert refused.status_code == 403 and "自己起草的内容" in refused.content.decode()

    services.disclosure_sign(community=in_yincheng, disclosure=d, actor=both, role="handler")
    for role in SIGNERS:
        if role != "handler":  # the other secretary and the director sign as heads
            services.disclosure_sign(
                community=in_yincheng, disclosure=d, actor=world.user(f"yincheng_{role}"), role=role
            )
    assert set(services.valid_signatures(d)) == set(SIGNERS)


# --- the street office's setting, on its settings page ----------------------------------------------------


def test_the_admin_sets_the_number_on_the_street_office_settings_page(world, client_for):
    admin = client_for(None)
    login(admin, "yinzhou_admin")
    page = admin.get("/accounts/two-factor/").content.decode()
    assert "银州镇办事处的公开内容审核" in page and "审核通过须社区监督小组成员过半数同意" in page

    typed = {"action": "quorum", "street_office": world.yinzhou.pk, "rule": "fixed", "approvals": ""}
    refused = admin.post("/accounts/two-factor/", typed)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "选了“固定人数”,请填写同意人数。" in page
    assert f'href="#quorum-{world.yinzhou.pk}-approvals"' in page  # the summary links to the box
    assert re.search(r'<input type="radio" name="rule" value="fixed"[^>]*checked', page)  # kept as chosen

    saved = admin.post("/accounts/two-factor/", {**typed, "approvals": "2"}, follow=True)
    assert "审核通过须 2 名社区监督小组成员同意" in saved.content.decode()
    world.yinzhou.refresh_from_db()
    assert world.yinzhou.review_approvals_needed == 2
    world.dongguan.refresh_from_db()
    assert world.dongguan.review_approvals_needed is None  # another street office keeps its own

    admin.post("/accounts/two-factor/", {**typed, "rule": "majority"})
    world.yinzhou.refresh_from_db()
    assert world.yinzhou.review_approvals_needed is None


def test_the_review_page_says_how_many_have_agreed(world, in_yincheng, client_for):
    first, *_ = supervisors(world, 3)
    d = review(submitted(world, title="三人监督小组审核的公告"), first)
    client = client_for("yincheng")
    login(client, "yincheng_supervisor2")
    for path in (f"/workspace/disclosures/{d.pk}/", f"/workspace/disclosures/{d.pk}/confirm/review/"):
        assert "已有 1/2 名审核人同意" in client.get(path).content.decode(), path


def test_the_migration_makes_each_version_in_progress_its_creators_except_an_ordered_copy(world, in_yincheng):
    """Versions written before authors were recorded: the creator wrote what is still in the five
    steps; an ordered re-publication is a copy nobody has written yet; what was published is sealed."""
    done = published(world, title="早已公布的")
    order = services.disclosure_order_republication(
        community=in_yincheng, disclosure=done, actor=world.user("yincheng_supervisor"), finding="漏报一户"
    )
    d = draft(world, title="还在起草的")
    Disclosure.objects.filter(pk__in=[d.pk, order.pk]).update(authors=[])

    importlib.import_module("disclosure.migrations.0009_collective_review").authors_from_creators(apps, None)

    assert Disclosure.objects.get(pk=d.pk).authors == [world.user("yincheng_handler").pk]
    assert Disclosure.objects.get(pk=order.pk).authors == []
