"""The calendar in the Django admin, for street-office admins. Every save and delete goes through the
services, so the change is checked the same way and open deadlines are recomputed after commit."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tenants.access import signed_in_user
from tenants.permissions import is_street_office_admin
from workdays import selectors, services
from workdays.forms import CalendarYearAdminForm
from workdays.models import CalendarOverride, CalendarYear


class CalendarAdminMixin:
    """One national calendar: any street office's admin may keep it, nobody else sees it."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_street_office_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_street_office_admin(request.user)

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission
    has_add_permission = has_module_permission


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(CalendarAdminMixin, admin.ModelAdmin):
    list_display = ["day", "weekday", "is_working_day", "reason", "updated_by", "updated_at"]
    list_filter = ["is_working_day"]
    search_fields = ["reason"]
    date_hierarchy = "day"
    fields = ["day", "is_working_day", "reason", "updated_by", "updated_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        # The service sets overrides by day: editing the day would add a new one and leave the old in place.
        return ["day", "updated_by", "updated_at"] if obj else ["updated_by", "updated_at"]

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarOverride) -> str:
        return selectors.weekday_name(obj.day)

    def save_model(self, request: HttpRequest, obj: CalendarOverride, form: object, change: bool) -> None:
        saved = services.calendar_override_set(
            day=obj.day,
            is_working_day=obj.is_working_day,
            reason=obj.reason,
            actor=signed_in_user(request),
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        services.calendar_override_delete(day=obj.day, actor=signed_in_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarOverride]) -> None:
        for override in queryset:
            self.delete_model(request, override)


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarAdminMixin, admin.ModelAdmin):
    form = CalendarYearAdminForm
    list_display = ["year", "note", "confirmed_by", "created_at"]
    fields = ["year", "note", "confirmed_by", "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return ["year", "confirmed_by", "created_at"] if obj else ["confirmed_by", "created_at"]

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: object, change: bool) -> None:
        saved = services.calendar_year_confirm(
            year=obj.year,
            note=obj.note,
            actor=signed_in_user(request),
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj: CalendarYear) -> None:
        services.calendar_year_unconfirm(year=obj.year, actor=signed_in_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarYear]) -> None:
        for year in queryset:
            self.delete_model(request, year)
