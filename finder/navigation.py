"""The search's dictionary in the street office's menu (registry: ``tenants.navigation``)."""

from django.utils.translation import gettext_lazy

from tenants.navigation import Entry, Section, Site, register

register(
    Section.STREET_OFFICE, Entry(gettext_lazy("检索同义词"), "finder:synonyms", Site.STREET_OFFICE, order=90)
)
