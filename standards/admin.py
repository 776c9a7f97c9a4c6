"""The standard catalogue in the street-office admin. Saving a change never rewrites the item: it
closes the current version and opens a new one from the chosen date (future periods only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.formats import date_format

from standards.models import CatalogueItem, LedgerAnchor, LedgerHead
from standards.services import REVISABLE, catalogue_item_revise
from tenants.admin import StreetOfficeAdminMixin
from tenants.errors import DomainError


@admin.register(CatalogueItem)
class CatalogueItemAdmin(StreetOfficeAdminMixin, admin.ModelAdmin):
    list_display = ["code", "title", "category", "cadence", "audience", "valid_from", "valid_until"]
    list_filter = ["street_office", "category", "cadence", "valid_until"]
    search_fields = ["code", "title"]
    fields = [
        "street_office",
        "code",
        "category",
        "title",
        "cadence",
        "event_working_days",
        "min_display_days",
        "audience",
        "content_type",
        "basis",
        "valid_from",
        "valid_until",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: CatalogueItem | None = None) -> list[str]:
        return ["street_office", "code", "valid_until"] if obj else ["valid_until"]

    def save_model(self, request: HttpRequest, obj: CatalogueItem, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        original = CatalogueItem.objects.get(pk=obj.pk)
        changes = {name: form.cleaned_data[name] for name in REVISABLE if name in form.changed_data}
        try:
            revised = catalogue_item_revise(
                item=original, valid_from=form.cleaned_data["valid_from"], **changes
            )
        except DomainError as exc:
            messages.error(request, f"{exc.message}(请把“适用起始日期”改为新版本的生效日期)")
            return
        obj.pk = revised.pk
        # the site's own date format (2026年12月8日 in Chinese): the calendar's helpers sit beside this app
        starts = date_format(revised.valid_from)
        messages.info(request, f"已生成新版本,自 {starts} 起适用;此前各期不受影响。")


class ReadOnlyRecordAdmin(StreetOfficeAdminMixin, admin.ModelAdmin):
    """The public record of ledger heads is append-only in PostgreSQL: the admin only shows it."""

    street_office_path = "community__street_office"
    list_filter = ["community"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerAnchor)
class LedgerAnchorAdmin(ReadOnlyRecordAdmin):
    list_display = ["community", "day", "head_seq", "head_hash"]


@admin.register(LedgerHead)
class LedgerHeadAdmin(ReadOnlyRecordAdmin):
    list_display = ["community", "seq", "hash", "appended_at"]
