"""What the portal's pages show of feedback: the public answers and the button to ask."""

from __future__ import annotations

from typing import Any

from django import template

from disclosure.feedback import rules, selectors
from disclosure.models import Disclosure

register = template.Library()


@register.inclusion_tag("feedback/_public_answers.html")
def feedback_on(disclosure: Disclosure) -> dict[str, Any]:
    return {
        "d": disclosure,
        "answers": list(selectors.public_answers_for(disclosure=disclosure)),
        **rules.rules_context(),
    }
