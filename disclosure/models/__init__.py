from disclosure.models.catalogue import LocalCatalogueItem, Obligation, Reminder
from disclosure.models.disclosure import (
    Attachment,
    AuditRecord,
    Disclosure,
    DisclosureUserObjectPermission,
    ReviewOpinion,
    Signature,
)
from disclosure.models.ledger import LedgerEntry

__all__ = [
    "Attachment",
    "AuditRecord",
    "Disclosure",
    "DisclosureUserObjectPermission",
    "LedgerEntry",
    "LocalCatalogueItem",
    "Obligation",
    "Reminder",
    "ReviewOpinion",
    "Signature",
]
