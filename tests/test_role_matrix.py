"""Every cell of the role × action table (config/access.py), allowed and refused.

Actions run through the real services as each role's user, each inside a savepoint that is rolled
back, so every cell starts from the same state: an allowed cell must go through, a refused one must
raise ``NotAllowed``; an "own" cell must go through on the person's own object and be refused on
someone else's. The district client and the anonymous resident have no user: their cells are asked
over HTTP, and must end at the login page (or 401/403). Pages, API resources and exports are opened
over HTTP by a client signed in as each role on its own site.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django.utils.functional import Promise
from django_tenants.utils import tenant_context

from api import services as api_services
from communities import services as community_services
from communities.permissions import PROFILE_REFUSED
from config.access import ACTIONS, ROLES, Cell, Kind, Site, action, covers, render_markdown
from disclosure import permissions as disclosure_permissions
from disclosure import services as engine
from disclosure.choices import Category, ContentType, ReimbursementSigner
from disclosure.feedback import opinions
from disclosure.feedback import permissions as feedback_permissions
from disclosure.feedback import services as feedback_services
from disclosure.feedback.choices import Finding
from disclosure.feedback.models import Feedback, Opinion
from disclosure.models import Disclosure
from disclosure.permissions import Action as Step
from disclosure.rules import REIMBURSEMENT_SIGNER_ROLES
from disclosure.services import pushes
from disclosure.views import steps
from finder import services as finder_services
from finder.permissions import SYNONYM_REFUSED
from inspection import permissions as inspection_permissions
from inspection import services as inspection
from inspection.models import Admonishment, Assessment, Complaint, Rectification, RectificationFile, SpotCheck
from inspection.services.accountability_rules import RULES_REFUSED
from tenants import services as tenant_services
from tenants.errors import NotAllowed
from tenants.models import User
from tests.conftest import host
from tests.factories import BY_LOGIN, PASSWORD, PDF, here, renewal_opened
from tests.planted import TZ, Planted, marked_pdf, plant, reimbursed_statement
from tests.urlcrawl import CONFS, patterns
from workdays.periods import Period, Span

pytestmark = pytest.mark.django_db

A = "yincheng"
ROLE = {r.key: r for r in ROLES}
USER_ROLES = [r.key for r in ROLES if r.kind in (Kind.COMMUNITY, Kind.STREET_OFFICE)]


def username(role: str) -> str:
    return f"{A}_{role}" if ROLE[role].kind == Kind.COMMUNITY else f"yinzhou_{role}"


def u(name: str) -> User:
    return User.objects.get(username=name)


class Done(Exception):
    """Raised to roll a cell's savepoint back after it ran."""


@contextmanager
def rolled_back() -> Iterator[None]:
    try:
        with transaction.atomic():
            yield
            raise Done
    except Done:
        pass


# --- building blocks: objects in a given state, made through the services ------------------------------


def today() -> Any:
    return timezone.localdate()


def drafted(by: str, **fields: Any) -> Disclosure:
    return engine.disclosure_create(
        community=here(),
        actor=u(f"{A}_{by}"),
        title=fields.pop("title", "矩阵测试草稿"),
        category=Category.AFFAIRS,
        **fields,
    )


def submitted(by: str = "handler", *, published_on: Any = None) -> Disclosure:
    on = published_on or today() + timedelta(days=30)
    d = drafted(by)
    return engine.disclosure_submit(
        community=here(),
        disclosure=d,
        actor=u(f"{A}_{by}"),
        planned_publish_date=on,
        today=on - timedelta(days=14),
    )


def approved(*, published_on: Any = None) -> Disclosure:
    d = submitted(published_on=published_on)
    return engine.disclosure_review(
        community=here(), disclosure=d, actor=u(f"{A}_supervisor"), decision="approve"
    )


def signed(*, published_on: Any = None) -> Disclosure:
    d = approved(published_on=published_on)
    for role in ("secretary", "director", "handler"):
        engine.disclosure_sign(community=here(), disclosure=d, actor=u(f"{A}_{role}"), role=role)
    return d


def published_long_ago() -> Disclosure:
    on = today() - timedelta(days=60)
    d = signed(published_on=on)
    return engine.disclosure_publish(
        community=here(),
        disclosure=d,
        actor=u(f"{A}_handler"),
        channels=["board"],
        now=datetime(on.year, on.month, on.day, 9, tzinfo=TZ),
    )


def other_drafter(actor: User) -> str:
    """Someone else who drafts: the handler, or the director when the actor is the handler."""
    return "director" if actor.username == f"{A}_handler" else "handler"


def renewal_due() -> Any:
    """A fixed item published 360 days ago, whose renewal is open: its display ends in five days."""
    return renewal_opened(BY_LOGIN, published_on=today() - timedelta(days=360), on=today())


def own_or_other_draft(actor: User, own: bool) -> Disclosure:
    return drafted(actor.username.removeprefix(f"{A}_")) if own else drafted(other_drafter(actor))


def full_scores(assessment: Assessment) -> dict[str, Decimal]:
    return {i.code: i.max_score for i in assessment.template.items.all()}


def assessment_submitted(ctx: Planted, inspector: User) -> Assessment:
    a = inspection.assessment_open(
        community=ctx.community,
        period="矩阵测试期",
        template=inspection.template_for(street_office=ctx.community.street_office),
        inspector=inspector,
        actor=inspector,
    )
    return inspection.assessment_self_assess(
        assessment=a,
        actor=u(f"{A}_secretary"),
        scores=full_scores(a),
        report=SimpleUploadedFile("自查报告.pdf", PDF),
    )


# a period nothing else draws for: each period is drawn once
DRAW_PERIOD = "2100-01"


def planned_check(ctx: Planted, inspector: User) -> SpotCheck:
    draw = inspection.spot_check_draw(
        street_office=ctx.community.street_office,
        period=DRAW_PERIOD,
        sample_size=1,
        actor=inspector,
        inspector=inspector,
    )
    return SpotCheck.objects.get(draw=draw)


def _redraw(ctx: Planted, actor: User, own: bool) -> object:
    first = planned_check(ctx, u("yinzhou_inspector")).draw
    return inspection.spot_check_redraw(draw=first, actor=actor, reason="检查员临时生病", sample_size=1)


# --- one probe per action: do it as ``actor``; ``own`` picks the actor's own object for "own" cells ------

Probe = Callable[[Planted, User, bool], object]


def _in_a(fn: Probe) -> Probe:
    def run(ctx: Planted, actor: User, own: bool) -> object:
        with tenant_context(ctx.community):
            return fn(ctx, actor, own)

    return run


def _edit(ctx: Planted, actor: User, own: bool) -> object:
    d = own_or_other_draft(actor, own)
    return engine.disclosure_update(
        disclosure=d,
        actor=actor,
        title="改过的标题",
        category=d.category,
        content_type=d.content_type,
        audience=d.audience,
    )


def _attach(ctx: Planted, actor: User, own: bool) -> object:
    d = own_or_other_draft(actor, own)
    return engine.attachment_add(
        disclosure=d, actor=actor, upload=SimpleUploadedFile("a.pdf", marked_pdf("m"))
    )


def _remove(ctx: Planted, actor: User, own: bool) -> object:
    d = own_or_other_draft(actor, own)
    assert d.created_by is not None
    attachment = engine.attachment_add(
        disclosure=d, actor=d.created_by, upload=SimpleUploadedFile("a.pdf", marked_pdf("m"))
    )
    return engine.attachment_remove(attachment=attachment, actor=actor)


def _withdraw(ctx: Planted, actor: User, own: bool) -> object:
    by = actor.username.removeprefix(f"{A}_") if own else other_drafter(actor)
    return engine.disclosure_withdraw(disclosure=submitted(by), actor=actor, reason="要修改")


def _sign(ctx: Planted, actor: User, own: bool) -> object:
    role = actor.username.split("_", 1)[1]
    claimed = role if role in ("secretary", "director", "handler") else "handler"
    return engine.disclosure_sign(community=ctx.community, disclosure=approved(), actor=actor, role=claimed)


def statement_drafted(by: str) -> Disclosure:
    """A finance statement whose second line is a reimbursement, drafted by ``by``, with its receipt."""
    d = drafted(by, content_type=ContentType.FINANCE, data=reimbursed_statement())
    engine.receipts_add(
        disclosure=d,
        actor=u(f"{A}_{by}"),
        line_id=d.data["lines"][1]["id"],
        uploads=[SimpleUploadedFile("单据.pdf", marked_pdf("m"))],
    )
    return Disclosure.objects.get(pk=d.pk)


def _receipts(ctx: Planted, actor: User, own: bool) -> object:
    by = actor.username.removeprefix(f"{A}_") if own else other_drafter(actor)
    d = drafted(by, content_type=ContentType.FINANCE, data=reimbursed_statement())
    return engine.receipts_add(
        disclosure=d,
        actor=actor,
        line_id=d.data["lines"][1]["id"],
        uploads=[SimpleUploadedFile("单据.pdf", marked_pdf("m"))],
    )


# the capacity each community role signs a reimbursement in (anyone else claims the party branch's)
SIGNS_AS = {community_role: signer for signer, community_role in REIMBURSEMENT_SIGNER_ROLES.items()}


def _sign_reimbursement(ctx: Planted, actor: User, own: bool) -> object:
    d = statement_drafted("handler")
    role = SIGNS_AS.get(actor.username.removeprefix(f"{A}_"), ReimbursementSigner.PARTY_BRANCH)
    key = d.data["lines"][1]["id"]
    return engine.reimbursement_sign(disclosure=d, actor=actor, community=ctx.community, key=key, role=role)


def _leader_sign(ctx: Planted, actor: User, own: bool) -> object:
    d = statement_drafted("handler")
    return engine.reimbursement_sign(
        disclosure=d,
        actor=actor,
        community=ctx.community,
        key=d.data["lines"][1]["id"],
        role=ReimbursementSigner.STREET_LEADER,
    )


def _publish(ctx: Planted, actor: User, own: bool) -> object:
    return engine.disclosure_publish(
        community=ctx.community, disclosure=signed(published_on=today()), actor=actor, channels=["board"]
    )


def _feedback(ctx: Planted) -> Feedback:
    return Feedback.objects.get(pk=ctx.feedback_pk)


def _self_assess(ctx: Planted, actor: User, own: bool) -> object:
    return inspection.assessment_self_assess(
        assessment=ctx.assessment,
        actor=actor,
        scores=full_scores(ctx.assessment),
        report=SimpleUploadedFile("自查报告.pdf", PDF),
    )


def _record(ctx: Planted, actor: User, own: bool) -> object:
    other = "leader" if actor.username == "yinzhou_inspector" else "inspector"
    check = planned_check(ctx, actor if own else u(f"yinzhou_{other}"))
    return inspection.spot_check_record(
        spot_check=check,
        actor=actor,
        visited_at=timezone.now(),
        checklist={name: True for name in inspection.CHECKLIST},
    )


def _verify(ctx: Planted, actor: User, own: bool) -> object:
    order = inspection.rectification_answer(
        rectification=ctx.rectification, actor=u(f"{A}_secretary"), answer="已整改"
    )
    return inspection.rectification_verify(rectification=order, actor=actor, accept=True)


def _order_at(ctx: Planted, step: str) -> Rectification:
    """The planted order escalated, and further up the ladder as far as ``step`` needs."""
    now = timezone.now()
    Rectification.objects.filter(pk=ctx.rectification.pk).update(status="escalated", escalated_at=now)
    if step in ("criticize", "refer"):
        Admonishment.objects.create(
            rectification=ctx.rectification, person_name="张书记", role="书记", held_on=timezone.localdate()
        )
    if step == "refer":
        Rectification.objects.filter(pk=ctx.rectification.pk).update(criticized_at=now, criticism="矩阵测试")
    return Rectification.objects.get(pk=ctx.rectification.pk)


def _admonish(ctx: Planted, actor: User, own: bool) -> object:
    return inspection.admonishment_record(
        rectification=_order_at(ctx, "admonish"),
        actor=actor,
        person_name="张书记",
        role="书记",
        held_on=timezone.localdate(),
        place="会议室",
        spoken_by="李主任",
        attendees="",
        notes="矩阵测试",
        minutes=SimpleUploadedFile("记录.pdf", PDF),
    )


def _ladder_files(c: Planted) -> tuple[int, int]:
    """An evidence file and a talk's signed minutes on the planted order, made once."""
    order = c.rectification
    evidence = order.files.first() or RectificationFile.objects.create(
        rectification=order,
        file=ContentFile(PDF, name="evidence.pdf"),
        original_name="佐证.pdf",
        mime_type="application/pdf",
        sha256="0" * 64,
        uploaded_by=u(f"{A}_handler"),
    )
    talk = order.admonishments.exclude(minutes="").first() or Admonishment.objects.create(
        rectification=order,
        person_name="张书记",
        role="书记",
        held_on=timezone.localdate(),
        minutes=ContentFile(PDF, name="minutes.pdf"),
    )
    return evidence.pk, talk.pk


def _score(ctx: Planted, actor: User, own: bool) -> object:
    other = "leader" if actor.username == "yinzhou_inspector" else "inspector"
    assessment = assessment_submitted(ctx, actor if own else u(f"yinzhou_{other}"))
    return inspection.assessment_score(assessment=assessment, actor=actor, scores=full_scores(assessment))


def _approve(ctx: Planted, actor: User, own: bool) -> object:
    inspector = u("yinzhou_inspector")
    assessment = assessment_submitted(ctx, inspector)
    inspection.assessment_score(assessment=assessment, actor=inspector, scores=full_scores(assessment))
    return inspection.assessment_approve(assessment=assessment, actor=actor)


# a quarter nobody generates a briefing for
FAR_QUARTER = Period(date(2099, 1, 1), Span.QUARTER)


def _briefing_submitted(ctx: Planted) -> Any:
    return inspection.street_briefing_submit(briefing=ctx.street_briefing_draft, actor=u("yinzhou_inspector"))


def _briefing_approve(ctx: Planted, actor: User, own: bool) -> object:
    return inspection.street_briefing_review(briefing=_briefing_submitted(ctx), actor=actor, approve=True)


def _revise(ctx: Planted, actor: User, own: bool) -> object:
    office = ctx.community.street_office
    rows = [
        {f: getattr(i, f) for f in inspection.SCORING_ITEM_FIELDS}
        for i in inspection.template_for(street_office=office).items.all()
    ]
    return inspection.template_revise(street_office=office, actor=actor, rows=rows)


PROBES: dict[str, Probe] = {
    "disclosure.create": _in_a(
        lambda ctx, a, own: engine.disclosure_create(
            community=ctx.community, actor=a, title="新草稿", category=Category.AFFAIRS
        )
    ),
    "disclosure.edit": _in_a(_edit),
    "disclosure.attach": _in_a(_attach),
    "disclosure.attachment_remove": _in_a(_remove),
    "disclosure.receipts": _in_a(_receipts),
    "disclosure.sign_reimbursement": _in_a(_sign_reimbursement),
    "reimbursement.leader_sign": _in_a(_leader_sign),
    "disclosure.submit": _in_a(
        lambda ctx, a, own: engine.disclosure_submit(
            community=ctx.community,
            disclosure=ctx.draft,
            actor=a,
            planned_publish_date=today() + timedelta(days=30),
        )
    ),
    "disclosure.withdraw": _in_a(_withdraw),
    "disclosure.review": _in_a(
        lambda ctx, a, own: engine.disclosure_review(
            community=here(), disclosure=submitted(), actor=a, decision="approve"
        )
    ),
    "disclosure.sign": _in_a(_sign),
    "disclosure.publish": _in_a(_publish),
    "disclosure.correct": _in_a(
        lambda ctx, a, own: engine.disclosure_start_correction(
            community=ctx.community, disclosure=ctx.published, actor=a, reason="有误"
        )
    ),
    "disclosure.order_republication": _in_a(
        lambda ctx, a, own: engine.disclosure_order_republication(
            community=ctx.community, disclosure=ctx.published, actor=a, finding="漏了一项支出"
        )
    ),
    "disclosure.archive": _in_a(
        lambda ctx, a, own: engine.disclosure_archive(
            community=ctx.community, disclosure=published_long_ago(), actor=a
        )
    ),
    "obligation.waive": _in_a(
        lambda ctx, a, own: engine.obligation_waive(
            community=ctx.community, obligation=ctx.obligation, actor=a, reason="事件取消"
        )
    ),
    "obligation.renew": _in_a(
        lambda ctx, a, own: engine.fixed_item_confirm_unchanged(
            community=ctx.community, obligation=renewal_due(), actor=a, note="核对无变化"
        )
    ),
    "obligation.record_event": _in_a(
        lambda ctx, a, own: engine.event_record(
            community=ctx.community, actor=a, code="SW-10", event_date=today(), description="停水"
        )
    ),
    "pushes.connect": _in_a(
        lambda ctx, a, own: pushes.webhook_add(
            community=ctx.community,
            actor=a,
            name="居民群",
            url=f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={a.username}",
        )
    ),
    "catalogue.add": _in_a(
        lambda ctx, a, own: engine.local_item_add(
            community=ctx.community,
            actor=a,
            code="YC-77",
            title="本社区事项",
            category=Category.AFFAIRS,
            cadence="event",
            content_type="notice",
        )
    ),
    "briefing.generate": _in_a(
        lambda ctx, a, own: inspection.community_briefing_generate(
            community=ctx.community, period=FAR_QUARTER, actor=a
        )
    ),
    "feedback.answer": _in_a(
        lambda ctx, a, own: feedback_services.feedback_answer(
            community=ctx.community, feedback=_feedback(ctx), actor=a, answer="已答复", public=False
        )
    ),
    "feedback.finding": _in_a(
        lambda ctx, a, own: feedback_services.feedback_record_finding(
            community=ctx.community,
            feedback=_feedback(ctx),
            actor=a,
            finding=Finding.SUBSTANTIATED,
            text="查实",
        )
    ),
    "opinion.moderate": _in_a(
        lambda ctx, a, own: opinions.opinion_moderate(
            opinion=Opinion.objects.get(pk=ctx.opinion_pk), actor=a, community=ctx.community, shown=True
        )
    ),
    "rectification.answer": lambda ctx, a, own: inspection.rectification_answer(
        rectification=ctx.rectification, actor=a, answer="已整改"
    ),
    "assessment.self_assess": _self_assess,
    "profile.edit": _in_a(
        lambda ctx, a, own: community_services.profile_update(
            actor=a, community=ctx.community, overview="社区概况"
        )
    ),
    "spot_check.draw": lambda ctx, a, own: inspection.spot_check_draw(
        street_office=ctx.community.street_office, period=DRAW_PERIOD, sample_size=1, actor=a
    ),
    "spot_check.redraw": _redraw,
    "spot_check.record": _record,
    "rectification.issue": lambda ctx, a, own: inspection.rectification_issue(
        community=ctx.community, source="manual", issues="矩阵测试", actor=a
    ),
    "rectification.verify": _verify,
    "rectification.admonish": _admonish,
    "rectification.criticize": lambda ctx, a, own: inspection.criticism_publish(
        rectification=_order_at(ctx, "criticize"), actor=a, text="矩阵测试"
    ),
    "rectification.refer": lambda ctx, a, own: inspection.referral_record(
        rectification=_order_at(ctx, "refer"),
        actor=a,
        referred_to="街道纪工委",
        referred_on=timezone.localdate(),
    ),
    "complaint.investigate": lambda ctx, a, own: inspection.complaint_note_add(
        complaint=Complaint.objects.get(pk=ctx.complaint_pk), actor=a, text="矩阵测试调查"
    ),
    "complaint.conclude": lambda ctx, a, own: inspection.complaint_conclude(
        complaint=Complaint.objects.get(pk=ctx.complaint_pk), actor=a, finding="not_upheld", answer="矩阵测试"
    ),
    "survey.open": lambda ctx, a, own: inspection.survey_open(
        community=ctx.community, period="矩阵测试期", title="", codes=1, actor=a
    ),
    "survey.close": lambda ctx, a, own: inspection.survey_close(survey=ctx.survey, actor=a),
    "assessment.open": lambda ctx, a, own: inspection.assessment_open(
        community=ctx.community,
        period="矩阵测试期",
        template=inspection.template_for(street_office=ctx.community.street_office),
        inspector=u("yinzhou_inspector"),
        actor=a,
    ),
    "assessment.score": _score,
    "assessment.approve": _approve,
    "evaluation.compute": lambda ctx, a, own: inspection.evaluation_compute(
        street_office=ctx.community.street_office, year=today().year, actor=a
    ),
    "evaluation.approve": lambda ctx, a, own: inspection.evaluation_approve(
        street_office=ctx.community.street_office, year=today().year, actor=a
    ),
    "street_briefing.generate": lambda ctx, a, own: inspection.street_briefing_generate(
        street_office=ctx.community.street_office, period=FAR_QUARTER, actor=a
    ),
    "street_briefing.edit": lambda ctx, a, own: inspection.street_briefing_edit(
        briefing=ctx.street_briefing_draft, actor=a, title="改过的标题", summary="", texts={}
    ),
    "street_briefing.submit": lambda ctx, a, own: inspection.street_briefing_submit(
        briefing=ctx.street_briefing_draft, actor=a
    ),
    "street_briefing.approve": _briefing_approve,
    "standards.revise": _revise,
    "accountability.revise": lambda ctx, a, own: inspection.rules_revise(
        street_office=ctx.community.street_office,
        actor=a,
        entries={
            r.kind: r.as_entry()
            for r in inspection.rules_all(
                inspection.rules_for(street_office_id=ctx.community.street_office_id)
            )
        },
    ),
    "evaluation.vetoes": lambda ctx, a, own: inspection.evaluation_vetoes_set(
        street_office=ctx.community.street_office, kinds=["order_escalated"], actor=a
    ),
    "two_factor.require": lambda ctx, a, own: tenant_services.street_office_two_factor_require(
        street_office=ctx.community.street_office, required=True, actor=a
    ),
    "session.idle_timeout": lambda ctx, a, own: tenant_services.street_office_idle_timeout_set(
        street_office=ctx.community.street_office, minutes=15, actor=a
    ),
    "synonyms.edit": lambda ctx, a, own: finder_services.synonym_group_add(
        street_office=ctx.community.street_office, words=["矩阵测试词", f"矩阵测试同义{a.pk}"], actor=a
    ),
    "review.quorum": lambda ctx, a, own: tenant_services.street_office_review_quorum_set(
        street_office=ctx.community.street_office, approvals=2, actor=a
    ),
}

# Where a visitor without an account (or a district key) would have to go to try each action.
ACTION_URLS: dict[str, Callable[[Planted], str]] = {
    "disclosure.create": lambda c: "/workspace/disclosures/new/",
    "disclosure.edit": lambda c: f"/workspace/disclosures/{c.draft.pk}/edit/",
    "disclosure.attach": lambda c: f"/workspace/disclosures/{c.draft.pk}/attach/",
    "disclosure.attachment_remove": lambda c: f"/workspace/attachments/{c.draft_attachment.pk}/delete/",
    "disclosure.submit": lambda c: f"/workspace/disclosures/{c.draft.pk}/submit/",
    "disclosure.receipts": lambda c: f"/workspace/disclosures/{c.statement.pk}/receipts/",
    "disclosure.sign_reimbursement": lambda c: f"/workspace/disclosures/{c.statement.pk}/sign_line/",
    "reimbursement.leader_sign": lambda c: "/inspection/reimbursements/",
    "disclosure.withdraw": lambda c: f"/workspace/disclosures/{c.draft.pk}/withdraw/",
    "disclosure.review": lambda c: f"/workspace/disclosures/{c.draft.pk}/review/",
    "disclosure.sign": lambda c: f"/workspace/disclosures/{c.draft.pk}/sign/",
    "disclosure.publish": lambda c: f"/workspace/disclosures/{c.draft.pk}/publish/",
    "disclosure.correct": lambda c: f"/workspace/disclosures/{c.published.pk}/correct/",
    "disclosure.order_republication": lambda c: f"/workspace/disclosures/{c.published.pk}/order/",
    "disclosure.archive": lambda c: f"/workspace/disclosures/{c.published.pk}/archive/",
    "obligation.waive": lambda c: f"/workspace/obligations/{c.obligation.pk}/waive/",
    "obligation.renew": lambda c: f"/workspace/obligations/{c.obligation.pk}/renew/",
    "obligation.record_event": lambda c: "/workspace/events/",
    "catalogue.add": lambda c: "/workspace/catalogue/",
    "pushes.connect": lambda c: "/workspace/group-pushes/",
    "briefing.generate": lambda c: "/workspace/inspection/briefings/",
    "street_briefing.generate": lambda c: "/inspection/briefings/",
    "street_briefing.edit": lambda c: f"/inspection/briefings/{c.street_briefing_draft.pk}/edit/",
    "street_briefing.submit": lambda c: f"/inspection/briefings/{c.street_briefing_draft.pk}/",
    "street_briefing.approve": lambda c: f"/inspection/briefings/{c.street_briefing_draft.pk}/",
    "feedback.answer": lambda c: f"/workspace/feedback/{c.feedback_pk}/answer/",
    "feedback.finding": lambda c: f"/workspace/feedback/{c.feedback_pk}/finding/",
    "opinion.moderate": lambda c: f"/workspace/consultations/opinions/{c.opinion_pk}/moderate/",
    "rectification.answer": lambda c: f"/workspace/inspection/rectifications/{c.rectification.pk}/",
    "assessment.self_assess": lambda c: f"/workspace/inspection/assessments/{c.assessment.pk}/",
    "profile.edit": lambda c: "/workspace/profile/",
    "spot_check.draw": lambda c: "/inspection/spot-checks/",
    "spot_check.record": lambda c: f"/inspection/spot-checks/{c.spot_check.pk}/",
    "spot_check.redraw": lambda c: f"/inspection/spot-checks/draws/{c.spot_check.draw_id}/redraw/",
    "rectification.issue": lambda c: "/inspection/rectifications/",
    "rectification.verify": lambda c: f"/inspection/rectifications/{c.rectification.pk}/",
    "rectification.admonish": lambda c: f"/inspection/rectifications/{c.rectification.pk}/",
    "rectification.criticize": lambda c: f"/inspection/rectifications/{c.rectification.pk}/",
    "rectification.refer": lambda c: f"/inspection/rectifications/{c.rectification.pk}/",
    "complaint.investigate": lambda c: f"/inspection/complaints/{c.complaint_pk}/",
    "complaint.conclude": lambda c: f"/inspection/complaints/{c.complaint_pk}/conclude/",
    "survey.open": lambda c: "/inspection/surveys/",
    "survey.close": lambda c: f"/inspection/surveys/{c.survey.pk}/",
    "assessment.open": lambda c: "/inspection/assessments/",
    "assessment.score": lambda c: f"/inspection/assessments/{c.assessment.pk}/",
    "assessment.approve": lambda c: f"/inspection/assessments/{c.assessment.pk}/",
    "evaluation.compute": lambda c: "/inspection/evaluations/",
    "evaluation.approve": lambda c: "/inspection/evaluations/",
    "standards.revise": lambda c: "/inspection/standards/",
    "accountability.revise": lambda c: "/inspection/accountability/",
    "evaluation.vetoes": lambda c: "/inspection/evaluations/",
    "two_factor.require": lambda c: "/accounts/two-factor/",
    "session.idle_timeout": lambda c: "/accounts/two-factor/",
    "synonyms.edit": lambda c: "/finder/synonyms/",
    "review.quorum": lambda c: "/accounts/two-factor/",
}

SERVICE_ROWS = [a for a in ACTIONS if not a.is_page]
PAGE_ROWS = [a for a in ACTIONS if a.is_page]


@pytest.fixture
def ctx(world) -> Planted:  # type: ignore[no-untyped-def]
    return plant(world, A)


def outcome(probe: Probe, ctx: Planted, actor: User, own: bool) -> str:
    with rolled_back():
        try:
            probe(ctx, actor, own)
        except NotAllowed:
            return "refused"
        return "done"


def refused_over_http(response: Any) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("row", SERVICE_ROWS, ids=lambda r: r.key)
def test_every_cell_of_an_action(ctx, row):  # type: ignore[no-untyped-def]
    probe = PROBES[row.key]
    got: dict[str, Any] = {}
    for role in USER_ROLES:
        actor = u(username(role))
        cell = row.cell(role)
        if cell == Cell.OWN:
            got[role] = (outcome(probe, ctx, actor, True), outcome(probe, ctx, actor, False))
        else:
            got[role] = outcome(probe, ctx, actor, False)
    for role in ("district", "anonymous"):
        client = Client(HTTP_HOST=host(A if row.site == Site.COMMUNITY else None))
        if role == "district":
            _, key = api_services.apiclient_create(
                name="区纪委", street_offices=[ctx.community.street_office]
            )
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        response = client.post(ACTION_URLS[row.key](ctx), {})
        got[role] = "refused" if refused_over_http(response) else f"HTTP {response.status_code}"
    expected = {
        role: {Cell.YES: "done", Cell.NO: "refused", Cell.OWN: ("done", "refused")}[row.cell(role)]
        for role in [*USER_ROLES, "district", "anonymous"]
    }
    assert got == expected


# --- pages, API resources, exports ---------------------------------------------------------------------


def page_paths(c: Planted) -> dict[str, str]:
    d, p = c.draft.pk, c.published.pk
    sb, sd = c.street_briefing.pk, c.street_briefing_draft.pk
    o = c.rectification.pk
    evidence, talk = _ladder_files(c)
    return {
        "workspace": "/workspace/",
        "disclosure:obligations": "/workspace/obligations/",
        "disclosure:list": "/workspace/disclosures/",
        "disclosure:detail": f"/workspace/disclosures/{d}/",
        "disclosure:new": "/workspace/disclosures/new/",
        "disclosure:edit": f"/workspace/disclosures/{d}/edit/",
        "disclosure:import_template": "/workspace/disclosures/import-template/?content_type=finance",
        "disclosure:ledger": "/workspace/ledger/",
        "disclosure:catalogue": "/workspace/catalogue/",
        "disclosure:group_webhooks": "/workspace/group-pushes/",
        "disclosure:attachment": f"/workspace/attachments/{c.draft_attachment.pk}/",
        "disclosure:receipt": f"/workspace/disclosures/{c.statement.pk}/receipts/{c.draft_receipt.pk}/",
        "disclosure:report": f"/workspace/disclosures/{p}/report.pdf",
        "feedback_staff:inbox": "/workspace/feedback/",
        "feedback_staff:supervision": "/workspace/feedback/supervision/",
        "feedback_staff:detail": f"/workspace/feedback/{c.feedback_pk}/",
        "consult_staff:list": "/workspace/consultations/",
        "consult_staff:opinions": f"/workspace/consultations/{c.consultation_pk}/",
        "profile_edit": "/workspace/profile/",
        "notifications:list": "/workspace/notifications/",
        "inspection_community:results": "/workspace/inspection/",
        "inspection_community:answer_file": (
            f"/workspace/inspection/rectifications/{c.rectification.pk}/files/{evidence}/"
        ),
        "inspection_community:answer": f"/workspace/inspection/rectifications/{c.rectification.pk}/",
        "inspection_community:self_assess": f"/workspace/inspection/assessments/{c.assessment.pk}/",
        "inspection_community:briefings": "/workspace/inspection/briefings/",
        "inspection_community:street_briefing": f"/workspace/inspection/briefings/street-office/{sb}/",
        "inspection_community:street_briefing_pdf": (
            f"/workspace/inspection/briefings/street-office/{sb}/briefing.pdf"
        ),
        "inspection:briefings": "/inspection/briefings/",
        "inspection:briefing": f"/inspection/briefings/{sd}/",
        "inspection:briefing_edit": f"/inspection/briefings/{sd}/edit/",
        "inspection:briefing_pdf": f"/inspection/briefings/{sd}/briefing.pdf",
        "briefings:list": "/briefings/",
        "briefings:detail": f"/briefings/{sb}/",
        "briefings:pdf": f"/briefings/{sb}/briefing.pdf",
        "portal:home": "/",
        "portal:list": "/disclosures/",
        "portal:results": "/results/?year=2025",
        "portal:detail": f"/disclosures/{p}/",
        "portal:verify": f"/disclosures/{p}/verify/",
        "portal:attachment": f"/disclosures/{p}/files/{c.published_attachment.pk}/",
        "portal:receipt": f"/disclosures/{p}/receipts/{c.published_receipt.pk}/",
        "portal:notice": f"/disclosures/{p}/notice.pdf",
        "portal:screen": "/screen/",
        "portal:screen_state": "/screen/state.json",
        "portal:touch": "/touch/",
        "portal:touch_overview": "/touch/overview/",
        "portal:touch_services": "/touch/services/",
        "portal:touch_list": "/touch/category/affairs/",
        "portal:touch_detail": f"/touch/disclosures/{p}/",
        "portal:feed": "/feed/",
        "portal:feed_category": "/feed/affairs/",
        "portal:sms": "/sms/",
        "portal:sms_stop": "/sms/stop/",
        "portal:sms_stop_token": f"/sms/stop/{c.sms_token}/",
        "feedback:submit": "/feedback/",
        "feedback:lookup": "/feedback/lookup/",
        "feedback:status": f"/feedback/{c.feedback_code}/",
        "consult:page": f"/consultations/{c.consultation_pk}/",
        "consult:opinion": f"/consultations/opinions/{c.opinion_code}/",
        "vote": "/vote/",
        "workdays:calculator": "/calendar/",
        "home": "/",
        "public_disclosures": "/disclosures/?q=低保",
        "public_results": "/results/?year=2025",
        "complaints:submit": "/complaints/",
        "complaints:lookup": "/complaints/lookup/",
        "complaints:status": f"/complaints/{c.complaint_code}/",
        "finder:synonyms": "/finder/synonyms/",
        "inspection:dashboard": "/inspection/",
        "inspection:community": f"/inspection/communities/{A}/",
        "inspection:community_disclosure": f"/inspection/communities/{A}/disclosures/{p}/",
        "inspection:spot_checks": "/inspection/spot-checks/",
        "inspection:spot_check": f"/inspection/spot-checks/{c.spot_check.pk}/",
        "inspection:spot_check_redraw": f"/inspection/spot-checks/draws/{c.spot_check.draw_id}/redraw/",
        "inspection:rectifications": "/inspection/rectifications/",
        "inspection:reimbursements": "/inspection/reimbursements/",
        "inspection:reimbursement_receipt": (
            f"/inspection/reimbursements/{A}/{c.statement.pk}/receipts/{c.draft_receipt.pk}/"
        ),
        "inspection:rectification": f"/inspection/rectifications/{c.rectification.pk}/",
        "inspection:rectification_file": f"/inspection/rectifications/{o}/files/{evidence}/",
        "inspection:rectification_minutes": f"/inspection/rectifications/{o}/minutes/{talk}/",
        "inspection:complaints": "/inspection/complaints/",
        "inspection:complaint": f"/inspection/complaints/{c.complaint_pk}/",
        "inspection:surveys": "/inspection/surveys/",
        "inspection:survey": f"/inspection/surveys/{c.survey.pk}/",
        "inspection:survey_slips": f"/inspection/surveys/{c.survey.pk}/slips/",
        "inspection:assessments": "/inspection/assessments/",
        "inspection:assessment": f"/inspection/assessments/{c.assessment.pk}/",
        "inspection:evaluations": "/inspection/evaluations/",
        "inspection:standards": "/inspection/standards/",
        "inspection:accountability": "/inspection/accountability/",
        "two_factor_setup": "/accounts/two-factor/",
        "admin:index": "/admin/",
        "api:street-office-list": "/api/v1/street-offices/",
        "api:community-list": "/api/v1/communities/",
        "api:compliance-list": "/api/v1/compliance/",
        "api:assessment-list": "/api/v1/assessments/",
        "api:spot-check-list": "/api/v1/spot-checks/",
        "api:survey-list": "/api/v1/surveys/",
        "api:rectification-list": "/api/v1/rectifications/",
        "api:evaluation-list": "/api/v1/evaluations/",
        "api:disclosure-list": f"/api/v1/disclosures/?community={A}",
        "api:ledger-head-list": "/api/v1/ledger-heads/",
        "api:ledger-anchor-list": f"/api/v1/ledger-heads/{A}/anchors/",
        "api:working-days": "/api/v1/calendar/working-days?start=2026-10-01&days=5",
        "api:schema": "/api/v1/schema/",
        "api:docs": "/api/v1/docs/",
    }


# tests/planted.py drafts its objects as the handler: an "own" page opens for the handler only.
PLANTED_DRAFTER = "handler"


def page_url(row: Any, c: Planted) -> str:
    path = page_paths(c)[row.urls[0]]
    if row.query:
        path += ("&" if "?" in path else "?") + row.query
    return path


def client_for_role(role: str, ctx: Planted) -> Client:
    """Signed in on the role's own site; the district client carries its key; the resident nothing."""
    kind = ROLE[role].kind
    if kind in (Kind.COMMUNITY, Kind.STREET_OFFICE):
        client = Client(HTTP_HOST=host(A if kind == Kind.COMMUNITY else None))
        response = client.post("/accounts/login/", {"username": username(role), "password": PASSWORD})
        assert response.status_code == 302, f"{username(role)} could not log in"
        return client
    client = Client()
    if kind == Kind.DISTRICT:
        _, key = api_services.apiclient_create(name="区纪委", street_offices=[ctx.community.street_office])
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


@pytest.mark.parametrize("role", [r.key for r in ROLES])
def test_every_page_api_resource_and_export_for_a_role(ctx, role):  # type: ignore[no-untyped-def]
    client = client_for_role(role, ctx)
    got: dict[str, str] = {}
    expected: dict[str, str] = {}
    for row in PAGE_ROWS:
        response = client.get(page_url(row, ctx), HTTP_HOST=host(A if row.site == Site.COMMUNITY else None))
        if response.streaming:  # a file: read it, which also ends the request (and its URL conf)
            b"".join(response.streaming_content)  # type: ignore[attr-defined]  # test client response stub
        if response.status_code == 200:
            got[row.key] = "open"
        elif response.status_code in (401, 403, 404) or (
            response.status_code == 302 and "login" in response["Location"]
        ):
            got[row.key] = "refused"
        else:
            got[row.key] = f"HTTP {response.status_code}"
        cell = row.cell(role)
        mine = cell == Cell.OWN and role == PLANTED_DRAFTER  # the planted draft is this person's own
        expected[row.key] = "open" if cell == Cell.YES or mine else "refused"
    assert got == expected


# --- the table itself ---------------------------------------------------------------------------------


def test_every_url_name_has_a_row():  # type: ignore[no-untyped-def]
    """A page or route added to the URL confs must get its row (or a reason in EXEMPT_URLS)."""
    names = {p.name for conf in CONFS for p in patterns(conf) if p.name}
    assert sorted(n for n in names if not covers(n)) == []


def test_every_row_has_its_probe(ctx):  # type: ignore[no-untyped-def]
    assert {a.key for a in SERVICE_ROWS} == set(PROBES) == set(ACTION_URLS)
    assert {a.urls[0] for a in PAGE_ROWS} <= set(page_paths(ctx))


def test_docs_roles_md_is_current():  # type: ignore[no-untyped-def]
    from config.management.commands.roles_doc import DOC

    assert DOC.read_text(encoding="utf-8") == render_markdown(), "run: python manage.py roles_doc"


def test_rectification_orders_need_staff_of_the_communitys_own_street_office(world):  # type: ignore[no-untyped-def]
    """The service refused nobody (only the page did); now another street office's staff are refused."""
    with pytest.raises(NotAllowed):
        inspection.rectification_issue(
            community=world.yincheng, source="manual", issues="越权下达", actor=u("dongguan_inspector")
        )
    assert not Rectification.objects.filter(issues="越权下达").exists()


# --- forms: shown only to a role that may use them; another role's POST is a 403 with the reason ----------


@dataclass(frozen=True)
class Form:
    """Where an action's form is: the page that shows it (to a role that may use it, with the object in
    the state the action needs), the URL it posts to, what in the page marks it, a POST a refused role
    makes (empty where it can be: the role is asked before the input is read) and the reason the 403 page
    gives. ``setup`` makes the object; the others read what it returns."""

    setup: Callable[[Planted], Any]
    page: Callable[[Planted, Any], str]
    post: Callable[[Planted, Any], str]
    reason: str | Promise  # a refusal message, translated when shown
    marker: Callable[[Planted, Any], str] | None = None  # default: the form's action="<post>"
    data: Callable[[Planted, Any], dict[str, Any]] = lambda c, o: {}


def _made(make: Callable[[], Any]) -> Callable[[Planted], Any]:
    def setup(c: Planted) -> Any:
        with tenant_context(c.community):
            return make()

    return setup


def _none(c: Planted) -> Any:
    return None


def _detail(c: Planted, d: Any) -> str:
    return f"/workspace/disclosures/{d.pk}/"


def _step(step: str) -> Callable[[Planted, Any], str]:
    return lambda c, d: f"/workspace/disclosures/{d.pk}/{step}/"


def _confirm(step: str) -> Callable[[Planted, Any], str]:
    """Review, signature and publication are taken on a page that shows what is approved, signed or
    published: the disclosure's page links to it, and it posts to itself."""
    return lambda c, d: f"/workspace/disclosures/{d.pk}/confirm/{step}/"


def _link_to(url: Callable[[Planted, Any], str]) -> Callable[[Planted, Any], str]:
    return lambda c, d: f'href="{url(c, d)}"'


def _scored(c: Planted) -> Assessment:
    inspector = u("yinzhou_inspector")
    assessment = assessment_submitted(c, inspector)
    return inspection.assessment_score(assessment=assessment, actor=inspector, scores=full_scores(assessment))


FORMS: dict[str, Form] = {
    "disclosure.submit": Form(
        lambda c: c.draft, _detail, _step("submit"), disclosure_permissions.refusal(Step.SUBMIT)
    ),
    "disclosure.attach": Form(
        lambda c: c.draft, _detail, _step("attach"), disclosure_permissions.own_draft_refusal("添加附件")
    ),
    "disclosure.attachment_remove": Form(
        lambda c: c.draft_attachment,
        lambda c, a: f"/workspace/disclosures/{c.draft.pk}/",
        lambda c, a: f"/workspace/attachments/{a.pk}/delete/",
        disclosure_permissions.own_draft_refusal("删除附件"),
    ),
    "disclosure.receipts": Form(
        lambda c: c.statement,
        _detail,
        _step("receipts"),
        disclosure_permissions.own_draft_refusal("上传报账单据"),
    ),
    "disclosure.sign_reimbursement": Form(
        lambda c: c.statement,
        _detail,
        _step("sign_line"),
        disclosure_permissions.refusal(Step.SIGN_REIMBURSEMENT),
    ),
    "reimbursement.leader_sign": Form(
        lambda c: c.statement,
        lambda c, d: "/inspection/reimbursements/",
        lambda c, d: "/inspection/reimbursements/",
        "",
        marker=lambda c, d: f'name="disclosure" value="{d.pk}"',
    ),
    "disclosure.withdraw": Form(
        _made(submitted), _detail, _step("withdraw"), disclosure_permissions.own_draft_refusal("撤回修改")
    ),
    "disclosure.review": Form(
        _made(submitted),
        _detail,
        _confirm("review"),
        disclosure_permissions.refusal(Step.REVIEW),
        marker=_link_to(_confirm("review")),
    ),
    "disclosure.sign": Form(
        _made(approved),
        _detail,
        _confirm("sign"),
        disclosure_permissions.refusal(Step.SIGN),
        data=lambda c, d: {"role": "handler"},
        marker=_link_to(_confirm("sign")),
    ),
    "disclosure.publish": Form(
        _made(lambda: signed(published_on=today())),
        _detail,
        _confirm("publish"),
        disclosure_permissions.refusal(Step.PUBLISH),
        marker=_link_to(_confirm("publish")),
    ),
    "disclosure.correct": Form(
        lambda c: c.published, _detail, _step("correct"), disclosure_permissions.refusal(Step.CORRECT)
    ),
    "disclosure.order_republication": Form(
        lambda c: c.published,
        _detail,
        _step("order"),
        disclosure_permissions.refusal(Step.ORDER_REPUBLICATION),
    ),
    "disclosure.archive": Form(
        _made(published_long_ago), _detail, _step("archive"), disclosure_permissions.refusal(Step.ARCHIVE)
    ),
    "obligation.waive": Form(
        lambda c: c.obligation,
        lambda c, o: "/workspace/obligations/",
        lambda c, o: f"/workspace/obligations/{o.pk}/waive/",
        disclosure_permissions.refusal(Step.WAIVE),
    ),
    "obligation.renew": Form(
        _made(renewal_due),
        lambda c, o: f"/workspace/obligations/{o.pk}/renew/",
        lambda c, o: f"/workspace/obligations/{o.pk}/renew/",
        disclosure_permissions.refusal(Step.RENEW),
    ),
    "obligation.record_event": Form(
        _none,
        lambda c, o: "/workspace/obligations/",
        lambda c, o: "/workspace/events/",
        disclosure_permissions.refusal(Step.RECORD_EVENT),
    ),
    "pushes.connect": Form(
        _none,
        lambda c, o: "/workspace/group-pushes/",
        lambda c, o: "/workspace/group-pushes/",
        disclosure_permissions.refusal(Step.PUBLISH),
        marker=lambda c, o: "接入一个群",
    ),
    "catalogue.add": Form(
        _none,
        lambda c, o: "/workspace/catalogue/",
        lambda c, o: "/workspace/catalogue/",
        disclosure_permissions.refusal(Step.CATALOGUE),
        marker=lambda c, o: "增加本社区公开事项",
    ),
    "feedback.answer": Form(
        lambda c: c.feedback_pk,
        lambda c, pk: f"/workspace/feedback/{pk}/",
        lambda c, pk: f"/workspace/feedback/{pk}/answer/",
        feedback_permissions.ANSWER_REFUSED,
    ),
    "feedback.finding": Form(
        lambda c: c.feedback_pk,
        lambda c, pk: f"/workspace/feedback/{pk}/",
        lambda c, pk: f"/workspace/feedback/{pk}/finding/",
        feedback_permissions.FINDING_REFUSED,
    ),
    "opinion.moderate": Form(
        lambda c: c.opinion_pk,
        lambda c, pk: f"/workspace/consultations/{c.consultation_pk}/",
        lambda c, pk: f"/workspace/consultations/opinions/{pk}/moderate/",
        feedback_permissions.MODERATE_REFUSED,
    ),
    "profile.edit": Form(
        _none,
        lambda c, o: "/workspace/profile/",
        lambda c, o: "/workspace/profile/",
        PROFILE_REFUSED,
        marker=lambda c, o: 'name="p-overview"',
    ),
    "rectification.answer": Form(
        lambda c: c.rectification,
        lambda c, r: f"/workspace/inspection/rectifications/{r.pk}/",
        lambda c, r: f"/workspace/inspection/rectifications/{r.pk}/",
        inspection_permissions.ANSWER_REFUSED,
        marker=lambda c, r: 'name="answer"',
        data=lambda c, r: {"answer": "已整改"},
    ),
    "rectification.admonish": Form(
        lambda c: _order_at(c, "admonish"),
        lambda c, r: f"/inspection/rectifications/{r.pk}/",
        lambda c, r: f"/inspection/rectifications/{r.pk}/",
        inspection_permissions.ADMONISHMENT_REFUSED,
        marker=lambda c, r: 'value="admonish"',
        data=lambda c, r: {"step": "admonish"},
    ),
    "rectification.criticize": Form(
        lambda c: _order_at(c, "criticize"),
        lambda c, r: f"/inspection/rectifications/{r.pk}/",
        lambda c, r: f"/inspection/rectifications/{r.pk}/",
        inspection_permissions.CRITICISM_REFUSED,
        marker=lambda c, r: 'value="criticize"',
        data=lambda c, r: {"step": "criticize"},
    ),
    "rectification.refer": Form(
        lambda c: _order_at(c, "refer"),
        lambda c, r: f"/inspection/rectifications/{r.pk}/",
        lambda c, r: f"/inspection/rectifications/{r.pk}/",
        inspection_permissions.REFERRAL_REFUSED,
        marker=lambda c, r: 'value="refer"',
        data=lambda c, r: {"step": "refer"},
    ),
    "assessment.self_assess": Form(
        lambda c: c.assessment,
        lambda c, a: f"/workspace/inspection/assessments/{a.pk}/",
        lambda c, a: f"/workspace/inspection/assessments/{a.pk}/",
        inspection_permissions.SELF_ASSESS_REFUSED,
        marker=lambda c, a: 'name="report"',
    ),
    "spot_check.record": Form(
        lambda c: planned_check(c, u("yinzhou_inspector")),
        lambda c, s: f"/inspection/spot-checks/{s.pk}/",
        lambda c, s: f"/inspection/spot-checks/{s.pk}/",
        inspection_permissions.RECORD_REFUSED,
        marker=lambda c, s: 'name="visited_at"',
    ),
    "spot_check.redraw": Form(
        lambda c: planned_check(c, u("yinzhou_inspector")).draw,
        lambda c, d: f"/inspection/spot-checks/draws/{d.pk}/redraw/",
        lambda c, d: f"/inspection/spot-checks/draws/{d.pk}/redraw/",
        inspection_permissions.REDRAW_REFUSED,
        marker=lambda c, d: 'name="reason"',
    ),
    "assessment.score": Form(
        lambda c: assessment_submitted(c, u("yinzhou_inspector")),
        lambda c, a: f"/inspection/assessments/{a.pk}/",
        lambda c, a: f"/inspection/assessments/{a.pk}/",
        inspection_permissions.SCORE_REFUSED,
        marker=lambda c, a: "保存评分",
    ),
    "assessment.approve": Form(
        _scored,
        lambda c, a: f"/inspection/assessments/{a.pk}/",
        lambda c, a: f"/inspection/assessments/{a.pk}/",
        inspection_permissions.ASSESSMENT_APPROVE_REFUSED,
        marker=lambda c, a: 'value="approve"',
        data=lambda c, a: {"action": "approve"},
    ),
    "evaluation.approve": Form(
        _none,
        lambda c, o: "/inspection/evaluations/",
        lambda c, o: "/inspection/evaluations/",
        inspection_permissions.EVALUATION_APPROVE_REFUSED,
        marker=lambda c, o: 'value="approve"',
        data=lambda c, o: {"action": "approve"},
    ),
    "street_briefing.approve": Form(
        _briefing_submitted,
        lambda c, b: f"/inspection/briefings/{b.pk}/",
        lambda c, b: f"/inspection/briefings/{b.pk}/",
        inspection_permissions.BRIEFING_APPROVE_REFUSED,
        marker=lambda c, b: 'name="decision"',
        data=lambda c, b: {"action": "review"},
    ),
    "evaluation.vetoes": Form(
        _none,
        lambda c, o: "/inspection/evaluations/",
        lambda c, o: "/inspection/evaluations/",
        inspection_permissions.VETOES_REFUSED,
        marker=lambda c, o: 'value="vetoes"',
        data=lambda c, o: {"action": "vetoes", "kinds": ["order_escalated"]},
    ),
    "standards.revise": Form(
        _none,
        lambda c, o: "/inspection/standards/",
        lambda c, o: "/inspection/standards/",
        inspection_permissions.STANDARD_REFUSED,
        marker=lambda c, o: 'name="items-TOTAL_FORMS"',
    ),
    "accountability.revise": Form(
        _none,
        lambda c, o: "/inspection/accountability/",
        lambda c, o: "/inspection/accountability/",
        RULES_REFUSED,
        marker=lambda c, o: 'name="rules-TOTAL_FORMS"',
    ),
    "two_factor.require": Form(
        _none,
        lambda c, o: "/accounts/two-factor/",
        lambda c, o: "/accounts/two-factor/",
        "只有本街道的管理员可以设置两步验证要求。",
        marker=lambda c, o: 'value="require"',
        data=lambda c, o: {
            "action": "require",
            "street_office": c.community.street_office.pk,
            "required": "1",
        },
    ),
    "session.idle_timeout": Form(
        _none,
        lambda c, o: "/accounts/two-factor/",
        lambda c, o: "/accounts/two-factor/",
        "只有本街道的管理员可以设置闲置自动退出的时间。",
        marker=lambda c, o: 'value="idle"',
        data=lambda c, o: {"action": "idle", "street_office": c.community.street_office.pk, "minutes": "10"},
    ),
    "synonyms.edit": Form(
        _none,
        lambda c, o: "/finder/synonyms/",
        lambda c, o: "/finder/synonyms/",
        SYNONYM_REFUSED,
        marker=lambda c, o: 'value="add"',
        data=lambda c, o: {"action": "add", "words": "矩阵表单词 矩阵表单同义词"},
    ),
    "review.quorum": Form(
        _none,
        lambda c, o: "/accounts/two-factor/",
        lambda c, o: "/accounts/two-factor/",
        "只有本街道的管理员可以设置审核通过所需的同意人数。",
        marker=lambda c, o: 'value="quorum"',
        data=lambda c, o: {
            "action": "quorum",
            "street_office": c.community.street_office.pk,
            "rule": "fixed",
            "approvals": "2",
        },
    ),
}

# Rows whose form is not asserted above, and why.
ELSEWHERE: dict[str, str] = {
    # a page of its own that a refused role cannot open (test_every_page_api_resource_and_export_…)
    "disclosure.create": "page:disclosure:new",
    "disclosure.edit": "page:disclosure:edit",
    "briefing.generate": "page:inspection_community:briefings",
    # every role of the street office's site may use these: nobody there to refuse (the district client
    # and the resident are refused by test_every_cell_of_an_action)
    "spot_check.draw": "",
    "rectification.issue": "",
    "rectification.verify": "",
    "complaint.investigate": "",
    "complaint.conclude": "",
    "survey.open": "",
    "survey.close": "",
    "assessment.open": "",
    "evaluation.compute": "",
    "street_briefing.generate": "",
    "street_briefing.edit": "",
    "street_briefing.submit": "",
}


def test_every_action_row_is_asserted_for_its_form():  # type: ignore[no-untyped-def]
    assert set(FORMS) | set(ELSEWHERE) == {a.key for a in SERVICE_ROWS}
    assert not set(FORMS) & set(ELSEWHERE)
    for key, page in ELSEWHERE.items():
        row = action(key)
        if page:
            assert action(page).cell("supervisor") == Cell.NO, key
        else:
            assert all(row.cell(r) != Cell.NO for r in USER_ROLES if ROLE[r].kind == Kind.STREET_OFFICE), key


@pytest.mark.parametrize("key", sorted(FORMS))
def test_a_form_is_shown_only_to_roles_that_may_use_it_and_others_get_403(ctx, key):  # type: ignore[no-untyped-def]
    """Each role of the action's site opens the page with the object in the state the action needs: the
    form is there for a role that may use it (for an "own" row: for the one it belongs to) and absent
    for every other, whose POST (without the input the form asks for) is a 403 naming who may."""
    row = action(key)
    form = FORMS[key]
    kind = Kind.COMMUNITY if row.site == Site.COMMUNITY else Kind.STREET_OFFICE
    site = host(A if kind == Kind.COMMUNITY else None)
    obj = form.setup(ctx)
    page, post = form.page(ctx, obj), form.post(ctx, obj)
    marker = form.marker(ctx, obj) if form.marker else f'action="{post}"'
    owner = OWNERS.get(key)
    got: dict[str, tuple[bool, int | None]] = {}
    expected: dict[str, tuple[bool, int | None]] = {}
    for role in (r for r in USER_ROLES if ROLE[r].kind == kind):
        client = client_for_role(role, ctx)
        answer = client.get(page, HTTP_HOST=site)
        shown = answer.status_code == 200 and marker in answer.content.decode()
        cell = row.cell(role)
        may = cell == Cell.YES or (cell == Cell.OWN and role == owner)
        status = None
        if not may:
            refused = client.post(post, form.data(ctx, obj), HTTP_HOST=site)
            status = refused.status_code
            assert str(form.reason) in refused.content.decode(), (role, "the 403 page names who may")
        got[role] = (shown, status)
        expected[role] = (may, None if may else 403)
    assert got == expected


# Whose own object each "own" row's form is set up with.
OWNERS = {
    "disclosure.attach": PLANTED_DRAFTER,
    "disclosure.attachment_remove": PLANTED_DRAFTER,
    "disclosure.receipts": PLANTED_DRAFTER,
    "disclosure.withdraw": "handler",  # submitted() drafts as the handler
    "spot_check.record": "inspector",
    "assessment.score": "inspector",
}


def test_a_step_of_the_disclosure_page_asks_the_role_first(ctx):  # type: ignore[no-untyped-def]
    """Every step of the disclosure endpoint has its guard, so none reads its input for a refused role."""
    assert set(steps.GUARDS) == set(steps.STEPS)
