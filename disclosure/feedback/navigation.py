"""Feedback's entry in the community workspace menu (registry: ``tenants.navigation``)."""

from tenants.navigation import Entry, Section, Site, register

# Untranslated like the rest of the workspace menu (see disclosure/navigation.py).
register(Section.COMMUNITY_WORKSPACE, Entry("居民反映", "feedback_staff:inbox", Site.COMMUNITY, order=60))
