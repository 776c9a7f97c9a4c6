"""The numbers and sets the disclosure rules depend on, each defined once.

Services enforce them, models and the district API filter by them, and templates receive them as
context values from the views: none of them is typed again as a literal elsewhere.
"""

from __future__ import annotations

from disclosure.choices import (
    Cadence,
    DisclosureStatus,
    ObligationStatus,
    ReimbursementSigner,
    SignatureRole,
)
from standards.choices import BOARD_DISPLAY_DAYS
from tenants.choices import CommunityRole
from workdays.periods import Span

# 桂花方案 四(二): the draft goes to the supervision group at least 5 working days before publication.
REVIEW_WORKING_DAYS = 5

# 桂花方案 五(一): displayed at least this many days when the obligation sets no other minimum (the
# standard catalogue's default, defined with it).
MIN_DISPLAY_DAYS = BOARD_DISPLAY_DAYS

# 新视界方案 四(一) 事前公示 (征求意见): a consultation invites opinions for at least this many days, from
# the day it is published (or its later opening day) to its closing day, both counted. The seeds name
# no number; the consultation is itself a notice on the board, held there at least MIN_DISPLAY_DAYS
# (桂花方案 五(一)), so opinions are invited for at least as long as residents can read it there —
# and ten days always hold a weekend, for residents who pass the board only then.
CONSULTATION_MIN_DAYS = MIN_DISPLAY_DAYS

# An open obligation is "due soon" (and its reminder goes out) this many working days before its deadline.
DUE_SOON_WORKING_DAYS = 3

# 000 第八条 固定内容长期公开, 第十九条 不按规定更新 is a named failure: a fixed item's publication is
# renewed before its display period ends. The renewal (its next display period, due the day the display
# ends) opens this many working days before; the people who answer for it are reminded
# ``FIXED_RENEWAL_NOTICE_WORKING_DAYS`` before, again when it is due soon (``DUE_SOON_WORKING_DAYS``) and
# when it has lapsed.
FIXED_RENEWAL_LEAD_WORKING_DAYS = 20
FIXED_RENEWAL_NOTICE_WORKING_DAYS = 10
assert FIXED_RENEWAL_LEAD_WORKING_DAYS >= FIXED_RENEWAL_NOTICE_WORKING_DAYS > DUE_SOON_WORKING_DAYS
# 内容无变化,确认续期 records what was checked, in a few words (kept with its ledger entry).
RENEWAL_NOTE_MAX_CHARS = 300

# 000 第十七条: the default deadline, in working days, of a re-publication the supervision group orders,
# and the range it may choose from.
REPUBLICATION_WORKING_DAYS = 5
REPUBLICATION_WORKING_DAYS_MAX = 30

# What went through publication: the database refuses to change these rows, and these are the only
# versions a resident (or the district API) may ever reach.
LOCKED_STATUSES = (DisclosureStatus.PUBLISHED, DisclosureStatus.ARCHIVED, DisclosureStatus.SUPERSEDED)

# An obligation still to be fulfilled (or waived): what its people are reminded of and the pages list.
OPEN_OBLIGATION_STATUSES = (ObligationStatus.UPCOMING, ObligationStatus.DUE_SOON, ObligationStatus.OVERDUE)

# 桂花方案 四(一): 党组织书记、居委会主任及经办人签名确认 — the three who sign, in signing order.
SIGNING_ROLES: tuple[str, ...] = tuple(SignatureRole.values)

# Nobody reviews or approves what they wrote, whatever roles they hold: an author of a version (its
# ``Disclosure.authors``) is not one of its reviewers, and does not sign it as 党组织书记 or 居委会主任.
# The 经办人's signature is the one an author does give: it is the handler answering for the
# content they prepared (桂花方案 四(一) lists the 经办人 beside the two heads for that reason).
AUTHOR_MAY_SIGN_AS: frozenset[str] = frozenset({SignatureRole.HANDLER})

# 004 ⑵ 五人同时签字方予报账: who signs a reimbursement, in signing order, and the community role each
# signs in. The street leader (包社区街道领导) holds no role in the community: a street office's leader whose
# 包联社区 list holds it (``tenants.selectors.communities_in_charge_of``), signing from the street office's
# site. An author of the statement signs its reimbursements only as 经办人, as above (AUTHOR_MAY_SIGN_AS).
REIMBURSEMENT_SIGNERS: tuple[str, ...] = tuple(ReimbursementSigner.values)
REIMBURSEMENT_SIGNER_ROLES: dict[str, str] = {
    ReimbursementSigner.PARTY_BRANCH: CommunityRole.SECRETARY,
    ReimbursementSigner.RESIDENTS_COMMITTEE: CommunityRole.DIRECTOR,
    ReimbursementSigner.SUPERVISION: CommunityRole.SUPERVISION_HEAD,
    ReimbursementSigner.HANDLER: CommunityRole.HANDLER,
}
assert set(REIMBURSEMENT_SIGNER_ROLES) | {ReimbursementSigner.STREET_LEADER} == set(REIMBURSEMENT_SIGNERS)
assert ReimbursementSigner.HANDLER == SignatureRole.HANDLER  # the author's own signature, in both lists

# A reimbursement is signed while its statement is on its way (from draft to approval); what was published
# is sealed.
REIMBURSEMENT_SIGNABLE_STATUSES = (
    DisclosureStatus.DRAFT,
    DisclosureStatus.RETURNED,
    DisclosureStatus.SUBMITTED,
    DisclosureStatus.APPROVED,
)

# 004 ⑵ 原始单据复印件贴在居务公开栏上: a reimbursement's receipt scans, images or PDF, each at most
# this large.
RECEIPT_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPG 图片", "image/png": "PNG 图片"}
MAX_RECEIPT_BYTES = 10 * 1024 * 1024
RECEIPTS_PER_LINE_MAX = 20

# Who is reminded of an obligation coming due, and finds it in 待我办理: the handler who drafts and
# the party secretary who answers for it (000 第十三条).
OBLIGATION_OWNERS = frozenset({CommunityRole.HANDLER, CommunityRole.SECRETARY})

# A disclosure's body: a long policy text fits; anything longer belongs in an attachment.
MAX_BODY_CHARS = 50_000

# The lines of one finance statement in the editor's grid. A community's quarter has 40–150; the cap keeps
# the page's form under Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (some 15 inputs a line), so a long statement
# is refused with a message rather than by the server with everything typed lost.
FINANCE_LINES_MAX = 500

# A draft's files: at most this large, and only these types (read from the content, never the name).
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENT_MB = MAX_ATTACHMENT_BYTES // (1024 * 1024)
ALLOWED_ATTACHMENTS = {
    "application/pdf": "PDF",
    "image/jpeg": "JPG 图片",
    "image/png": "PNG 图片",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word(docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel(xlsx)",
}


# 000 第八条, 桂花方案 四(三): the period each periodic cadence is counted in — monthly affairs by the month,
# finances by the quarter — and so when its obligation falls due.
CADENCE_SPANS: dict[str, Span] = {
    Cadence.MONTHLY: Span.MONTH,
    Cadence.QUARTERLY: Span.QUARTER,
    Cadence.HALF_YEARLY: Span.HALF_YEAR,
    Cadence.ANNUAL: Span.YEAR,
}
