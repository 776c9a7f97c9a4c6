"""Communities' entries in the community workspace menu (registry: ``tenants.navigation``)."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from communities.selectors import notifications_unread_count
from tenants.navigation import Entry, Section, Site, register


def unread(request: HttpRequest) -> int:
    """The number beside 通知: the person's waiting notifications not yet read."""
    return notifications_unread_count(request.user) if request.user.is_authenticated else 0


# Untranslated like the rest of the workspace menu (see disclosure/navigation.py).
register(
    Section.COMMUNITY_WORKSPACE,
    Entry(gettext_lazy("通知"), "notifications:list", Site.COMMUNITY, order=55, count=unread),
    Entry(gettext_lazy("社区概况"), "profile_edit", Site.COMMUNITY, order=70),
)
