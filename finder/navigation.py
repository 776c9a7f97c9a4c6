"""The search's dictionary in the street office's menu (registry: ``tenants.navigation``)."""

from tenants.navigation import Entry, Section, Site, register

register(Section.STREET_OFFICE, Entry("检索同义词", "finder:synonyms", Site.STREET_OFFICE, order=90))
