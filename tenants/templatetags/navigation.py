"""``{% menu "<section>" as items %}``: a menu of the navigation registry, for this request."""

from django import template

from tenants import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def menu(context: template.Context, section: str) -> list[navigation.MenuItem]:
    """The section's items; none where the page is rendered without a request (no site, no user)."""
    request = context.get("request")
    if request is None:
        return []
    return navigation.menu(navigation.Section(section), request)
