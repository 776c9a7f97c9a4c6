"""``{% error_summary form other_form formset … %}``: the box at the top of a page whose forms came back
with errors, each message a link to its field (``tenants.form_errors.summary``). The forms' own
messages about the whole form are then shown there only: the tag tells the field partials
(``error_summary_shown``), which leave them out."""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from tenants.form_errors import CHOOSE_FILE_AGAIN, summary

register = template.Library()


@register.simple_tag(takes_context=True)
def error_summary(context: template.Context, *forms: Any) -> SafeString:
    """Nothing at all when the forms have no errors (or were not submitted)."""
    entries = summary(*forms)
    context["error_summary_shown"] = bool(entries)
    return render_to_string("workspace/_error_summary.html", {"error_entries": entries})


@register.simple_tag
def choose_file_again(form: Any, field_name: str) -> str:
    """The reminder beside a file field whose file was sent with a form that came back with errors."""
    again = getattr(form, "files_to_choose_again", None)
    return str(CHOOSE_FILE_AGAIN) if again is not None and field_name in again() else ""
