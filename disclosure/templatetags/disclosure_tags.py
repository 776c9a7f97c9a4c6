from django import template
from django.utils.translation import gettext as _

from disclosure.choices import Channel, DisclosureStatus, ObligationStatus, SignatureRole
from disclosure.content import mask_numbers as _mask_numbers
from disclosure.rules import ALLOWED_ATTACHMENTS

register = template.Library()
STATES = {**dict(DisclosureStatus.choices), **dict(ObligationStatus.choices)}
CHANNELS = dict(Channel.choices)
SIGNATURE_ROLES = dict(SignatureRole.choices)


@register.filter
def state_label(value: str) -> str:
    """草稿, 已公布 … for a stored state code; the code itself if unknown."""
    return str(STATES.get(value, value or _("新建")))


@register.filter
def channel_label(value: str) -> str:
    return str(CHANNELS.get(value, value))


@register.filter
def mask_numbers(value: str) -> str:
    """Identity and mobile numbers in free text shown to the public (``content.mask_numbers``)."""
    return _mask_numbers(str(value or ""))


@register.filter
def file_kind(mime: str) -> str:
    """PDF, JPG 图片, Word(docx)… for an attachment's type as read from its content."""
    return ALLOWED_ATTACHMENTS.get(mime, mime)


@register.filter
def signature_role_label(value: str) -> str:
    """党组织书记, 居委会主任, 经办人 for a signing role."""
    return str(SIGNATURE_ROLES.get(value, value))


@register.filter
def get_item(mapping: object, key: str) -> object:
    """``mapping[key]`` in a template (a reimbursed line's receipts and signatures by the line's id)."""
    return mapping.get(key) if isinstance(mapping, dict) else None
