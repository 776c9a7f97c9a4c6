"""Who does what with residents' feedback, by community role."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from tenants.choices import CommunityRole as R

# The residents' committee and the party organisation answer (桂花方案 四(四): 居委会作出书面答复).
ANSWER_ROLES = frozenset({R.SECRETARY, R.DIRECTOR, R.DEPUTY, R.HANDLER})
# Told of each new matter and reminded before its deadline.
NOTIFIED_ROLES = frozenset({R.HANDLER, R.SECRETARY, R.DIRECTOR})
# 民主监督小组 / 纪检小组 investigate objections, complaints and missed deadlines (000 第十七条).
SUPERVISION_ROLES = frozenset({R.SUPERVISOR})
# The staff pages (inbox, supervision list, a matter's page) are for those who answer or investigate.
INBOX_ROLES = ANSWER_ROLES | SUPERVISION_ROLES
# 征求意见: the supervision group (its members and its head) decides which residents' opinions are shown
# on the consultation's page; those who answer residents read them too.
MODERATION_ROLES = frozenset({R.SUPERVISOR, R.SUPERVISION_HEAD})
OPINION_STAFF_ROLES = INBOX_ROLES | MODERATION_ROLES


# What a refused role is told, by the service (NotAllowed) and by the page (403) alike.
ANSWER_REFUSED = gettext_lazy("只有社区党组织书记、居委会主任、副主任和经办人可以答复居民。")
FINDING_REFUSED = gettext_lazy("只有民主监督小组成员可以记录调查结论。")
MODERATE_REFUSED = gettext_lazy("只有民主监督小组成员和组长可以决定哪些居民意见公开展示。")


def can_answer(roles: set[str]) -> bool:
    return bool(roles & ANSWER_ROLES)


def can_supervise(roles: set[str]) -> bool:
    return bool(roles & SUPERVISION_ROLES)


def can_moderate(roles: set[str]) -> bool:
    return bool(roles & MODERATION_ROLES)
