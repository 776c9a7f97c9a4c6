"""Feedback's entries: the inbox in the community workspace menu, and the residents' way to write in the
residents' bar (registry: ``tenants.navigation``)."""

from django.utils.translation import gettext_lazy as _

from tenants.navigation import Entry, Section, Site, register

# Untranslated like the rest of the workspace menu (see disclosure/navigation.py).
register(Section.COMMUNITY_WORKSPACE, Entry("居民反映", "feedback_staff:inbox", Site.COMMUNITY, order=60))
register(Section.PORTAL, Entry(_("我要反映"), "feedback:submit", Site.COMMUNITY, order=30))
register(Section.COMMUNITY_WORKSPACE, Entry(_("征求意见"), "consult_staff:list", Site.COMMUNITY, order=62))
