"""Inspection's entries in the shared menus (registry: ``tenants.navigation``): its results in the
community workspace menu, its pages in the street-office menu and on the street-office home."""

from django.utils.translation import gettext_lazy as _

from tenants.navigation import Entry, Section, Site, register

# The two sub-menus are untranslated today (see disclosure/navigation.py); the home's buttons are.
register(
    Section.COMMUNITY_WORKSPACE,
    Entry(_("街道考核"), "inspection_community:results", Site.COMMUNITY, order=80),
    Entry(_("工作简报"), "inspection_community:briefings", Site.COMMUNITY, order=85),
)
register(
    Section.STREET_OFFICE,
    Entry(_("总览"), "inspection:dashboard", Site.STREET_OFFICE, order=10),
    Entry(_("暗访"), "inspection:spot_checks", Site.STREET_OFFICE, order=20),
    Entry(_("群众评议"), "inspection:surveys", Site.STREET_OFFICE, order=30),
    Entry(_("整改"), "inspection:rectifications", Site.STREET_OFFICE, order=40),
    Entry(_("居民投诉"), "inspection:complaints", Site.STREET_OFFICE, order=45),
    Entry(_("报账签字"), "inspection:reimbursements", Site.STREET_OFFICE, order=47),
    Entry(_("定期考核"), "inspection:assessments", Site.STREET_OFFICE, order=50),
    Entry(_("综合评价"), "inspection:evaluations", Site.STREET_OFFICE, order=60),
    Entry(_("评分标准"), "inspection:standards", Site.STREET_OFFICE, order=70),
    Entry(_("责任追究规则"), "inspection:accountability", Site.STREET_OFFICE, order=75),
    Entry(_("工作简报"), "inspection:briefings", Site.STREET_OFFICE, order=80),
)
register(
    Section.STREET_OFFICE_HOME,
    Entry(_("考核总览"), "inspection:dashboard", Site.STREET_OFFICE, order=10),
    Entry(_("暗访"), "inspection:spot_checks", Site.STREET_OFFICE, order=20),
    Entry(_("整改"), "inspection:rectifications", Site.STREET_OFFICE, order=30),
)
