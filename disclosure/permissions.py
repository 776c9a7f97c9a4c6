"""Who may do each step: a role → action map for the community, plus django-guardian grants on single
disclosures (the handler who drafts owns the draft; the supervision group members assigned review it)."""

from __future__ import annotations

from enum import StrEnum

from disclosure.rules import SIGNING_ROLES
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

# django-guardian permission codenames on one disclosure
OWN_DRAFT = "disclosure.change_disclosure"
REVIEW = "disclosure.review_disclosure"


def allowed(roles: set[str], action: Action) -> bool:
    return bool(roles & ROLE_ACTIONS[action])
