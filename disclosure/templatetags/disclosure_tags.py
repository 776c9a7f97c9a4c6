from django import template

from disclosure.choices import Channel, DisclosureStatus, ObligationStatus
from disclosure.content import mask_numbers as _mask_numbers

register = template.Library()
STATES = {**dict(DisclosureStatus.choices), **dict(ObligationStatus.choices)}
CHANNELS = dict(Channel.choices)


@register.filter
def state_label(value: str) -> str:
    """草稿, 已公布 … for a stored state code; the code itself if unknown."""
    return str(STATES.get(value, value or "新建"))


@register.filter
def channel_label(value: str) -> str:
    return str(CHANNELS.get(value, value))


@register.filter
def mask_numbers(value: str) -> str:
    """Identity and mobile numbers in free text shown to the public (``content.mask_numbers``)."""
    return _mask_numbers(str(value or ""))
