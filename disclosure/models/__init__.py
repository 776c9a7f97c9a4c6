from disclosure.models.briefings import Briefing
from disclosure.models.catalogue import LocalCatalogueItem, Obligation, Reminder
from disclosure.models.disclosure import (
    Attachment,
    AuditRecord,
    Disclosure,
    DisclosureUserObjectPermission,
    DisplayExtension,
    ReviewOpinion,
    Signature,
)
from disclosure.models.ledger import LedgerEntry

__all__ = [
    "Attachment",
    "AuditRecord",
    "Briefing",
    "Disclosure",
    "DisclosureUserObjectPermission",
    "DisplayExtension",
    "LedgerEntry",
    "LocalCatalogueItem",
    "Obligation",
    "Reminder",
    "ReviewOpinion",
    "Signature",
]
