"""Who may do each step: a role → action map for the community, plus django-guardian grants on single
disclosures (the handler who drafts owns the draft; the supervision group members assigned review it)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.rules import REIMBURSEMENT_SIGNER_ROLES, SIGNING_ROLES
from tenants.choices import CommunityRole as R


class Action(StrEnum):
    DRAFT = "draft"
    SUBMIT = "submit"
    REVIEW = "review"
    SIGN = "sign"
    PUBLISH = "publish"
    CORRECT = "correct"
    ARCHIVE = "archive"
    WAIVE = "waive"
    RECORD_EVENT = "record_event"
    ORDER_REPUBLICATION = "order_republication"
    CATALOGUE = "catalogue"
    RENEW = "renew"
    SIGN_REIMBURSEMENT = "sign_reimbursement"


ROLE_ACTIONS: dict[Action, frozenset[str]] = {
    Action.DRAFT: frozenset({R.HANDLER, R.SECRETARY, R.DIRECTOR, R.DEPUTY}),
    Action.SUBMIT: frozenset({R.HANDLER, R.SECRETARY, R.DIRECTOR, R.DEPUTY}),
    Action.REVIEW: frozenset({R.SUPERVISOR}),
    # each signs in their own capacity (桂花方案 四(一))
    Action.SIGN: frozenset(SIGNING_ROLES),
    # 指定专人公布 (000 第七条(三)): the handler, or the two heads
    Action.PUBLISH: frozenset({R.HANDLER, R.SECRETARY, R.DIRECTOR}),
    Action.CORRECT: frozenset({R.HANDLER, R.SECRETARY, R.DIRECTOR}),
    Action.ARCHIVE: frozenset({R.HANDLER, R.SECRETARY, R.DIRECTOR}),
    Action.WAIVE: frozenset({R.SECRETARY, R.DIRECTOR}),
    Action.RECORD_EVENT: frozenset({R.HANDLER, R.SECRETARY, R.DIRECTOR, R.DEPUTY}),
    Action.ORDER_REPUBLICATION: frozenset({R.SUPERVISOR}),
    # the two heads add the community's own items (004 ⑶: local detail, not a copy of the catalogue)
    Action.CATALOGUE: frozenset({R.SECRETARY, R.DIRECTOR}),
}
# 004 ⑵ 五人签字 on a reimbursement: on the community's site, the four who sign in a community role (the
# street leader signs on the street office's: inspection.permissions.REIMBURSEMENT_LEADERS)
ROLE_ACTIONS[Action.SIGN_REIMBURSEMENT] = frozenset(REIMBURSEMENT_SIGNER_ROLES.values())
# 内容无变化,确认续期 keeps a fixed item on display another period: whoever may publish it may do that.
ROLE_ACTIONS[Action.RENEW] = ROLE_ACTIONS[Action.PUBLISH]

# django-guardian permission codenames on one disclosure
OWN_DRAFT = "disclosure.change_disclosure"
REVIEW = "disclosure.review_disclosure"


def allowed(roles: set[str], action: Action) -> bool:
    return bool(roles & ROLE_ACTIONS[action])


# What each step is called in a refusal: "只有…可以<doing>。"
DOING: dict[Action, str | Promise] = {
    Action.DRAFT: gettext_lazy("拟定公开内容草稿"),
    Action.SUBMIT: gettext_lazy("提交监督小组审核"),
    Action.REVIEW: gettext_lazy("审核公开内容"),
    Action.SIGN: gettext_lazy("签字确认"),
    Action.PUBLISH: gettext_lazy("公布"),
    Action.CORRECT: gettext_lazy("更正已公布的内容"),
    Action.ARCHIVE: gettext_lazy("归档"),
    Action.WAIVE: gettext_lazy("免除公开义务"),
    Action.RECORD_EVENT: gettext_lazy("登记即时公开事件"),
    Action.ORDER_REPUBLICATION: gettext_lazy("责令重新公布"),
    Action.CATALOGUE: gettext_lazy("增加本社区公开事项"),
    Action.RENEW: gettext_lazy("确认固定公开内容无变化并续期"),
    Action.SIGN_REIMBURSEMENT: gettext_lazy("在报账支出上签字"),
}


def refusal(action: Action) -> str:
    """What a role that may not do ``action`` is told, by the service (``NotAllowed``) and by the page
    (403) alike: who may, in the order of the roles."""
    labels = [str(r.label) for r in R if r in ROLE_ACTIONS[action]]
    who = "、".join(labels[:-1]) + _("和") + labels[-1] if len(labels) > 1 else labels[0]
    return _("只有%(who)s可以%(DOING)s。") % {"who": who, "DOING": DOING[action]}


def own_draft_refusal(doing: str) -> str:
    """What someone is told who did not draft the disclosure (the drafter's object permission)."""
    return _("只有起草人可以%(doing)s。") % {"doing": doing}
