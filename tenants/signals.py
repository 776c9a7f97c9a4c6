"""Bind a fresh login to the site it happened on (see SessionBoundToSiteMiddleware), drop the cached
host → community answer whenever a community or its domains change, and the signals through which the
apps above tenants take part in a community's life (creation, backup, restore) without tenants
importing them."""

from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal, receiver
from django.http import HttpRequest
from django_tenants.utils import get_public_schema_name, schema_context

from tenants import selectors
from tenants.middleware import SESSION_SITE_KEY, TWO_FACTOR_KEY, site_key
from tenants.models import Community, Domain, User
from tenants.selectors import host_cache_key


@receiver(user_logged_in, dispatch_uid="tenants_bind_session_to_site")
def bind_session_to_site(sender: type, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_SITE_KEY] = site_key(request)


@receiver(user_logged_in, dispatch_uid="tenants_two_factor_step_on_login")
def owe_two_factor_step(sender: type, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    """Decide once, at login, whether this session still owes a two-factor step (TwoFactorMiddleware)."""
    if request is None or not hasattr(request, "session"):
        return
    step = selectors.two_factor_step_for(
        user=user, on_street_office_site=getattr(request, "community", None) is None
    )
    if step:
        request.session[TWO_FACTOR_KEY] = step
    else:
        request.session.pop(TWO_FACTOR_KEY, None)


@receiver(pre_save, sender=Domain, dispatch_uid="tenants_domain_renamed_host_cache")
def remember_previous_domain(sender: type, instance: Domain, **kwargs: object) -> None:
    instance._previous_domain = list(  # type: ignore[attr-defined]
        Domain.objects.filter(pk=instance.pk).values_list("domain", flat=True) if instance.pk else []
    )


@receiver(post_save, sender=Community, dispatch_uid="tenants_community_saved_host_cache")
@receiver(post_delete, sender=Community, dispatch_uid="tenants_community_deleted_host_cache")
@receiver(post_save, sender=Domain, dispatch_uid="tenants_domain_saved_host_cache")
@receiver(post_delete, sender=Domain, dispatch_uid="tenants_domain_deleted_host_cache")
def forget_hosts(sender: type, instance: Community | Domain, **kwargs: object) -> None:
    if isinstance(instance, Domain):
        hosts = [instance.domain, *getattr(instance, "_previous_domain", [])]
    else:
        hosts = list(Domain.objects.filter(tenant_id=instance.pk).values_list("domain", flat=True))
    with schema_context(get_public_schema_name()):  # the key carries the schema it was cached under
        cache.delete_many([host_cache_key(h) for h in hosts])


# --- backups: public-schema rows bound to a community, contributed by the apps that own them ----------
# A receiver of ``community_backup_collect(community=...)`` returns ``(key, json-safe data)``; the data
# travels in the archive's manifest and comes back to ``community_restore_apply(community=..., public=...)``
# where each app recreates its rows for the restored community. tenants knows no domain app, so the
# apps above it answer these signals instead of tenants reaching up to their models.
community_backup_collect = Signal()
community_restore_apply = Signal()


# --- a new community: the apps above tenants fill its fresh schema ------------------------------------
# Sent by ``tenants.services.community_create`` inside its transaction, once the community's row, schema
# and domain exist: ``community_created(community=...)``. A receiver writes the rows its app needs in the
# new schema (communities: the profile and the four standard bodies); if it fails, nothing is created.
community_created = Signal()
