"""Who may do what in the street-office layer. Any member of the street office may do what is not
named here; the role sets below are the exceptions, and django-guardian grants name the one
inspector who records a spot check or scores an assessment. The services enforce these; the views
ask the same functions before they show a button, and the role matrix (``config/access.py``) reads
these sets instead of declaring them again. Every action also needs a role in the street office
concerned (or a superuser): ``tenants.permissions.STREET_STAFF``; the sets below narrow it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from tenants.choices import CommunityRole as C
from tenants.choices import StreetOfficeRole as S
from tenants.models import User

# 000 第十三条: the party secretary and the committee director are the first responsible persons.
# They submit the self-assessment, are named on an order unless the street office names others, and
# are admonished when a survey fails (000 第十九条).
COMMUNITY_HEADS: tuple[str, ...] = (C.SECRETARY, C.DIRECTOR)
SELF_ASSESSORS = frozenset(COMMUNITY_HEADS)
ADMONISHED = frozenset(COMMUNITY_HEADS)
# who reports back on an order: the two heads or the handler who did the work
RECTIFICATION_ANSWERERS = frozenset({C.SECRETARY, C.DIRECTOR, C.HANDLER})

# the street office's admin or leader revises the scoring standard
STANDARD_EDITORS = frozenset({S.ADMIN, S.LEADER})
# ... and which failures of a year veto a community's excellence (评先创优 一票否决)
VETO_EDITORS = STANDARD_EDITORS
# the leader approves assessments and the yearly evaluation, and receives orders past their deadline
APPROVERS = frozenset({S.LEADER})
ESCALATED_TO = S.LEADER
# the ladder after an escalation (000 第十九条): the leader or the admin records the 诫勉谈话; only a
# leader publishes a 通报批评 or refers the case for discipline
ADMONISHMENT_RECORDERS = frozenset({S.LEADER, S.ADMIN})
CRITICIZERS = frozenset({S.LEADER})
REFERRERS = frozenset({S.LEADER})
# an order the inspector sends back this many times goes to the leader in charge at once
REOPENS_BEFORE_ESCALATION = 2
# 暗访 draws once per period: any staff member makes the first draw; only the leader may set it aside
# and draw again, with a written reason (the earlier draw stays on the record)
REDRAWERS = frozenset({S.LEADER})
# 工作简报 (004 ⑷): any of the street office's staff compiles and edits the quarter's briefing; the leader
# approves it, which publishes it (on the base domain and to every community's staff)
BRIEFING_APPROVERS = frozenset({S.LEADER})

# 004 ⑵ 包社区领导 signs each reimbursement of the communities on their 包联社区 list, from the street
# office's site (the list itself is checked by disclosure.services.reimbursement_sign_refusal)
REIMBURSEMENT_LEADERS = frozenset({S.LEADER})

# django-guardian permissions on one object (granted to the inspector assigned to it)
RECORD_SPOT_CHECK = "inspection.record_spotcheck"
SCORE_ASSESSMENT = "inspection.score_assessment"


# What a refused role is told, by the service (NotAllowed) and by the page (403) alike.
SELF_ASSESS_REFUSED = gettext_lazy("自查评分由社区党组织书记或居委会主任提交。")
ANSWER_REFUSED = gettext_lazy("只有本社区的书记、主任或经办人可以反馈整改情况。")
RECORD_REFUSED = gettext_lazy("只有指派的检查员可以记录这次暗访。")
SCORE_REFUSED = gettext_lazy("只有指派的考核组负责人可以评分。")
STANDARD_REFUSED = gettext_lazy("评分标准由街道管理员或领导修订。")
ASSESSMENT_APPROVE_REFUSED = gettext_lazy("考核结果由街道领导审定。")
EVALUATION_APPROVE_REFUSED = gettext_lazy("综合评价由街道领导审定。")
BRIEFING_APPROVE_REFUSED = gettext_lazy("街道工作简报由街道领导审定并公布。")
VETOES_REFUSED = gettext_lazy("一票否决事项由街道管理员或领导确定。")
ADMONISHMENT_REFUSED = gettext_lazy("诫勉谈话由街道领导或管理员记录。")
CRITICISM_REFUSED = gettext_lazy("通报批评由街道领导决定并发布。")
REFERRAL_REFUSED = gettext_lazy("移送纪律处分由街道领导决定。")
REDRAW_REFUSED = gettext_lazy("暗访抽取以第一次为准,重新抽取须由街道领导决定并写明理由。")


def can_self_assess(roles: set[str]) -> bool:
    return bool(roles & SELF_ASSESSORS)


def can_answer_rectification(roles: set[str]) -> bool:
    return bool(roles & RECTIFICATION_ANSWERERS)


def can_revise_standard(user: User, roles: set[str]) -> bool:
    return user.is_superuser or bool(roles & STANDARD_EDITORS)


def can_approve(roles: set[str]) -> bool:
    return bool(roles & APPROVERS)


def can_record_admonishment(user: User, roles: set[str]) -> bool:
    return user.is_superuser or bool(roles & ADMONISHMENT_RECORDERS)


def can_criticize(user: User, roles: set[str]) -> bool:
    return user.is_superuser or bool(roles & CRITICIZERS)


def can_refer(user: User, roles: set[str]) -> bool:
    return user.is_superuser or bool(roles & REFERRERS)


def can_redraw(roles: set[str]) -> bool:
    return bool(roles & REDRAWERS)


def can_approve_briefing(roles: set[str]) -> bool:
    return bool(roles & BRIEFING_APPROVERS)


def can_set_vetoes(user: User, roles: set[str]) -> bool:
    return user.is_superuser or bool(roles & VETO_EDITORS)
