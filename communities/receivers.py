"""A new community's schema gets its profile and its four standard bodies as part of its creation
(``tenants.signals.community_created``): tenants knows no domain app, so it announces the creation and
this app fills its own tables."""

from django.dispatch import receiver
from django_tenants.utils import schema_context

from communities.services import profile_initialise
from tenants.models import Community
from tenants.signals import community_created


@receiver(community_created, dispatch_uid="communities_profile_on_community_created")
def initialise_profile(sender: object, community: Community, **kwargs: object) -> None:
    with schema_context(community.schema_name):
        profile_initialise(community_name=community.name, address=community.address)
