"""Disclosure's entries in the shared menus: the header's way into the workspace, its pages first in
the community workspace menu, and the residents' pages of its portal (registry: ``tenants.navigation``)."""

from django.utils.translation import gettext_lazy as _

from tenants import worklist
from tenants.navigation import Entry, Section, Site, register

register(Section.ACCOUNT, Entry(_("工作台"), "workspace", Site.COMMUNITY, order=10))

# The workspace menu has never been translated (the template it came from did not mark its labels);
# marking them would change the English pages, which is for the translation work to decide.
register(
    Section.COMMUNITY_WORKSPACE,
    Entry(_("工作台"), "disclosure:workspace", Site.COMMUNITY, order=10, count=worklist.count),
    Entry(_("公开任务"), "disclosure:obligations", Site.COMMUNITY, order=20),
    Entry(_("公开内容"), "disclosure:list", Site.COMMUNITY, order=30),
    Entry(_("公开目录"), "disclosure:catalogue", Site.COMMUNITY, order=40),
    Entry(_("台帐"), "disclosure:ledger", Site.COMMUNITY, order=50),
    Entry(_("推送到群"), "disclosure:group_webhooks", Site.COMMUNITY, order=60),
)

# The residents' bar (portal/_base.html, and any public page of a community's site): translated.
register(
    Section.PORTAL,
    Entry(_("首页"), "portal:home", Site.COMMUNITY, order=10),
    Entry(_("全部公开内容"), "portal:list", Site.COMMUNITY, order=20),
)
