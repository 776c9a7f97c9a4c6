"""What a member of this community may open in the disclosure workspace, by id.

Each helper is ``tenants.access.access_object_by_id`` with the scope of the request filled in: the
rows of the community's own schema (another community's disclosure is simply not there, so it is a
404, never a 403). Who may act on the object is the services' rule, not the page's.
"""

from __future__ import annotations

from disclosure.models import Attachment, Disclosure, Obligation, Receipt
from tenants.access import CommunityRequest, access_object_by_id


def access_disclosure_by_id(request: CommunityRequest, pk: object) -> Disclosure:
    """Any disclosure of this community, whatever its state: 404 for an unknown one."""
    return access_object_by_id(Disclosure.objects.all(), pk)


def access_obligation_by_id(request: CommunityRequest, pk: object) -> Obligation:
    return access_object_by_id(Obligation.objects.all(), pk)


def access_attachment_by_id(request: CommunityRequest, pk: object) -> Attachment:
    """A draft's or a publication's file, for the community's staff (drafts are not public)."""
    return access_object_by_id(Attachment.objects.all(), pk)


def access_receipt_by_id(request: CommunityRequest, disclosure: Disclosure, pk: object) -> Receipt:
    """A receipt scan of one of this community's statements, for its staff."""
    return access_object_by_id(disclosure.receipts.all(), pk)


def access_renewal_by_id(request: CommunityRequest, pk: object) -> Obligation:
    """A fixed item's renewal of this community, with the version it renews: 404 for any other."""
    return access_object_by_id(Obligation.objects.filter(renews__isnull=False).select_related("renews"), pk)
