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
from disclosure.models.pushes import GroupWebhook, PushDelivery, SmsCode, SmsSubscriber
from disclosure.models.reimbursements import LineSignature, Receipt

__all__ = [
    "Attachment",
    "AuditRecord",
    "Briefing",
    "Disclosure",
    "DisclosureUserObjectPermission",
    "DisplayExtension",
    "GroupWebhook",
    "LedgerEntry",
    "LineSignature",
    "LocalCatalogueItem",
    "Obligation",
    "PushDelivery",
    "Receipt",
    "Reminder",
    "ReviewOpinion",
    "Signature",
    "SmsCode",
    "SmsSubscriber",
]
