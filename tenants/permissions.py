"""Who may do what in tenants' own rooms: being a member of a community, working for a street office,
running the Django admin, deciding on two-factor login.

The role sets here are read by the services and the access layer that enforce them and by the role
matrix (``config/access.py``) that documents and tests them, so each is written once.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy

from tenants import selectors
from tenants.choices import CommunityRole, StreetOfficeRole
from tenants.models import User

# Any role in a community opens its workspace; the pages and actions narrow it from there.
COMMUNITY_MEMBERS = frozenset(r.value for r in CommunityRole)
# Any role in a street office opens the street office's site.
STREET_STAFF = frozenset(r.value for r in StreetOfficeRole)
# The Django admin, cut to the admin's own street office (tenants.admin).
ADMIN_SITE = frozenset({StreetOfficeRole.ADMIN})
# Whether a street office's staff must use two-factor login (tenants.services).
TWO_FACTOR_DECIDERS = frozenset({StreetOfficeRole.ADMIN})
# How long staff of a street office (and of its communities) may stay idle before being signed out.
IDLE_TIMEOUT_DECIDERS = frozenset({StreetOfficeRole.ADMIN})
# What a refused role is told, by the service (NotAllowed) and by the page (403) alike.
IDLE_TIMEOUT_REFUSED = gettext_lazy("只有本街道的管理员可以设置闲置自动退出的时间。")
# How many of a community's supervision group must approve a draft (000 第七条(二) 集体审核).
REVIEW_QUORUM_DECIDERS = frozenset({StreetOfficeRole.ADMIN})
REVIEW_QUORUM_REFUSED = gettext_lazy("只有本街道的管理员可以设置审核通过所需的同意人数。")


def is_street_office_admin(user: User | AnonymousUser) -> bool:
    """An active signed-in superuser, or an admin of some street office: may use the Django admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or ADMIN_SITE & selectors.street_office_roles_of(user=user))


def _decides(deciders: frozenset[str], *, user: User, street_office_id: int) -> bool:
    """A superuser, or one of ``deciders`` in this very street office."""
    return user.is_superuser or bool(
        deciders & selectors.street_office_roles_of(user=user, street_office_id=street_office_id)
    )


def may_decide_two_factor(*, user: User, street_office_id: int) -> bool:
    return _decides(TWO_FACTOR_DECIDERS, user=user, street_office_id=street_office_id)


def may_set_idle_timeout(*, user: User, street_office_id: int) -> bool:
    return _decides(IDLE_TIMEOUT_DECIDERS, user=user, street_office_id=street_office_id)


def may_set_review_quorum(*, user: User, street_office_id: int) -> bool:
    return _decides(REVIEW_QUORUM_DECIDERS, user=user, street_office_id=street_office_id)
