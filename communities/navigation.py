"""Communities' entries in the community workspace menu (registry: ``tenants.navigation``)."""

from tenants.navigation import Entry, Section, Site, register

# Untranslated like the rest of the workspace menu (see disclosure/navigation.py).
register(
    Section.COMMUNITY_WORKSPACE,
    Entry("通知", "notifications:list", Site.COMMUNITY, order=55),
    Entry("社区概况", "profile_edit", Site.COMMUNITY, order=70),
)
