"""The public index (``finder``) kept with the community's own rows: written in the transaction of the
step that changes what residents may read, and reconciled against the schema nightly."""

from __future__ import annotations

from disclosure.indexing import public_document
from disclosure.models import Disclosure
from disclosure.rules import LOCKED_STATUSES
from finder import services as finder
from tenants.models import Community
from tenants.services import site_version_bump


def public_index_sync(*, disclosure: Disclosure, community: Community) -> None:
    """Write this version's entry as it now is, or take it out when it is not (or no longer) public,
    and mark the community's residents' pages changed. Runs inside the caller's transaction: a
    rollback takes the entry and the mark with it."""
    site_version_bump(community=community)
    if disclosure.status in LOCKED_STATUSES:
        finder.entry_put(community=community, document=public_document(disclosure))
    else:
        finder.entry_remove(community=community, disclosure_id=disclosure.pk)


def public_index_reconcile(*, community: Community, rewrite: bool = False) -> finder.Reconciled:
    """Compare every public version of this schema with the community's entries and fix any drift
    (``rewrite`` rewrites every entry: after a change to how text is segmented). Run in the schema."""
    versions = (
        Disclosure.objects.filter(status__in=LOCKED_STATUSES).select_related("obligation").order_by("pk")
    )
    done = finder.entries_reconcile(
        community=community, documents=[public_document(d) for d in versions], rewrite=rewrite
    )
    if done.added or done.updated or done.removed:
        site_version_bump(community=community)
    return done
