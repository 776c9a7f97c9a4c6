"""A finance statement's reimbursements as the five signers, the staff page, the portal and the printed
notice read them (004 ⑵): each with its receipt scans and its signatures that still hold.

What is signed is a *unit*: one reimbursed line with its receipts, or — where the street office signs
the statement as a whole (``StreetOffice.reimbursement_signing``) — every reimbursed line of it with
theirs. A unit's hash is the SHA-256 of exactly that; a signature counts while it was given on the
unit's hash as it is now, so changing a line or its receipts voids that line's signatures and no other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext

from disclosure import content as content_rules
from disclosure.choices import ContentType, ReimbursementSigner
from disclosure.models import Disclosure, LineSignature, Receipt
from disclosure.rules import REIMBURSEMENT_SIGNABLE_STATUSES, REIMBURSEMENT_SIGNERS
from tenants.choices import ReimbursementSigning
from tenants.models import Community

STATEMENT = ""  # the unit key of the whole statement's reimbursements


@dataclass(frozen=True)
class Slot:
    """One of the five places to sign a unit: who signed it on its content as it is now, or nobody."""

    role: str
    label: str
    signature: LineSignature | None


@dataclass
class Unit:
    """What the five sign together: ``key`` is the line's id, or ``STATEMENT``."""

    key: str
    numbers: list[int]  # the lines' numbers in the statement, 第 n 笔
    lines: list[dict[str, Any]]
    receipts: list[Receipt]
    content_hash: str
    signatures: dict[str, LineSignature] = field(default_factory=dict)

    @property
    def slots(self) -> list[Slot]:
        return [
            Slot(role, str(ReimbursementSigner(role).label), self.signatures.get(role))
            for role in REIMBURSEMENT_SIGNERS
        ]

    @property
    def missing(self) -> list[str]:
        return [role for role in REIMBURSEMENT_SIGNERS if role not in self.signatures]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def where(self) -> str:
        """第 3 笔, or 报账支出(第 3、7 笔) for the statement as a whole."""
        numbers = gettext("、").join(str(n) for n in self.numbers)
        if self.key != STATEMENT:
            return gettext("第 %(numbers)s 笔") % {"numbers": numbers}
        return gettext("报账支出(第 %(numbers)s 笔)") % {"numbers": numbers}


def signing_mode(community: Community) -> str:
    return community.street_office.reimbursement_signing


def line_hash(line: dict[str, Any], receipt_hashes: list[str]) -> str:
    """The SHA-256 of a reimbursed line and its receipts: what its five signatures bind to."""
    return content_rules.sha256_hex(
        content_rules.canonical_json({"line": line, "receipts": sorted(receipt_hashes)})
    )


def reimbursed_lines(disclosure: Disclosure) -> list[tuple[int, dict[str, Any]]]:
    """The statement's reimbursed lines, each with its number (第 n 笔)."""
    if disclosure.content_type != ContentType.FINANCE:
        return []
    lines = (disclosure.data or {}).get("lines") or []
    return [(n, ln) for n, ln in enumerate(lines, start=1) if ln.get("reimbursement") and ln.get("id")]


def receipts_by_line(disclosure: Disclosure) -> dict[str, list[Receipt]]:
    found: dict[str, list[Receipt]] = {}
    for receipt in disclosure.receipts.order_by("pk"):
        found.setdefault(receipt.line_id, []).append(receipt)
    return found


def units(disclosure: Disclosure, *, mode: str) -> list[Unit]:
    """The statement's units to sign, in order, each with the signatures that hold on it now."""
    lines = reimbursed_lines(disclosure)
    if not lines:
        return []
    receipts = receipts_by_line(disclosure)
    per_line = [
        Unit(
            key=ln["id"],
            numbers=[n],
            lines=[ln],
            receipts=receipts.get(ln["id"], []),
            content_hash=line_hash(ln, [r.sha256 for r in receipts.get(ln["id"], [])]),
        )
        for n, ln in lines
    ]
    made = per_line
    if mode == ReimbursementSigning.STATEMENT:
        made = [
            Unit(
                key=STATEMENT,
                numbers=[n for u in per_line for n in u.numbers],
                lines=[ln for u in per_line for ln in u.lines],
                receipts=[r for u in per_line for r in u.receipts],
                content_hash=content_rules.sha256_hex(
                    content_rules.canonical_json([u.content_hash for u in per_line])
                ),
            )
        ]
    by_key = {u.key: u for u in made}
    for signature in disclosure.line_signatures.order_by("created_at"):
        unit = by_key.get(signature.line_id)
        if unit is not None and signature.content_hash == unit.content_hash:
            unit.signatures.setdefault(signature.role, signature)
    return made


def unit_of(disclosure: Disclosure, *, key: str, mode: str) -> Unit | None:
    return next((u for u in units(disclosure, mode=mode) if u.key == key), None)


@dataclass(frozen=True)
class LineShown:
    """What a reimbursed line shows beside it: its own receipts, and the unit its signatures are on."""

    receipts: list[Receipt]
    unit: Unit
    links: tuple[tuple[Receipt, str], ...] = ()  # each receipt with the address it is served at here


def linked(shown: dict[str, LineShown], url: Callable[[Receipt], str]) -> dict[str, LineShown]:
    """The same, each receipt with its address on the page's own site (staff, portal, street office)."""
    return {key: replace(s, links=tuple((r, url(r)) for r in s.receipts)) for key, s in shown.items()}


def by_line(disclosure: Disclosure, *, mode: str) -> dict[str, LineShown]:
    """Each reimbursed line's receipts and signatures, by the line's id: how the statement's table finds
    what to show beside a line (in the statement mode every line shows the one unit's signatures)."""
    found: dict[str, LineShown] = {}
    for unit in units(disclosure, mode=mode):
        for line in unit.lines:
            mine = [r for r in unit.receipts if r.line_id == line["id"]]
            found[line["id"]] = LineShown(receipts=mine, unit=unit)
    return found


def receipts_count(disclosure: Disclosure) -> int:
    """The receipt scans of the statement's reimbursed lines: what the printed notice counts."""
    ids = [ln["id"] for _n, ln in reimbursed_lines(disclosure)]
    return disclosure.receipts.filter(line_id__in=ids).count() if ids else 0


def statements_to_sign() -> list[Disclosure]:
    """This community's finance statements on their way to publication that carry a reimbursement: where
    the five find what is theirs to sign (the street leader's queue reads it from the street office)."""
    return [
        d
        for d in Disclosure.objects.filter(
            content_type=ContentType.FINANCE, status__in=REIMBURSEMENT_SIGNABLE_STATUSES
        ).order_by("created_at")
        if reimbursed_lines(d)
    ]
