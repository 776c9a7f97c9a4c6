"""Every write of the disclosure engine, by concern. One transaction each; the audit record and the
ledger entry are written in the same transaction; notifications are queued on commit.

- ``context``: the actor's roles, the shared guards, the audit record, the announcement
- ``ledger``: the hash chain and its daily anchor
- ``drafting``: step 1, writing a draft, content cleaning
- ``catalogue``: the community's own catalogue items
- ``attachments``: files on a draft
- ``reimbursements``: a reimbursement's receipts and its five signatures (004 ⑵)
- ``workflow``: the five steps (submit, review, withdraw, sign, publish, archive)
- ``corrections``: corrections and the supervision group's re-publication orders
- ``obligations``: generation, events, waivers, states, reminders, recomputation, the daily run
- ``indexing``: the public index of what residents may read, kept in the same transaction
- ``briefings``: a quarter's briefing drafted from compiled content, regenerated only with consent
- ``renewals``: a fixed item's renewal answered by a new version or a confirmation that nothing changed

Callers use the package (``from disclosure import services; services.disclosure_publish(...)``).
"""

from disclosure.rules import ALLOWED_ATTACHMENTS, MAX_ATTACHMENT_BYTES, MAX_BODY_CHARS
from disclosure.services.attachments import attachment_add, attachment_remove, attachments_add
from disclosure.services.briefings import BriefingEdited, briefing_draft_save
from disclosure.services.catalogue import local_item_add
from disclosure.services.context import (
    announce_change,
    audit_record,
    draft_change_check,
    draft_changeable,
    users_with_roles,
)
from disclosure.services.corrections import disclosure_order_republication, disclosure_start_correction
from disclosure.services.drafting import disclosure_create, disclosure_update
from disclosure.services.indexing import public_index_reconcile, public_index_sync
from disclosure.services.ledger import ledger_anchor_record, ledger_append
from disclosure.services.obligations import (
    daily_run,
    event_record,
    obligation_state_on,
    obligation_waive,
    obligations_generate,
    obligations_recompute_due,
    obligations_refresh,
    reminders_send,
    renewals_generate,
)
from disclosure.services.reimbursements import (
    receipt_remove,
    receipts_add,
    reimbursement_roles_for,
    reimbursement_sign,
    reimbursement_sign_refusal,
    reimbursements_unsigned,
)
from disclosure.services.renewals import fixed_item_confirm_unchanged, fixed_item_revise, renewal_extends_to
from disclosure.services.workflow import (
    disclosure_archive,
    disclosure_publish,
    disclosure_review,
    disclosure_sign,
    disclosure_submit,
    disclosure_withdraw,
    earliest_publication,
    review_refusal,
    round_approvals,
    sign_refusal,
    valid_signatures,
)

__all__ = [
    "ALLOWED_ATTACHMENTS",
    "MAX_ATTACHMENT_BYTES",
    "MAX_BODY_CHARS",
    "BriefingEdited",
    "announce_change",
    "attachment_add",
    "attachment_remove",
    "attachments_add",
    "audit_record",
    "briefing_draft_save",
    "daily_run",
    "disclosure_archive",
    "disclosure_create",
    "disclosure_order_republication",
    "disclosure_publish",
    "disclosure_review",
    "disclosure_sign",
    "disclosure_start_correction",
    "disclosure_submit",
    "disclosure_update",
    "disclosure_withdraw",
    "draft_change_check",
    "draft_changeable",
    "earliest_publication",
    "event_record",
    "fixed_item_confirm_unchanged",
    "fixed_item_revise",
    "ledger_anchor_record",
    "ledger_append",
    "local_item_add",
    "obligation_state_on",
    "obligation_waive",
    "obligations_generate",
    "obligations_recompute_due",
    "obligations_refresh",
    "public_index_reconcile",
    "public_index_sync",
    "receipt_remove",
    "receipts_add",
    "reimbursement_roles_for",
    "reimbursement_sign",
    "reimbursement_sign_refusal",
    "reimbursements_unsigned",
    "reminders_send",
    "renewal_extends_to",
    "renewals_generate",
    "review_refusal",
    "round_approvals",
    "sign_refusal",
    "users_with_roles",
    "valid_signatures",
]
