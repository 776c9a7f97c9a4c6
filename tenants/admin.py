"""The Django admin for street-office admins: each sees and edits only their own street office's data."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

from tenants import selectors, services
from tenants.access import signed_in_user
from tenants.errors import DomainError
from tenants.models import Community, District, Membership, StreetOffice, StreetOfficeMembership, User
from tenants.permissions import is_street_office_admin


class StreetOfficeAdminMixin:
    """Street-office admins may manage; the queryset is cut to their own street office(s)."""

    street_office_path = "street_office"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_street_office_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_street_office_admin(request.user)

    has_change_permission = has_view_permission
    has_add_permission = has_module_permission

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(request.user.is_superuser)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)  # type: ignore[misc]
        if request.user.is_superuser:
            return qs
        offices = selectors.street_offices_of(signed_in_user(request))
        return qs.filter(**{f"{self.street_office_path}__in": offices}).distinct()

    # Choices and filters name only the admin's own street office(s) and their communities: a plain
    # foreign-key filter or select lists every row of the table, another street office's included.

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        own = _own_choices(db_field.related_model, request)
        if own is not None:
            kwargs.setdefault("queryset", own)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        own = _own_choices(db_field.related_model, request)
        if own is not None:
            kwargs.setdefault("queryset", own)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def get_list_filter(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        own_only = []
        for item in super().get_list_filter(request):  # type: ignore[misc]
            field = self.model._meta.get_field(item) if isinstance(item, str) and "__" not in item else None  # type: ignore[attr-defined]
            related = getattr(field, "related_model", None)
            own_only.append((item, admin.RelatedOnlyFieldListFilter) if related in SCOPED_MODELS else item)
        return own_only


SCOPED_MODELS = (StreetOffice, Community)


def _own_choices(model: type[Model] | None, request: HttpRequest) -> QuerySet | None:
    if request.user.is_superuser or model not in SCOPED_MODELS:
        return None
    if model is StreetOffice:
        return selectors.street_offices_of(signed_in_user(request))
    return selectors.communities_visible_to(signed_in_user(request))


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    """Districts are the platform's: only a superuser adds, renames or removes one."""

    list_display = ["name"]
    search_fields = ["name"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(StreetOffice)
class StreetOfficeAdmin(StreetOfficeAdminMixin, admin.ModelAdmin):
    street_office_path = "pk"
    list_display = ["code", "name", "district"]
    list_filter = ["district"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        """A street office's own admin may not move it to another district."""
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, "district"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)


@admin.register(Community)
class CommunityAdmin(StreetOfficeAdminMixin, admin.ModelAdmin):
    list_display = ["schema_name", "name", "street_office", "is_active"]
    list_filter = ["street_office", "is_active"]
    readonly_fields = ["schema_name", "street_office"]
    fields = ["schema_name", "name", "street_office", "address", "is_active"]
    actions = ["deactivate", "reactivate"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # communities are created with `manage.py community_create` (schema + domain)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        """A community is deactivated, never deleted here: its schema would stay behind, and the public
        record of its ledger heads may not go while the ledger it vouches for exists."""
        return False

    @admin.action(description="停用所选社区(保留全部资料)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Community]) -> None:
        for community in queryset:
            services.community_set_active(community=community, active=False)
        messages.success(request, "已停用所选社区。")

    @admin.action(description="重新启用所选社区")
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Community]) -> None:
        for community in queryset:
            services.community_set_active(community=community, active=True)
        messages.success(request, "已重新启用所选社区。")


@admin.register(Membership)
class MembershipAdmin(StreetOfficeAdminMixin, admin.ModelAdmin):
    street_office_path = "community__street_office"
    list_display = ["user", "community", "role"]
    list_filter = ["role", "community"]
    autocomplete_fields = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "community" and not request.user.is_superuser:
            kwargs["queryset"] = selectors.communities_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(StreetOfficeMembership)
class StreetOfficeMembershipAdmin(StreetOfficeAdminMixin, admin.ModelAdmin):
    list_display = ["user", "street_office", "role"]
    list_filter = ["role"]
    filter_horizontal = ["communities_in_charge"]
    autocomplete_fields = ["user"]

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        obj = form.instance
        try:
            services.street_office_membership_grant(
                user=obj.user,
                street_office=obj.street_office,
                role=obj.role,
                communities_in_charge=list(obj.communities_in_charge.all()),
            )
        except DomainError as exc:
            messages.error(request, exc.message)


@admin.register(User)
class GongkaiUserAdmin(StreetOfficeAdminMixin, UserAdmin):
    list_display = ["username", "real_name", "mobile", "email", "is_active"]
    search_fields = ["username", "real_name", "mobile"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("real_name", "mobile", "email")}),
        ("状态", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        """Users of the admin's street office, plus accounts not yet given any role (just created)."""
        qs = User.objects.all()
        if request.user.is_superuser:
            return qs
        offices = selectors.street_offices_of(signed_in_user(request))
        return qs.filter(
            Q(memberships__community__street_office__in=offices)
            | Q(street_office_memberships__street_office__in=offices)
            | Q(memberships__isnull=True, street_office_memberships__isnull=True, is_superuser=False)
        ).distinct()
