"""Where a disclosure stands in its five steps, and what the person looking at it may do next.

One place answers both questions, so that the disclosure's page (its tracker and its buttons), the
confirmation page before a signature, and 待我办理 (``disclosure.worklist``) never disagree about whose
turn it is. The services still decide: this only reads, and a step offered here can still be refused
by its service (a date not yet reached, the content changed meanwhile).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import get_users_with_perms

from disclosure import permissions, rules
from disclosure.choices import Channel, ContentType, DisclosureStatus, SignatureRole
from disclosure.display import display_end
from disclosure.models import Disclosure, Signature
from disclosure.permissions import Action
from disclosure.services import (
    draft_changeable,
    reimbursements_unsigned,
    review_refusal,
    round_approvals,
    sign_refusal,
    valid_signatures,
)
from tenants.access import CommunityRequest
from tenants.models import Community, User
from workdays.dates import zh_date, zh_datetime

S = DisclosureStatus
IN_PROGRESS = (S.DRAFT, S.RETURNED, S.SUBMITTED, S.APPROVED)


@dataclass(frozen=True)
class Allowed:
    """The steps ``user`` may take on one disclosure now (each ``True`` shows its form)."""

    edit: bool = False
    submit: bool = False
    review: bool = False
    withdraw: bool = False
    sign_roles: tuple[str, ...] = ()
    publish: bool = False
    correct: bool = False
    order: bool = False
    archive: bool = False

    @property
    def anything(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def allowed_steps(
    disclosure: Disclosure,
    *,
    user: User,
    roles: set[str],
    today: date,
    signatures: dict[str, Signature] | None = None,
) -> Allowed:
    """What the detail page offers and what 待我办理 lists, from the same rules as the steps' guards
    (``permissions``) and the services' own checks (``review_refusal``, ``sign_refusal``: nobody
    reviews, or signs as one of the heads, what they wrote)."""
    status = disclosure.status
    if signatures is None:
        signatures = valid_signatures(disclosure) if status == S.APPROVED else {}
    in_draft = status in (S.DRAFT, S.RETURNED)
    after = status in (S.PUBLISHED, S.ARCHIVED)
    not_superseded = after and not Disclosure.objects.filter(supersedes=disclosure).exists()
    return Allowed(
        edit=in_draft and draft_changeable(disclosure=disclosure, actor=user),
        submit=in_draft and permissions.allowed(roles, Action.SUBMIT),
        review=status == S.SUBMITTED and review_refusal(disclosure, user) is None,
        withdraw=status in (S.SUBMITTED, S.APPROVED) and user.has_perm(permissions.OWN_DRAFT, disclosure),
        sign_roles=tuple(
            r
            for r in rules.SIGNING_ROLES
            if r not in signatures and sign_refusal(disclosure, user, role=r, roles=roles) is None
        )
        if status == S.APPROVED
        else (),
        publish=status == S.APPROVED
        and permissions.allowed(roles, Action.PUBLISH)
        and all(r in signatures for r in rules.SIGNING_ROLES),
        correct=not_superseded and permissions.allowed(roles, Action.CORRECT),
        order=not_superseded and permissions.allowed(roles, Action.ORDER_REPUBLICATION),
        archive=status == S.PUBLISHED
        and permissions.allowed(roles, Action.ARCHIVE)
        and _display_over(disclosure, today=today),
    )


def _display_over(disclosure: Disclosure, *, today: date) -> bool:
    until = display_end(disclosure)
    return until is not None and today >= until


def allowed_for(request: CommunityRequest, disclosure: Disclosure, *, today: date) -> Allowed:
    """:func:`allowed_steps` for the member making the request."""
    return allowed_steps(disclosure, user=request.user, roles=request.membership_roles, today=today)


# --- the tracker ---------------------------------------------------------------------------------------

DONE, CURRENT, TODO, RETURNED = "done", "current", "todo", "returned"
STATE_LABELS = {
    DONE: gettext_lazy("已完成"),
    CURRENT: gettext_lazy("进行中"),
    TODO: gettext_lazy("未开始"),
    RETURNED: gettext_lazy("已退回"),
}


@dataclass
class Stage:
    """One step of the tracker: its name, whether it is done, current or still to come, and the lines
    that say who did what and when."""

    key: str
    label: str
    state: str = TODO
    lines: list[str] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


def reviewers_of(disclosure: Disclosure) -> list[User]:
    """The supervision group members assigned when it was submitted (the review grant)."""
    users = get_users_with_perms(
        disclosure, only_with_perms_in=["review_disclosure"], with_superusers=False, with_group_users=False
    )
    return sorted(users, key=lambda u: u.get_full_name())


def review_tally(disclosure: Disclosure) -> str:
    """000 第七条(二) 集体审核, where the current round stands: 已有 1/2 名审核人同意."""
    return _("已有 %(len)s/%(reviews_needed)s 名审核人同意") % {
        "len": len(round_approvals(disclosure)),
        "reviews_needed": disclosure.reviews_needed,
    }


def tracker(disclosure: Disclosure, *, today: date, community: Community | None = None) -> list[Stage]:
    """拟稿 → 审核 → 签字 → 公布 → 公示 → 归档, with the current one marked (GOV.UK's task list).
    With the ``community``, a finance statement's reimbursements still short of their five signatures
    (004 ⑵) keep the signing step current and say which, as publication would refuse them."""
    status = disclosure.status
    signatures = valid_signatures(disclosure)
    published = disclosure.published_at is not None
    draft = Stage("draft", _("拟稿"))
    review = Stage("review", _("监督小组审核"))
    sign = Stage("sign", _("三人签字"))
    publish = Stage("publish", _("公布"))
    display = Stage("display", _("公示"))
    archive = Stage("archive", _("归档"))

    draft.lines.append(
        _("%(name)s 起草") % {"name": disclosure.created_by.get_full_name() if disclosure.created_by else "—"}
    )
    if status in (S.DRAFT, S.RETURNED):
        draft.state = CURRENT
    else:
        draft.state = DONE
        if disclosure.planned_publish_date:
            draft.lines.append(
                _("计划公布日期 %(zh_date)s") % {"zh_date": zh_date(disclosure.planned_publish_date)}
            )

    opinions = list(disclosure.opinions.all())
    for o in opinions:
        line = f"{o.reviewer_name} {o.get_decision_display()}({zh_datetime(o.created_at)})"
        review.lines.append(line + (f":{o.comments}" if o.comments else ""))
    if status in (S.SUBMITTED, S.APPROVED) and disclosure.review_round:
        review.lines.append(review_tally(disclosure))
    if status == S.SUBMITTED:
        review.state = CURRENT
        agreed = {o.reviewer_id for o in round_approvals(disclosure)}
        names = _("、").join(u.get_full_name() for u in reviewers_of(disclosure) if u.pk not in agreed)
        review.lines.append(_("等待审核:%(names)s") % {"names": names or _("监督小组")})
    elif status == S.RETURNED:
        review.state = RETURNED
    elif status != S.DRAFT:
        review.state = DONE

    for s in disclosure.signatures.all():
        valid = signatures.get(s.role) == s
        sign.lines.append(
            f"{s.get_role_display()} {s.signer_name}({zh_datetime(s.created_at)}) "
            + (_("有效 · 所签内容 %(hash)s") if valid else _("已失效 · 所签内容 %(hash)s"))
            % {"hash": s.content_hash[:12]}
        )
    if status == S.APPROVED:
        missing = [str(SignatureRole(r).label) for r in rules.SIGNING_ROLES if r not in signatures]
        unsigned = reimbursements_unsigned(disclosure, community=community) if community else ""
        sign.state = CURRENT if missing or unsigned else DONE
        if missing:
            sign.lines.append(_("还差:%(join)s") % {"join": _("、").join(missing)})
        if unsigned:
            sign.lines.append(unsigned)
        if not missing and not unsigned:
            publish.state = CURRENT
            if disclosure.planned_publish_date and today < disclosure.planned_publish_date:
                publish.lines.append(
                    _("%(zh_date)s 起可以公布") % {"zh_date": zh_date(disclosure.planned_publish_date)}
                )
            else:
                publish.lines.append(_("可以公布"))
    elif published:
        sign.state = DONE

    if published:
        publish.state = DONE
        who = disclosure.published_by.get_full_name() if disclosure.published_by else ""
        publish.lines.append(
            (
                _("%(who)s 公布于 %(zh_datetime)s")
                % {"who": who, "zh_datetime": zh_datetime(disclosure.published_at)}
            ).strip()
        )
        channels = _("、").join(str(Channel(c).label) for c in disclosure.channels if c in Channel.values)
        if channels:
            publish.lines.append(_("渠道:%(channels)s") % {"channels": channels})
        if disclosure.public_from and disclosure.public_from != timezone.localdate(disclosure.published_at):
            publish.lines.append(
                _("先党内后党外:%(zh_date)s 起向居民公开") % {"zh_date": zh_date(disclosure.public_from)}
            )
        for extension in disclosure.extensions.order_by("display_until"):  # type: ignore[attr-defined]
            display.lines.append(
                f"{extension.confirmed_by_name} {zh_date(timezone.localdate(extension.created_at))} "
                f"确认内容无变化,续期至 {zh_date(extension.display_until)}"
            )
        until = display_end(disclosure)
        if until:
            display.lines.append(_("公示至 %(zh_date)s") % {"zh_date": zh_date(until)})
        if status == S.ARCHIVED or (until and today > until):
            display.state = DONE
        else:
            display.state = CURRENT
        if status == S.ARCHIVED:
            archive.state = DONE
        elif status == S.PUBLISHED and until and today >= until:
            archive.state = CURRENT
            archive.lines.append(_("公示期满,可以归档"))
    if status == S.SUPERSEDED:
        archive.lines.append(_("已被更正版本取代"))
    return [draft, review, sign, publish, display, archive]


def waiting_for(disclosure: Disclosure, stages: list[Stage]) -> str:
    """Whose turn it is, for a viewer with nothing to do: the tracker's current step in a sentence."""
    current = next((st for st in stages if st.state == CURRENT), None)
    if current is None:
        return _("已办结。") if disclosure.status in (S.ARCHIVED, S.SUPERSEDED) else ""
    detail = {
        "draft": _("等待起草人修改完成后提交监督小组审核。"),
        "review": _("等待监督小组审核。"),
        "sign": _("等待签字。"),
        "publish": _("三人已签字,等待经办人、党组织书记或居委会主任公布。"),
        "display": _("公示中。"),
        "archive": _("公示期满,等待归档。"),
    }[current.key]
    return _("当前步骤:%(label)s。%(detail)s") % {"label": current.label, "detail": detail}


# --- what is being signed --------------------------------------------------------------------------------


def content_summary(disclosure: Disclosure) -> list[tuple[str, str]]:
    """The lines a signer reads before signing: the figures that matter for each kind of content."""
    data: dict[str, Any] = disclosure.data or {}
    rows: list[tuple[str, str]] = [
        (_("标题"), disclosure.title),
        (_("类别"), str(disclosure.get_category_display())),
        (_("内容格式"), str(disclosure.get_content_type_display())),
        (_("公开对象"), str(disclosure.get_audience_display())),
    ]
    if disclosure.obligation is not None:
        rows.append((_("所属期"), disclosure.obligation.period_zh))
    kind = disclosure.content_type
    if kind == ContentType.FINANCE and data:
        lines = data.get("lines") or []
        reimbursed = sum(1 for line in lines if line.get("reimbursement"))
        rows += [
            (_("期初余额"), _yuan(data.get("opening_balance"))),
            (_("收入合计"), _yuan(data.get("income_total"))),
            (_("支出合计"), _yuan(data.get("expense_total"))),
            (_("期末余额"), _yuan(data.get("closing_balance"))),
            (
                _("收支明细"),
                _("%(len)s 笔(其中报账 %(reimbursed)s 笔)") % {"len": len(lines), "reimbursed": reimbursed},
            ),
        ]
    elif kind == ContentType.RELIEF and data:
        households = data.get("households") or []
        total = sum((Decimal(str(h.get("amount") or 0)) for h in households), Decimal("0"))
        rows += [
            (_("救助类别"), str(data.get("programme") or "")),
            (_("户数"), _("%(len)s 户") % {"len": len(households)}),
            (_("救助金额合计"), _yuan(total)),
        ]
    elif kind == ContentType.PLAN and data:
        rows.append((_("时间节点"), _("%(len)s 个") % {"len": len(data.get("milestones") or [])}))
    elif kind == ContentType.CADRE and data:
        rows.append((_("干部"), _("%(len)s 名") % {"len": len(data.get("officers") or [])}))
    elif kind == ContentType.SERVICE_GUIDE and data:
        rows.append((_("办理步骤"), _("%(len)s 步") % {"len": len(data.get("steps") or [])}))
    return rows


def _yuan(value: Any) -> str:
    if value in (None, ""):
        return "—"
    return _("%(value)s 元") % {"value": format(Decimal(str(value)), ",.2f")}
