"""A reimbursement's paperwork in the demo (004 ⑵): the scans of its original receipts, made here as small
real files — a PNG drawn with Pillow, every fourth one a one-page PDF written by fpdf2 — uploaded through
the real service (so they are checked and cleaned like a clerk's), and the five signatures given by the
demo's own accounts: the community's three heads and handler, and the street office's leader in charge
(``yinzhou_leader``)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from fpdf import FPDF
from PIL import Image, ImageDraw

from disclosure import reimbursements, services
from disclosure.choices import ReimbursementSigner
from disclosure.models import Disclosure
from disclosure.rules import REIMBURSEMENT_SIGNER_ROLES
from tenants.choices import StreetOfficeRole
from tenants.models import Community, StreetOfficeMembership, User

PDF_EVERY = 4  # every fourth receipt is a PDF (an invoice downloaded from the tax bureau's site)


def _ascii(line: dict[str, Any]) -> str:
    """What the scan shows in a font every machine has: the voucher's number may carry 收/付."""
    voucher = line["voucher"].replace("收", "S").replace("付", "F")
    return f"No. {voucher}   {line['date']}   CNY {line['amount']}"


def receipt_png(line: dict[str, Any]) -> bytes:
    """A photographed receipt: paper, a red stamp, ruled lines, the voucher and the amount."""
    image = Image.new("RGB", (360, 220), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 351, 211), outline=(120, 120, 120), width=2)
    for y in range(60, 200, 28):
        draw.line((20, y, 340, y), fill=(200, 200, 200))
    draw.text((24, 24), "RECEIPT", fill=(40, 40, 40))
    draw.text((24, 70), _ascii(line), fill=(20, 20, 20))
    draw.ellipse((250, 120, 330, 200), outline=(200, 30, 30), width=4)
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def receipt_pdf(line: dict[str, Any]) -> bytes:
    """An electronic invoice as a one-page PDF (no script, no forms: it passes the upload check)."""
    pdf = FPDF(unit="mm", format=(210, 148))  # A5 lying down
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(0, 10, "INVOICE", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 8, _ascii(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def receipts_attach(d: Disclosure, *, actor: User) -> Disclosure:
    """The receipts of each reimbursed line of a draft statement: one scan, or two for a larger sum."""
    count = 0
    for _number, line in reimbursements.reimbursed_lines(d):
        uploads: list[UploadedFile] = []
        for n in range(2 if float(line["amount"]) >= 1000 else 1):
            count += 1
            if count % PDF_EVERY == 0:
                uploads.append(SimpleUploadedFile(f"发票-{line['voucher']}-{n + 1}.pdf", receipt_pdf(line)))
            else:
                uploads.append(SimpleUploadedFile(f"收据-{line['voucher']}-{n + 1}.png", receipt_png(line)))
        services.receipts_add(disclosure=d, actor=actor, line_id=line["id"], uploads=uploads)
    return Disclosure.objects.get(pk=d.pk)


def leader_take_charge(community: Community) -> None:
    """The street office's leader is 包社区领导 of every demo community (the seed lists them all; a
    community seeded on its own is added to the list here)."""
    if leader_in_charge(community) is not None:
        return
    membership = StreetOfficeMembership.objects.filter(
        street_office_id=community.street_office_id, role=StreetOfficeRole.LEADER
    ).first()
    if membership is not None:
        membership.communities_in_charge.add(community)


def leader_in_charge(community: Community) -> User | None:
    return User.objects.filter(
        street_office_memberships__role=StreetOfficeRole.LEADER,
        street_office_memberships__communities_in_charge=community,
    ).first()


def reimbursements_sign(
    d: Disclosure, users: dict[str, User], *, community: Community, leave_to_leader: int = 0
) -> None:
    """The five sign every reimbursement of ``d`` that is not signed yet; the street leader leaves the
    last ``leave_to_leader`` of them for their queue (the demo's 报账签字 page has work to show)."""
    signers: dict[str, User | None] = {
        signer: users.get(role) for signer, role in REIMBURSEMENT_SIGNER_ROLES.items()
    }
    signers[ReimbursementSigner.STREET_LEADER] = leader_in_charge(community)
    units = reimbursements.units(d, mode=reimbursements.signing_mode(community))
    for index, unit in enumerate(units):
        for role in unit.missing:
            signer = signers[role]
            waits = role == ReimbursementSigner.STREET_LEADER and index >= len(units) - leave_to_leader
            if signer is None or waits:
                continue
            services.reimbursement_sign(
                disclosure=d, actor=signer, community=community, key=unit.key, role=role
            )
